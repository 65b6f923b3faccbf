"""The printouts (issue 5): receipt / 购药清单 (SALE-6), return slip, label, shift report."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pharmacy_pos.domain import receipts
from pharmacy_pos.domain.ids import mask_id_number
from pharmacy_pos.domain.money import format_yuan
from pharmacy_pos.domain.printout import (
    PAPER_COLUMNS,
    Cut,
    Document,
    DrawerKick,
    Feed,
    QrCode,
    Text,
    display_width,
    preview_lines,
    wrap,
)
from pharmacy_pos.domain.receipts import (
    DispensingLabel,
    Payment,
    ReceiptLine,
    ReturnLine,
    ReturnSlip,
    SaleReceipt,
    ShiftReport,
    StoreHeader,
    dispensing_label,
    return_slip,
    sale_receipt,
    shift_report,
    usage_notes,
)

DATA = Path(__file__).with_name("data")
WIDTHS = sorted(PAPER_COLUMNS.values())  # 32 and 48
FULL_ID = "110101199003071234"
STORE = StoreHeader("康宁大药房（滨海路店）", "P44030500123", "T01")
MOMENT = datetime(2026, 11, 1, 6, 3, 27, tzinfo=UTC)  # 14:03:27 in the store

LINES = (
    ReceiptLine("阿莫西林胶囊", "0.25g*24粒", "A23100512", date(2027, 12, 31), "2盒",
                Decimal("12.50"), Decimal("25.00"), "甲", False),
    ReceiptLine("复方甘草片", "100片", "240301/240415", date(2027, 3, 31), "1盒4片",
                Decimal("8.00"), Decimal("8.32"), "乙", False),
    ReceiptLine("维生素C泡腾片（橙味）Vitamin C Effervescent Tablets", "1g*10片", "VC2405",
                date(2027, 5, 31), "1支", Decimal("29.90"), Decimal("29.90"), "", True),
)
INSURED = SaleReceipt(
    store=STORE, doc_no="XS-S001-20261101-00042", completed_at=MOMENT, cashier="张三",
    pharmacist="李四", lines=LINES, total=Decimal("63.22"), fund_pay=Decimal("20.00"),
    acct_pay=Decimal("13.32"), payments=(Payment("现金", Decimal("29.90")),),
    tendered=Decimal("50.00"), change=Decimal("20.10"), balance_after=Decimal("870.68"),
    insured_name="王小明", insured_id_masked=mask_id_number(FULL_ID), buyer_id_masked="",
    insutype_label="职工基本医疗保险", policy_version="2026.1", open_drawer=True,
)
CASH = replace(
    INSURED, fund_pay=Decimal(0), acct_pay=Decimal(0),
    payments=(Payment("现金", Decimal("63.22")),), tendered=Decimal("100.00"),
    change=Decimal("36.78"), balance_after=None, insured_name="", insured_id_masked="",
    insutype_label="", pharmacist="",
)
RETURN = ReturnSlip(
    store=STORE, doc_no="TH-S001-20261102-00003", original_doc_no=INSURED.doc_no,
    completed_at=MOMENT, cashier="张三", approved_by="赵店长", reason="顾客误购，包装完好未拆封",
    lines=(ReturnLine("阿莫西林胶囊", "2盒", Decimal("25.00")),), refund_total=Decimal("25.00"),
    fund_returned=Decimal("15.00"), acct_returned=Decimal("6.00"), cash_refund=Decimal("4.00"),
    refund_method="微信",
)
LABEL = DispensingLabel(
    store=STORE, doc_no=INSURED.doc_no, dispensed_on=date(2026, 11, 1), patient_name="王小明",
    drug_name="布洛芬混悬液", specification="100ml:2g", quantity_text="1瓶", dosage="10ml",
    frequency="每日3次", route="口服", days_of_supply=3, notes=("用前摇匀", "饭后服用"),
    pharmacist="李四",
)
SHIFT = ShiftReport(
    store=STORE, cashier="张三", start=MOMENT, end=datetime(2026, 11, 1, 12, 0, tzinfo=UTC),
    sales_count=42, returns_count=1, sales_total=Decimal("3456.70"),
    refunds_total=Decimal("25.00"),
    by_method=(Payment("统筹基金", Decimal("1200.00")), Payment("个人账户", Decimal("800.00")),
               Payment("现金", Decimal("931.70")), Payment("微信", Decimal("500.00"))),
    printed_at=MOMENT,
)


def text_of(document: Document) -> str:
    return "\n".join(preview_lines(document))


def texts(document: Document) -> list[str]:
    return [b.text for b in document.blocks if isinstance(b, Text)]


def assert_fits(document: Document) -> None:
    for line in preview_lines(document):
        assert display_width(line) <= document.columns, line
    for block in document.blocks:
        if isinstance(block, Text):
            limit = document.columns // 2 if block.double else document.columns
            assert display_width(block.text) <= limit, block


def assert_ends_with_feed_then_cut(document: Document) -> None:
    assert isinstance(document.blocks[-1], Cut)
    assert isinstance(document.blocks[-2], Feed)
    assert sum(isinstance(b, Cut) for b in document.blocks) == 1


def test_wrap_keeps_a_word_that_ends_at_the_margin_on_its_line():
    assert wrap("Amoxicillin Capsules 0.25g", 20) == ["Amoxicillin Capsules", "0.25g"]


def test_wrap_never_splits_a_dose_or_a_lot_number_inside_chinese_text():
    assert wrap("口服，每日3次，每次10ml", 22) == ["口服，每日3次，每次", "10ml"]
    assert wrap("批号A23100512", 10) == ["批号", "A23100512"]


def test_wrap_keeps_closing_punctuation_off_the_start_of_a_line():
    assert wrap("顾客误购，包装完好", 8) == ["顾客误", "购，包装", "完好"]


def test_wrap_cuts_a_word_wider_than_the_line():
    assert wrap("ABCDEFGHIJ", 4) == ["ABCD", "EFGH", "IJ"]


def test_preview_of_a_double_line_is_as_wide_as_it_prints():
    doc = Document("receipt", "x", 32, (Text("药A", double=True),))
    # 药 doubled takes 4 columns, A doubled 2 (the trailing space is stripped).
    assert preview_lines(doc) == ["药  A"]


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
ASCII = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.*:/-%")
PUNCT = st.sampled_from("（）：，；、 ")
TEXT = st.text(st.one_of(CJK, ASCII, PUNCT), max_size=60)


@given(text=TEXT, width=st.integers(min_value=2, max_value=48))
def test_wrap_fits_and_keeps_every_character(text, width):
    pieces = wrap(text, width)
    assert all(display_width(p) <= width for p in pieces)
    # The pieces are the text in order; only spaces at the breaks (and the ends) are gone.
    pattern = r" *" + r" *".join(re.escape(p) for p in pieces) + r" *"
    assert re.fullmatch(pattern, text)
    assert all(pieces) or pieces == [""]


MONEY = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
LINE = st.builds(
    ReceiptLine, name=TEXT, specification=TEXT, lot_no=TEXT,
    expiry=st.none() | st.dates(), quantity_text=st.sampled_from(["2盒", "1盒4片", "12支", "3"]),
    unit_price=MONEY, amount=MONEY, insurance_class=st.sampled_from(["甲", "乙", "丙", ""]),
    self_paid=st.booleans(),
)


@given(
    lines=st.lists(LINE, min_size=1, max_size=4), store_name=TEXT, cashier=TEXT,
    insured=st.booleans(), copy=st.booleans(), columns=st.sampled_from(WIDTHS),
    label=TEXT,
)
def test_every_receipt_line_fits_the_paper(lines, store_name, cashier, insured, copy, columns,
                                           label):
    total = sum((line.amount for line in lines), Decimal(0))
    data = replace(
        INSURED if insured else CASH, lines=tuple(lines), total=total, copy=copy,
        store=replace(STORE, name=store_name or "药店"), cashier=cashier,
        payments=(Payment(label, total),),
    )
    doc = sale_receipt(data, columns)
    assert_fits(doc)
    printed = text_of(doc)
    for line in lines:
        assert format_yuan(line.amount) in printed
    assert_ends_with_feed_then_cut(doc)


@given(name=TEXT, reason=TEXT, notes=st.lists(TEXT, max_size=3), columns=st.sampled_from(WIDTHS))
def test_every_slip_label_and_report_line_fits_the_paper(name, reason, notes, columns):
    docs = [
        return_slip(replace(RETURN, reason=reason,
                            lines=(ReturnLine(name, "1盒", Decimal("9.99")),)), columns),
        dispensing_label(replace(LABEL, patient_name=name, drug_name=name, specification=reason,
                                 notes=tuple(notes)), columns),
        shift_report(replace(SHIFT, cashier=name,
                             by_method=(Payment(reason, Decimal("3431.70")),)), columns),
    ]
    for doc in docs:
        assert_fits(doc)
        assert_ends_with_feed_then_cut(doc)


@pytest.mark.parametrize("columns", WIDTHS)
def test_sale_6_receipt_shows_number_amounts_total_change_and_masked_id(columns):
    doc = sale_receipt(INSURED, columns)
    printed = text_of(doc)
    assert doc.kind == "receipt"
    assert doc.doc_no == INSURED.doc_no
    assert INSURED.doc_no in printed
    assert "2026-11-01 14:03:27" in printed  # store time, not UTC
    for line in LINES:
        assert format_yuan(line.amount) in printed
    for label in ("统筹基金支付", "个人账户支付", "实收", "找零", "个人账户余额", "险种"):
        assert label in printed
    assert format_yuan(INSURED.change) in printed
    assert format_yuan(INSURED.balance_after) in printed
    assert "110***********1234" in printed
    assert FULL_ID not in printed
    assert "[目录外][自费]" in printed
    assert "[甲类]" in printed
    assert "审方药师：李四" in printed
    assert [b for b in doc.blocks if isinstance(b, QrCode)] == [QrCode(INSURED.doc_no)]


@pytest.mark.parametrize("columns", WIDTHS)
def test_receipt_amounts_printed_add_up_to_the_total_printed(columns):
    lines = preview_lines(sale_receipt(INSURED, columns))
    rules = [i for i, line in enumerate(lines) if line == "-" * columns]
    # Header rule, meta rule, column header rule: the items run to the next rule.
    items = lines[rules[2] + 1:rules[3]]
    amounts = [re.findall(r"¥[\d,]+\.\d\d", line) for line in items]
    printed = [Decimal(found[-1][1:].replace(",", "")) for found in amounts if len(found) == 2]
    assert len(printed) == len(LINES)
    total_row = next(line.replace(" ", "") for line in lines if line.startswith("合"))
    assert total_row == "合计" + format_yuan(INSURED.total)
    assert sum(printed) == INSURED.total


@pytest.mark.parametrize("columns", WIDTHS)
def test_sale_6_signature_line_only_on_an_insured_sale(columns):
    assert any("参保人/购药人签字：___" in t for t in texts(sale_receipt(INSURED, columns)))
    cash = text_of(sale_receipt(CASH, columns))
    assert "签字" not in cash
    assert "统筹基金" not in cash
    assert "参保人" not in cash


def test_buyer_id_is_printed_on_a_cash_sale_too():
    printed = text_of(sale_receipt(replace(CASH, buyer_id_masked="440***********5678"), 32))
    assert "购药人证件：440***********5678" in printed


@pytest.mark.parametrize("columns", WIDTHS)
def test_copy_is_marked_at_top_and_bottom_and_opens_no_drawer(columns):
    doc = sale_receipt(replace(INSURED, copy=True), columns)
    marks = [
        i for i, b in enumerate(doc.blocks) if isinstance(b, Text) and "重打（副本）" in b.text
    ]
    assert len(marks) == 2
    assert marks[0] == 0
    assert marks[1] > next(i for i, b in enumerate(doc.blocks) if isinstance(b, QrCode))
    assert doc.copy
    assert not any(isinstance(b, DrawerKick) for b in doc.blocks)
    assert "重打" not in text_of(sale_receipt(INSURED, columns))


@pytest.mark.parametrize("columns", WIDTHS)
def test_drawer_kick_first_and_only_when_asked(columns):
    assert isinstance(sale_receipt(INSURED, columns).blocks[0], DrawerKick)
    closed = sale_receipt(replace(INSURED, open_drawer=False), columns)
    assert not any(isinstance(b, DrawerKick) for b in closed.blocks)


@pytest.mark.parametrize("columns", WIDTHS)
def test_receipt_ends_with_feed_then_cut(columns):
    assert_ends_with_feed_then_cut(sale_receipt(INSURED, columns))


def test_80mm_puts_quantity_price_and_amount_in_aligned_columns():
    lines = preview_lines(sale_receipt(INSURED, 48))
    rows = [line for line in lines if line.count("¥") == 2]
    assert len(rows) == len(LINES)
    # Amounts end at the margin, prices end 11 columns before it.
    for row in rows:
        assert display_width(row) == 48
        assert row[-11] == " "
        assert re.search(r"¥[\d,]+\.\d\d {2,}¥", row)


@pytest.mark.parametrize(("columns", "name"), [(32, "receipt_58.txt"), (48, "receipt_80.txt")])
def test_receipt_layout_matches_the_checked_in_example(columns, name):
    expected = (DATA / name).read_text(encoding="utf-8")
    assert "\n".join(preview_lines(sale_receipt(INSURED, columns))) + "\n" == expected


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="zone"):
        sale_receipt(replace(INSURED, completed_at=datetime(2026, 11, 1, 14, 0)), 32)  # noqa: DTZ001


def test_paper_narrower_than_supported_is_refused():
    with pytest.raises(ValueError, match="narrow"):
        sale_receipt(INSURED, 20)


def test_a_line_wider_than_the_paper_is_caught_before_printing():
    with pytest.raises(ValueError, match="does not fit"):
        receipts._document("receipt", "x", 32, [Text("药" * 17)])
    with pytest.raises(ValueError, match="does not fit"):
        receipts._document("receipt", "x", 32, [Text("A" * 17, double=True)])


def test_line_breaks_in_records_never_reach_a_printed_line():
    line = replace(LINES[0], name="阿莫\t西林")
    doc = sale_receipt(replace(CASH, cashier="张\n三", lines=(line,)), 32)
    assert "收银：张 三" in text_of(doc)
    assert all("\n" not in t and "\t" not in t for t in texts(doc))


@pytest.mark.parametrize("columns", WIDTHS)
def test_return_slip_shows_refunds_by_destination_and_a_signature(columns):
    doc = return_slip(RETURN, columns)
    printed = text_of(doc)
    assert doc.kind == "return_slip"
    assert "退货单" in printed
    for expected in (RETURN.doc_no, RETURN.original_doc_no, "店长审批：赵店长", "退货原因",
                     "退回统筹基金", "退回个人账户", "退回微信", format_yuan(Decimal("4.00"))):
        assert expected in printed
    assert any(t.startswith("顾客签字：___") for t in texts(doc))
    assert_ends_with_feed_then_cut(doc)
    assert not any("重打" in t for t in texts(doc))


def test_return_slip_of_a_cash_sale_names_no_insurance_fund():
    doc = return_slip(replace(RETURN, fund_returned=Decimal(0), acct_returned=Decimal(0),
                              cash_refund=Decimal("25.00"), refund_method="现金", copy=True), 32)
    printed = text_of(doc)
    assert "统筹基金" not in printed
    assert "退回现金" in printed
    assert sum("重打（副本）" in t for t in texts(doc)) == 2


@pytest.mark.parametrize("columns", WIDTHS)
def test_dispensing_label_shows_patient_large_and_how_to_take_it(columns):
    doc = dispensing_label(LABEL, columns)
    assert doc.kind == "label"
    patient = next(b for b in doc.blocks if isinstance(b, Text) and b.text == "王小明")
    assert patient.double
    assert patient.bold
    for expected in ("布洛芬混悬液", "100ml:2g", "用法用量：口服，每日3次，每次10ml",
                     "用药天数：3天", "用前摇匀；饭后服用", "药师：李四", "2026-11-01"):
        assert expected in "".join(t.strip() for t in texts(doc))
    assert_ends_with_feed_then_cut(doc)


@pytest.mark.parametrize("columns", WIDTHS)
def test_shift_report_totals_net_and_handover_signatures(columns):
    doc = shift_report(SHIFT, columns)
    printed = text_of(doc)
    assert doc.kind == "shift_report"
    assert doc.doc_no == "JB-T01-202611011403"
    for expected in ("交班报表（日结）", "收银员：张三", "2026-11-01 14:03:27",
                     "2026-11-01 20:00:00", "统筹基金", "个人账户", "微信",
                     format_yuan(Decimal("931.70"))):
        assert expected in printed
    assert re.search(r"销售笔数 +42", printed)
    assert re.search(r"退货笔数 +1", printed)
    net = next(t for t in texts(doc) if t.startswith("净额"))
    assert net.endswith(format_yuan(Decimal("3431.70")))
    assert "不符" not in printed
    assert any(t.startswith("交班人签字：___") for t in texts(doc))
    assert any(t.startswith("接班人签字：___") for t in texts(doc))
    assert_ends_with_feed_then_cut(doc)


def test_shift_report_says_when_the_means_do_not_add_up():
    printed = text_of(shift_report(replace(SHIFT, by_method=SHIFT.by_method[:2]), 32))
    assert "分项合计与净额不符" in printed


@pytest.mark.parametrize(
    ("form", "spec", "name", "expected"),
    [
        ("混悬剂", "100ml:2g", "布洛芬混悬液", ("用前摇匀",)),
        ("滴剂", "15ml", "对乙酰氨基酚混悬滴剂", ("用前摇匀",)),
        ("乳剂", "", "", ("用前摇匀",)),
        ("滴眼剂", "5ml", "左氧氟沙星滴眼液", ("开封后4周内用完",)),
        ("眼膏剂", "", "", ("开封后4周内用完",)),
        ("乳膏剂", "10g", "", ("外用，不可内服",)),  # a cream is not shaken
        ("酊剂", "20ml（外用）", "", ("外用，不可内服",)),
        ("片剂", "0.5mg", "硝酸甘油舌下片", ("舌下含服",)),
        ("片剂", "30mg*7片", "硝苯地平控释片", ("整片吞服，不可掰开嚼碎",)),
        ("片剂", "100mg*30片", "阿司匹林肠溶片", ("整片吞服，不可掰开嚼碎",)),
        ("胶囊剂", "20mg*14粒", "奥美拉唑肠溶胶囊", ("整粒吞服，不可打开或嚼碎",)),
        ("片剂", "0.25g*24片", "阿莫西林片", ()),
        ("", "", "", ()),
    ],
)
def test_usage_notes_table(form, spec, name, expected):
    assert usage_notes(form, spec, name=name) == expected


def test_usage_notes_add_the_written_notes_once_in_order():
    assert usage_notes("混悬剂", "100ml", "饭后服用；用前摇匀;发热时服用。\n 多饮水 ") == (
        "用前摇匀", "饭后服用", "发热时服用", "多饮水",
    )
    assert usage_notes("片剂", "", "") == ()
