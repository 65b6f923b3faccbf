"""External prescriptions (外配处方): import of an electronic one and capture of a paper one.

Two ways a prescription from a medical institution reaches the till:

* an electronic external prescription (电子外配处方), a JSON file in the format documented in
  ``docs/eprescription-format.md``, read by :func:`parse_eprescription`;
* a paper one, typed by the cashier into a form whose fields follow the same layout
  (``item_code`` instead of ``med_list_codg`` for the items, and the signature and seal
  checkboxes instead of the electronic signature), checked by :func:`validate_capture`.

Both share the models and checks below and give the rule engine's
:class:`~pharmacy_pos.domain.cart.Prescription`. Every problem is reported at once, as a
:class:`~pharmacy_pos.domain.errors.Problem` whose ``field`` is the JSON path of the value
(``items[0].quantity``; ``$`` is the document itself) and whose message is Chinese.

Business rules stay in ``domain/rules.py``: a prescription from a non-designated
institution, an unsigned one, too many days or drugs, an expired one are valid *input*
that the rules then refuse (RX-3, RX-6, RX-7, RX-8) with their rule ids. Only what
cannot be a prescription at all is refused here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from pharmacy_pos.domain.cart import Prescription, PrescriptionItem
from pharmacy_pos.domain.errors import Problem, ValidationFailed
from pharmacy_pos.domain.ids import IdNumber

MAX_FILE_BYTES = 1024 * 1024
"""Largest electronic prescription file accepted (1 MiB)."""
MAX_ITEMS = 50
"""Most items one prescription document may list (RX-7 then allows far fewer)."""
MAX_QUANTITY = 100_000
MAX_DAYS_OF_SUPPLY = 366
FORMAT_VERSION = 1

_DATE_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def _iso_date(value: object) -> date:
    """A ``YYYY-MM-DD`` text that names a day that exists."""
    if not isinstance(value, str) or not _DATE_SHAPE.match(value.strip()):
        raise ValueError("日期应为“YYYY-MM-DD”格式的文本，例如“2026-03-10”")
    text = value.strip()
    try:
        day = date(int(text[:4]), int(text[5:7]), int(text[8:10]))
    except ValueError:
        raise ValueError(f"日期“{text}”不存在") from None
    if day.year < 1900:
        raise ValueError(f"日期“{text}”不合理")
    return day


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
Name = Annotated[str, Field(min_length=1, max_length=50)]
Code = Annotated[str, Field(min_length=1, max_length=50)]
ShortText = Annotated[str, Field(max_length=100)]
Quantity = Annotated[int, Field(gt=0, le=MAX_QUANTITY)]
Days = Annotated[int, Field(gt=0, le=MAX_DAYS_OF_SUPPLY)]


# C0/C1 control characters other than tab and line breaks: no prescription writes them,
# a NUL cannot even be stored in PostgreSQL, and an escape sequence could garble a log.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True,
                              str_strip_whitespace=True)

    @field_validator("*")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        if isinstance(value, str) and _CONTROL.search(value):
            raise ValueError("含有控制字符，不是正常的文字")
        return value


_M = TypeVar("_M", bound=_Model)


class Institution(_Model):
    """The issuing medical institution (RX-3)."""

    code: Code
    name: Annotated[str, Field(min_length=1, max_length=100)]
    designated: bool


class Physician(_Model):
    """The prescribing physician; ``code`` is the 医保医师代码 (RX-9)."""

    name: Name
    code: Code


class Patient(_Model):
    """The patient as written on the prescription (ID-6).

    ``sex`` is "1" male or "2" female (the card's coding); when given with the ID number
    the two must agree.
    """

    name: Name
    id_number: str = ""
    sex: Annotated[str, Field(max_length=1)] = ""
    age: Annotated[int, Field(ge=0, le=150)] | None = None

    @field_validator("id_number")
    @classmethod
    def _id_valid(cls, value: str) -> str:
        return IdNumber.parse(value).value if value else value

    @field_validator("sex")
    @classmethod
    def _sex_coded(cls, value: str) -> str:
        if value not in ("", "1", "2"):
            raise ValueError("性别应为“1”（男）或“2”（女）")
        return value


class ElectronicPatient(Patient):
    """On an electronic prescription the ID number is always present."""

    id_number: Annotated[str, Field(min_length=1)]


class Diagnosis(_Model):
    """The diagnosis: ICD-10 code (optional) and name (RX-13 compares the name)."""

    code: Annotated[str, Field(max_length=50)] = ""
    name: Annotated[str, Field(min_length=1, max_length=200)]


class Chronic(_Model):
    """The listed chronic disease and the physician's reason for a longer supply (RX-6)."""

    disease: Annotated[str, Field(min_length=1, max_length=50)]
    reason: Annotated[str, Field(max_length=200)] = ""


class _ItemBase(_Model):
    """How much of one drug, how to take it and for how long.

    ``quantity`` is in minimum units (最小单位: 片, 粒, 支...), named by ``unit``.
    """

    quantity: Quantity
    unit: Annotated[str, Field(min_length=1, max_length=10)]
    dosage: Annotated[str, Field(min_length=1, max_length=50)]
    frequency: Annotated[str, Field(min_length=1, max_length=50)]
    route: Annotated[str, Field(min_length=1, max_length=50)]
    days_of_supply: Days
    notes: Annotated[str, Field(max_length=200)] = ""


class ElectronicItem(_ItemBase):
    """A drug on an electronic prescription, named by its national code (医保编码)."""

    med_list_codg: Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[0-9A-Z]+$")]
    name: Annotated[str, Field(min_length=1, max_length=100)]
    specification: Annotated[str, Field(min_length=1, max_length=100)]


class CapturedItem(_ItemBase):
    """A drug on a paper prescription, picked from the store's catalogue by item code."""

    item_code: Annotated[str, Field(min_length=1, max_length=32)]
    name: ShortText = ""


class _PrescriptionBase(_Model):
    issue_date: IsoDate
    institution: Institution
    physician: Physician
    diagnosis: Diagnosis
    emergency: bool = False
    chronic: Chronic | None = None
    long_term: bool = False
    validity_extended: bool = False


class ElectronicPrescription(_PrescriptionBase):
    """An electronic external prescription as the file holds it (display and archive)."""

    version: Literal[1]
    prescription_no: Annotated[str, Field(min_length=1, max_length=64,
                                          pattern=r"^[0-9A-Za-z\-_]+$")]
    electronic_signature: bool
    patient: ElectronicPatient
    items: Annotated[list[ElectronicItem], Field(min_length=1, max_length=MAX_ITEMS)]


class CapturedPrescription(_PrescriptionBase):
    """A paper external prescription as typed at the till."""

    signature_present: bool
    seal_present: bool
    patient: Patient
    items: Annotated[list[CapturedItem], Field(min_length=1, max_length=MAX_ITEMS)]


# --- entry points -----------------------------------------------------------------------

def read_eprescription(text: str | bytes) -> ElectronicPrescription:
    """Read and check an electronic prescription file, keeping every field for display.

    Args:
        text: the file's content (bytes are decoded as UTF-8, a BOM is allowed).

    Returns:
        The validated document.

    Raises:
        ValidationFailed: listing every problem with its JSON path.
    """
    data = _load_json(text)
    doc = _validate(ElectronicPrescription, data, "电子处方文件")
    problems = _cross_checks(doc, [item.med_list_codg for item in doc.items], "med_list_codg")
    _raise_if(problems, "电子处方文件")
    return doc


def parse_eprescription(text: str | bytes, *,
                        item_codes: Mapping[str, str] | None = None) -> Prescription:
    """Import an electronic external prescription (电子外配处方) for the rule engine.

    Args:
        text: the file's content, in the format of ``docs/eprescription-format.md``.
        item_codes: national code (医保编码) -> the store's item code. When given, items
            are named by store code (what RX-4 compares with the cart) and a drug the
            store does not list is a problem; when omitted the national code is kept.

    Returns:
        The prescription: external, electronic when it carries the electronic signature.

    Raises:
        ValidationFailed: listing every problem with its JSON path.
    """
    doc = read_eprescription(text)
    problems: list[Problem] = []
    codes: list[str] = []
    for i, item in enumerate(doc.items):
        if item_codes is None:
            codes.append(item.med_list_codg)
        elif item.med_list_codg in item_codes:
            codes.append(item_codes[item.med_list_codg])
        else:
            problems.append(Problem(None, f"items[{i}].med_list_codg",
                                    f"本店商品目录中没有医保编码为“{item.med_list_codg}”的药品"))
    _raise_if(problems, "电子处方文件")
    # The electronic signature stands for signature and seal (RX-3). Without it the
    # document is treated as an unsigned paper prescription, so RX-3 refuses it at the
    # till with its rule id instead of disappearing into an import error.
    signed = doc.electronic_signature
    return _to_prescription(doc, codes, electronic=signed, signature=signed, seal=signed)


def validate_capture(data: Mapping[str, Any]) -> Prescription:
    """Check an external paper prescription typed at the till.

    Args:
        data: the form's values, laid out like the file format (see the module docstring).

    Returns:
        The prescription: external, not electronic.

    Raises:
        ValidationFailed: listing every problem with its path.
    """
    doc = _validate(CapturedPrescription, dict(data), "处方信息")
    codes = [item.item_code for item in doc.items]
    _raise_if(_cross_checks(doc, codes, "item_code"), "处方信息")
    return _to_prescription(doc, codes, electronic=False,
                            signature=doc.signature_present, seal=doc.seal_present)


# --- shared checks ----------------------------------------------------------------------

class _DuplicateKey(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    raise ValueError(f"不允许 {name}")


def _load_json(text: str | bytes) -> Any:
    raw = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    if len(raw) > MAX_FILE_BYTES:
        _raise_if([Problem(None, "$", f"文件过大（{len(raw)} 字节），电子处方文件最大 1 MiB")],
                  "电子处方文件")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            _raise_if([Problem(None, "$", "文件不是 UTF-8 编码的文本")], "电子处方文件")
    text = str(text).removeprefix("\ufeff")
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys,
                          parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        problem = Problem(exc.lineno, "$", f"不是合法的 JSON：第 {exc.colno} 列附近格式错误")
    except _DuplicateKey as exc:
        problem = Problem(None, "$", f"字段“{exc}”在同一对象中出现了两次")
    except RecursionError:
        problem = Problem(None, "$", "JSON 嵌套层数过多")
    except ValueError:
        # NaN/Infinity, or a number too long to convert.
        problem = Problem(None, "$", "JSON 中含有不允许的数值")
    _raise_if([problem], "电子处方文件")
    raise AssertionError("unreachable")  # pragma: no cover


def _validate(model: type[_M], data: Any, what: str) -> _M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [Problem(None, json_path(err["loc"]), _message(err))
                    for err in exc.errors(include_url=False)]
        _raise_if(problems, what)
        raise AssertionError("unreachable") from None  # pragma: no cover


def _cross_checks(doc: ElectronicPrescription | CapturedPrescription,
                  codes: Sequence[str], code_field: str) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, code in enumerate(codes):
        if code in seen:
            problems.append(Problem(
                None, f"items[{i}].{code_field}",
                f"与 items[{seen[code]}] 是同一药品：同一药品请合并为一行"))
        else:
            seen[code] = i
    patient = doc.patient
    if patient.id_number:
        id_number = IdNumber(patient.id_number)
        if patient.sex and patient.sex != id_number.sex:
            problems.append(Problem(None, "patient.sex", "性别与身份证号码不符 (ID-4)"))
        birth = id_number.birth_date
        if birth > doc.issue_date:
            problems.append(Problem(None, "patient.id_number",
                                    "身份证号码中的出生日期晚于处方日期 (ID-4)"))
        elif patient.age is not None:
            day = doc.issue_date
            age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
            if abs(patient.age - age) > 1:
                problems.append(Problem(None, "patient.age",
                                        f"年龄 {patient.age} 与身份证号码（{age} 岁）不符"))
    return problems


def _to_prescription(doc: ElectronicPrescription | CapturedPrescription,
                     codes: Sequence[str], *, electronic: bool, signature: bool,
                     seal: bool) -> Prescription:
    chronic = doc.chronic
    return Prescription(
        issue_date=doc.issue_date,
        items=tuple(PrescriptionItem(code, item.quantity, item.days_of_supply)
                    for code, item in zip(codes, doc.items, strict=True)),
        external=True,
        electronic=electronic,
        institution_designated=doc.institution.designated,
        signature_present=signature,
        seal_present=seal,
        physician_code=doc.physician.code,
        patient_name=doc.patient.name,
        patient_id_number=doc.patient.id_number,
        diagnosis=doc.diagnosis.name,
        emergency=doc.emergency,
        chronic_disease=chronic.disease if chronic else "",
        chronic_reason=chronic.reason if chronic else "",
        long_term=doc.long_term,
        validity_extended=doc.validity_extended,
    )


def _raise_if(problems: list[Problem], what: str) -> None:
    if problems:
        raise ValidationFailed(f"{what}有 {len(problems)} 处错误，未导入", problems)


def json_path(loc: Sequence[int | str]) -> str:
    """A pydantic error location as a JSON path: ``("items", 0, "quantity")`` ->
    ``items[0].quantity``; the empty location is ``$``, the document itself."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "$"


_MESSAGES: dict[str, str] = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的字段，请核对拼写",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "bool_type": "应为 true 或 false",
    "model_type": "应为 JSON 对象（{…}）",
    "model_attributes_type": "应为 JSON 对象（{…}）",
    "dict_type": "应为 JSON 对象（{…}）",
    "list_type": "应为 JSON 数组（[…]）",
    "greater_than": "必须大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "string_too_short": "不能为空",
    "string_too_long": "过长，最多 {max_length} 个字符",
    "too_short": "至少要有 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "string_pattern_mismatch": "格式不对",
    "literal_error": "取值不在允许范围内，应为 {expected}",
}


def _message(err: Any) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", "内容不合法"))
    if kind == "int_from_float":
        return "应为整数"
    template = _MESSAGES.get(kind)
    if template is None:
        return "内容不合法"
    try:
        return template.format(**ctx).replace(" or ", "、")
    except (KeyError, IndexError):
        return template


# --- the whole document, for the record and the pharmacist's screen ----------------------

@dataclass(frozen=True, slots=True)
class DocumentItem:
    """One prescribed drug as written: what the pharmacist reads besides the numbers."""

    item_code: str
    name: str
    quantity: int
    unit: str
    dosage: str
    frequency: str
    route: str
    days_of_supply: int
    notes: str = ""


@dataclass(frozen=True, slots=True)
class PrescriptionDocument:
    """A prescription for the rules plus everything written on it that is kept (RX-10).

    Attributes:
        prescription: what the rule engine reads.
        source: ``paper`` (typed at the till) or ``electronic`` (imported file).
        rx_no: the prescription's number, empty for paper ones without one.
        institution_name / institution_code: who issued it.
        physician_name: who signed it.
        diagnosis_code: the diagnosis code, if given.
        items: the drugs as written.
    """

    prescription: Prescription
    source: str
    rx_no: str
    institution_name: str
    institution_code: str
    physician_name: str
    diagnosis_code: str
    items: tuple[DocumentItem, ...]


def capture_document(data: Mapping[str, Any], *, rx_no: str = "") -> PrescriptionDocument:
    """:func:`validate_capture`, keeping the details written on the paper prescription.

    ``rx_no`` is the number printed on the paper prescription, if it has one.

    Raises:
        ValidationFailed: listing every problem with its path.
    """
    prescription = validate_capture(data)
    doc = CapturedPrescription.model_validate(dict(data))
    items = tuple(DocumentItem(item.item_code, item.name, item.quantity, item.unit,
                               item.dosage, item.frequency, item.route, item.days_of_supply,
                               item.notes)
                  for item in doc.items)
    return _document(doc, prescription, "paper", rx_no.strip(), items)


def import_document(text: str | bytes, *,
                    item_codes: Mapping[str, str]) -> PrescriptionDocument:
    """:func:`parse_eprescription`, keeping the details written on the document.

    Raises:
        ValidationFailed: listing every problem with its JSON path.
    """
    prescription = parse_eprescription(text, item_codes=item_codes)
    doc = read_eprescription(text)
    items = tuple(DocumentItem(item_codes[item.med_list_codg], item.name, item.quantity,
                               item.unit, item.dosage, item.frequency, item.route,
                               item.days_of_supply, item.notes)
                  for item in doc.items)
    return _document(doc, prescription, "electronic", doc.prescription_no, items)


def _document(doc: ElectronicPrescription | CapturedPrescription, prescription: Prescription,
              source: str, rx_no: str, items: tuple[DocumentItem, ...]) -> PrescriptionDocument:
    return PrescriptionDocument(
        prescription=prescription, source=source, rx_no=rx_no[:60],
        institution_name=doc.institution.name, institution_code=doc.institution.code,
        physician_name=doc.physician.name, diagnosis_code=doc.diagnosis.code, items=items)
