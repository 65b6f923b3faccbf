"""PySide6 itself: a signal that carries a bool must not lose a reference to True or
False. PySide6 6.12.0 did, on every emission, and the terminal aborted after a few
thousand (``Fatal Python error: bool_dealloc``, first seen at the end of a test run).
pyproject.toml keeps PySide6 below 6.12 for it; this test fails on a version that has the
bug, before a till crashes in a store."""

from __future__ import annotations

import sys

import PySide6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QCheckBox

EMISSIONS = 50  # low enough that a broken version fails here rather than aborting


class _Emitter(QObject):
    flag = Signal(bool)
    anything = Signal(object)


def _counts() -> tuple[int, int]:
    return sys.getrefcount(True), sys.getrefcount(False)


def test_bool_signals_keep_their_references(qapp: QApplication) -> None:
    emitter = _Emitter()
    received: list[object] = []
    emitter.flag.connect(received.append)
    emitter.anything.connect(received.append)
    box = QCheckBox()
    box.toggled.connect(received.append)
    before = _counts()
    for _ in range(EMISSIONS):
        emitter.flag.emit(True)
        emitter.flag.emit(False)
        emitter.anything.emit(True)
        box.toggle()
    received.clear()
    after = _counts()
    # A few references may come and go with caches; a leak or loss per emission would
    # move the counts by hundreds.
    assert abs(after[0] - before[0]) < 20 and abs(after[1] - before[1]) < 20, (
        f"PySide6 {PySide6.__version__} loses bool references on signal emission: "
        f"True/False {before} -> {after}")
