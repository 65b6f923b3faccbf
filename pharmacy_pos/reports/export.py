"""Reports to files: XLSX and CSV. No Qt here; the PDF is ``ui/report_pdf.py``.

The XLSX is written by our own streaming writer (``reports/xlsx.py``: the sheet XML as
text, shared strings, a fixed style sheet), not openpyxl: a 20,000-row report takes well
under a second instead of 11 s (issue 7; ``benchmarks/README.md``).

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

Numbers are numbers: Decimals go into the file as their exact digits (a spreadsheet
program reads them as doubles: 15 significant digits, exact for any amount a pharmacy
has); text is always text (``=1+1`` is not a formula), with a number format per
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
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from pharmacy_pos.domain.printout import display_width
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.reports.basics import ReportActor
from pharmacy_pos.reports.catalog import (
    Cancelled,
    IsCancelled,
    Progress,
    never_cancelled,
    no_progress,
)
from pharmacy_pos.reports.formatting import local_datetime, plain_text
from pharmacy_pos.reports.model import Column, Kind, Report, Section, Value
from pharmacy_pos.reports.xlsx import (
    CellStyle,
    Font,
    SharedStrings,
    SheetSetup,
    column_letter,
    excel_serial,
    header_footer_text,
)
from pharmacy_pos.reports.xlsx import Workbook as XlsxWorkbook

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
_TITLE = CellStyle(font=Font(bold=True, size=14))
_HEADER = CellStyle(font=_BOLD, fill="D9E1F2", border_bottom="808080", centered=True)
_BODY: dict[str, Any] = {}
_SUMMARY: dict[str, Any] = {"font": _BOLD}
_TOTAL: dict[str, Any] = {"font": _BOLD, "fill": "F2F2F2", "border_top": "808080"}
_DATE_KINDS = (Kind.DATE, Kind.DATETIME)


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
        with XlsxWorkbook(temporary) as book:
            for section, name in zip(report.sections, sheet_names(report.sections),
                                     strict=True):
                _write_sheet(book, name, report, section, ticker)
            if not report.sections:
                sheet = book.sheet("表1", SheetSetup())
                sheet.write(_row(1, [("A", "", "", "")], [report.title], book.strings))
                book.end(sheet)
        ticker.finish()
    return target


def _column_width(column: Column) -> float:
    # width hints are in characters; a CJK header needs two units per character
    return max(column.width, display_width(column.header)) + 2


def _write_sheet(book: XlsxWorkbook, name: str, report: Report, section: Section,
                 ticker: _Ticker) -> None:
    columns = section.columns
    last_letter = column_letter(max(len(columns), 1))
    setup = SheetSetup(
        frozen_rows=HEADER_ROW,
        widths=[_column_width(column) for column in columns],
        auto_filter=(f"A{HEADER_ROW}:{last_letter}{HEADER_ROW + len(section.rows)}"
                     if section.rows else None),
        print_title_row=HEADER_ROW,
        header_left=header_footer_text(report.store),
        header_center=header_footer_text(f"{report.title}  {report.period}"),
        footer_center="第 &P 页 / 共 &N 页",
        landscape_fit=True,
    )
    sheet = book.sheet(name, setup)
    strings = book.strings

    def single(style: CellStyle) -> list[_Cell]:
        return [("A", _style_attribute(book, style), "", "")]

    title = f"{report.title} — {section.name}" if section.name != report.title else report.title
    sheet.write(_row(1, single(_TITLE), [title], strings))
    sheet.write(_row(2, single(CellStyle()), [
        f"门店：{report.store}    期间：{report.period}    "
        f"生成：{local_datetime(report.generated_at):%Y-%m-%d %H:%M}"], strings))
    header = _style_attribute(book, _HEADER)
    sheet.write(_row(HEADER_ROW, [(column_letter(n), header, "", "")
                                  for n in range(1, len(columns) + 1)],
                     [c.header for c in columns], strings))

    number = HEADER_ROW
    for rows, variant in ((section.rows, _BODY), (section.subtotals, _SUMMARY),
                          ([section.total] if section.total is not None else [], _TOTAL)):
        cells = _cells(book, columns, variant)
        for row in rows:
            number += 1
            sheet.write(_row(number, cells, row, strings))
            ticker.tick()
    if section.notes:
        number += 1  # an empty row
        plain = single(CellStyle())
        for note in section.notes:
            number += 1
            sheet.write(_row(number, plain, [note], strings))
    book.end(sheet)


_Cell = tuple[str, str, str, str]
"""How a column's cells are written: its letter and the ``s`` attribute for its values,
for a date and for a datetime (a date in a column not of a date kind gets a date format,
as openpyxl did)."""


def _style_attribute(book: XlsxWorkbook, style: CellStyle) -> str:
    xf = book.styles.xf(style)
    return f' s="{xf}"' if xf else ""


def _cells(book: XlsxWorkbook, columns: Sequence[Column], variant: dict[str, Any]
           ) -> list[_Cell]:
    cells = []
    for number, column in enumerate(columns, 1):
        def attribute(kind: Kind) -> str:
            return _style_attribute(book, CellStyle(number_format=NUMBER_FORMATS[kind],
                                                    **variant))
        own = attribute(column.kind)
        if column.kind in _DATE_KINDS:
            cells.append((column_letter(number), own, own, own))
        else:
            cells.append((column_letter(number), own, attribute(Kind.DATE),
                          attribute(Kind.DATETIME)))
    return cells


def _row(number: int, cells: Sequence[_Cell], values: Sequence[Value],
         strings: SharedStrings) -> str:
    """One ``<row>`` element. None is no cell; text is always text (a shared string, so
    ``=1+1`` is never a formula); numbers are their exact digits; dates are serial days
    with a date format; datetimes the store's wall clock."""
    r = str(number)
    out = [f'<row r="{r}">']
    append = out.append
    index = strings.index
    for cell, value in zip(cells, values, strict=True):
        if value is None:
            continue
        kind = type(value)
        if kind is str:
            found = index.get(value)  # type: ignore[arg-type]
            if found is None:
                found = strings.add(value)  # type: ignore[arg-type]
            append(f'<c r="{cell[0]}{r}"{cell[1]} t="s"><v>{found}</v></c>')
        elif kind is Decimal:
            text = str(value)
            if "E" in text or not text[-1].isdigit():  # exponent, NaN or Infinity
                text = _decimal_text(value)  # type: ignore[arg-type]
            append(f'<c r="{cell[0]}{r}"{cell[1]}><v>{text}</v></c>' if text else
                   f'<c r="{cell[0]}{r}"{cell[1]}/>')
        elif kind is int:
            append(f'<c r="{cell[0]}{r}"{cell[1]}><v>{value}</v></c>')
        else:
            append(_other_cell(cell, r, value, strings))
    append("</row>")
    return "".join(out)


def _decimal_text(value: Decimal) -> str:
    """A Decimal's exact digits without an exponent; "" (no value) if not finite."""
    return format(value, "f") if value.is_finite() else ""


def _other_cell(cell: _Cell, r: str, value: Value, strings: SharedStrings) -> str:
    ref = f"{cell[0]}{r}"
    if isinstance(value, bool):  # before int: a bool is an int
        return f'<c r="{ref}"{cell[1]} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, str):
        return f'<c r="{ref}"{cell[1]} t="s"><v>{strings.add(str.__str__(value))}</v></c>'
    if isinstance(value, datetime):
        serial = excel_serial(local_datetime(value))
        return f'<c r="{ref}"{cell[3]}><v>{serial}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}"{cell[2]}><v>{excel_serial(value)}</v></c>'
    if isinstance(value, Decimal):
        text = _decimal_text(value)
    elif isinstance(value, int):
        text = str(int(value))
    elif isinstance(value, float):
        text = repr(value) if math.isfinite(value) else ""
    else:
        raise ValueError(f"Cannot convert {value!r} to Excel")
    return f'<c r="{ref}"{cell[1]}><v>{text}</v></c>' if text else f'<c r="{ref}"{cell[1]}/>'


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


#: Writes a report in one format: ``write(report, path, *, progress, cancelled)``.
Writer = Callable[..., object]


def export_report(actor: ReportActor, report: Report, path: Path | str, fmt: str, *,
                  writer: Writer | None = None, section: int | str | None = None,
                  progress: Progress = no_progress,
                  cancelled: IsCancelled = never_cancelled) -> list[Path]:
    """Write ``report`` to a file for someone allowed to take data out (SEC-1, SEC-5).

    Viewing a report on screen needs ``VIEW_REPORTS``; a file leaves the store's
    control, so exporting needs ``EXPORT_REPORTS`` as well (the auditor reads on screen
    only). Every export entry point goes through here.

    Args:
        actor: who exports.
        report: the built report (its ID numbers are already masked).
        path: the file to create or replace.
        fmt: ``xlsx``, ``csv`` or ``pdf``.
        writer: the writer for ``pdf`` (laid out by Qt, so the screen passes it in).
        section: for ``csv``: which section (see :func:`write_csv`).
        progress, cancelled: as for the writers.

    Returns:
        The files written.

    Raises:
        PermissionDenied: the actor may not export reports.
        ValueError: an unknown format, or ``pdf`` without its writer.
    """
    actor.require(Permission.EXPORT_REPORTS)
    if fmt == "xlsx":
        return [write_xlsx(report, path, progress=progress, cancelled=cancelled)]
    if fmt == "csv":
        return write_csv(report, path, section=section, progress=progress,
                         cancelled=cancelled)
    if fmt == "pdf" and writer is not None:
        writer(report, path, progress=progress, cancelled=cancelled)
        return [Path(path)]
    raise ValueError(f"unknown export format {fmt!r}")
