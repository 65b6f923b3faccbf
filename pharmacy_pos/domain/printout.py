"""What a printout is, before any printer: blocks of text laid out by display width.

One layout model serves the paper and the screen: the builders (``domain/receipts.py``)
turn a sale, a return, a prescription label or a shift's totals into a
:class:`Document` of blocks already laid out for the paper's width in columns; the ESC/POS
adapter (``devices/adapters/escpos_printer.py``) turns blocks into printer bytes, and the
UI shows :func:`preview_lines` in a monospaced font.

Width is counted in columns as a receipt printer prints them: an ASCII character is one
column, a CJK ideograph or a full-width form (East Asian width W or F) two. ``len()`` is
wrong for Chinese text; use :func:`display_width`, :func:`pad` and :func:`wrap`.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

# Paper width (mm) -> printable columns of the standard font.
PAPER_COLUMNS = {58: 32, 80: 48}


class Align(StrEnum):
    """Where a line's text sits."""

    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True, slots=True)
class Text:
    """One printed line, already at most the document's width (half of it when double).

    ``double`` prints double width and height (titles, the total): such a line holds half
    as many columns.
    """

    text: str
    align: Align = Align.LEFT
    bold: bool = False
    double: bool = False


@dataclass(frozen=True, slots=True)
class Rule:
    """A separator line across the paper."""

    char: str = "-"


@dataclass(frozen=True, slots=True)
class QrCode:
    """A QR code (the receipt number), centred."""

    content: str


@dataclass(frozen=True, slots=True)
class Feed:
    """Blank lines."""

    lines: int = 1


@dataclass(frozen=True, slots=True)
class Cut:
    """Cut the paper (after feeding it past the cutter)."""


@dataclass(frozen=True, slots=True)
class DrawerKick:
    """Open the cash drawer (on cash payment)."""


Block = Text | Rule | QrCode | Feed | Cut | DrawerKick


@dataclass(frozen=True, slots=True)
class Document:
    """A printout: what kind, for which document number, laid out for ``columns``.

    Attributes:
        kind: ``receipt``, ``return_slip``, ``label`` or ``shift_report``.
        doc_no: the document it prints (receipt number, return slip number...).
        columns: the paper's width in columns (32 or 48).
        blocks: what to print, in order.
        copy: a reprint (重打), marked as a copy on the paper.
    """

    kind: str
    doc_no: str
    columns: int
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    copy: bool = False


@functools.lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    """Columns one character takes: 2 for wide and full-width forms, 0 for combining."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns ``text`` takes on the paper."""
    if text.isascii():
        # Fast path for the many all-ASCII pieces (numbers, amounts, codes). Control
        # characters never reach here: the builders clean them out.
        return len(text)
    return sum(char_width(c) for c in text)


def truncate(text: str, width: int) -> str:
    """The longest prefix of ``text`` that fits in ``width`` columns."""
    used = 0
    for i, char in enumerate(text):
        used += char_width(char)
        if used > width:
            return text[:i]
    return text


def pad(text: str, width: int, align: Align = Align.LEFT) -> str:
    """``text`` cut to ``width`` columns and padded with spaces to exactly ``width``."""
    text = truncate(text, width)
    gap = width - display_width(text)
    if align is Align.RIGHT:
        return " " * gap + text
    if align is Align.CENTER:
        left = gap // 2
        return " " * left + text + " " * (gap - left)
    return text + " " * gap


def wrap(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` columns, never inside a character.

    A line ends at the last place that fits and is not inside an ASCII word (a run of
    non-space ASCII such as ``0.25g*24``, ``A2310`` or ``Vitamin``): at a space, which is
    dropped, or between two characters of which one is not ASCII (Chinese has no spaces).
    A line does not start with closing punctuation (``，。）``) nor end with an opening one
    (``（《``) when it can avoid it. Only a word wider than the line is cut inside. Empty
    text gives one empty line.
    """
    if width < 2:
        raise ValueError("width must be at least 2 columns")
    lines: list[str] = []
    rest = text.strip()
    while display_width(rest) > width:
        cut = _line_end(rest, len(truncate(rest, width)))
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    lines.append(rest)
    return lines


_NO_LINE_START = frozenset("，。、；：？！）》」』】,.;:?!)")
_NO_LINE_END = frozenset("（《「『【(")


def _line_end(text: str, limit: int) -> int:
    """Where a line taking at most ``text[:limit]`` ends (``text`` goes on past it)."""
    for i in range(limit, 0, -1):
        if _breakable(text[i - 1], text[i]):
            return i
    return limit


def _breakable(before: str, after: str) -> bool:
    if unicodedata.combining(after):
        return False
    if before == " " or after == " ":
        return True
    if after in _NO_LINE_START or before in _NO_LINE_END:
        return False
    return not (before.isascii() and after.isascii())


def preview_lines(document: Document) -> list[str]:
    """The document as plain text lines, for the screen's preview (and tests)."""
    out: list[str] = []
    for block in document.blocks:
        if isinstance(block, Text):
            width = document.columns // 2 if block.double else document.columns
            line = pad(block.text, width, block.align).rstrip()
            if block.double:
                # Each character followed by as many spaces as its own width: a doubled
                # character takes twice its columns, so the preview is as wide as the print.
                line = "".join(c + " " * char_width(c) for c in line).rstrip()
            out.append(line)
        elif isinstance(block, Rule):
            out.append(block.char * document.columns)
        elif isinstance(block, QrCode):
            out.append(pad(f"[二维码 {block.content}]", document.columns, Align.CENTER).rstrip())
        elif isinstance(block, Feed):
            out.extend([""] * block.lines)
    return out
