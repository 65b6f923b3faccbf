"""Reports as PDF (issue 7): pages checked with poppler (pdfinfo, pdftotext, pdftoppm).

pdftotext gives some CJK characters as their radical twins (the embedded font maps both
code points to one glyph: 月 comes back as ⽉, 页 as ⻚). NFKC folds the Kangxi radicals
back; the few from the CJK Radicals Supplement are folded by ``TWINS``. Texts are compared
after that and without white space.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from pharmacy_pos.bootstrap import AppContext
from pharmacy_pos.domain.errors import DomainError, EnvironmentFault
from pharmacy_pos.reports.catalog import REPORTS, Cancelled, Period, ReportSpec
from pharmacy_pos.reports.model import Column, Kind, Report, Section
from pharmacy_pos.ui import report_pdf
from pharmacy_pos.ui.report_pdf import write_pdf
from tests.report_samples import GENERATED, STORE, stock_report
from tests.ui.conftest import STORE_CODE, TERMINAL

TWINS = str.maketrans({"⻚": "页", "⻔": "门", "㬵": "胶"})
SHOP = unicodedata.normalize("NFKC", STORE)  # full-width brackets become ASCII


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} not installed: apt-get install poppler-utils "
                    "(scripts/setup.sh --profile test)")
    return found


def pdf_pages(path: Path) -> int:
    info = subprocess.run([_tool("pdfinfo"), str(path)], check=True, capture_output=True,
                          text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def page_texts(path: Path) -> list[str]:
    """The text of each page, NFKC-normalised, white space removed."""
    text = subprocess.run([_tool("pdftotext"), "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [re.sub(r"\s+", "", unicodedata.normalize("NFKC", p).translate(TWINS))
            for p in pages]


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_a_long_report_continues_over_three_pages_with_headers_and_page_numbers(
        tmp_path: Path) -> None:
    probe = page_texts(write_pdf(stock_report(200), tmp_path / "probe.pdf"))
    per_page = len(re.findall(r"P\d{7}", probe[0]))  # rows that fit on a page
    assert per_page >= 10
    rows = 2 * per_page + 1  # plus subtotals, total and notes: three pages
    report = stock_report(rows)
    path = write_pdf(report, tmp_path / "月报.pdf")
    assert path.read_bytes().startswith(b"%PDF")
    assert pdf_pages(path) == 3

    subprocess.run([_tool("pdftoppm"), "-png", "-r", "40", str(path), str(tmp_path / "page")],
                   check=True, capture_output=True)
    pngs = sorted(tmp_path.glob("page-*.png"))  # pdftoppm: one PNG per page
    assert len(pngs) == 3
    width, height = png_size(pngs[0])
    assert width > height  # 16 columns: A4 landscape

    texts = page_texts(path)
    assert len(texts) == 3
    for number, text in enumerate(texts, 1):
        assert "药品进销存月报" in text
        assert SHOP in text and "2026年10月" in text
        assert f"第{number}页/共3页" in text
        assert "商品编码" in text and "期末金额" in text  # column headers on every page
    assert "(续)" not in texts[0] and "(续)" in texts[1]  # NFKC: full-width brackets
    # every row once, in order, across the pages; totals and notes at the end
    codes = [code for text in texts for code in re.findall(r"P\d{7}", text)]
    assert codes == [f"P{n:07d}" for n in range(rows)]
    assert len(re.findall(r"P\d{7}", texts[1])) == per_page
    assert "合计" in texts[2] and "拆零单价保留四位小数。" in texts[2]
    total = report.sections[0].total
    assert f"{total[14]:,}" in texts[2]  # closing amount with thousands separators


def test_each_section_starts_a_page_and_a_narrow_table_is_portrait(tmp_path: Path) -> None:
    columns = (Column("name", "药品名称", Kind.TEXT, 20), Column("amount", "金额", Kind.MONEY),
               Column("share", "占比", Kind.PERCENT), Column("day", "日期", Kind.DATE))
    sections = tuple(
        Section(name, columns, [("布洛芬缓释胶囊", Decimal("12.5"), Decimal("0.125"),
                                  date(2026, 10, 31))])
        for name in ("处方药", "非处方药"))
    report = Report("销售汇总", STORE, "2026-10-01 至 2026-10-15", GENERATED, sections)
    path = write_pdf(report, tmp_path / "s.pdf")
    texts = page_texts(path)
    assert len(texts) == 2
    assert "销售汇总—处方药" in texts[0] and "销售汇总—非处方药" in texts[1]
    assert "12.50" in texts[0] and "12.50%" in texts[0] and "2026-10-31" in texts[0]
    assert "第2页/共2页" in texts[1]
    subprocess.run([_tool("pdftoppm"), "-png", "-r", "30", "-f", "1", "-l", "1", str(path),
                    str(tmp_path / "p")], check=True, capture_output=True)
    width, height = png_size(next(tmp_path.glob("p-*.png")))
    assert width < height


def test_a_cancelled_pdf_export_raises_and_leaves_no_file(tmp_path: Path) -> None:
    asked = 0

    def cancelled() -> bool:
        nonlocal asked
        asked += 1
        return asked >= 2  # after the export has started drawing

    with pytest.raises(Cancelled):
        write_pdf(stock_report(1200), tmp_path / "r.pdf", cancelled=cancelled)
    assert asked >= 2
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- command line

@pytest.fixture
def cli_env(app_ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    """PHARMACY_POS_* pointing the command at this test's demo database."""
    import os

    for name in list(os.environ):
        if name.startswith("PHARMACY_POS_"):
            monkeypatch.delenv(name)
    settings = {"DATA_DIR": str(app_ctx.settings.data_dir), "STORE_CODE": STORE_CODE,
                "TERMINAL_ID": TERMINAL, "CARD_READER": "none", "PRINTER": "file",
                "BACKUP_BEFORE_MIGRATION": "false"}
    for key, value in settings.items():
        monkeypatch.setenv(f"PHARMACY_POS_{key}", value)


def _register(monkeypatch: pytest.MonkeyPatch, build) -> list[tuple]:
    calls: list[tuple] = []

    def recording(uow, actor, period, *, progress, cancelled):
        calls.append((actor, period))
        return build()

    monkeypatch.setitem(REPORTS, "test-stock", ReportSpec("test-stock", "测试", "T-1", recording))
    return calls


@pytest.mark.usefixtures("cli_env")
def test_the_command_builds_the_report_as_the_system_actor_and_writes_the_pdf(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    calls = _register(monkeypatch, lambda: stock_report(20))
    out = tmp_path / "out.pdf"
    status = report_pdf.main(["--report", "test-stock", "--month", "2026-10", "-o", str(out)])
    assert status == 0, capsys.readouterr().err
    [(actor, period)] = calls
    assert actor.is_system and actor.username.startswith("cli:")
    assert period == Period(date(2026, 10, 1), date(2026, 10, 31))
    assert pdf_pages(out) == 1 and "药品进销存月报" in page_texts(out)[0]

    report_pdf.main(["--report", "test-stock", "--from", "2026-10-01", "--to", "2026-10-15",
                     "-o", str(out)])
    assert calls[-1][1] == Period(date(2026, 10, 1), date(2026, 10, 15))


@pytest.mark.usefixtures("cli_env")
@pytest.mark.parametrize(("error", "status"), [
    (DomainError("无权查看此报表"), 1),
    (EnvironmentFault("数据库已锁定"), 3),
])
def test_the_command_exits_like_the_cli_when_refused_or_the_environment_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture,
        error: Exception, status: int) -> None:
    def fail() -> Report:
        raise error

    _register(monkeypatch, fail)
    out = tmp_path / "out.pdf"
    assert report_pdf.main(["--report", "test-stock", "--month", "2026-10", "-o", str(out)]) \
        == status
    assert str(error) in capsys.readouterr().err
    assert not out.exists()


def test_the_command_refuses_an_unknown_report_or_a_bad_period(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = str(tmp_path / "x.pdf")
    assert report_pdf.main(["--report", "no-such-report", "--month", "2026-10", "-o", out]) == 2
    assert "未知报表" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        report_pdf.main(["--report", "x", "--month", "2026-13", "-o", out])
    assert usage.value.code == 2
    with pytest.raises(SystemExit):
        report_pdf.main(["--report", "x", "--from", "2026-10-15", "--to", "2026-10-01", "-o", out])
    assert "结束日期不能早于开始日期" in capsys.readouterr().err
