"""Fuzzing the electronic prescription file (电子外配处方, docs/eprescription-format.md).

Whatever the file holds, ``import_document`` (what the till calls) gives a prescription
whose numbers are sane and whose texts can be stored, or a ``ValidationFailed`` whose
problems are Chinese and point at a JSON path; never another exception. Files start from
the shipped example and are damaged as bytes (flipped, cut, spliced, re-encoded as GBK
or UTF-16, BOM) or as JSON (any value replaced by huge numbers, NaN, deep nesting,
control characters, enormous text; keys dropped or added), besides random bytes.
CI-sized runs are derandomized; ``[long]`` (marked ``slow``) runs 10,000 examples.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from pharmacy_pos.domain.eprescription import (
    MAX_DAYS_OF_SUPPLY,
    MAX_QUANTITY,
    PrescriptionDocument,
    capture_document,
    import_document,
)
from pharmacy_pos.domain.errors import ValidationFailed
from pharmacy_pos.paths import resource
from tests.fuzzing import attempt, chinese, fuzz

RUNS = [
    pytest.param(100, id="ci"),
    pytest.param(10_000, id="long", marks=pytest.mark.slow),
]


EXAMPLE_TEXT = resource("demo", "eprescription-example.json").read_text(encoding="utf-8")
EXAMPLE = json.loads(EXAMPLE_TEXT)
# National code -> the store's item code, as the till passes the catalogue.
ITEM_CODES = {item["med_list_codg"]: f"P{n:06d}" for n, item in enumerate(EXAMPLE["items"], 1)}


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key path inside a JSON document."""
    found = []
    keys = node.keys() if isinstance(node, dict) else range(len(node))
    for key in keys:
        found.append((*prefix, key))
        if isinstance(node[key], dict | list):
            found += paths(node[key], (*prefix, key))
    return found


EXAMPLE_PATHS = paths(EXAMPLE)
DEEP = st.integers(1, 5000).map(lambda n: "[" * n + "]" * n)
NASTY_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(),
    st.sampled_from([10**400, -(10**400), 0, -1, 1.5, 1e308, "", " ", "\x00", "\u202e",
                     "\ud800", "1", "true", "2026-02-30", "0000-01-01", "2026-3-1",
                     "H11010500001\n", "张\x00三", "x" * 5000, [], {}, [[]], {"": None}]),
    st.text(max_size=20),
    st.recursive(st.none() | st.integers() | st.text(max_size=5),
                 lambda kids: st.lists(kids, max_size=3) | st.dictionaries(
                     st.text(max_size=5), kids, max_size=3), max_leaves=8),
)


def edited(changes: list[tuple[int, str, Any]]) -> str:
    """The example with values replaced, keys deleted or unknown keys added."""
    data = copy.deepcopy(EXAMPLE)
    for index, how, value in changes:
        path = EXAMPLE_PATHS[index % len(EXAMPLE_PATHS)]
        node = data
        try:
            for key in path[:-1]:
                node = node[key]
            if how == "replace":
                node[path[-1]] = value
            elif how == "delete":
                del node[path[-1]]
            elif isinstance(node, dict):
                node[f"extra_{index}"] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed or replaced this part
    return json.dumps(data, ensure_ascii=False, allow_nan=True)


EDITED = st.lists(st.tuples(st.integers(0, 200), st.sampled_from(["replace", "delete", "add"]),
                            NASTY_VALUES), min_size=1, max_size=3).map(edited)


def damaged_bytes(args: tuple[bytes, str, int, bytes]) -> bytes:
    raw, how, at, garbage = args
    at %= len(raw) + 1
    if how == "cut":
        return raw[:at]
    if how == "flip":
        return raw[:at] + bytes([raw[at] ^ 0x80]) + raw[at + 1:] if at < len(raw) else raw
    if how == "splice":
        return raw[:at] + garbage + raw[at:]
    return raw


RAW = EXAMPLE_TEXT.encode("utf-8")
FILES = st.one_of(
    EDITED,
    st.tuples(st.just(RAW), st.sampled_from(["cut", "flip", "splice"]), st.integers(0, 4000),
              st.binary(max_size=8)).map(damaged_bytes),
    st.sampled_from([EXAMPLE_TEXT.encode("gbk"), EXAMPLE_TEXT.encode("utf-16"),
                     b"\xef\xbb\xbf" + RAW, RAW.replace(b"28", b"NaN"),
                     RAW.replace(b"28", b"1e999"), RAW.replace(b"28", b"9" * 5000)]),
    st.binary(max_size=200), st.text(max_size=200), DEEP,
)


def assert_sane(document: PrescriptionDocument) -> None:
    prescription = document.prescription
    assert prescription.external and 1 <= len(prescription.items) == len(document.items)
    for item in prescription.items:
        assert 0 < item.quantity <= MAX_QUANTITY and 0 < item.days_of_supply <= MAX_DAYS_OF_SUPPLY
        assert item.item_code in ITEM_CODES.values()
    texts = [prescription.patient_name, prescription.patient_id_number, prescription.diagnosis,
             document.rx_no, document.institution_name, document.physician_name]
    for text in texts:
        text.encode("utf-8")  # storable: no lone surrogate
        assert "\x00" not in text


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_eprescription_file_imports_or_lists_chinese_problems(examples):
    @fuzz(examples)
    @given(FILES)
    @example(RAW)
    @example("[" * 100_000)
    @example(RAW.replace(b"\xe5\xbc\xa0", b"\\u0000"))   # a NUL escaped inside the name
    @example(json.dumps({**EXAMPLE, "issue_date": "\ud800"}))
    @example(b"\xff\xfe" + RAW)
    def check(text):
        document, refused = attempt(lambda: import_document(text, item_codes=ITEM_CODES),
                                    ValidationFailed)
        if refused is not None:
            event("refused")
            assert refused.problems and chinese(refused.message)
            for problem in refused.problems:
                assert chinese(problem.message), problem
                assert problem.field == "$" or problem.field[0].isalpha(), problem
            return
        event("imported")
        assert_sane(document)

    check()


CAPTURE_FORM = {
    **{k: v for k, v in EXAMPLE.items()
       if k not in ("version", "prescription_no", "electronic_signature")},
    "signature_present": True, "seal_present": True,
    "items": [{k: v for k, v in item.items() if k not in ("med_list_codg", "specification")}
              | {"item_code": code} for item, code in zip(EXAMPLE["items"],
                                                         ITEM_CODES.values(), strict=True)],
}
CAPTURE_PATHS = paths(CAPTURE_FORM)


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_paper_prescription_form_any_values(examples):
    # What the till's form passes: the same layout, any value the widgets could carry.
    @fuzz(examples)
    @given(st.lists(st.tuples(st.integers(0, 200), NASTY_VALUES), max_size=3), st.text(
        max_size=80))
    @example([], "")
    def check(changes, rx_no):
        form = copy.deepcopy(CAPTURE_FORM)
        for index, value in changes:
            path = CAPTURE_PATHS[index % len(CAPTURE_PATHS)]
            node = form
            try:
                for key in path[:-1]:
                    node = node[key]
                node[path[-1]] = value
            except (KeyError, IndexError, TypeError):
                continue
        document, refused = attempt(lambda: capture_document(form, rx_no=rx_no),
                                    ValidationFailed)
        if refused is not None:
            event("refused")
            assert all(chinese(p.message) for p in refused.problems)
            return
        event("captured")
        assert len(document.rx_no) <= 60 and len(document.items) >= 1

    check()
