"""Qt models of the 医保上传 screen: the records (``UploadItemView``) and one record's
fields (name, value, required), both read-only lists of frozen DTOs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QColor

from pharmacy_pos.domain.clock import STORE_ZONE
from pharmacy_pos.domain.ids import id_check_digit, mask_id_number
from pharmacy_pos.services.uploads import DONE, PENDING, REFUSED, SUPERSEDED, UploadItemView
from pharmacy_pos.ui.table_model import CENTER, RIGHT, Column, DtoTableModel, Index

_CONTEXT = "uploads"

RED = QColor("#c0392b")
GREEN = QColor("#1e8449")
GREY = QColor("#7f8c8d")
#: Background of a required field left empty.
MISSING_BACKGROUND = QColor("#fadbd8")

STATE_COLOURS = {REFUSED: RED, DONE: GREEN, SUPERSEDED: GREY, PENDING: None}


# lupdate reads translate("<context>", "<text>") only with both literal, so each call
# names its context (a variable context or a wrapper hides the string from it).
translate = QCoreApplication.translate


def _tr(text: str) -> str:
    """A label the service wrote (marked with QT_TRANSLATE_NOOP in uploads_view)."""
    return translate(_CONTEXT, text)


def local_time(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored moment (UTC) as the store's wall-clock time (Asia/Shanghai); "" if none."""
    if moment is None:
        return ""
    return moment.astimezone(STORE_ZONE).strftime(fmt)


def transaction_text(item: UploadItemView) -> str:
    """"3505 商品销售"."""
    return f"{item.infno} {item.title}" if item.title != item.infno else item.infno


def item_columns() -> list[Column]:
    """The records table's columns (titles translated at call time)."""
    return [
        Column(translate("uploads", "交易"), transaction_text),
        Column(translate("uploads", "单据号"), lambda i: i.doc_no),
        Column(translate("uploads", "流水号"), lambda i: i.fixmedins_bchno),
        Column(translate("uploads", "状态"), lambda i: _tr(i.state_label), CENTER,
               foreground=lambda i: STATE_COLOURS.get(i.state)),
        Column(translate("uploads", "次数"), lambda i: str(i.tries), RIGHT),
        Column(translate("uploads", "错误信息"), lambda i: i.last_error,
               tooltip=lambda i: i.last_error,
               foreground=lambda i: RED if i.state == REFUSED else None),
        Column(translate("uploads", "时间"),
               lambda i: local_time(i.updated_at, "%Y-%m-%d %H:%M:%S"),
               tooltip=lambda i: translate("uploads", "写入 {0}").format(
                   local_time(i.created_at))),
    ]


class UploadItemsModel(DtoTableModel):
    """The records, newest first, as ``UploadService.items`` returns them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(item_columns(), parent)

    def item_at(self, row: int) -> UploadItemView:
        """The record shown in ``row``."""
        return self.row_at(row)

    def row_of(self, item_id: int) -> int:
        """The row showing the record ``item_id``; -1 when it is not listed."""
        return next((n for n, i in enumerate(self.rows()) if i.id == item_id), -1)


@dataclass(frozen=True, slots=True)
class FieldRow:
    """One field of a record: national name, value, and whether the profile requires it."""

    name: str
    value: str
    required: bool

    @property
    def missing(self) -> bool:
        """A required field left empty (what the insurer refuses)."""
        return self.required and not self.value.strip()

    @property
    def label(self) -> str:
        """The name, marked ``*`` when required."""
        return f"{self.name} *" if self.required else self.name


#: 18 characters standing alone that could be a resident ID number.
_ID_LIKE = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")


def mask_id_numbers_in(text: str) -> str:
    """``text`` with every resident ID number in it masked by ``mask_id_number`` (SEC-5).

    Upload records carry the insured person's number (``certno``) for the insurer; the
    screen shows it masked like every other screen. Only numbers whose GB 11643 check
    digit is right are masked, so record numbers and codes stay readable.
    """
    def masked(found: re.Match[str]) -> str:
        number = found.group(0).upper()
        return mask_id_number(number) if id_check_digit(number[:17]) == number[17] \
            else found.group(0)

    return _ID_LIKE.sub(masked, text)


def field_rows(record: Mapping[str, Any], required: Sequence[str]) -> list[FieldRow]:
    """A record's fields in the record's order; required fields it lacks come first.

    Values are shown with ID numbers masked (SEC-5).
    """
    absent = [FieldRow(name, "", True) for name in required if name not in record]
    return absent + [FieldRow(name, "" if value is None else mask_id_numbers_in(str(value)),
                              name in required)
                     for name, value in record.items()]


class FieldsModel(DtoTableModel):
    """A record's fields; required ones marked ``*``, empty required ones highlighted."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([
            Column(translate("uploads", "字段"), lambda f: f.label,
                   foreground=lambda f: RED if f.missing else None),
            Column(translate("uploads", "值"),
                   lambda f: f.value if not f.missing else translate("uploads", "（空，必填）"),
                   foreground=lambda f: RED if f.missing else None),
        ], parent)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt override: as the base model, plus a background on missing required fields."""
        if role == Qt.ItemDataRole.BackgroundRole:
            if not index.isValid() or not (0 <= index.row() < self.rowCount()) \
                    or not (0 <= index.column() < self.columnCount()):
                return None
            return MISSING_BACKGROUND if self.row_at(index.row()).missing else None
        return super().data(index, role)
