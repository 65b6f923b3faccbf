"""The XLSX export's own streaming writer (``reports/xlsx.py``, issue 7): every part is
well-formed XML, a 1,000-row file opens in openpyxl with its layout, awkward values and
texts survive. (The layout and LibreOffice round trips are in ``test_exports.py``.)"""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest

from pharmacy_pos.reports.export import HEADER_ROW, NUMBER_FORMATS, write_xlsx
from pharmacy_pos.reports.model import Column, Kind, Report, Section
from pharmacy_pos.reports.xlsx import column_letter, excel_serial, xml_text
from tests.integration.test_exports import kinds_report
from tests.report_samples import GENERATED, STOCK_COLUMNS, STORE, stock_report

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def parts(path: Path) -> dict[str, ElementTree.Element]:
    """Every part of the package, parsed (raises on XML that is not well-formed)."""
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
        return {name: ElementTree.fromstring(package.read(name))  # noqa: S314 - ours
                for name in package.namelist()}


@pytest.mark.parametrize("report", [kinds_report(), stock_report(1000)],
                         ids=["kinds", "stock-1000"])
def test_every_part_is_well_formed_and_declared(tmp_path: Path, report: Report) -> None:
    found = parts(write_xlsx(report, tmp_path / "r.xlsx"))
    assert {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/styles.xml",
            "xl/sharedStrings.xml", "xl/_rels/workbook.xml.rels", "docProps/core.xml",
            "docProps/app.xml"} <= set(found)
    types = found["[Content_Types].xml"]
    declared = {o.get("PartName") for o in types if o.get("PartName")}
    xml_parts = {f"/{n}" for n in found if n.endswith(".xml") and n != "[Content_Types].xml"}
    assert xml_parts == declared
    sheets = found["xl/workbook.xml"].find(f"{MAIN}sheets")
    assert sheets is not None and len(sheets) == len(report.sections)
    # every cell's style id exists, every shared string index exists
    xfs = len(found["xl/styles.xml"].find(f"{MAIN}cellXfs"))  # type: ignore[arg-type]
    strings = len(found["xl/sharedStrings.xml"])
    for number in range(1, len(report.sections) + 1):
        for cell in found[f"xl/worksheets/sheet{number}.xml"].iter(f"{MAIN}c"):
            assert int(cell.get("s", "0")) < xfs
            if cell.get("t") == "s":
                assert int(cell.findtext(f"{MAIN}v")) < strings  # type: ignore[arg-type]


def test_a_1000_row_file_opens_in_openpyxl_with_its_layout(tmp_path: Path) -> None:
    report = stock_report(1000)
    section = report.sections[0]
    sheet = openpyxl.load_workbook(write_xlsx(report, tmp_path / "r.xlsx")).worksheets[0]
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert sheet.auto_filter.ref == f"A{HEADER_ROW}:P{HEADER_ROW + 1000}"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.oddHeader.left.text == STORE
    assert sheet.oddHeader.center.text == f"{report.title}  {report.period}"
    assert sheet.oddFooter.center.text == "第 &P 页 / 共 &N 页"
    assert sheet.column_dimensions["B"].width == 22  # width hint 20 + 2
    header = sheet[HEADER_ROW]
    assert [c.value for c in header] == [c.header for c in STOCK_COLUMNS]
    assert all(c.font.bold and c.fill.fgColor.rgb.endswith("D9E1F2") for c in header)
    assert all(c.alignment.horizontal == "center" and c.border.bottom.style == "thin"
               for c in header)
    rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + 1000))
    for cells, want in zip(rows, section.rows, strict=True):
        assert [c.number_format for c in cells] == [NUMBER_FORMATS[c.kind]
                                                   for c in STOCK_COLUMNS]
        assert not cells[0].font.bold
        for cell, value in zip(cells, want, strict=True):
            if isinstance(value, Decimal):
                assert Decimal(repr(cell.value)) == value
            elif isinstance(value, date):
                assert cell.value == datetime(value.year, value.month, value.day)  # noqa: DTZ001
            else:
                assert cell.value == value
    total_row = HEADER_ROW + 1000 + len(section.subtotals) + 1
    total = sheet[total_row]
    assert total[0].value == "合计" and total[0].font.bold
    assert total[0].border.top.style == "thin"
    assert [total[i].value for i in (7, 8)] == [section.total[7],  # type: ignore[index]
                                                pytest.approx(float(section.total[8]))]  # type: ignore[index,arg-type]
    assert total[8].number_format == NUMBER_FORMATS[Kind.MONEY]


def test_awkward_values_and_texts(tmp_path: Path) -> None:
    columns = (Column("a", "名称"), Column("b", "金额", Kind.MONEY))
    rows = [
        ("  前后空格 ", Decimal("1E+3")),  # exponent written as plain digits
        ("a<b>&c\"'", Decimal("NaN")),     # not a number: an empty cell
        ("ctl\x01end", 1.5),
        ("是", True),
        (date(2026, 1, 2), datetime(2026, 1, 2, 3, 4, 5)),  # noqa: DTZ001
    ]
    report = Report("T&itle", "A&B药房", "p", GENERATED, (Section("s'q", columns, rows),))
    path = write_xlsx(report, tmp_path / "r.xlsx")
    parts(path)  # well-formed
    sheet = openpyxl.load_workbook(path).worksheets[0]
    got = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert got[0] == ("  前后空格 ", 1000)
    assert got[1] == ("a<b>&c\"'", None)
    assert got[2] == ("ctl_x0001_end", 1.5)  # Excel and LibreOffice decode _x0001_
    assert got[3] == ("是", True)
    assert got[4] == (datetime(2026, 1, 2), datetime(2026, 1, 2, 3, 4, 5))  # noqa: DTZ001
    # a date in a text column gets a date format; a datetime in a money column too
    assert sheet.cell(HEADER_ROW + 5, 1).number_format == NUMBER_FORMATS[Kind.DATE]
    assert sheet.cell(HEADER_ROW + 5, 2).number_format == NUMBER_FORMATS[Kind.DATETIME]
    # ampersands in the header print as themselves; the apostrophe in the name is doubled
    assert sheet.oddHeader.left.text == "A&&B药房"
    assert sheet.print_titles == "'s''q'!$4:$4"


def test_a_report_without_sections_is_one_sheet_with_the_title(tmp_path: Path) -> None:
    path = write_xlsx(Report("空报表", STORE, "p", GENERATED, ()), tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["表1"]
    assert book.active["A1"].value == "空报表"


def test_helpers() -> None:
    assert [column_letter(n) for n in (1, 16, 26, 27, 702, 703)] == [
        "A", "P", "Z", "AA", "ZZ", "AAA"]
    assert excel_serial(date(2027, 1, 31)) == "46418"
    assert excel_serial(date(1900, 1, 1)) == "1"
    assert excel_serial(date(1900, 3, 1)) == "61"  # after Excel's phantom 1900-02-29
    assert float(excel_serial(datetime(2026, 10, 1, 12))) == 46296.5  # noqa: DTZ001
    assert xml_text("a<b & _x0041_\x02") == "a&lt;b &amp; _x005F_x0041__x0002_"
