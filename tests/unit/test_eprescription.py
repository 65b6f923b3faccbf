"""Import of electronic external prescriptions and capture of paper ones (eprescription.py)."""

import copy
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pharmacy_pos.domain.cart import CartContext, CartLine, Prescription, PrescriptionItem
from pharmacy_pos.domain.eprescription import (
    MAX_FILE_BYTES,
    json_path,
    parse_eprescription,
    read_eprescription,
    validate_capture,
)
from pharmacy_pos.domain.errors import ValidationFailed
from pharmacy_pos.domain.policy import Policy
from pharmacy_pos.domain.product import InsuranceClass, ProductCategory
from pharmacy_pos.domain.rules import evaluate, rule_ids
from pharmacy_pos.paths import resource
from tests.cards import HOLDER_SSN

AMLODIPINE = "XC08CAA153A001050153631"
VALSARTAN = "XC09CAA089A002120108655"


@pytest.fixture(scope="module")
def example_text() -> str:
    return resource("demo", "eprescription-example.json").read_text(encoding="utf-8")


@pytest.fixture
def example(example_text: str) -> dict[str, Any]:
    return json.loads(example_text)


@pytest.fixture(scope="module")
def policy() -> Policy:
    return Policy.from_toml(resource("policy", "default.toml").read_text(encoding="utf-8"))


def problems_of(text: str | bytes) -> dict[str, str]:
    """Field path -> message of every problem the import reports."""
    with pytest.raises(ValidationFailed) as caught:
        parse_eprescription(text)
    return {p.field or "": p.message for p in caught.value.problems}


def dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False)


# --- the example ------------------------------------------------------------------------

def test_example_file_parses_into_the_expected_prescription(example_text: str) -> None:
    assert parse_eprescription(example_text) == Prescription(
        issue_date=date(2026, 3, 10),
        items=(PrescriptionItem(AMLODIPINE, 28, 28), PrescriptionItem(VALSARTAN, 28, 28)),
        external=True, electronic=True, institution_designated=True,
        signature_present=True, seal_present=True, physician_code="D110105000123",
        patient_name="张三丰", patient_id_number=HOLDER_SSN, diagnosis="高血压",
        chronic_disease="高血压",
        chronic_reason="原发性高血压病情稳定，需长期规律服药，开具 28 天用量",
    )


def test_example_items_exist_in_the_demo_catalogue() -> None:
    catalogue = resource("demo", "catalogue.csv").read_text(encoding="utf-8")
    assert f",{AMLODIPINE}," in catalogue and f",{VALSARTAN}," in catalogue


def test_example_keeps_display_fields(example_text: str) -> None:
    doc = read_eprescription(example_text)
    assert doc.institution.name == "北京市朝阳区第一社区卫生服务中心"
    assert doc.physician.name == "李时珍"
    assert doc.diagnosis.code == "I10.x00"
    assert [(i.dosage, i.frequency, i.route) for i in doc.items] == [
        ("5mg", "每日1次", "口服"), ("80mg", "每日1次", "口服")]


def test_bytes_with_bom_are_accepted(example_text: str) -> None:
    data = b"\xef\xbb\xbf" + example_text.encode("utf-8")
    assert parse_eprescription(data) == parse_eprescription(example_text)


def test_national_codes_map_to_store_item_codes(example_text: str) -> None:
    rx = parse_eprescription(example_text,
                             item_codes={AMLODIPINE: "P000014", VALSARTAN: "P000015"})
    assert [i.item_code for i in rx.items] == ["P000014", "P000015"]


def test_drug_the_store_does_not_list_is_a_problem(example_text: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_eprescription(example_text, item_codes={AMLODIPINE: "P000014"})
    assert [p.field for p in caught.value.problems] == ["items[1].med_list_codg"]


def test_unsigned_eprescription_is_refused_by_rx_3_at_the_till(
        example: dict[str, Any], policy: Policy) -> None:
    example["electronic_signature"] = False
    rx = parse_eprescription(dumps(example))
    assert not rx.electronic and not rx.signature_present
    assert "RX-3" in rule_ids(evaluate([], CartContext(today=rx.issue_date, prescription=rx),
                                       policy))


# --- bad input, one kind at a time --------------------------------------------------------

def test_malformed_json_is_refused_with_its_line() -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_eprescription('{\n  "version": 1,\n  "items": [,]\n}')
    (problem,) = caught.value.problems
    assert problem.field == "$" and problem.row == 3 and "JSON" in problem.message


@pytest.mark.parametrize("text", ["[]", "1", '"处方"', "null"])
def test_document_must_be_an_object(text: str) -> None:
    assert problems_of(text) == {"$": "应为 JSON 对象（{…}）"}


@pytest.mark.parametrize("text", ['{"a": 1, "a": 2}', '{"x": NaN}', "1" * 5000, "[" * 100_000])
def test_duplicate_keys_constants_and_monsters_are_refused(text: str) -> None:
    assert list(problems_of(text)) == ["$"]


def test_every_missing_required_field_is_listed(example: dict[str, Any]) -> None:
    del example["issue_date"]
    del example["physician"]["code"]
    del example["patient"]["id_number"]
    del example["items"][1]["days_of_supply"]
    assert problems_of(dumps(example)) == {
        "issue_date": "缺少必填项",
        "physician.code": "缺少必填项",
        "patient.id_number": "缺少必填项",
        "items[1].days_of_supply": "缺少必填项",
    }


def test_invalid_patient_id_number_is_refused(example: dict[str, Any]) -> None:
    example["patient"]["id_number"] = HOLDER_SSN[:17] + ("0" if HOLDER_SSN[17] != "0" else "1")
    problems = problems_of(dumps(example))
    assert list(problems) == ["patient.id_number"]
    assert "ID-4" in problems["patient.id_number"]


def test_sex_contradicting_the_id_number_is_refused(example: dict[str, Any]) -> None:
    example["patient"]["sex"] = "2"
    assert list(problems_of(dumps(example))) == ["patient.sex"]


@pytest.mark.parametrize("value", [0, -28])
def test_non_positive_quantity_and_days_are_refused(example: dict[str, Any],
                                                    value: int) -> None:
    example["items"][0]["quantity"] = value
    example["items"][1]["days_of_supply"] = value
    assert problems_of(dumps(example)) == {
        "items[0].quantity": "必须大于 0",
        "items[1].days_of_supply": "必须大于 0",
    }


@pytest.mark.parametrize("value", ["28", 28.5, True, None])
def test_quantity_must_be_a_json_integer(example: dict[str, Any], value: object) -> None:
    example["items"][0]["quantity"] = value
    assert list(problems_of(dumps(example))) == ["items[0].quantity"]


@pytest.mark.parametrize(("value", "fragment"), [
    ("2026-02-30", "不存在"), ("2025-02-29", "不存在"), ("2026-13-01", "不存在"),
    ("2026/03/10", "YYYY-MM-DD"), (20260310, "YYYY-MM-DD"),
])
def test_dates_that_do_not_exist_are_refused(example: dict[str, Any], value: object,
                                             fragment: str) -> None:
    example["issue_date"] = value
    problems = problems_of(dumps(example))
    assert list(problems) == ["issue_date"] and fragment in problems["issue_date"]


def test_file_over_1_mib_is_refused(example: dict[str, Any]) -> None:
    example["items"][0]["notes"] = "x" * MAX_FILE_BYTES
    problems = problems_of(dumps(example))
    assert list(problems) == ["$"] and "1 MiB" in problems["$"]


def test_more_than_50_items_is_refused(example: dict[str, Any]) -> None:
    item = example["items"][0]
    example["items"] = [dict(item, med_list_codg=f"X{i:022d}") for i in range(51)]
    assert problems_of(dumps(example)) == {"items": "最多 50 项"}


def test_no_items_is_refused(example: dict[str, Any]) -> None:
    example["items"] = []
    assert list(problems_of(dumps(example))) == ["items"]


def test_same_drug_twice_is_refused(example: dict[str, Any]) -> None:
    example["items"][1] = copy.deepcopy(example["items"][0])
    assert list(problems_of(dumps(example))) == ["items[1].med_list_codg"]


def test_unknown_field_and_wrong_types_are_listed(example: dict[str, Any]) -> None:
    example["institution"]["designated"] = "是"
    example["patient"]["nmae"] = "张三丰"
    example["items"][0]["route"] = ""
    assert problems_of(dumps(example)) == {
        "institution.designated": "应为 true 或 false",
        "patient.nmae": "不认识的字段，请核对拼写",
        "items[0].route": "不能为空",
    }


def test_json_path_formats_pydantic_locations() -> None:
    assert json_path(("items", 0, "quantity")) == "items[0].quantity"
    assert json_path(()) == "$"


# --- fuzzing ---------------------------------------------------------------------------

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=20,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow],
          derandomize=True, database=None)  # CI never flakes
@given(st.one_of(st.text(), _json_values.map(dumps)))
def test_arbitrary_text_only_ever_raises_validation_failed(text: str) -> None:
    problems = ["parsed"]
    try:
        parse_eprescription(text)
    except ValidationFailed as exc:
        problems = exc.problems
    assert problems


@settings(max_examples=300, derandomize=True, database=None)
@given(path_index=st.integers(min_value=0), value=_json_values)
def test_example_with_any_field_replaced_only_raises_validation_failed(
        example_text: str, path_index: int, value: object) -> None:
    data = json.loads(example_text)
    containers: list[tuple[Any, Any]] = []

    def walk(node: Any) -> None:
        keys = node.keys() if isinstance(node, dict) else range(len(node))
        for key in keys:
            containers.append((node, key))
            if isinstance(node[key], dict | list):
                walk(node[key])

    walk(data)
    node, key = containers[path_index % len(containers)]
    node[key] = value
    try:
        rx = parse_eprescription(dumps(data))
    except ValidationFailed as exc:
        problems = exc.problems
    else:
        problems = ["parsed"]
        assert all(item.quantity > 0 and item.days_of_supply > 0 for item in rx.items)
    assert problems


# --- hand capture at the till ----------------------------------------------------------

def capture_form(example: dict[str, Any]) -> dict[str, Any]:
    """The example typed by hand: store item codes, paper signature and seal."""
    form = {k: v for k, v in example.items()
            if k not in ("version", "prescription_no", "electronic_signature")}
    form["signature_present"] = True
    form["seal_present"] = False
    form["items"] = [
        {k: v for k, v in item.items() if k not in ("med_list_codg", "specification")}
        | {"item_code": code}
        for item, code in zip(example["items"], ["P000014", "P000015"], strict=True)
    ]
    return form


def test_captured_prescription_is_external_paper(example: dict[str, Any]) -> None:
    rx = validate_capture(capture_form(example))
    assert rx.external and not rx.electronic
    assert (rx.signature_present, rx.seal_present) == (True, False)
    assert [i.item_code for i in rx.items] == ["P000014", "P000015"]


def test_capture_allows_an_empty_id_number(example: dict[str, Any]) -> None:
    form = capture_form(example)
    form["patient"]["id_number"] = ""
    assert validate_capture(form).patient_id_number == ""


def test_capture_runs_the_same_checks(example: dict[str, Any]) -> None:
    form = capture_form(example)
    form["issue_date"] = "2026-04-31"
    form["patient"]["id_number"] = "110105198013011238"
    form["items"][0]["days_of_supply"] = 0
    with pytest.raises(ValidationFailed) as caught:
        validate_capture(form)
    assert {p.field for p in caught.value.problems} == {
        "issue_date", "patient.id_number", "items[0].days_of_supply"}


# --- into the rule engine ----------------------------------------------------------------

def test_rx_6_imported_prescription_over_7_days_is_refused(
        example: dict[str, Any], policy: Policy) -> None:
    example["chronic"] = None
    example["items"] = example["items"][:1]
    example["items"][0] |= {"quantity": 8, "days_of_supply": 8}
    rx = parse_eprescription(dumps(example), item_codes={AMLODIPINE: "P000014"})
    line = CartLine(
        item_code="P000014", name="苯磺酸氨氯地平片", category=ProductCategory.DRUG,
        insurance_class=InsuranceClass.A, is_prescription=True, quantity=7,
        unit_price=Decimal("36.80"), retail_price=Decimal("36.80"), units_per_pack=7,
    )
    findings = evaluate([line], CartContext(today=rx.issue_date, prescription=rx), policy)
    rx6 = [f for f in findings if f.rule_id == "RX-6"]
    assert len(rx6) == 1 and rx6[0].blocks
