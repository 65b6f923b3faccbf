"""The catalogue file layout and the validation of one product row.

The layout is documented in docs/catalogue-format.md. Headers are Chinese (what store
staff see in their spreadsheets); the English keys are accepted too.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pharmacy_pos.domain.errors import Problem
from pharmacy_pos.domain.ids import validate_barcode
from pharmacy_pos.domain.money import has_at_most_places, parse_decimal
from pharmacy_pos.domain.product import (
    CATEGORY_LABELS,
    ControlledCategory,
    InsuranceClass,
    OtcClass,
    ProductCategory,
)

# (Chinese header, English key, required)
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("商品编码", "item_code", True),
    ("医保编码", "med_list_codg", False),
    ("通用名", "generic_name", True),
    ("商品名", "trade_name", False),
    ("规格", "specification", True),
    ("剂型", "dosage_form", False),
    ("生产企业", "manufacturer", True),
    ("批准文号", "approval_no", False),
    ("条形码", "barcodes", False),
    ("处方药", "is_prescription", True),
    ("OTC类别", "otc_class", False),
    ("医保类别", "insurance_class", False),
    ("自付比例", "self_pay_ratio", False),
    ("限定支付范围", "restricted_scope", False),
    ("商品类别", "category", True),
    ("特殊管理", "controlled_category", False),
    ("包装单位", "package_unit", True),
    ("最小单位", "min_unit", True),
    ("包装数量", "units_per_pack", True),
    ("允许拆零", "split_allowed", True),
    ("零售价", "retail_price", True),
    ("最低库存", "min_stock", False),
)
# Columns added after files were already being exchanged: a file may leave them out.
OPTIONAL_HEADERS = frozenset({"min_stock"})
HEADER_TO_KEY = {zh: key for zh, key, _ in COLUMNS} | {key: key for _, key, _ in COLUMNS}
KEY_TO_HEADER = {key: zh for zh, key, _ in COLUMNS}

_YES = {"是", "y", "yes", "true", "1", "Y", "YES", "TRUE"}
_NO = {"否", "n", "no", "false", "0", "N", "NO", "FALSE", ""}
_CATEGORY_BY_LABEL = {label: cat for cat, label in CATEGORY_LABELS.items()}
_INSURANCE_BY_LABEL = {
    "": InsuranceClass.NONE, "甲": InsuranceClass.A, "甲类": InsuranceClass.A,
    "乙": InsuranceClass.B, "乙类": InsuranceClass.B, "丙": InsuranceClass.C,
    "丙类": InsuranceClass.C,
}
_OTC_BY_LABEL = {"": OtcClass.NONE, "甲类": OtcClass.A, "甲": OtcClass.A, "乙类": OtcClass.B,
                 "乙": OtcClass.B}
_CONTROLLED_BY_LABEL = {"": ControlledCategory.NONE,
                        "含麻黄碱类复方制剂": ControlledCategory.EPHEDRINE_COMPOUND}

MAX_RETAIL_PRICE = Decimal("1000000")
MAX_UNITS_PER_PACK = 10000

Text = Annotated[str, Field(max_length=200)]


class ProductSpec(BaseModel):
    """A validated catalogue row: everything needed to create or update a product."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    item_code: Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[0-9A-Za-z_\-]+$")]
    med_list_codg: Annotated[str, Field(max_length=50, pattern=r"^[0-9A-Z]*$")] = ""
    generic_name: Annotated[str, Field(min_length=1, max_length=100)]
    trade_name: Annotated[str, Field(max_length=100)] = ""
    specification: Annotated[str, Field(min_length=1, max_length=100)]
    dosage_form: Annotated[str, Field(max_length=50)] = ""
    manufacturer: Annotated[str, Field(min_length=1, max_length=200)]
    approval_no: Annotated[str, Field(max_length=50)] = ""
    barcodes: tuple[str, ...] = ()
    is_prescription: bool
    otc_class: OtcClass = OtcClass.NONE
    insurance_class: InsuranceClass = InsuranceClass.NONE
    self_pay_ratio: Decimal | None = None
    restricted_scope: Text = ""
    category: ProductCategory
    controlled_category: ControlledCategory = ControlledCategory.NONE
    package_unit: Annotated[str, Field(min_length=1, max_length=10)]
    min_unit: Annotated[str, Field(min_length=1, max_length=10)]
    units_per_pack: Annotated[int, Field(ge=1, le=MAX_UNITS_PER_PACK)]
    split_allowed: bool
    retail_price: Decimal
    # Low-stock suggestions order up to at least this many minimum units (0 = none).
    min_stock: Annotated[int, Field(ge=0, le=10_000_000)] = 0

    @field_validator("barcodes")
    @classmethod
    def _barcodes_valid(cls, codes: tuple[str, ...]) -> tuple[str, ...]:
        checked = tuple(validate_barcode(c) for c in codes)
        if len(set(checked)) != len(checked):
            raise ValueError("同一商品的条形码重复")
        return checked

    @field_validator("retail_price")
    @classmethod
    def _price_sane(cls, price: Decimal) -> Decimal:
        if price <= 0:
            raise ValueError("零售价必须大于 0")
        if price >= MAX_RETAIL_PRICE:
            raise ValueError("零售价不合理（过大）")
        if not has_at_most_places(price, 2):
            raise ValueError("零售价最多 2 位小数")
        return price

    @model_validator(mode="after")
    def _consistent(self) -> ProductSpec:
        if self.is_prescription and self.otc_class is not OtcClass.NONE:
            raise ValueError("处方药不能同时标为 OTC")
        if (self.is_prescription or self.otc_class is not OtcClass.NONE) and (
            self.category is not ProductCategory.DRUG
        ):
            raise ValueError("只有“药品”类商品可以是处方药或 OTC")
        listed = self.insurance_class is not InsuranceClass.NONE
        if listed and self.category.never_insured:
            raise ValueError(f"{self.category.label}不能列入医保目录 (SALE-1)")
        if listed and not self.med_list_codg:
            raise ValueError("列入医保目录的商品必须有医保编码")
        if not listed and self.med_list_codg:
            raise ValueError("有医保编码的商品必须填写医保类别")
        if listed:
            ratio = self.self_pay_ratio
            if ratio is None:
                raise ValueError("医保商品必须填写自付比例")
            if not Decimal(0) <= ratio <= Decimal(1):
                raise ValueError("自付比例必须在 0 到 1 之间")
        elif self.self_pay_ratio is not None:
            raise ValueError("非医保商品不应填写自付比例")
        if self.split_allowed and self.units_per_pack < 2:
            raise ValueError("允许拆零的商品包装数量必须大于 1")
        return self


def _yes_no(text: str, field: str) -> bool:
    value = text.strip()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError(f"“{field}”应填“是”或“否”，不能是“{text}”")


def _lookup(table: dict[str, object], text: str, field: str) -> object:
    try:
        return table[text.strip()]
    except KeyError:
        allowed = "、".join(k for k in table if k) or "空"
        raise ValueError(f"“{field}”的值“{text}”无效，可选: {allowed}") from None


def parse_catalogue_row(raw: dict[str, str], row_number: int) -> ProductSpec | list[Problem]:
    """Turn one file row (header -> cell text) into a ``ProductSpec`` or its problems.

    Every problem of the row is reported, not only the first, so staff can fix a file
    in one pass.
    """
    values: dict[str, str] = {}
    for header, cell in raw.items():
        key = HEADER_TO_KEY.get((header or "").strip())
        if key is not None:
            values[key] = "" if cell is None else str(cell).strip()
    problems: list[Problem] = []
    for key, text in values.items():
        # A tab, a line break inside a quoted cell or a NUL is not part of any name or
        # code; shown on a receipt or stored (PostgreSQL refuses NUL) it would harm.
        if not text.isprintable():
            problems.append(Problem(row_number, KEY_TO_HEADER[key], "含有不可显示的字符"))
    if problems:
        return problems
    for zh, key, required in COLUMNS:
        if required and not values.get(key):
            problems.append(Problem(row_number, zh, "必填项为空"))
    if problems:
        return problems

    data: dict[str, object] = {}
    converters = {
        "is_prescription": lambda v: _yes_no(v, "处方药"),
        "split_allowed": lambda v: _yes_no(v, "允许拆零"),
        "category": lambda v: _lookup(_CATEGORY_BY_LABEL | {c.value: c for c in ProductCategory},
                                      v, "商品类别"),
        "insurance_class": lambda v: _lookup(_INSURANCE_BY_LABEL, v, "医保类别"),
        "otc_class": lambda v: _lookup(_OTC_BY_LABEL, v, "OTC类别"),
        "controlled_category": lambda v: _lookup(_CONTROLLED_BY_LABEL, v, "特殊管理"),
        "retail_price": lambda v: parse_decimal(v, max_places=2, allow_zero=False),
        "self_pay_ratio": lambda v: parse_decimal(v, max_places=4) if v else None,
        "units_per_pack": _parse_count,
        "min_stock": lambda v: int(parse_decimal(v, max_places=0)) if v.strip() else 0,
        "barcodes": lambda v: tuple(c.strip() for c in v.replace("；", ";").split(";")
                                    if c.strip()),
    }
    for key, text in values.items():
        convert = converters.get(key)
        if convert is None:
            data[key] = text
            continue
        try:
            data[key] = convert(text)
        except ValueError as exc:
            problems.append(Problem(row_number, KEY_TO_HEADER[key], str(exc)))
    if problems:
        return problems
    try:
        return ProductSpec(**data)  # type: ignore[arg-type]
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = err.get("loc") or ()
            field = KEY_TO_HEADER.get(str(loc[0])) if loc else None
            problems.append(Problem(row_number, field, _zh_message(err)))
        return problems


def _parse_count(text: str) -> int:
    value = parse_decimal(text, max_places=0, allow_zero=False)
    return int(value)


# pydantic's own messages are English; staff read these, by error type.
_MESSAGES = {
    "string_pattern_mismatch": "格式不正确（只能含字母、数字）",
    "string_too_long": "内容过长",
    "string_too_short": "不能为空",
    "string_unicode": "含有无效的字符",
    "less_than_equal": "数值过大",
    "greater_than_equal": "数值过小",
}


def _zh_message(err: Any) -> str:
    if err.get("type") == "value_error":
        return str((err.get("ctx") or {}).get("error") or "内容不合法")
    return _MESSAGES.get(err.get("type"), "内容不合法")
