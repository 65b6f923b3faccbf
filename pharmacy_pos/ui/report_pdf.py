"""Reports as PDF through Qt (QPdfWriter + QPainter), and ``python -m`` to make one.

Layout: A4, landscape when a table is too wide for portrait; every page has a header
(report title, store, period, section) and a footer (``第 n 页 / 共 m 页``, the time
the report was generated). Each section starts on a new page; its column headers are
repeated on every page it continues on; subtotal and total rows are bold, notes follow
the table. One line per row: text wider than its column is cut with "…" (the XLSX has
it whole). Fonts: Noto Sans CJK SC (Debian's ``fonts-noto-cjk``) for
Chinese, DejaVu Sans for Latin and digits, both embedded (subsets). Known limit: the
PDF's text layer (search, copy) gives some Chinese characters as their radical twins
(页 as ⻚, 胶 as 㬵): Qt maps each glyph back to one code point.

Drawn with QPainter rather than a QTextDocument table: a 20,000-row table laid out as
a text document takes minutes and the repeated header and page numbers would need
post-processing; here pagination is arithmetic (fixed row height), so the page count is
known before the first page is drawn.

Needs a ``QGuiApplication`` (fonts); may run on a worker thread (``ui/export_job.py``).

Command line (exit status as ``pharmacy-pos-cli``: 0 written, 1 refused, 2 usage,
3 environment)::

    python -m pharmacy_pos.ui.report_pdf --report KEY --month 2026-10 -o report.pdf
    python -m pharmacy_pos.ui.report_pdf --report KEY --from 2026-10-01 --to 2026-10-15 -o r.pdf
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from pharmacy_pos.domain.errors import DomainError, EnvironmentFault, PosError
from pharmacy_pos.domain.printout import display_width
from pharmacy_pos.reports.catalog import (
    Cancelled,
    IsCancelled,
    Period,
    Progress,
    never_cancelled,
    no_progress,
)
from pharmacy_pos.reports.export import CHECK_EVERY, atomic_target
from pharmacy_pos.reports.formatting import NUMERIC_KINDS, display_text, local_datetime
from pharmacy_pos.reports.model import Column, Report, Section, Value

FONT_FAMILIES = ["DejaVu Sans", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
                 "WenQuanYi Micro Hei"]
"""Latin letters and digits in DejaVu Sans, Chinese in Noto Sans CJK SC (or a fallback).

Not Noto Sans CJK for everything: with it, Qt's PDF text layer loses the digits after a
letter (``P0000123`` is extracted as ``P``), so codes could not be searched or copied.
"""

RESOLUTION = 300  # dots per inch of the PDF's coordinate system
MARGIN_MM = 10.0
BODY_POINTS = 8.0
MIN_POINTS = 5.5
PORTRAIT_MAX_CHARS = 110
"""A table wider than this (sum of column widths, in characters) is printed landscape."""

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_ENVIRONMENT = 0, 1, 2, 3


@dataclass(frozen=True, slots=True)
class _Line:
    """One line of a table page: a row (``values``) or a note (``note``)."""

    values: tuple[Value, ...] | None = None
    bold: bool = False
    shaded: bool = False
    note: str | None = None


@dataclass(frozen=True, slots=True)
class _Page:
    section: Section
    lines: tuple[_Line, ...]
    continued: bool  # not the section's first page


def _font(points: float, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


def _table_chars(section: Section) -> int:
    return sum(_hints(section))


def _hints(section: Section) -> list[int]:
    """Each column's width in characters: its hint, its header, and for numbers the
    widest figure it shows (a number is never cut: totals are the widest, usually)."""
    hints = [max(c.width, display_width(c.header)) + 1 for c in section.columns]
    summaries = [*section.subtotals, *([section.total] if section.total else [])]
    for index, column in enumerate(section.columns):
        if column.kind not in NUMERIC_KINDS:
            continue
        values = [row[index] for row in section.rows if row[index] is not None]
        values += [row[index] for row in summaries if row[index] is not None]
        extremes = [max(values), min(values)] if values else []  # type: ignore[type-var]
        widest = max((len(display_text(column.kind, v)) for v in extremes), default=0)
        hints[index] = max(hints[index], widest + 2)
    return hints


def _lines(section: Section) -> list[_Line]:
    lines = [_Line(values=tuple(row)) for row in section.rows]
    lines += [_Line(values=tuple(row), bold=True) for row in section.subtotals]
    if section.total is not None:
        lines.append(_Line(values=tuple(section.total), bold=True, shaded=True))
    if section.notes:
        lines.append(_Line(note=""))
        lines += [_Line(note=note) for note in section.notes]
    return lines


def _paginate(report: Report, per_page: int) -> list[_Page]:
    pages: list[_Page] = []
    for section in report.sections:
        lines = _lines(section) or [_Line(note="（无数据）")]
        for start in range(0, len(lines), per_page):
            pages.append(_Page(section, tuple(lines[start:start + per_page]), start > 0))
    return pages


def write_pdf(report: Report, path: Path | str, *, progress: Progress = no_progress,
              cancelled: IsCancelled = never_cancelled) -> Path:
    """Write ``report`` as a PDF at ``path`` (layout: see the module).

    Args:
        report: what to print.
        path: the file to create or replace (atomically: nothing is left on failure).
        progress: called with ``(rows drawn, rows in all)`` every few hundred rows.
        cancelled: asked as often; True stops the export.

    Returns:
        ``path``.

    Raises:
        Cancelled: ``cancelled()`` returned True; no file was written.
        RuntimeError: there is no QGuiApplication.
    """
    if QGuiApplication.instance() is None:
        raise RuntimeError("write_pdf needs a QGuiApplication (fonts)")
    target = Path(path)
    if cancelled():
        raise Cancelled()
    with atomic_target(target, suffix=".pdf") as temporary:
        _draw(report, temporary, progress, cancelled)
    return target


def _draw(report: Report, file: Path, progress: Progress, cancelled: IsCancelled) -> None:
    wide = any(_table_chars(s) > PORTRAIT_MAX_CHARS for s in report.sections)
    writer = QPdfWriter(str(file))
    writer.setResolution(RESOLUTION)
    writer.setTitle(f"{report.title} {report.period}")
    writer.setCreator("pharmacy_pos")
    writer.setPageLayout(QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Landscape if wide else QPageLayout.Orientation.Portrait,
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter,
    ))
    painter = QPainter()
    if not painter.begin(writer):
        raise EnvironmentFault(f"无法写入 PDF 文件：{file}", retryable=False)
    try:
        _Renderer(report, painter, writer, progress, cancelled).run()
    finally:
        painter.end()


class _Renderer:
    """Draws the pages of one report on an open painter."""

    def __init__(self, report: Report, painter: QPainter, writer: QPdfWriter,
                 progress: Progress, cancelled: IsCancelled) -> None:
        self.report, self.painter, self.writer = report, painter, writer
        self.progress, self.cancelled = progress, cancelled
        area = writer.pageLayout().paintRectPixels(RESOLUTION)
        self.width, self.height = float(area.width()), float(area.height())
        # a width hint is one character of a Latin font, half a CJK character: about
        # 0.58 em; the body font shrinks (not below MIN_POINTS) until the widest table fits
        widest = max((_table_chars(s) for s in report.sections), default=1)
        fitting = self.width / (widest * 0.58) / RESOLUTION * 72
        points = max(MIN_POINTS, min(BODY_POINTS, fitting))
        self.title_font = _font(13, bold=True)
        self.small_font = _font(BODY_POINTS)
        self.body_font = _font(points)
        self.bold_font = _font(points, bold=True)
        # font metrics of the paint device, not of the screen
        painter.setFont(self.small_font)
        body = QFontMetricsF(painter.font())
        painter.setFont(self.bold_font)
        self.bold_metrics = QFontMetricsF(painter.font())
        painter.setFont(self.title_font)
        title = QFontMetricsF(painter.font())
        painter.setFont(self.body_font)
        self.body_metrics = QFontMetricsF(painter.font())
        self.row_height = max(body.height() * 1.3, self.body_metrics.height() * 1.45)
        self.title_height = title.height() * 1.3
        self.header_height = self.title_height + self.row_height * 1.6  # title + info line
        self.footer_height = self.row_height * 1.4
        table = self.height - self.header_height - self.footer_height
        self.per_page = max(1, int(table // self.row_height) - 1)  # minus the column headers
        self.pages = _paginate(report, self.per_page)
        self.rows_total = sum(len(p.lines) for p in self.pages)
        self.drawn = 0
        self._column_widths: dict[int, list[float]] = {}

    def run(self) -> None:
        self.progress(0, self.rows_total)
        for number, page in enumerate(self.pages, 1):
            if number > 1:
                self.writer.newPage()
            self._page(number, page)
        self.progress(self.rows_total, self.rows_total)

    def _widths(self, section: Section) -> list[float]:
        # sections are frozen but may hold lists (unhashable): keyed by identity
        widths = self._column_widths.get(id(section))
        if widths is None:
            hints = _hints(section)
            scale = self.width / max(sum(hints), 1)
            widths = self._column_widths[id(section)] = [h * scale for h in hints]
        return widths

    def _page(self, number: int, page: _Page) -> None:
        painter, report = self.painter, self.report
        painter.setPen(QPen(QColor("black")))
        painter.setFont(self.title_font)
        title = report.title if page.section.name == report.title else \
            f"{report.title} — {page.section.name}"
        if page.continued:
            title += "（续）"
        painter.drawText(QRectF(0, 0, self.width, self.title_height),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
        painter.setFont(self.small_font)
        painter.drawText(
            QRectF(0, self.title_height, self.width, self.row_height),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            f"门店：{report.store}    期间：{report.period}")
        rule_y = self.title_height + self.row_height * 1.3
        painter.drawLine(0, int(rule_y), int(self.width), int(rule_y))

        widths = self._widths(page.section)
        y = self.header_height
        self._row(y, widths, page.section.columns, [c.header for c in page.section.columns],
                  bold=True, shaded=True, header=True)
        y += self.row_height
        for line in page.lines:
            if line.note is not None:
                painter.setFont(self.body_font)
                painter.drawText(QRectF(0, y, self.width, self.row_height),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                                 line.note)
            else:
                assert line.values is not None
                texts = [display_text(c.kind, v)
                         for c, v in zip(page.section.columns, line.values, strict=True)]
                self._row(y, widths, page.section.columns, texts, bold=line.bold,
                          shaded=line.shaded)
            y += self.row_height
            self.drawn += 1
            if self.drawn % CHECK_EVERY == 0:
                if self.cancelled():
                    raise Cancelled()
                self.progress(self.drawn, self.rows_total)

        painter.setFont(self.small_font)
        footer = QRectF(0, self.height - self.footer_height * 0.8, self.width,
                        self.footer_height * 0.8)
        painter.drawText(footer, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                         f"第 {number} 页 / 共 {len(self.pages)} 页")
        painter.drawText(footer, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                         f"生成：{local_datetime(report.generated_at):%Y-%m-%d %H:%M}")

    def _row(self, y: float, widths: Sequence[float], columns: Sequence[Column],
             texts: Sequence[str], *, bold: bool, shaded: bool, header: bool = False) -> None:
        painter = self.painter
        if shaded:
            painter.fillRect(QRectF(0, y, self.width, self.row_height), QColor("#E8ECF4"))
        painter.setFont(self.bold_font if bold else self.body_font)
        metrics = self.bold_metrics if bold else self.body_metrics
        pad = self.row_height * 0.15
        baseline = y + (self.row_height + metrics.ascent() - metrics.descent()) / 2
        x = 0.0
        # drawText at a point (alignment done here) is several times faster than
        # drawText in a rectangle, which lays the text out again for every cell
        for width, column, text in zip(widths, columns, texts, strict=True):
            if text:
                room = width - 2 * pad
                advance = metrics.horizontalAdvance(text)
                if advance > room and (header or column.kind not in NUMERIC_KINDS):
                    text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
                    advance = metrics.horizontalAdvance(text)
                if header:
                    left = x + (width - advance) / 2
                elif column.kind in NUMERIC_KINDS:
                    left = x + width - pad - advance
                else:
                    left = x + pad
                painter.drawText(QPointF(left, baseline), text)
            x += width
        if header or shaded:
            painter.drawLine(QPointF(0, y + self.row_height),
                             QPointF(self.width, y + self.row_height))


# --------------------------------------------------------------------------- command line

def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pharmacy_pos.ui.report_pdf", description="生成报表 PDF")
    parser.add_argument("--report", required=True, help="报表代码（见报表目录）")
    parser.add_argument("--month", help="月份 YYYY-MM")
    parser.add_argument("--from", dest="first_day", type=_day, help="开始日期 YYYY-MM-DD")
    parser.add_argument("--to", dest="last_day", type=_day, help="结束日期 YYYY-MM-DD")
    parser.add_argument("-o", "--output", required=True, type=Path, help="PDF 文件")
    parser.add_argument("--database", help="数据库 URL（默认按设置）")
    return parser


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”无效，请用 YYYY-MM-DD") from None


def _period(parser: argparse.ArgumentParser, args: argparse.Namespace) -> Period:
    if args.first_day or args.last_day:
        if not (args.first_day and args.last_day) or args.month:
            parser.error("--from 与 --to 须同时给出，且不与 --month 同用")
        if args.last_day < args.first_day:
            parser.error("结束日期不能早于开始日期")
        return Period(args.first_day, args.last_day)
    if not args.month:
        parser.error("请给出 --month YYYY-MM 或 --from/--to")
    try:
        return Period.parse_month(args.month)
    except ValueError as exc:
        parser.error(str(exc))
    raise AssertionError("unreachable")  # parser.error exits


def _operator() -> str:
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "unknown"
    return f"cli:{name}"


def main(argv: Sequence[str] | None = None) -> int:
    """Build one report as the system actor and write it as PDF; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    period = _period(parser, args)

    import pharmacy_pos.reports  # noqa: F401 - importing the package registers the reports
    from pharmacy_pos.reports.catalog import REPORTS

    spec = REPORTS.get(args.report)
    if spec is None:
        known = "、".join(sorted(REPORTS)) or "（无）"
        print(f"错误: 未知报表“{args.report}”，可选: {known}", file=sys.stderr)
        return EXIT_USAGE
    if QGuiApplication.instance() is None:
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication([sys.argv[0] if sys.argv else "report_pdf"])  # noqa: F841
    try:
        return _run(spec, period, args)
    except DomainError as exc:
        print(f"错误: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except EnvironmentFault as exc:
        print(f"环境错误: {exc}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    except PosError as exc:  # Cancelled, ValidationFailed
        print(f"错误: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except OSError as exc:
        print(f"环境错误: 无法写入 {args.output}: {exc}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130


def _run(spec, period: Period, args: argparse.Namespace) -> int:
    from pharmacy_pos.bootstrap import build_context
    from pharmacy_pos.services.actor import Actor
    from pharmacy_pos.settings import Settings

    settings = Settings(**({"database_url": args.database} if args.database else {}))
    if settings.training and not args.database:
        settings = settings.for_training()  # as the app and the command line do
    context = build_context(settings)
    try:
        if context.store is None:
            raise DomainError("尚未初始化：请先运行 pharmacy-pos-cli init 或 pharmacy-pos-cli demo")
        actor = Actor.system(context.store.id, settings.terminal_id, _operator())
        report = spec.build(context.uow, actor, period, progress=no_progress,
                            cancelled=never_cancelled)
    finally:
        context.close()
    path = write_pdf(report, args.output)
    print(f"已生成 {path}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
