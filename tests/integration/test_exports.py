"""XLSX and CSV exports (issue 7): read back with openpyxl, the csv module and LibreOffice.

LibreOffice (Debian's ``libreoffice-calc-nogui``) opens the XLSX as a person's
spreadsheet would and converts every sheet to CSV; the amounts must come out exactly as
the report's Decimals. Without ``soffice`` those tests skip and say why.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from pharmacy_pos.reports.catalog import Cancelled
from pharmacy_pos.reports.export import (
    HEADER_ROW,
    NUMBER_FORMATS,
    sheet_names,
    write_csv,
    write_xlsx,
)
from pharmacy_pos.reports.model import Column, Kind, Report, Section
from tests.report_samples import GENERATED, STOCK_COLUMNS, STORE, stock_report

KINDS_COLUMNS = (
    Column("name", "药品名称", Kind.TEXT, 16),
    Column("qty", "数量", Kind.INTEGER),
    Column("amount", "金额（元）", Kind.MONEY),
    Column("price", "拆零单价", Kind.PRICE),
    Column("share", "占比", Kind.PERCENT),
    Column("expiry", "有效期至", Kind.DATE),
    Column("at", "销售时间", Kind.DATETIME),
)
KINDS_ROWS = [
    ("阿莫西林胶囊", 12, Decimal("1234567.89"), Decimal("0.1235"), Decimal("0.125"),
     date(2027, 1, 31), datetime(2026, 10, 1, 2, 3, 4, tzinfo=UTC)),  # 10:03:04 in the store
    ("=1+1", -3, Decimal("0.10"), Decimal("3.3333"), Decimal("1"), None, None),
    ("维生素C片", 0, Decimal("-0.01"), Decimal("9999.9999"), Decimal("0"), date(2026, 12, 1),
     datetime(2026, 10, 31, 23, 59, 59)),  # noqa: DTZ001 - naive: kept as is
]


def kinds_report() -> Report:
    """Every column kind, a text that looks like a formula, two sections with awkward names."""
    first = Section(
        name="月度[进销存]:明细", columns=KINDS_COLUMNS, rows=KINDS_ROWS,
        subtotals=[("小计", 9, Decimal("1234567.98"), None, None, None, None)],
        total=("合计", 9, Decimal("1234567.98"), None, None, None, None),
        notes=("金额单位：元", "数量以最小包装单位计"),
    )
    second = Section(name="月度[进销存]:明细", columns=KINDS_COLUMNS[:3],
                     rows=[("布洛芬", 1, Decimal("0.07"))])
    return Report("药品进销存月报", STORE, "2026年10月", GENERATED, (first, second))


# --------------------------------------------------------------------------- XLSX

def test_sheet_names_are_valid_unique_and_at_most_31_characters() -> None:
    cols = KINDS_COLUMNS[:1]
    sections = [Section("a/b\\c?d*e[f]g:h", cols, []), Section("A/B\\C?D*E[F]G:H", cols, []),
                Section("很长" * 20, cols, []), Section("很长" * 20, cols, []),
                Section("''", cols, [])]
    names = sheet_names(sections)
    assert names[0] == "a_b_c_d_e_f_g_h"
    assert names[1] == "A_B_C_D_E_F_G_H (2)"  # Excel compares sheet names without case
    assert names[2] == ("很长" * 20)[:31]
    assert names[3] == ("很长" * 20)[:27] + " (2)" and len(names[3]) == 31
    assert names[4] == "表5"
    assert len({n.casefold() for n in names}) == len(names)


def test_xlsx_has_one_sheet_per_section_with_headers_formats_and_frozen_header(
        tmp_path: Path) -> None:
    path = write_xlsx(kinds_report(), tmp_path / "月报.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["月度_进销存__明细", "月度_进销存__明细 (2)"]
    sheet = book.worksheets[0]
    assert sheet["A1"].value == "药品进销存月报 — 月度[进销存]:明细"
    assert STORE in sheet["A2"].value and "2026年10月" in sheet["A2"].value
    headers = [c.value for c in sheet[HEADER_ROW]]
    assert headers == [c.header for c in KINDS_COLUMNS]
    assert all(c.font.bold for c in sheet[HEADER_ROW])
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert "共 &N 页" in sheet.oddFooter.center.text
    first = sheet[HEADER_ROW + 1]
    assert [c.number_format for c in first[1:]] == [
        "#,##0", "#,##0.00", "#,##0.0000", "0.00%", "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"]
    # a CJK header is twice as wide as its characters
    assert sheet.column_dimensions["A"].width >= 16
    assert sheet.column_dimensions["C"].width >= len("金额（元）") * 2


def test_an_export_gets_ordinary_file_permissions(tmp_path: Path) -> None:
    import os

    mask = os.umask(0o022)
    try:
        path = write_xlsx(kinds_report(), tmp_path / "r.xlsx")
    finally:
        os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o644


def test_xlsx_numbers_are_numbers_with_the_exact_decimal_values(tmp_path: Path) -> None:
    path = write_xlsx(kinds_report(), tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    data = list(sheet.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + 3,
                                values_only=True))
    for got, want in zip(data, KINDS_ROWS, strict=True):
        for value, expected, column in zip(got, want, KINDS_COLUMNS, strict=True):
            if isinstance(expected, Decimal):
                assert isinstance(value, int | float), column.key
                assert Decimal(repr(value)) == expected, column.key
    # the formula-looking name stays text; times are the store's wall clock
    assert sheet.cell(HEADER_ROW + 2, 1).value == "=1+1"
    assert sheet.cell(HEADER_ROW + 2, 1).data_type == "s"
    assert sheet.cell(HEADER_ROW + 1, 6).value == datetime(2027, 1, 31)  # noqa: DTZ001
    assert sheet.cell(HEADER_ROW + 1, 7).value == datetime(2026, 10, 1, 10, 3, 4)  # noqa: DTZ001


def test_xlsx_subtotal_and_total_rows_are_bold_and_notes_follow_the_table(
        tmp_path: Path) -> None:
    path = write_xlsx(kinds_report(), tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    subtotal_row, total_row = HEADER_ROW + 4, HEADER_ROW + 5
    assert sheet.cell(subtotal_row, 1).value == "小计"
    assert sheet.cell(total_row, 1).value == "合计"
    assert sheet.cell(total_row, 3).value == pytest.approx(1234567.98)
    assert sheet.cell(total_row, 3).number_format == NUMBER_FORMATS[Kind.MONEY]
    assert all(sheet.cell(r, 1).font.bold for r in (subtotal_row, total_row))
    assert sheet.cell(total_row, 1).fill.fgColor.rgb.endswith("F2F2F2")
    assert sheet.cell(total_row + 2, 1).value == "金额单位：元"
    assert sheet.cell(total_row + 3, 1).value == "数量以最小包装单位计"
    # only the data rows are under the auto-filter, not the totals
    assert sheet.auto_filter.ref == f"A{HEADER_ROW}:G{HEADER_ROW + 3}"


def test_xlsx_progress_goes_up_to_all_rows(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    report = stock_report(1200)
    write_xlsx(report, tmp_path / "r.xlsx", progress=lambda d, t: seen.append((d, t)))
    total = 1200 + 3 + 1
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert len(seen) >= 4  # reported along the way, not only at the ends


@pytest.mark.parametrize("writer", [write_xlsx, write_csv])
def test_a_cancelled_export_raises_and_leaves_no_file(tmp_path: Path, writer) -> None:
    asked = 0

    def cancelled() -> bool:
        nonlocal asked
        asked += 1
        return asked >= 2  # the person cancels once the export has started

    with pytest.raises(Cancelled):
        writer(stock_report(2000), tmp_path / "r.out", cancelled=cancelled)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("writer", [write_xlsx, write_csv])
def test_a_failed_export_keeps_the_previous_file(tmp_path: Path, writer) -> None:
    target = tmp_path / "r.out"
    target.write_bytes(b"previous export")

    def broken(done: int, _total: int) -> None:
        if done > 0:
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        writer(stock_report(1000), target, progress=broken)
    assert target.read_bytes() == b"previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.out"]


# --------------------------------------------------------------------------- CSV

def test_csv_starts_with_a_bom_and_round_trips_exact_values(tmp_path: Path) -> None:
    report = kinds_report()
    [path] = write_csv(report, tmp_path / "明细.csv", section=0)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw
    with open(path, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == [c.header for c in KINDS_COLUMNS]
    assert rows[1] == ["阿莫西林胶囊", "12", "1234567.89", "0.1235", "0.125", "2027-01-31",
                       "2026-10-01 10:03:04"]
    assert rows[2] == ["=1+1", "-3", "0.10", "3.3333", "1", "", ""]
    assert rows[-2][0] == "小计" and rows[-1] == ["合计", "9", "1234567.98", "", "", "", ""]
    assert len(rows) == 1 + 3 + 1 + 1  # no title, no notes: a plain table


def test_csv_of_a_large_decimal_has_no_exponent(tmp_path: Path) -> None:
    section = Section("s", (Column("a", "金额", Kind.MONEY),), [(Decimal("1E+3"),)])
    [path] = write_csv(Report("t", STORE, "p", GENERATED, (section,)), tmp_path / "a.csv")
    assert path.read_text(encoding="utf-8-sig").splitlines()[1] == "1000"


def test_csv_of_several_sections_writes_one_file_each(tmp_path: Path) -> None:
    written = write_csv(kinds_report(), tmp_path / "月报.csv")
    assert [p.name for p in written] == ["月报-月度_进销存__明细.csv",
                                         "月报-月度_进销存__明细 (2).csv"]
    assert not (tmp_path / "月报.csv").exists()
    second = written[1].read_text(encoding="utf-8-sig").splitlines()
    assert second == ["药品名称,数量,金额（元）", "布洛芬,1,0.07"]
    [by_name] = write_csv(kinds_report(), tmp_path / "one.csv", section="月度[进销存]:明细")
    assert by_name.read_text(encoding="utf-8-sig").startswith("药品名称,数量,金额（元）,拆零单价")
    with pytest.raises(KeyError):
        write_csv(kinds_report(), tmp_path / "x.csv", section="没有这一节")


# --------------------------------------------------------------------------- LibreOffice

def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice (soffice) not installed: apt-get install "
                    "libreoffice-calc-nogui (scripts/setup.sh --profile test)")
    return found


def libreoffice_csv(xlsx: Path, out: Path, *, as_shown: bool) -> dict[str, list[list[str]]]:
    """Every sheet of ``xlsx`` converted by LibreOffice to UTF-8 CSV, by sheet name.

    ``as_shown=False`` writes the stored numbers (full precision), True the displayed text.
    Own user profile, so a LibreOffice already running elsewhere does not swallow the job.
    """
    soffice = _soffice()
    out.mkdir()
    # 44,34,76: comma, double quote, UTF-8; 9th token: save cell contents as shown;
    # 12th: -1 = every sheet to its own file
    options = f"44,34,76,1,,0,false,true,{'true' if as_shown else 'false'},false,false,-1"
    subprocess.run(
        [soffice, f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless",
         "--convert-to", f"csv:Text - txt - csv (StarCalc):{options}", "--outdir", str(out),
         str(xlsx)],
        check=True, capture_output=True, timeout=180,
    )
    sheets = {}
    for file in sorted(out.glob(f"{xlsx.stem}-*.csv")):
        with open(file, encoding="utf-8", newline="") as stream:
            sheets[file.stem.removeprefix(f"{xlsx.stem}-")] = list(csv.reader(stream))
    return sheets


def test_libreoffice_reads_the_exact_amounts_and_chinese_headers(tmp_path: Path) -> None:
    report = stock_report(300)
    section = report.sections[0]
    path = write_xlsx(report, tmp_path / "stock.xlsx")
    [table] = libreoffice_csv(path, tmp_path / "raw", as_shown=False).values()
    assert table[0][0] == "药品进销存月报 — 进销存明细"
    header = table[HEADER_ROW - 1]
    assert header == [c.header for c in STOCK_COLUMNS]
    body = table[HEADER_ROW: HEADER_ROW + len(section.rows)]
    numeric = [i for i, c in enumerate(STOCK_COLUMNS) if c.kind in (Kind.MONEY, Kind.PRICE,
                                                                      Kind.INTEGER)]
    for got, want in zip(body, section.rows, strict=True):
        assert got[1] == want[1]  # Chinese text intact
        assert got[6] == want[6].isoformat()  # type: ignore[union-attr]
        for index in numeric:
            assert Decimal(got[index]) == want[index], (STOCK_COLUMNS[index].key, got)
    after = table[HEADER_ROW + len(section.rows):]
    total_line = next(r for r in after if r[0] == "合计")
    summed = [i for i in numeric if section.total[i] is not None]  # type: ignore[index]
    assert len(summed) == 8
    assert [Decimal(total_line[i]) for i in summed] == [section.total[i] for i in summed]
    assert any(r[0] == section.notes[0] for r in after)


def test_libreoffice_shows_the_formatted_values_and_keeps_text_as_text(tmp_path: Path) -> None:
    path = write_xlsx(kinds_report(), tmp_path / "kinds.xlsx")
    sheets = libreoffice_csv(path, tmp_path / "shown", as_shown=True)
    assert sorted(sheets) == ["月度_进销存__明细", "月度_进销存__明细 (2)"]
    table = sheets["月度_进销存__明细"]
    first, second = table[HEADER_ROW], table[HEADER_ROW + 1]
    assert first[:2] == ["阿莫西林胶囊", "12"]
    assert first[2].replace(",", "") == "1234567.89"
    assert first[3] == "0.1235"
    assert first[4] == "12.50%"
    assert first[5:] == ["2027-01-31", "2026-10-01 10:03:04"]
    assert second[0] == "=1+1"  # not evaluated to 2
    assert second[2:4] == ["0.10", "3.3333"]
