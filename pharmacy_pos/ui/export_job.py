"""Build a report and export it off the GUI thread, with progress and a cancel button.

Usage (the reports screen)::

    job = ExportJob(report_export(build, write_xlsx, path), parent=self)
    job.finished.connect(self._on_export_finished)      # Path
    job.failed.connect(self._on_export_failed)          # Chinese message
    attach_progress_dialog(job, self, "正在导出药品进销存月报…")
    job.start()

``build(progress, cancelled) -> Report`` is the report's builder with its arguments
bound; ``write`` one of ``write_xlsx``/``write_csv``/``write_pdf``. The work runs on a
plain Python thread and never touches widgets (STYLE.md, habit 6): its progress and
outcome reach the GUI thread through queued signals. Cancelling sets a flag the builder
and the writer poll every few hundred rows; they raise ``Cancelled`` and the atomic
writers leave no file; the job then emits ``canceled``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from pharmacy_pos.domain.errors import PosError
from pharmacy_pos.reports.catalog import Cancelled, IsCancelled, Progress
from pharmacy_pos.reports.model import Report

log = logging.getLogger(__name__)

Work = Callable[[Progress, IsCancelled], Path]
"""What a job runs: ``work(progress, cancelled) -> the file written``."""

Writer = Callable[..., object]
"""``write(report, path, *, progress, cancelled)``: ``write_xlsx``, ``write_csv``, ``write_pdf``."""

SCALE = 1000
"""Progress is reported in thousandths of the whole job."""


def report_export(build: Callable[[Progress, IsCancelled], Report], write: Writer,
                  path: Path | str) -> Work:
    """Work that builds a report (first half of the progress) and writes it (second half).

    Returns:
        The work; it returns ``path``.
    """
    target = Path(path)

    def work(progress: Progress, cancelled: IsCancelled) -> Path:
        def building(done: int, total: int) -> None:
            progress(done * SCALE // (2 * total) if total else 0, SCALE)

        def writing(done: int, total: int) -> None:
            progress(SCALE // 2 + (done * SCALE // (2 * total) if total else SCALE // 2),
                     SCALE)

        report = build(building, cancelled)
        if cancelled():
            raise Cancelled()
        write(report, target, progress=writing, cancelled=cancelled)
        return target

    return work


class ExportJob(QObject):
    """One export running on a worker thread; signals arrive on the GUI thread.

    Signals:
        progressed(done, total): how far the job is.
        finished(path): the file was written.
        failed(message): it could not be (a Chinese message for the person).
        canceled(): the person cancelled; no file was written.
    """

    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)
    canceled = Signal()

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the work on its own thread (once)."""
        if self._thread is not None:
            raise RuntimeError("an ExportJob runs once")
        self._thread = threading.Thread(target=self._run, name="report-export", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """Ask the work to stop at its next check (any thread)."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        """Whether :meth:`cancel` was called; what the builder and writer poll."""
        return self._cancel.is_set()

    def is_running(self) -> bool:
        """Whether the worker thread is still at work."""
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the worker thread ends; True if it has."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        try:
            path = self._work(self.progressed.emit, self.is_cancelled)
        except Cancelled:
            self.canceled.emit()
        except PosError as exc:  # a rule refused or the environment failed
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(QCoreApplication.translate("ExportJob", "无法写入文件：{0}").format(
                exc.strerror or exc))
        except Exception as exc:  # a bug: logged with its traceback, shown as a failure
            log.exception("report export failed")
            self.failed.emit(QCoreApplication.translate(
                "ExportJob", "导出失败（程序错误）：{0}").format(exc))
        else:
            self.finished.emit(path)


def attach_progress_dialog(job: ExportJob, parent: QWidget | None, text: str) -> QProgressDialog:
    """A window-modal progress dialog following ``job``; its 取消 button cancels the job.

    The dialog closes itself when the job finishes, fails or is cancelled.
    """
    dialog = QProgressDialog(text, QCoreApplication.translate("ExportJob", "取消"), 0, SCALE,
                             parent)
    dialog.setWindowTitle(QCoreApplication.translate("ExportJob", "导出"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)  # quick exports never flash a dialog
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setValue(0)

    def on_progress(done: int, total: int) -> None:
        if total:
            dialog.setValue(min(SCALE, done * SCALE // total))

    def on_cancel() -> None:
        dialog.setLabelText(QCoreApplication.translate("ExportJob", "正在取消…"))
        job.cancel()

    def close() -> None:
        dialog.canceled.disconnect(on_cancel)  # closing a progress dialog emits canceled
        dialog.reset()
        dialog.close()
        dialog.deleteLater()

    job.progressed.connect(on_progress)
    dialog.canceled.connect(on_cancel)
    for signal in (job.finished, job.failed, job.canceled):
        signal.connect(close)
    return dialog
