"""The printouts of the till: sale receipt (购药清单), return slip, dispensing label, shift report.

Each builder takes a frozen record of what happened (filled by the services from the
stored sale, return or shift) and lays it out for a paper width in columns (32 on 58 mm,
48 on 80 mm) as a :class:`~pharmacy_pos.domain.printout.Document`. Nothing here prints or
reads a database: the ESC/POS adapter prints the blocks, the UI previews them.

Layout habits:
- every :class:`Text` fits its width (the paper's columns, half of them when double);
  :func:`_document` checks it, so a builder bug fails loudly instead of wrapping on paper;
- data never breaks a column: names, specifications and reasons are wrapped by display
  width, whitespace from the records (tabs, new lines) collapsed to single spaces;
- money goes through :func:`format_yuan`; fixed text uses full-width Chinese punctuation and
  no East Asian "ambiguous" characters (``×``, ``·``, ``※``), whose width differs between
  the screen and a Chinese printer: quantity times price is written with an ASCII ``x``;
- a reprint (``copy``) says so at the top and the bottom and never opens the drawer;
- the paper ends with ``Feed`` then ``Cut``: ``Cut`` is always the last block.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from pharmacy_pos.domain.clock import STORE_ZONE, local_text
from pharmacy_pos.domain.money import format_yuan
from pharmacy_pos.domain.printout import (
    Align,
    Block,
    Cut,
    Document,
    DrawerKick,
    Feed,
    QrCode,
    Rule,
    Text,
    display_width,
    pad,
    wrap,
)

__all__ = [
    "DispensingLabel",
    "Payment",
    "ReceiptLine",
    "ReturnLine",
    "ReturnSlip",
    "SaleReceipt",
    "ShiftReport",
    "StoreHeader",
    "dispensing_label",
    "return_slip",
    "sale_receipt",
    "shift_report",
    "usage_notes",
]

COPY_MARK = "重打（副本）"
SIGNATURE_INSURED = "参保人/购药人签字："
SIGNATURE_CUSTOMER = "顾客签字："
SELF_PAID_MARK = "[自费]"
# Narrowest paper the builders lay out for (a 2-column indent + a wrapped name still fit).
MIN_COLUMNS = 24
# Blank lines before the cut, so the last printed line clears the cutter.
TAIL_FEED = 2
# 80 mm layout of an item's quantity row: 数量, 单价, 金额 right-aligned in these widths.
_PRICE_COLUMN = 11
_AMOUNT_COLUMN = 11
_INDENT = "  "


# --- Records --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoreHeader:
    """Who prints: the store (药店名称, 定点医药机构编码) and the terminal."""

    name: str
    code: str
    terminal_id: str


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    """One item of a sale as printed.

    Attributes:
        lot_no: the batch number; several batches come joined by ``/``.
        quantity_text: ``"2盒"``, ``"1盒4片"``.
        unit_price: per package.
        insurance_class: ``"甲"``, ``"乙"``, ``"丙"``, or ``""`` when not in the catalogue.
        self_paid: the insured person pays this line in full (marked ``[自费]``).
    """

    name: str
    specification: str
    lot_no: str
    expiry: date | None
    quantity_text: str
    unit_price: Decimal
    amount: Decimal
    insurance_class: str
    self_paid: bool


@dataclass(frozen=True, slots=True)
class Payment:
    """A means of payment and its amount (``"现金"``, ``"微信"``, ``"统筹基金"``...)."""

    label: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class SaleReceipt:
    """A completed sale as its receipt / 购药清单 shows it (SALE-6).

    Attributes:
        completed_at: aware; printed in the store's zone.
        pharmacist: who reviewed the prescription, ``""`` if none.
        payments: the non-insurance means (cash, WeChat...), amounts due.
        tendered: cash handed over, ``None`` when no cash.
        balance_after: personal account balance left (insured sales only).
        insured_name: ``""`` for a cash sale; an insured sale gets a signature line.
        insured_id_masked, buyer_id_masked: already masked (SEC-5); ``""`` if none.
        copy: a reprint, marked 重打（副本）.
        open_drawer: kick the cash drawer (ignored on a reprint).
    """

    store: StoreHeader
    doc_no: str
    completed_at: datetime
    cashier: str
    pharmacist: str
    lines: tuple[ReceiptLine, ...]
    total: Decimal
    fund_pay: Decimal
    acct_pay: Decimal
    payments: tuple[Payment, ...]
    tendered: Decimal | None
    change: Decimal
    balance_after: Decimal | None
    insured_name: str
    insured_id_masked: str
    buyer_id_masked: str
    insutype_label: str
    policy_version: str
    copy: bool = False
    open_drawer: bool = False


@dataclass(frozen=True, slots=True)
class ReturnLine:
    """One returned item: name, quantity and the amount given back."""

    name: str
    quantity_text: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class ReturnSlip:
    """A return (退货单), approved by a manager (SALE-7).

    Attributes:
        refund_method: label of the means the cash part goes back by, ``""`` when nothing
            is refunded in cash.
    """

    store: StoreHeader
    doc_no: str
    original_doc_no: str
    completed_at: datetime
    cashier: str
    approved_by: str
    reason: str
    lines: tuple[ReturnLine, ...]
    refund_total: Decimal
    fund_returned: Decimal
    acct_returned: Decimal
    cash_refund: Decimal
    refund_method: str
    copy: bool = False


@dataclass(frozen=True, slots=True)
class DispensingLabel:
    """A label stuck on a dispensed medicine (用药标签).

    Attributes:
        dosage: one dose, e.g. ``"0.5g"``.
        frequency: e.g. ``"每日3次"``.
        route: e.g. ``"口服"``.
        notes: e.g. ``("用前摇匀", "饭后服用")``, see :func:`usage_notes`.
    """

    store: StoreHeader
    doc_no: str
    dispensed_on: date
    patient_name: str
    drug_name: str
    specification: str
    quantity_text: str
    dosage: str
    frequency: str
    route: str
    days_of_supply: int | None
    notes: tuple[str, ...]
    pharmacist: str


@dataclass(frozen=True, slots=True)
class ShiftReport:
    """A cashier's shift (交班/日结): counts, totals and the net per means of payment."""

    store: StoreHeader
    cashier: str
    start: datetime
    end: datetime
    sales_count: int
    returns_count: int
    sales_total: Decimal
    refunds_total: Decimal
    by_method: tuple[Payment, ...]
    printed_at: datetime


# --- Usage notes ----------------------------------------------------------------------

# (group, keywords, note): a product whose dosage form, specification or name contains a
# keyword gets the note; within a group only the first matching row counts (a 缓释胶囊
# gets the capsule wording, not both). Deliberately small: what a label must never miss.
# "乳膏" (cream) is not an emulsion to shake, so the shake row names 乳剂/乳液, not 乳.
_NOTE_TABLE: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("shake", ("混悬", "乳剂", "乳液"), "用前摇匀"),
    ("eye", ("滴眼", "眼用", "眼膏"), "开封后4周内用完"),
    ("external", ("外用", "软膏", "乳膏", "搽剂", "洗剂", "贴膏"), "外用，不可内服"),
    ("sublingual", ("舌下",), "舌下含服"),
    ("whole", ("缓释胶囊", "控释胶囊", "肠溶胶囊"), "整粒吞服，不可打开或嚼碎"),
    ("whole", ("缓释", "控释", "肠溶"), "整片吞服，不可掰开嚼碎"),
)
_NOTE_SEPARATORS = str.maketrans({";": "\n", "；": "\n", "。": "\n"})


def usage_notes(
    dosage_form: str, specification: str, written_notes: str = "", *, name: str = ""
) -> tuple[str, ...]:
    """The notes a dispensing label carries: the standard ones for the product, then the
    prescription's own.

    Args:
        dosage_form: the catalogue's 剂型 (``"混悬剂"``, ``"滴眼剂"``...).
        specification: the catalogue's 规格 (sometimes says ``外用``).
        written_notes: what the prescriber wrote, split at ``；``, ``;``, ``。`` and new lines.
        name: the product's name: release forms are in it (``硝苯地平控释片`` is a 片剂),
            so callers should pass it.

    Returns:
        Notes in order, without duplicates, e.g. ``("用前摇匀", "饭后服用")``.
    """
    haystack = f"{dosage_form} {specification} {name}"
    notes: list[str] = []
    groups_done: set[str] = set()
    for group, keywords, note in _NOTE_TABLE:
        if group in groups_done or not any(k in haystack for k in keywords):
            continue
        groups_done.add(group)
        notes.append(note)
    for piece in written_notes.translate(_NOTE_SEPARATORS).splitlines():
        piece = _clean(piece)
        if piece and piece not in notes:
            notes.append(piece)
    return tuple(notes)


# --- Builders -------------------------------------------------------------------------


def sale_receipt(data: SaleReceipt, columns: int) -> Document:
    """The sale receipt, which for an insured sale is the signed 购药清单 (SALE-6).

    Top to bottom: drawer kick (cash, not on a reprint), copy mark, store, 定点编码,
    heading, receipt number, time, terminal and cashier, reviewing pharmacist; the items
    (name, specification, batch and expiry, quantity x unit price = amount, insurance
    class, ``[自费]``); total; what insurance paid, the other means, 实收 and 找零, the
    account balance left; the insured person and buyer; policy version; signature line
    (insured sales); QR code of the receipt number; copy mark; feed and cut.
    """
    _check_columns(columns)
    insured = bool(data.insured_name.strip())
    blocks: list[Block] = []
    if data.open_drawer and not data.copy:
        blocks.append(DrawerKick())
    blocks += _copy_mark(data.copy)
    blocks += _store_header(data.store, "销售小票 / 购药清单", columns)
    blocks += _pairs(columns, ("单号", data.doc_no), ("时间", _moment(data.completed_at)))
    blocks += _pairs_on_one_row(
        columns, ("终端", data.store.terminal_id), ("收银", data.cashier)
    )
    if data.pharmacist.strip():
        blocks += _pairs(columns, ("审方药师", data.pharmacist))
    blocks.append(Rule())

    wide = columns >= 40
    if wide:
        blocks.append(Text(_item_columns("品名/规格", "数量", "单价", "金额", columns)))
    else:
        blocks += _two_sides("品名/数量 x 单价", "金额", columns)
    blocks.append(Rule())
    for number, line in enumerate(data.lines, start=1):
        blocks += _receipt_item(number, line, columns, wide=wide)
    blocks.append(Rule())

    blocks.append(Text(f"共{len(data.lines)}项"))
    blocks += _total_row("合计", data.total, columns)
    if insured:
        blocks += _two_sides("统筹基金支付", format_yuan(data.fund_pay), columns)
        blocks += _two_sides("个人账户支付", format_yuan(data.acct_pay), columns)
    for payment in data.payments:
        blocks += _two_sides(_clean(payment.label), format_yuan(payment.amount), columns)
    if data.tendered is not None:
        blocks += _two_sides("实收", format_yuan(data.tendered), columns)
    if data.tendered is not None or data.change:
        blocks += _two_sides("找零", format_yuan(data.change), columns)
    if data.balance_after is not None:
        blocks += _two_sides("个人账户余额", format_yuan(data.balance_after), columns)

    people: list[tuple[str, str]] = []
    if insured:
        people += [("参保人", data.insured_name), ("证件号码", data.insured_id_masked)]
        if data.insutype_label.strip():
            people.append(("险种", data.insutype_label))
    if data.buyer_id_masked.strip():
        people.append(("购药人证件", data.buyer_id_masked))
    if people:
        blocks.append(Rule())
        blocks += _pairs(columns, *people)
    if data.policy_version.strip():
        blocks += _lines(f"政策版本：{_clean(data.policy_version)}", columns, align=Align.RIGHT)
    blocks.append(Rule())
    if insured:
        blocks += _signature(SIGNATURE_INSURED, columns)
    blocks.append(QrCode(data.doc_no))
    blocks += _lines("谢谢惠顾，祝您健康！", columns, align=Align.CENTER)
    blocks += _copy_mark(data.copy)
    blocks += [Feed(TAIL_FEED), Cut()]
    return _document("receipt", data.doc_no, columns, blocks, copy=data.copy)


def return_slip(data: ReturnSlip, columns: int) -> Document:
    """The return slip (退货单): numbers, original receipt, approval, reason, items, refunds.

    The refunds say where the money goes back: 统筹基金 and 个人账户 (an insured sale's
    settlement cancelled) and the cash part by its method. The customer signs.
    """
    _check_columns(columns)
    blocks: list[Block] = []
    blocks += _copy_mark(data.copy)
    blocks += _store_header(data.store, "退货单", columns)
    blocks += _pairs(
        columns,
        ("单号", data.doc_no),
        ("原小票", data.original_doc_no),
        ("时间", _moment(data.completed_at)),
    )
    blocks += _pairs_on_one_row(
        columns, ("终端", data.store.terminal_id), ("收银", data.cashier)
    )
    blocks += _pairs(columns, ("店长审批", data.approved_by), ("退货原因", data.reason))
    blocks.append(Rule())
    for number, line in enumerate(data.lines, start=1):
        blocks += _hanging(f"{number}.", _clean(line.name), columns)
        blocks += _two_sides(
            _INDENT + _clean(line.quantity_text), format_yuan(line.amount), columns
        )
    blocks.append(Rule())
    blocks += _total_row("退款合计", data.refund_total, columns)
    if data.fund_returned or data.acct_returned:
        blocks += _two_sides("退回统筹基金", format_yuan(data.fund_returned), columns)
        blocks += _two_sides("退回个人账户", format_yuan(data.acct_returned), columns)
    if data.cash_refund or data.refund_method.strip():
        method = _clean(data.refund_method) or "现金"
        blocks += _two_sides(f"退回{method}", format_yuan(data.cash_refund), columns)
    blocks.append(Rule())
    blocks += _signature(SIGNATURE_CUSTOMER, columns)
    blocks += _copy_mark(data.copy)
    blocks += [Feed(TAIL_FEED), Cut()]
    return _document("return_slip", data.doc_no, columns, blocks, copy=data.copy)


def dispensing_label(data: DispensingLabel, columns: int) -> Document:
    """A compact medicine label (用药标签): the patient's name large, the drug, how to take
    it (用法用量: route, frequency, dose), days, notes, pharmacist and date."""
    _check_columns(columns)
    blocks: list[Block] = []
    blocks += _lines(f"用药标签  {_clean(data.store.name)}", columns, align=Align.CENTER)
    blocks += _lines(_clean(data.patient_name), columns // 2, bold=True, double=True)
    blocks += _lines(_clean(data.drug_name), columns, bold=True)
    blocks += _pairs(columns, ("规格", data.specification), ("数量", data.quantity_text))
    dose = f"每次{_clean(data.dosage)}" if data.dosage.strip() else ""
    usage = "，".join(p for p in (_clean(data.route), _clean(data.frequency), dose) if p)
    if usage:
        blocks += _pairs(columns, ("用法用量", usage))
    if data.days_of_supply is not None:
        blocks += _pairs(columns, ("用药天数", f"{data.days_of_supply}天"))
    notes = "；".join(n for n in (_clean(n) for n in data.notes) if n)
    if notes:
        blocks += _hanging("注意：", notes, columns, bold=True)
    blocks += _pairs_on_one_row(
        columns, ("药师", data.pharmacist), ("日期", data.dispensed_on.isoformat())
    )
    blocks += _pairs(columns, ("单号", data.doc_no))
    blocks += [Feed(1), Cut()]
    return _document("label", data.doc_no, columns, blocks)


def shift_report(data: ShiftReport, columns: int) -> Document:
    """The shift report (交班/日结): period, cashier, counts, totals, net per means of
    payment, and signature lines for whoever hands over and takes over.

    Its number is ``JB-<terminal>-<start, store time>``. When the means do not add up to
    the net total the report says so instead of hiding it.
    """
    _check_columns(columns)
    _moment(data.start)  # refuses a naive time before it names the report
    doc_no = f"JB-{data.store.terminal_id}-{data.start.astimezone(STORE_ZONE):%Y%m%d%H%M}"
    net = data.sales_total - data.refunds_total
    blocks: list[Block] = []
    blocks += _store_header(data.store, "交班报表（日结）", columns)
    blocks += _pairs(
        columns,
        ("单号", doc_no),
        ("终端", data.store.terminal_id),
        ("收银员", data.cashier),
        ("开始", _moment(data.start)),
        ("结束", _moment(data.end)),
    )
    blocks.append(Rule())
    blocks += _two_sides("销售笔数", str(data.sales_count), columns)
    blocks += _two_sides("退货笔数", str(data.returns_count), columns)
    blocks += _two_sides("销售金额", format_yuan(data.sales_total), columns)
    blocks += _two_sides("退款金额", format_yuan(data.refunds_total), columns)
    blocks += _total_row("净额", net, columns)
    blocks.append(Rule())
    blocks += _lines("按支付方式（净额）", columns, bold=True)
    for payment in data.by_method:
        blocks += _two_sides(_clean(payment.label), format_yuan(payment.amount), columns)
    by_method_total = sum((p.amount for p in data.by_method), Decimal(0))
    if by_method_total != net:
        blocks += _two_sides("分项合计", format_yuan(by_method_total), columns)
        blocks += _lines("分项合计与净额不符，请核对", columns, bold=True)
    blocks.append(Rule())
    blocks += _pairs(columns, ("打印时间", _moment(data.printed_at)))
    blocks.append(Feed(1))
    blocks += _signature("交班人签字：", columns)
    blocks.append(Feed(1))
    blocks += _signature("接班人签字：", columns)
    blocks += [Feed(TAIL_FEED), Cut()]
    return _document("shift_report", doc_no, columns, blocks)


# --- Training mode ----------------------------------------------------------------------

#: Printed at the top and the bottom of every printout in training mode.
TRAINING_MARK = "【培训模式·非正式凭证】"


def with_training_mark(document: Document) -> Document:
    """``document`` marked as a training printout at its top and before its final feed
    and cut, so no paper from training can pass for a receipt or a 购药清单."""
    mark = Text(TRAINING_MARK, Align.CENTER, bold=True)
    blocks = list(document.blocks)
    end = len(blocks)
    while end > 0 and isinstance(blocks[end - 1], Feed | Cut):
        end -= 1
    start = 1 if blocks and isinstance(blocks[0], DrawerKick) else 0
    blocks = [*blocks[:start], mark, *blocks[start:end], mark, *blocks[end:]]
    return _document(document.kind, document.doc_no, document.columns, blocks,
                     copy=document.copy)


# --- Layout helpers -------------------------------------------------------------------


def _document(
    kind: str, doc_no: str, columns: int, blocks: Iterable[Block], *, copy: bool = False
) -> Document:
    """The document, after checking every line fits its width (a failure is our bug)."""
    laid_out = tuple(blocks)
    for block in laid_out:
        if not isinstance(block, Text):
            continue
        width = columns // 2 if block.double else columns
        if display_width(block.text) > width or not block.text.isprintable():
            raise ValueError(
                f"{kind} {doc_no}: line {block.text!r} does not fit {width} columns"
            )
    return Document(kind=kind, doc_no=doc_no, columns=columns, blocks=laid_out, copy=copy)


def _check_columns(columns: int) -> None:
    if columns < MIN_COLUMNS:
        raise ValueError(f"paper too narrow: {columns} columns (at least {MIN_COLUMNS})")


def _clean(text: str) -> str:
    """Whitespace (tabs, new lines from a record) collapsed: a Text is one printed line."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def _aware(moment: datetime) -> bool:
    return moment.tzinfo is not None and moment.utcoffset() is not None


def _moment(moment: datetime) -> str:
    """A moment in the store's time; a naive one is a bug (whose zone would it be?)."""
    if not _aware(moment):
        raise ValueError(f"time without a zone: {moment!r}")
    return local_text(moment)


def _lines(
    text: str, width: int, *, align: Align = Align.LEFT, bold: bool = False,
    double: bool = False,
) -> list[Block]:
    """``text`` wrapped to ``width`` columns, one Text per line."""
    return [Text(piece, align, bold, double) for piece in wrap(_clean(text), width)]


def _hanging(
    prefix: str, text: str, columns: int, *, bold: bool = False
) -> list[Block]:
    """``prefix`` then ``text`` wrapped; continuation lines indented under the text."""
    return [Text(row, bold=bold) for row in _hanging_rows(prefix, text, columns)]


def _hanging_rows(prefix: str, text: str, columns: int) -> list[str]:
    indent = display_width(prefix)
    return [
        ((prefix if i == 0 else " " * indent) + piece).rstrip()
        for i, piece in enumerate(wrap(text, columns - indent))
    ]


def _pairs(columns: int, *pairs: tuple[str, str]) -> list[Block]:
    """``标签：值`` lines, a long value wrapped under itself; empty values left out."""
    out: list[Block] = []
    for label, value in pairs:
        value = _clean(value)
        if value:
            out += _hanging(f"{label}：", value, columns)
    return out


def _pairs_on_one_row(columns: int, *pairs: tuple[str, str]) -> list[Block]:
    """Short pairs side by side (``终端：T01  收银：张三``), or one a line if too long."""
    shown = [(label, _clean(value)) for label, value in pairs if _clean(value)]
    row = "  ".join(f"{label}：{value}" for label, value in shown)
    if display_width(row) <= columns:
        return [Text(row)] if row else []
    return _pairs(columns, *shown)


def _two_sides(left: str, right: str, columns: int, *, bold: bool = False) -> list[Block]:
    """``left`` at the margin and ``right`` flush right on one row, or two if too long."""
    gap = columns - display_width(left) - display_width(right)
    if gap >= 1:
        return [Text(left + " " * gap + right, bold=bold)]
    lines = [Text(piece, bold=bold) for piece in wrap(left, columns)] if left.strip() else []
    return lines + [Text(piece, Align.RIGHT, bold) for piece in wrap(right, columns)]


def _total_row(label: str, amount: Decimal, columns: int) -> list[Block]:
    """A total, double size when it fits half the paper, else bold."""
    money = format_yuan(amount)
    half = columns // 2
    gap = half - display_width(label) - display_width(money)
    if gap >= 1:
        return [Text(label + " " * gap + money, bold=True, double=True)]
    return _two_sides(label, money, columns, bold=True)


def _signature(label: str, columns: int) -> list[Block]:
    """A line to sign on: the label and underscores to the margin."""
    room = columns - display_width(label)
    if room < 8:
        return [Text(label), Text("_" * columns)]
    return [Text(label + "_" * room)]


def _copy_mark(copy: bool) -> list[Block]:
    return [Text(COPY_MARK, Align.CENTER, bold=True, double=True)] if copy else []


def _store_header(store: StoreHeader, heading: str, columns: int) -> list[Block]:
    """Store name (double, centred, wrapped), 定点编码, the document's heading."""
    blocks: list[Block] = [
        Text(row, Align.CENTER, bold=True, double=True)
        for row in _title_rows(_clean(store.name), columns // 2)
    ]
    if store.code.strip():
        blocks += _lines(f"定点编码：{_clean(store.code)}", columns, align=Align.CENTER)
    blocks += _lines(heading, columns, align=Align.CENTER, bold=True)
    blocks.append(Rule())
    return blocks


def _title_rows(name: str, width: int) -> list[str]:
    """A store name wrapped, breaking first before its branch (``康宁大药房（滨海路店）``)."""
    if display_width(name) > width:
        for bracket in ("（", "("):
            at = name.find(bracket)
            if at > 0:
                return wrap(name[:at], width) + wrap(name[at:], width)
    return wrap(name, width)


def _class_tag(line: ReceiptLine) -> str:
    """``[甲类]``, ``[目录外]``, followed by ``[自费]`` on a self-paid line."""
    cls = line.insurance_class.strip()
    tag = f"[{cls}类]" if cls else "[目录外]"
    return tag + (SELF_PAID_MARK if line.self_paid else "")


def _item_columns(left: str, quantity: str, price: str, amount: str, columns: int) -> str:
    """An 80 mm item row: ``left`` then 数量, 单价, 金额 right-aligned in fixed columns."""
    quantity_width = columns - _PRICE_COLUMN - _AMOUNT_COLUMN - display_width(left)
    return (
        left
        + pad(quantity, quantity_width, Align.RIGHT)
        + pad(price, _PRICE_COLUMN, Align.RIGHT)
        + pad(amount, _AMOUNT_COLUMN, Align.RIGHT)
    ).rstrip()


def _receipt_item(number: int, line: ReceiptLine, columns: int, *, wide: bool) -> list[Block]:
    """One item: name (+ class tag), specification, batch and expiry, quantity row."""
    rows = _hanging_rows(f"{number}.", _clean(line.name) or "?", columns)
    tag = _class_tag(line)
    gap = columns - display_width(rows[-1]) - display_width(tag)
    blocks: list[Block] = [Text(row) for row in rows]
    if gap >= 1:
        blocks[-1] = Text(rows[-1] + " " * gap + tag)
    else:
        blocks.append(Text(tag, Align.RIGHT))

    spec = _clean(line.specification)
    if spec:
        blocks += _hanging(f"{_INDENT}规格：", spec, columns)
    batch = f"批号：{_clean(line.lot_no)}" if line.lot_no.strip() else ""
    expiry = f"有效期至：{line.expiry.isoformat()}" if line.expiry else ""
    together = "  ".join(p for p in (batch, expiry) if p)
    if together and display_width(_INDENT + together) <= columns:
        blocks.append(Text(_INDENT + together))
    else:
        if batch:
            blocks += _hanging(f"{_INDENT}批号：", _clean(line.lot_no), columns)
        if expiry:
            blocks.append(Text(_INDENT + expiry))

    quantity = _clean(line.quantity_text)
    price = format_yuan(line.unit_price)
    amount = format_yuan(line.amount)
    if wide:
        row = _item_columns(_INDENT, quantity, price, amount, columns)
        # Every cell keeps a space before it, or the row falls back to the narrow form.
        fits = (
            display_width(quantity) < columns - _PRICE_COLUMN - _AMOUNT_COLUMN - len(_INDENT)
            and display_width(price) < _PRICE_COLUMN
            and display_width(amount) < _AMOUNT_COLUMN
        )
        if fits:
            return [*blocks, Text(row)]
    return blocks + _two_sides(f"{_INDENT}{quantity} x {price}", amount, columns)
