"""Every rule's sentence in both languages (ui/rule_texts.py): under Chinese a refusal
reads as the service wrote it; under English the rule's English sentence comes first, so
a reader who has no Chinese still knows which rule refused and why."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.identity import Action
from pharmacy_pos.domain.rules import RuleFinding
from pharmacy_pos.ui.errors import error_text
from pharmacy_pos.ui.rule_texts import RULE_TEXTS, explained, rule_text
from tests.ui import test_english

CODE = Path(__file__).resolve().parents[2] / "pharmacy_pos"
RULE_ID = re.compile(r"""["'\[]((?:ID|RX|SALE|INV|REP|SEC)-\d+)["'\]]""")
#: Install a language's translators as the app does (removed after the test).
language = test_english.language

DETAIL = "“阿莫仙（阿莫西林胶囊）”是处方药：须凭处方销售，请顾客出示处方"


def test_every_rule_the_code_names_has_its_sentence() -> None:
    named = {m.group(1) for path in CODE.rglob("*.py")
             for m in RULE_ID.finditer(path.read_text(encoding="utf-8"))}
    assert len(named) > 40
    assert named - RULE_TEXTS.keys() == set()
    assert all(text and re.search(r"[\u4e00-\u9fff]", text) for text in RULE_TEXTS.values())


def test_under_chinese_a_refusal_reads_as_the_service_wrote_it(
    language: Callable[[str], None],
) -> None:
    language("zh_CN")
    refusal = DomainError(DETAIL, rule_id="RX-1")
    assert error_text(refusal) == f"[RX-1] {DETAIL}"
    assert explained("RX-1", DETAIL) == DETAIL
    assert rule_text("RX-1") == RULE_TEXTS["RX-1"]


def test_under_english_the_rules_sentence_comes_first_for_every_rule(
    language: Callable[[str], None],
) -> None:
    language("en")
    for rule_id in RULE_TEXTS:
        sentence = rule_text(rule_id)
        assert sentence and sentence != RULE_TEXTS[rule_id], f"{rule_id} has no English"
        assert not re.search(r"[\u4e00-\u9fff]", sentence), rule_id
    text = error_text(DomainError(DETAIL, rule_id="RX-1"))
    first, second = text.split("\n")
    assert first == f"[RX-1] {rule_text('RX-1')}" and "prescription" in first
    assert second == DETAIL
    finding = RuleFinding("RX-1", Action.BLOCK, DETAIL)
    assert explained(finding.rule_id, finding.message) == f"{rule_text('RX-1')}\n{DETAIL}"
    assert explained(None, DETAIL) == DETAIL  # no rule: the detail alone
