"""The English translation is complete and in step with the code (issue 10).

The interface's source strings are Chinese; ``resources/translations/pharmacy_pos_en.ts``
holds their English and ``pharmacy_pos_en.qm`` is what the app loads. These tests fail
when a string was added or changed without rerunning ``scripts/update-translations.py``,
when a message has no finished English, when the English lost a placeholder, rule id,
key name or accelerator, and when the compiled file does not translate as the .ts says
(compared by what it translates, not byte for byte: lrelease's output may differ
between Qt versions).
"""

from __future__ import annotations

import inspect
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from enum import Enum
from pathlib import Path

import pytest

from pharmacy_pos.paths import resource

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "pharmacy_pos_en.ts"
QM = TS.with_suffix(".qm")
SCRIPT = ROOT / "scripts" / "update-translations.py"
RERUN = "run: .venv/bin/python scripts/update-translations.py"

#: Chinese characters and the full-width punctuation that has no place in English text.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff5e]")
PLACEHOLDER = re.compile(r"\{\d*(?::[^}]*)?\}|%n|%\d")
RULE_ID = re.compile(r"\b[A-Z]{2,5}-\d+\b")
#: Key names as the sources write them (F2, Esc, Ctrl+P, Alt+1...).
KEY = re.compile(r"(?<![A-Za-z])(?:F\d{1,2}|Esc|(?:Ctrl|Alt|Shift)\+[A-Za-z0-9]+)(?![a-z])")


def _tool(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def _messages(path: Path) -> list[tuple[str, str, str, ET.Element]]:
    """(context, source, disambiguation comment, translation element) of every message."""
    found = []
    for context in ET.parse(path).getroot().iter("context"):  # noqa: S314 - our own file
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None, (name, message.findtext("source"))
            found.append((name, message.findtext("source") or "",
                          message.findtext("comment") or "", translation))
    return found


def _accelerators(text: str) -> int:
    """Number of ``&`` mnemonics (``&&`` is a literal ampersand)."""
    return len(re.findall(r"&(?!&)\S", text.replace("&&", "")))


@pytest.fixture(scope="module")
def committed() -> list[tuple[str, str, str, ET.Element]]:
    assert TS.exists(), f"{TS} is missing; {RERUN}"
    return _messages(TS)


def test_the_app_loads_the_translation_from_the_package_resources() -> None:
    # install_translators looks it up with paths.resource (pyproject ships translations/*).
    assert resource("translations", "pharmacy_pos_en.qm") == QM
    assert QM.stat().st_size > 1000


def test_committed_ts_lists_exactly_the_strings_in_the_code(tmp_path: Path) -> None:
    lupdate = _tool("pyside6-lupdate")
    if lupdate is None:
        pytest.skip("pyside6-lupdate not installed (PySide6 brings it)")
    fresh = tmp_path / "fresh.ts"
    subprocess.run([lupdate, "-extensions", "py", "-silent", "-source-language", "zh_CN",
                    "-target-language", "en", str(ROOT / "pharmacy_pos"), "-ts", str(fresh)],
                   check=True, cwd=tmp_path)
    in_code = {(c, s, d) for c, s, d, _ in _messages(fresh)}
    in_ts = {(c, s, d) for c, s, d, _ in _messages(TS)}
    new = sorted(in_code - in_ts)
    gone = sorted(in_ts - in_code)
    assert not new and not gone, (
        f"the .ts is out of step with the code ({RERUN}); "
        f"new in the code: {new[:20]}; no longer in the code: {gone[:20]}")


def test_no_string_is_filed_under_an_empty_context(committed) -> None:
    # PySide6 looks a string up under the class (self.tr) or the literal context given
    # to translate(); lupdate files a string it cannot place under "", never found.
    nameless = [source for context, source, _, _ in committed if not context]
    assert not nameless, f"strings lupdate could not place in a context: {nameless}"


def test_every_message_has_a_finished_translation(committed) -> None:
    missing = [(c, s) for c, s, _, t in committed
               if t.get("type") is not None or not t.text
               or (s.strip() and not t.text.strip())]
    assert not missing, (f"{len(missing)} messages without a finished English translation "
                         f"(fill them in the .ts, then {RERUN}): {missing[:30]}")


def test_translations_contain_no_chinese(committed) -> None:
    chinese = [(c, s, t.text) for c, s, _, t in committed if t.text and CJK.search(t.text)]
    assert not chinese, f"Chinese left in English translations: {chinese[:30]}"


@pytest.mark.parametrize(("what", "count"), [
    ("placeholders {n}", lambda text: Counter(PLACEHOLDER.findall(text))),
    ("rule ids", lambda text: Counter(RULE_ID.findall(text))),
    ("key names", lambda text: Counter(k.upper() for k in KEY.findall(text))),
    ("& accelerators", _accelerators),
    ("line breaks", lambda text: text.count("\n")),
])
def test_translations_keep_what_the_code_and_the_keyboard_rely_on(committed, what, count) -> None:
    lost = [(c, s, t.text) for c, s, _, t in committed
            if t.text and count(s) != count(t.text)]
    assert not lost, f"{what} differ between source and English: {lost[:20]}"


def test_compiled_qm_translates_every_message_of_the_ts(committed, qapp) -> None:
    from PySide6.QtCore import QTranslator

    translator = QTranslator()
    assert translator.load(str(QM)), f"{QM} does not load; {RERUN}"
    wrong = []
    for context, source, comment, translation in committed:
        got = translator.translate(context, source, comment or None)
        if got != (translation.text or ""):
            wrong.append((context, source, got, translation.text))
    assert not wrong, f"the .qm is not the .ts compiled ({RERUN}): {wrong[:20]}"


def _domain_enums() -> list[type[Enum]]:
    from pharmacy_pos.devices.ports import DeviceState
    from pharmacy_pos.domain import identity, product, roles, sale

    return [DeviceState, roles.Role, sale.PaymentMethod, sale.ReviewDecision, sale.RefusalReason,
            product.ProductCategory, product.InsuranceClass, product.OtcClass,
            product.ControlledCategory, product.BatchStatus, product.LedgerEntryType,
            identity.Action]


def _labels_in(context: str, committed) -> set[str]:
    return {s for c, s, _, _ in committed if c == context}


def test_every_domain_label_a_screen_shows_is_marked_for_translation(committed) -> None:
    # ui/labels.py lists them by hand (lupdate needs literals); a new enum member or a
    # reworded label must be added there, or it shows in Chinese under English.
    marked = _labels_in("labels", committed)
    missing = [(enum.__name__, member.label) for enum in _domain_enums() for member in enum
               if member.label and member.label not in marked]  # type: ignore[attr-defined]
    assert not missing, f"add to pharmacy_pos/ui/labels.py: {missing}"


def test_labels_the_services_write_are_marked_where_the_screens_translate_them(
        committed) -> None:
    from pharmacy_pos.domain.sale import PaymentMethod
    from pharmacy_pos.domain.settlement import SettlementSplit
    from pharmacy_pos.reports.catalog import REPORTS
    from pharmacy_pos.services.uploads import OUTCOME_LABELS, STATE_LABELS

    # The labels of the 购药清单 rows, read from the method that writes them.
    split_labels = set(re.findall(r'\("([^"]+)",', inspect.getsource(
        SettlementSplit.display_rows)))
    assert "统筹基金支付" in split_labels
    wanted = {
        "uploads": set(STATE_LABELS.values()) | set(OUTCOME_LABELS.values()),
        "PayDialog": {m.label for m in PaymentMethod} | split_labels,
        "HistoryView": {"销售", "退货"},
        "StocktakeView": {"盘盈", "盘亏", "相符"},
        "ReportsView": {spec.title for spec in REPORTS.values()},
    }
    missing = {context: sorted(labels - _labels_in(context, committed))
               for context, labels in wanted.items()}
    assert not any(missing.values()), f"labels shown untranslated: {missing}"


@pytest.mark.skipif(_tool("pyside6-lupdate") is None or _tool("pyside6-lrelease") is None,
                    reason="pyside6-lupdate/lrelease not installed (PySide6 brings them)")
def test_update_script_check_mode_passes_on_the_committed_files(tmp_path: Path) -> None:
    # The script rewrites the committed files in place; run it on a copy of the tree's
    # sources and translations so a test never changes the checkout.
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "pharmacy_pos", copy / "pharmacy_pos",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "resources" / "translations", copy / "resources" / "translations")
    (copy / "scripts").mkdir()
    shutil.copy2(SCRIPT, copy / "scripts" / SCRIPT.name)
    done = subprocess.run([sys.executable, str(copy / "scripts" / SCRIPT.name), "--check"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 unfinished" in done.stdout, done.stdout
