"""Garbage collection on the GUI thread (ui/gui_gc.py): automatic collection is off
while the app runs, and cycles are freed by the GUI thread's timer, never by a worker."""

from __future__ import annotations

import gc
import threading
import weakref
from typing import ClassVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pharmacy_pos.ui.gui_gc import GuiGarbageCollector, collect_on_gui_thread


class _Node:
    """A cycle that reference counting cannot free; notes the thread that frees it."""

    freed_on: ClassVar[list[str]] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        _Node.freed_on.append(threading.current_thread().name)


def test_the_session_collects_on_the_gui_thread(qapp: QApplication) -> None:
    collector = qapp.findChild(GuiGarbageCollector)
    assert isinstance(collector, GuiGarbageCollector) and collector.active
    assert not gc.isenabled()
    assert collect_on_gui_thread(qapp) is collector  # installed once


def test_a_cycle_dropped_by_a_worker_is_freed_on_the_gui_thread(
    qtbot: QtBot, qapp: QApplication,
) -> None:
    collector = qapp.findChild(GuiGarbageCollector)
    assert isinstance(collector, GuiGarbageCollector)
    _Node.freed_on.clear()
    made: list[weakref.ref[_Node]] = []

    def work() -> None:
        # Far beyond generation 0's threshold: with automatic collection on, CPython
        # would collect these cycles here, on this thread.
        for _ in range(20 * gc.get_threshold()[0]):
            made.append(weakref.ref(_Node()))
            _ = [[] for _ in range(3)]

    worker = threading.Thread(target=work, name="allocating-worker")
    worker.start()
    worker.join()
    assert made and made[0]() is not None  # nothing collected on the worker
    assert "allocating-worker" not in _Node.freed_on
    qtbot.waitUntil(lambda: made[0]() is None, timeout=5_000)
    assert set(_Node.freed_on) == {threading.main_thread().name}


def test_stop_gives_collection_back_to_python(qapp: QApplication) -> None:
    parent = QObject()
    was = gc.isenabled()
    gc.enable()
    try:
        own = GuiGarbageCollector(parent)
        assert not gc.isenabled() and own.active
        own.stop()
        assert gc.isenabled() and not own.active
    finally:
        if not was:
            gc.disable()
