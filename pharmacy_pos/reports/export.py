"""Reports to files: XLSX (openpyxl) and CSV. No Qt here; the PDF is ``ui/report_pdf.py``.

Both writers are atomic: they write a temporary file next to the target and rename it
into place only when it is complete, so a cancelled or failed export leaves nothing
(and never a half-written file under the name the person chose).

**XLSX layout** (one sheet per section, sheet named after the section):

====  ==============================================================
row   content
====  ==============================================================
1     report title — section name (bold, larger)
2     ``门店：… 期间：… 生成：…``
3     empty
4     column headers (bold, filled); the panes are frozen below it
5…    data rows, then subtotal rows (bold), then the total row (bold, filled)
…     an empty row, then the section's notes, one per row, in column A
====  ==============================================================

Numbers are numbers: Decimals go into the file as their digits (openpyxl writes up to 16
significant digits, exact for any amount a pharmacy has), with a number format per
column kind (money ``#,##0.00``, price ``#,##0.0000``, integer ``#,##0``, percent
``0.00%``, dates ``yyyy-mm-dd``). Printing repeats the header row on every page, fits the
width to the page (landscape) and puts the title in the page header and
``第 n 页 / 共 m 页`` in the footer.

**CSV**: one table per file (header row, data rows, subtotal and total rows, nothing
else, so any program can read it), UTF-8 with a byte-order mark so Excel detects the
encoding, CRLF line ends. Decimals are their exact digits, dates ISO, times the store's
wall clock. A report of several sections gives one file per section (see
:func:`write_csv`). The title, period and notes are not in the CSV.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from pharmacy_pos.domain.printout import display_width
from pharmacy_pos.reports.catalog import (
    Cancelled,
    IsCancelled,
    Progress,
    never_cancelled,
    no_progress,
)
from pharmacy_pos.reports.formatting import NUMERIC_KINDS, local_datetime, plain_text
from pharmacy_pos.reports.model import Column, Kind, Report, Section, Value

NUMBER_FORMATS: dict[Kind, str] = {
    Kind.TEXT: "General",
    Kind.INTEGER: "#,##0",
    Kind.MONEY: "#,##0.00",
    Kind.PRICE: "#,##0.0000",
    Kind.PERCENT: "0.00%",
    Kind.DATE: "yyyy-mm-dd",
    Kind.DATETIME: "yyyy-mm-dd hh:mm:ss",
}
"""The XLSX number format of each column kind."""

HEADER_ROW = 4
"""The XLSX row of the column headers (1-based); data starts on the next row."""

CHECK_EVERY = 500
"""Rows between two progress reports / cancellation checks."""

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX = 31


# --------------------------------------------------------------------------- helpers

@contextmanager
def atomic_target(path: Path | str, *, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it to ``path`` if the block succeeds.

    On any exception (``Cancelled`` included) the temporary file is removed and ``path``
    is left as it was.
    """
    target = Path(path)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f"{suffix}.part",
                                dir=target.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; an export is a file
        yield temporary
        with open(temporary, "rb+") as written:  # durable before it takes the name
            os.fsync(written.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return mask


def sheet_names(sections: Sequence[Section]) -> list[str]:
    """Valid, unique sheet names for the sections, in order.

    Excel's rules: at most 31 characters, none of ``[]:*?/\\``, not empty, not starting
    or ending with an apostrophe, unique regardless of case. Offending characters become
    ``_``; duplicates get `` (2)``, `` (3)``…; an empty name becomes ``表n``.
    """
    names: list[str] = []
    taken: set[str] = set()
    for number, section in enumerate(sections, 1):
        base = _SHEET_FORBIDDEN.sub("_", section.name).strip().strip("'")[:_SHEET_MAX]
        base = base or f"表{number}"
        name, copy = base, 1
        while name.casefold() in taken:
            copy += 1
            tail = f" ({copy})"
            name = base[: _SHEET_MAX - len(tail)] + tail
        taken.add(name.casefold())
        names.append(name)
    return names


def _total_rows(report: Report) -> int:
    return sum(len(s.rows) + len(s.subtotals) + (s.total is not None) for s in report.sections)


class _Ticker:
    """Reports progress and checks for cancellation every ``CHECK_EVERY`` rows."""

    def __init__(self, total: int, progress: Progress, cancelled: IsCancelled) -> None:
        self.total, self.done = total, 0
        self.progress, self.cancelled = progress, cancelled
        self.check()

    def check(self) -> None:
        if self.cancelled():
            raise Cancelled()
        self.progress(self.done, self.total)

    def tick(self) -> None:
        self.done += 1
        if self.done % CHECK_EVERY == 0:
            self.check()

    def finish(self) -> None:
        if self.cancelled():
            raise Cancelled()
        self.progress(self.total, self.total)


# --------------------------------------------------------------------------- XLSX

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="808080")
_HEADER_BORDER = Border(bottom=_THIN)
_TOTAL_BORDER = Border(top=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def write_xlsx(report: Report, path: Path | str, *, progress: Progress = no_progress,
               cancelled: IsCancelled = never_cancelled) -> Path:
    """Write ``report`` as an XLSX workbook at ``path`` (layout: see the module).

    Args:
        report: what to write.
        path: the file to create or replace.
        progress: called with ``(rows written, rows in all)`` every few hundred rows.
        cancelled: asked as often; when it returns True the export stops.

    Returns:
        ``path``.

    Raises:
        Cancelled: ``cancelled()`` returned True; no file was written.
    """
    target = Path(path)
    ticker = _Ticker(_total_rows(report), progress, cancelled)
    with atomic_target(target, suffix=".xlsx") as temporary:
        book = Workbook(write_only=True)
        try:
            for section, name in zip(report.sections, sheet_names(report.sections),
                                     strict=True):
                _write_sheet(book, name, report, section, ticker)
            if not report.sections:
                book.create_sheet("表1").append([report.title])
        except BaseException:
            _discard(book)
            raise
        book.save(temporary)
        ticker.finish()
    return target


def _discard(book: Workbook) -> None:
    """Close the streams of an abandoned write-only workbook and delete its part files.

    openpyxl streams each sheet into a temporary file of its own and removes them only
    in ``save``; left to the garbage collector, a half-written sheet's generator would
    write into a closed file (and the files would stay until the process ends).
    """
    for sheet in book.worksheets:
        # openpyxl has no public way to abandon a write-only sheet
        rows, writer = sheet._rows, sheet._writer
        sheet._rows = None
        if rows is not None:
            with suppress(Exception):  # best effort: the export has failed already
                rows.close()
        if writer is not None:
            with suppress(Exception):
                writer.close()
            Path(writer.out).unlink(missing_ok=True)


def _column_width(column: Column) -> float:
    # width hints are in characters; a CJK header needs two units per character
    return max(column.width, display_width(column.header)) + 2


def _write_sheet(book: Workbook, name: str, report: Report, section: Section,
                 ticker: _Ticker) -> None:
    sheet = book.create_sheet(name)
    columns = section.columns
    last_letter = get_column_letter(max(len(columns), 1))
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = _column_width(column)
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    if section.rows:
        sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_letter}{HEADER_ROW + len(section.rows)}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.HeaderFooter.oddHeader.center.text = f"{report.title}  {report.period}"
    sheet.HeaderFooter.oddHeader.left.text = report.store
    sheet.HeaderFooter.oddFooter.center.text = "第 &P 页 / 共 &N 页"

    def styled(value: Any, font: Font | None = None, **style: Any) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        if font is not None:
            cell.font = font
        for key, setting in style.items():
            setattr(cell, key, setting)
        return cell

    title = f"{report.title} — {section.name}" if section.name != report.title else report.title
    sheet.append([styled(title, _TITLE)])
    sheet.append([f"门店：{report.store}    期间：{report.period}    "
                  f"生成：{local_datetime(report.generated_at):%Y-%m-%d %H:%M}"])
    sheet.append([])
    sheet.append([styled(c.header, _BOLD, fill=_HEADER_FILL, border=_HEADER_BORDER,
                         alignment=_CENTER) for c in columns])

    # One reusable cell per column: the write-only sheet serialises a row as soon as
    # it is appended, so the same cell objects can carry the next row's values. Saves
    # building and styling 300,000 cells for a 20,000-row report.
    body = [_body_cell(sheet, column) for column in columns]
    for row in section.rows:
        sheet.append(_fill(body, columns, row))
        ticker.tick()
    summary = [_body_cell(sheet, column, font=_BOLD) for column in columns]
    for row in section.subtotals:
        sheet.append(_fill(summary, columns, row))
        ticker.tick()
    if section.total is not None:
        total = [_body_cell(sheet, column, font=_BOLD, fill=_TOTAL_FILL, border=_TOTAL_BORDER)
                 for column in columns]
        sheet.append(_fill(total, columns, section.total))
        ticker.tick()
    if section.notes:
        sheet.append([])
        for note in section.notes:
            sheet.append([note])


def _body_cell(sheet: Any, column: Column, **style: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet)
    cell.number_format = NUMBER_FORMATS[column.kind]
    for key, setting in style.items():
        setattr(cell, key, setting)
    return cell


def _fill(cells: list[WriteOnlyCell], columns: Sequence[Column],
          values: Sequence[Value]) -> list[WriteOnlyCell | None]:
    row: list[WriteOnlyCell | None] = []
    for cell, column, value in zip(cells, columns, values, strict=True):
        if value is None:
            row.append(None)
            continue
        if isinstance(value, datetime):
            value = local_datetime(value)
        cell.value = value
        if cell.data_type == "f" or (column.kind not in NUMERIC_KINDS and
                                     isinstance(value, str)):
            # text is text: a name starting with "=" must not become a formula
            cell.data_type = "s"
        row.append(cell)
    return row


# --------------------------------------------------------------------------- CSV

BOM = "\ufeff"


def write_csv(report: Report, path: Path | str, *, section: int | str | None = None,
              progress: Progress = no_progress,
              cancelled: IsCancelled = never_cancelled) -> list[Path]:
    """Write report table(s) as CSV (UTF-8 with BOM, CRLF; layout: see the module).

    Args:
        report: what to write.
        path: the file to create or replace.
        section: which section (its index or name; the first of that name).
            ``None``: every section; a report with a single section is written to
            ``path`` itself, one with several to ``<stem>-<sheet name>.csv`` next to it,
            one file each.
        progress: called with ``(rows written, rows in all)``.
        cancelled: asked every few hundred rows; True stops the export.

    Returns:
        The files written, in section order.

    Raises:
        KeyError: no section with that name; IndexError: no section with that index.
        Cancelled: no file was written (files of earlier sections are removed too).
    """
    target = Path(path)
    if section is None:
        chosen = list(report.sections)
    elif isinstance(section, int):
        chosen = [report.sections[section]]
    else:
        named = [s for s in report.sections if s.name == section]
        if not named:
            raise KeyError(section)
        chosen = named[:1]  # two sections of one name: the first
    if len(chosen) == 1:
        targets = [target]
    else:
        names = sheet_names(chosen)
        targets = [target.with_name(f"{target.stem}-{n}{target.suffix or '.csv'}")
                   for n in names]
    total = sum(len(s.rows) + len(s.subtotals) + (s.total is not None) for s in chosen)
    ticker = _Ticker(total, progress, cancelled)
    written: list[Path] = []
    try:
        for one, file in zip(chosen, targets, strict=True):
            with (atomic_target(file, suffix=".csv") as temporary,
                  open(temporary, "w", encoding="utf-8", newline="") as stream):
                _write_table(stream, one, ticker)
            written.append(file)
        ticker.finish()
    except BaseException:
        for file in written:
            file.unlink(missing_ok=True)
        raise
    return written


def _write_table(stream: IO[str], section: Section, ticker: _Ticker) -> None:
    stream.write(BOM)
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow([c.header for c in section.columns])
    text: Callable[[Value], str] = plain_text
    for rows in (section.rows, section.subtotals, [section.total] if section.total else []):
        for row in rows:
            writer.writerow([text(v) for v in row])
            ticker.tick()
