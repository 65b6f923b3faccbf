"""Receiving goods against a supplier's delivery note: the pure validation (INV-1, INV-2).

A delivery is taken whole or not at all: :func:`validate_delivery_lines` looks at every
line and reports every problem (with the line's number as the screen or the spreadsheet
shows it), so staff fix a delivery note in one pass. Quantities are read as the
delivery note gives them, in packages (or in minimum units where the product may be
split), and become minimum units (最小单位) as the ledger counts them.

The file layout of a delivery note (CSV or XLSX) is :data:`COLUMNS`; Chinese headers are
what staff see, the English keys are accepted too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from pharmacy_pos.domain.errors import DomainError, Problem, ValidationFailed
from pharmacy_pos.domain.money import parse_decimal
from pharmacy_pos.domain.picking import QuantityUnit, units_for

# (Chinese header, English key, required). A row names its product by barcode or by
# item code: at least one of the two columns must be in the file.
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("条形码", "barcode", False),
    ("商品编码", "item_code", False),
    ("批号", "lot_no", True),
    ("生产日期", "manufacture_date", False),
    ("有效期至", "expiry_date", True),
    ("批准文号", "approval_no", False),
    ("进价", "purchase_price", True),
    ("数量", "quantity", True),
    ("单位", "unit", False),
    ("赠品", "is_gift", False),
)
_ALIASES = {"有效期": "expiry_date", "单价": "purchase_price", "购进单价": "purchase_price"}
HEADER_TO_KEY = ({zh: key for zh, key, _ in COLUMNS} | {key: key for _, key, _ in COLUMNS}
                 | _ALIASES)
KEY_TO_HEADER = {key: zh for zh, key, _ in COLUMNS}

MAX_LINES = 2_000
MAX_PURCHASE_PRICE = Decimal("1000000")
LOT_PATTERN = re.compile(r"^[0-9A-Za-z\-_/.]{1,50}$")
_YES = {"是", "y", "yes", "true", "1", "赠品", "赠"}
_NO = {"否", "n", "no", "false", "0", ""}
#: Records one problem of the line being checked: (field, message).
Report = Callable[[str | None, str], None]
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d")


@dataclass(frozen=True, slots=True)
class ReceivingProduct:
    """What validation needs to know of a catalogue product."""

    product_id: int
    item_code: str
    name: str
    specification: str
    package_unit: str
    min_unit: str
    units_per_pack: int
    split_allowed: bool
    approval_no: str
    active: bool = True


@dataclass(frozen=True, slots=True)
class LineInput:
    """One delivery-note line as typed on the screen or read from a file (raw text).

    Attributes:
        row: the number staff see for the line (screen line or spreadsheet row).
        product_key: a barcode or an item code.
        unit: ``"pack"`` (包装单位) or ``"unit"`` (最小单位); in a file the unit's Chinese
            name (盒, 粒) is accepted as well, see :func:`quantity_unit`.
    """

    row: int
    product_key: str
    lot_no: str
    expiry_date: str | date
    purchase_price: str | Decimal
    quantity: str | int
    manufacture_date: str | date | None = None
    approval_no: str = ""
    unit: str = "pack"
    is_gift: bool | str = False


@dataclass(frozen=True, slots=True)
class ValidLine:
    """A checked line, ready to be received into its own batch."""

    row: int
    product_id: int
    item_code: str
    lot_no: str
    manufacture_date: date | None
    expiry_date: date
    approval_no: str
    purchase_price: Decimal  # per package
    units: int  # minimum units
    is_gift: bool


def parse_day(value: str | date | None, *, required: bool) -> date | None:
    """A date as typed or as a spreadsheet gives it (2027-06-30, 2027/6/30, 20270630).

    Raises:
        ValueError: with a Chinese message.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = unicodedata.normalize("NFKC", value or "").strip()
    if not text:
        if required:
            raise ValueError("必填项为空")
        return None
    # XLSX date cells arrive as "2027-06-30 00:00:00".
    text = text.removesuffix(" 00:00:00")
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a plain day
        except ValueError:
            continue
    raise ValueError(f"日期“{text[:20]}”无效，请用 YYYY-MM-DD")


def parse_gift(value: bool | str) -> bool:
    """The gift flag: 是/否 (or yes/no, 1/0).

    Raises:
        ValueError: anything else.
    """
    if isinstance(value, bool):
        return value
    text = value.strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(f"应填“是”或“否”，不能是“{value[:20]}”")


def quantity_unit(text: str, product: ReceivingProduct) -> QuantityUnit:
    """Whether a line's unit means packages or minimum units.

    Raises:
        ValueError: a unit that is neither the product's package nor its minimum unit.
    """
    value = text.strip()
    if value in ("", "pack", product.package_unit):
        return "pack"
    if value in ("unit", product.min_unit):
        return "unit"
    raise ValueError(f"单位“{value[:10]}”不是此商品的包装单位（{product.package_unit}）"
                     f"或最小单位（{product.min_unit}）")


def validate_delivery_lines(
    lines: Sequence[LineInput], products: Mapping[str, ReceivingProduct], *, today: date,
) -> list[ValidLine]:
    """Check every line of a delivery; return them all or raise listing every problem.

    Args:
        lines: the delivery's lines, in order.
        products: catalogue products by every key the lines use (barcode or item code);
            a key missing here is an unknown product.
        today: the store's business date (goods expired on arrival are refused).

    Raises:
        ValidationFailed: no lines, too many, or any bad line; ``problems`` lists each
            reason with its line number. Nothing is to be saved then.
    """
    if not lines:
        raise ValidationFailed("随货单没有商品行，未收货")
    if len(lines) > MAX_LINES:
        raise ValidationFailed(f"一张随货单最多 {MAX_LINES} 行，未收货")
    problems: list[Problem] = []
    valid: list[ValidLine] = []
    seen: dict[tuple[int, str], int] = {}
    for line in lines:
        checked = _check_line(line, products, today, problems)
        if checked is None:
            continue
        key = (checked.product_id, checked.lot_no.upper())
        first = seen.setdefault(key, line.row)
        if first != line.row:
            problems.append(Problem(line.row, "批号", f"商品 {checked.item_code} 批号 "
                                    f"{checked.lot_no} 与第 {first} 行重复，请合并为一行"))
            continue
        valid.append(checked)
    if problems:
        raise ValidationFailed(f"收货失败：{len(problems)} 处错误，未保存任何内容", problems)
    return valid


def _check_line(line: LineInput, products: Mapping[str, ReceivingProduct], today: date,
                problems: list[Problem]) -> ValidLine | None:
    row = line.row
    before = len(problems)

    def bad(field: str | None, message: str) -> None:
        problems.append(Problem(row, field, message))

    key = unicodedata.normalize("NFKC", line.product_key).strip()
    product = products.get(key) if key else None
    if not key:
        bad("商品", "必填项为空（条形码或商品编码）")
    elif product is None:
        bad("商品", f"“{key[:40]}”不在商品目录中，请先在商品目录中建档")
    elif not product.active:
        bad("商品", f"“{product.name}”已停用，不能收货")

    lot = unicodedata.normalize("NFKC", line.lot_no).strip()
    if not lot:
        bad("批号", "必填项为空")
    elif LOT_PATTERN.fullmatch(lot) is None:
        bad("批号", f"“{lot[:50]}”格式不正确（只能含字母、数字和 - _ / .）")

    made = expiry = None
    try:
        made = parse_day(line.manufacture_date, required=False)
    except ValueError as exc:
        bad("生产日期", str(exc))
    try:
        expiry = parse_day(line.expiry_date, required=True)
    except ValueError as exc:
        bad("有效期至", str(exc))
    if made is not None and made > today:
        bad("生产日期", f"生产日期 {made:%Y-%m-%d} 晚于今天，请核对")
    if made is not None and expiry is not None and expiry <= made:
        bad("有效期至", f"有效期至 {expiry:%Y-%m-%d} 早于生产日期 {made:%Y-%m-%d}，请核对")
    elif expiry is not None and expiry < today:
        # GSP: expired goods are refused at the door, never put into stock (SALE-5).
        bad("有效期至", f"到货已过期（有效期至 {expiry:%Y-%m-%d}），应拒收")

    try:
        gift = parse_gift(line.is_gift)
    except ValueError as exc:
        bad("赠品", str(exc))
        gift = False
    price = _check_price(line.purchase_price, gift, bad)

    approval = unicodedata.normalize("NFKC", line.approval_no).strip()
    units = 0
    if product is not None:
        if approval and product.approval_no and approval != product.approval_no:
            bad("批准文号", f"“{approval[:50]}”与商品目录中的批准文号"
                            f"“{product.approval_no}”不符")
        approval = approval or product.approval_no
        units = _check_quantity(line, product, bad)
    if len(approval) > 50:
        bad("批准文号", "内容过长")
    if len(problems) > before or product is None or expiry is None or price is None:
        return None
    return ValidLine(
        row=row, product_id=product.product_id, item_code=product.item_code, lot_no=lot,
        manufacture_date=made, expiry_date=expiry, approval_no=approval,
        purchase_price=price, units=units, is_gift=gift)


def _check_price(value: str | Decimal, gift: bool, bad: Report) -> Decimal | None:
    text = str(value).strip()
    if gift and not text:
        return Decimal(0)
    try:
        price = parse_decimal(text, max_places=4)
    except ValueError as exc:
        bad("进价", str(exc))
        return None
    if gift and price != 0:
        bad("进价", "赠品的进价应为 0（或不填）")
        return None
    if not gift and price == 0:
        bad("进价", "进价必须大于 0；无偿赠送的商品请标为赠品")
        return None
    if price >= MAX_PURCHASE_PRICE:
        bad("进价", "进价不合理（过大）")
        return None
    return price


def _check_quantity(line: LineInput, product: ReceivingProduct, bad: Report) -> int:
    try:
        unit = quantity_unit(line.unit, product)
    except ValueError as exc:
        bad("单位", str(exc))
        return 0
    if product.units_per_pack == 1:
        unit = "pack"  # one unit per package: the two units count the same
    pack_text = f"每{product.package_unit} {product.units_per_pack}{product.min_unit}"
    if unit == "unit" and not product.split_allowed and product.units_per_pack > 1:
        # A whole-package product arrives in whole packages: a count in 粒 that is a
        # multiple of the pack is read as packages, anything else does not fit the pack.
        units = _plain_units(line.quantity, bad)
        if units and units % product.units_per_pack:
            bad("数量", f"{units}{product.min_unit} 不是整{product.package_unit}"
                        f"（{pack_text}），此商品不拆零，请核对数量")
            return 0
        return units
    try:
        return units_for(line.quantity, unit, product.units_per_pack, product.split_allowed)
    except DomainError as exc:
        bad("数量", f"{exc.message}（{pack_text}）")
        return 0


def _plain_units(quantity: str | int, bad: Report) -> int:
    try:
        return units_for(quantity, "unit", 1, True)
    except DomainError as exc:
        bad("数量", exc.message)
        return 0


def check_header(header: Sequence[str]) -> None:
    """Refuse a delivery-note file whose header lacks a needed column.

    Raises:
        ValidationFailed: naming the missing columns.
    """
    keys = {HEADER_TO_KEY.get((h or "").strip()) for h in header}
    missing = [zh for zh, key, required in COLUMNS if required and key not in keys]
    if "barcode" not in keys and "item_code" not in keys:
        missing.insert(0, "条形码或商品编码")
    if missing:
        raise ValidationFailed("随货单表头缺少列: " + "、".join(missing)
                               + "（格式见 docs/receiving-format.md）")


def line_from_row(row_number: int, raw: Mapping[str, str]) -> LineInput:
    """A file row (header -> cell text) as a :class:`LineInput`."""
    values: dict[str, str] = {}
    for header, cell in raw.items():
        key = HEADER_TO_KEY.get((header or "").strip())
        if key is not None:
            values[key] = "" if cell is None else str(cell).strip()
    return LineInput(
        row=row_number, product_key=values.get("barcode") or values.get("item_code", ""),
        lot_no=values.get("lot_no", ""), manufacture_date=values.get("manufacture_date"),
        expiry_date=values.get("expiry_date", ""), approval_no=values.get("approval_no", ""),
        purchase_price=values.get("purchase_price", ""), quantity=values.get("quantity", ""),
        unit=values.get("unit", ""), is_gift=values.get("is_gift", ""))


def receipt_doc_no(store_code: str, day: date, number: int, *, kind: str = "receipt") -> str:
    """A receiving (``RK``) or purchase-return (``CT``) number, gapless per store and day.

    E.g. ``RK-H11010500001-20261101-0007``.
    """
    if number < 1 or number > 9_999:
        raise ValueError(f"document counter out of range: {number}")
    prefix = {"receipt": "RK", "return": "CT"}[kind]
    return f"{prefix}-{store_code}-{day:%Y%m%d}-{number:04d}"
