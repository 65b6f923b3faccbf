"""Receipt printers speaking ESC/POS, through python-escpos (DEVICES.md §2).

:func:`render` turns a laid-out :class:`~pharmacy_pos.domain.printout.Document` into
printer commands on any python-escpos printer object. Text never goes through
python-escpos' code-page guessing (which prints ``?`` for full-width punctuation and ¥):
each line is padded by display width, encoded as GB18030 here and sent raw, with the
printer in Chinese mode (FS &).

:class:`EscposPrinter` is the :class:`~pharmacy_pos.devices.ports.ReceiptPrinter` for the
``printer`` setting: it opens the back end for each job (TCP, USB, serial, file, CUPS),
renders, and always closes; every failure of the transport becomes a
:class:`~pharmacy_pos.devices.ports.PrinterFault` with a message the cashier can act on.
A network printer is asked for its real-time status (DLE EOT 1/2/4) after each job and by
:meth:`EscposPrinter.status`; the answer confirms the bytes arrived and tells paper out or
cover open apart from "off".
"""

from __future__ import annotations

import logging
import socket
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import qrcode
from escpos.escpos import Escpos
from escpos.exceptions import DeviceNotFoundError
from escpos.exceptions import Error as EscposError
from escpos.printer import CupsPrinter, Dummy, File, Network, Serial, Usb

from pharmacy_pos.devices.ports import (
    CoverOpen,
    DeviceState,
    DeviceStatus,
    PaperOut,
    PrinterConfig,
    PrinterFault,
    PrinterKind,
    PrinterOffline,
)
from pharmacy_pos.domain.printout import (
    Align,
    Cut,
    Document,
    DrawerKick,
    Feed,
    QrCode,
    Rule,
    Text,
    char_width,
    pad,
)

log = logging.getLogger(__name__)

ESC = b"\x1b"
GS = b"\x1d"
FS = b"\x1c"
DLE_EOT = b"\x10\x04"
INIT = ESC + b"@"
CHINESE_ON = FS + b"&"
BOLD_ON, BOLD_OFF = ESC + b"E\x01", ESC + b"E\x00"
DOUBLE_ON, DOUBLE_OFF = GS + b"!\x11", GS + b"!\x00"
ALIGN_CENTER, ALIGN_LEFT = ESC + b"a\x01", ESC + b"a\x00"

# Real-time status (DLE EOT n). Every answer byte has bit 4 set and bits 0, 1, 7 clear
# except bit 1 (fixed pattern 0x12); anything else is not a status answer.
STATUS_PRINTER, STATUS_OFFLINE_CAUSE, STATUS_PAPER = 1, 2, 4
_FIXED_MASK, _FIXED_BITS = 0x93, 0x12
_OFFLINE = 0x08           # n=1: printer offline
_COVER_OPEN = 0x04        # n=2: cover open
_PAPER_STOP = 0x20        # n=2: printing stopped by paper end
_ERROR = 0x40             # n=2: error (cutter jam, head too hot...)
_PAPER_NEAR_END = 0x0C    # n=4: roll near its end
_PAPER_END = 0x60         # n=4: no paper

QR_SIZE = {58: 5, 80: 6}  # module size in dots: about 20 mm for a receipt number

OFFLINE_ADVICE = "请检查打印机电源、连线或网线，开机后重打"


# -- rendering --------------------------------------------------------------------------

def _clean(text: str) -> str:
    """``text`` without control characters, which would reach the printer as commands."""
    return "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)


def _encode(text: str) -> bytes:
    return _clean(text).encode("gb18030", errors="replace")


def _needs_chinese_mode(document: Document) -> bool:
    for block in document.blocks:
        if isinstance(block, Text) and not block.text.isascii():
            return True
        if isinstance(block, Rule) and not block.char.isascii():
            return True
    return False


def render(
    document: Document,
    printer: Escpos,
    *,
    qr_native: bool = True,
    qr_size: int = 6,
    drawer_pin: int | None = 2,
) -> None:
    """Write ``document`` to a python-escpos ``printer`` as ESC/POS commands.

    Args:
        document: the printout, laid out for ``document.columns``.
        printer: any python-escpos printer, already open (or a ``Dummy``).
        qr_native: QR codes with the printer's GS ( k command (its content is visible in
            the bytes); ``False`` sends them as a raster image (works on every printer).
        qr_size: QR module size in dots (1-16).
        drawer_pin: pin of the cash drawer for :class:`DrawerKick`; ``None`` ignores it.
    """
    printer._raw(INIT)
    if _needs_chinese_mode(document):
        printer._raw(CHINESE_ON)
    for block in document.blocks:
        if isinstance(block, Text):
            _render_text(printer, block, document.columns)
        elif isinstance(block, Rule):
            count = document.columns // max(1, char_width(block.char))
            printer._raw(_encode(block.char * count) + b"\n")
        elif isinstance(block, QrCode):
            if not qr_native:
                _set_paper_pixels(printer, document.columns)
            _render_qr(printer, block.content, native=qr_native, size=qr_size)
        elif isinstance(block, Feed):
            printer._raw(b"\n" * max(0, block.lines))
        elif isinstance(block, Cut):
            printer.cut()
        elif isinstance(block, DrawerKick) and drawer_pin is not None:
            printer.cashdraw(drawer_pin)


def _render_text(printer: Escpos, block: Text, columns: int) -> None:
    # The builder laid the line out; padding by display width keeps CJK aligned (len()
    # would not), and trailing spaces are not worth sending.
    width = columns // 2 if block.double else columns
    line = pad(_clean(block.text), width, Align(block.align)).rstrip(" ")
    prefix = (BOLD_ON if block.bold else b"") + (DOUBLE_ON if block.double else b"")
    suffix = (DOUBLE_OFF if block.double else b"") + (BOLD_OFF if block.bold else b"")
    printer._raw(prefix + _encode(line) + suffix + b"\n")


def _set_paper_pixels(printer: Escpos, columns: int) -> None:
    # python-escpos' generic profile knows no paper width: image() then prints a notice on
    # stdout and cannot refuse an image wider than the paper. Set it for this printer
    # object only (assigning on the instance leaves the shared profile class alone).
    profile = printer.profile
    media = {"dpi": 203, "width": {"mm": 48 if columns <= 32 else 72,
                                   "pixels": 384 if columns <= 32 else 576}}
    profile.profile_data = {**profile.profile_data, "media": media}


def _render_qr(printer: Escpos, content: str, *, native: bool, size: int) -> None:
    # Centred with ESC a: python-escpos cannot centre a native code, and centres an image
    # only when its profile knows the paper's width in pixels.
    printer._raw(ALIGN_CENTER)
    if native:
        printer.qr(content, native=True, size=size)
    else:
        code = qrcode.QRCode(box_size=size, border=1,
                             error_correction=qrcode.constants.ERROR_CORRECT_M)
        code.add_data(content)
        code.make(fit=True)
        printer.image(code.make_image().get_image().convert("RGB"))
    printer._raw(b"\n" + ALIGN_LEFT)


def bytes_of(
    document: Document, *, qr_native: bool = True, qr_size: int = 6,
    drawer_pin: int | None = 2,
) -> bytes:
    """The exact bytes :func:`render` sends for ``document`` (tests, benchmarks, previews)."""
    dummy = Dummy()
    render(document, dummy, qr_native=qr_native, qr_size=qr_size, drawer_pin=drawer_pin)
    return dummy.output


# -- real-time status -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class StatusReading:
    """What the printer answered to DLE EOT 1, 2 and 4 (``answered`` False: it did not)."""

    answered: bool
    offline: bool = False
    cover_open: bool = False
    paper_out: bool = False
    paper_low: bool = False
    error: bool = False


class _PeerClosed(ConnectionError):
    """The printer closed the connection instead of answering."""


def _status_byte(answer: bytes) -> int | None:
    if not answer:
        raise _PeerClosed("connection closed by the printer")
    value = answer[-1]  # a late answer to an earlier query may precede it
    return value if value & _FIXED_MASK == _FIXED_BITS else None


def read_status(printer: Escpos, *, deadline: float, per_query_s: float = 0.5) -> StatusReading:
    """Ask an open printer DLE EOT 1, 2, 4, each answer awaited until at most ``deadline``.

    A printer that does not answer the first query within the time is reported as not
    answering (many USB-serial and older printers never do); one that closes the
    connection raises :class:`ConnectionError`.
    """
    answers: dict[int, int] = {}
    for n in (STATUS_PRINTER, STATUS_OFFLINE_CAUSE, STATUS_PAPER):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        _set_read_timeout(printer, min(per_query_s, remaining))
        try:
            value = _status_byte(printer.query_status(DLE_EOT + bytes([n])))
        except TimeoutError:
            break
        if value is None:
            break
        answers[n] = value
    if STATUS_PRINTER not in answers:
        return StatusReading(answered=False)
    cause = answers.get(STATUS_OFFLINE_CAUSE, 0)
    paper = answers.get(STATUS_PAPER, 0)
    return StatusReading(
        answered=True,
        offline=bool(answers[STATUS_PRINTER] & _OFFLINE),
        cover_open=bool(cause & _COVER_OPEN),
        paper_out=bool(cause & _PAPER_STOP) or paper & _PAPER_END == _PAPER_END,
        paper_low=paper & _PAPER_NEAR_END == _PAPER_NEAR_END,
        error=bool(cause & _ERROR),
    )


def _set_read_timeout(printer: Escpos, seconds: float) -> None:
    device = printer._device
    if isinstance(device, socket.socket):
        device.settimeout(seconds)
    elif isinstance(printer, Usb):
        printer.timeout = max(1, int(seconds * 1000))  # pyusb: milliseconds
    elif device is not None and hasattr(device, "timeout"):
        device.timeout = seconds  # pyserial


def fault_of(reading: StatusReading, where: str) -> PrinterFault | None:
    """The fault a status reading shows, or ``None`` when the printer can print."""
    if reading.cover_open:
        return CoverOpen(f"{where}：打印机上盖未合好，请合上上盖后重打")
    if reading.paper_out:
        return PaperOut(f"{where}：打印机缺纸，请装纸后重打")
    if reading.error:
        return PrinterFault(f"{where}：打印机报告故障（如切刀卡纸），请检查打印机后重打")
    if reading.offline:
        return PrinterOffline(f"{where}：打印机处于离线状态，请检查打印机指示灯后重打")
    return None


# -- the port ---------------------------------------------------------------------------

class _AppendFile(File):
    """python-escpos' file printer, appending: a simulated printer keeps every job."""

    def open(self, raise_not_found: bool = True) -> None:
        try:
            Path(self.devfile).parent.mkdir(parents=True, exist_ok=True)
            self.device = open(self.devfile, "ab")  # noqa: SIM115 - closed by close()
        except OSError as exc:
            self.device = None
            raise DeviceNotFoundError(f"Could not open {self.devfile}: {exc}") from exc


class _Network(Network):
    """python-escpos' network printer, closing its socket when the connection fails."""

    def open(self, raise_not_found: bool = True) -> None:
        sock = socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET,
                             socket.SOCK_STREAM)
        try:
            sock.settimeout(self.timeout)
            sock.connect((self.host, self.port))
        except OSError as exc:
            sock.close()
            self.device = None
            raise DeviceNotFoundError(f"{self.host}:{self.port}: {exc}") from exc
        self.device = sock


class _Usb(Usb):
    """python-escpos' USB printer, whose close() fails when pyusb is absent even unopened."""

    def close(self) -> None:
        if self._device:
            super().close()


class EscposPrinter:
    """A :class:`~pharmacy_pos.devices.ports.ReceiptPrinter` over python-escpos.

    Args:
        config: the parsed ``printer`` setting.
        timeout_s: longest wait to connect to a network printer or for it to take bytes.
        confirm_s: after a network job, longest wait for the printer's status answer that
            confirms the bytes arrived (a printer that never answers costs this per job).
        status_budget_s: longest :meth:`status` may take.

    One connection per job, closed in every case; jobs and status queries of one
    instance are serialised (many printers take one connection at a time).
    """

    def __init__(
        self, config: PrinterConfig, *, timeout_s: float = 3.0, confirm_s: float = 1.0,
        status_budget_s: float = 1.8,
    ) -> None:
        self.config = config
        self.timeout_s = timeout_s
        self.confirm_s = confirm_s
        self.status_budget_s = status_budget_s
        self._lock = threading.Lock()

    @property
    def columns(self) -> int:
        """Columns of the configured paper."""
        return self.config.columns

    def print_document(self, document: Document) -> None:
        """Open the back end, send ``document``, confirm (network), close.

        Raises:
            PrinterOffline, PaperOut, CoverOpen, PrinterFault.
        """
        if document.columns > self.columns:
            log.warning("document %s laid out for %d columns, paper has %d",
                        document.doc_no, document.columns, self.columns)
        where = self.config.describe()
        with self._lock:
            printer = self._open(self.timeout_s)
            try:
                render(document, printer, qr_native=self.config.qr_native,
                       qr_size=QR_SIZE[self.config.paper_mm], drawer_pin=self.config.drawer_pin)
                if self.config.kind is PrinterKind.TCP:
                    self._confirm(printer, where)
                elif isinstance(printer, CupsPrinter):
                    printer.send()
            except PrinterFault:
                raise
            except Exception as exc:
                raise _translate(exc, where) from exc
            finally:
                _close_quietly(printer)

    def _confirm(self, printer: Escpos, where: str) -> None:
        # The answer to a status query sent after the job proves every byte before it
        # reached the printer; a reset connection proves the opposite.
        reading = read_status(printer, deadline=time.monotonic() + self.confirm_s)
        if fault := fault_of(reading, where):
            raise fault

    def status(self) -> DeviceStatus:
        """The printer's state: queried for network, USB and serial printers (≤ ~2 s)."""
        where = self.config.describe()
        if self.config.kind is PrinterKind.FILE:
            return DeviceStatus("printer", DeviceState.SIMULATED, where)
        if not self._lock.acquire(timeout=0.2):
            return DeviceStatus("printer", DeviceState.OK, f"{where}：正在打印")
        try:
            deadline = time.monotonic() + self.status_budget_s
            try:
                printer = self._open(min(1.0, self.status_budget_s / 2))
            except PrinterOffline as exc:
                return DeviceStatus("printer", DeviceState.ABSENT, exc.message, OFFLINE_ADVICE)
            except PrinterFault as exc:
                return DeviceStatus("printer", DeviceState.FAULT, exc.message)
            try:
                if isinstance(printer, CupsPrinter):
                    online = printer.is_online()
                    reading = StatusReading(answered=True, offline=not online)
                else:
                    reading = read_status(printer, deadline=deadline)
            except Exception as exc:
                fault = _translate(exc, where)
                return DeviceStatus("printer", DeviceState.ABSENT, fault.message, OFFLINE_ADVICE)
            finally:
                _close_quietly(printer)
        finally:
            self._lock.release()
        return _status_of(reading, where)

    def _open(self, timeout_s: float) -> Escpos:
        """The back end, open; failures translated."""
        config = self.config
        where = config.describe()
        try:
            printer = _make_backend(config, timeout_s)
            printer.open()
        except PrinterFault:
            raise
        except Exception as exc:
            raise _translate(exc, where) from exc
        return printer


def _make_backend(config: PrinterConfig, timeout_s: float) -> Escpos:
    kind = config.kind
    if kind is PrinterKind.TCP:
        return _Network(config.target, config.port, timeout=timeout_s)
    if kind is PrinterKind.FILE:
        return _AppendFile(config.target)
    if kind is PrinterKind.USB:
        return _Usb(config.vendor_id, config.product_id, timeout=int(timeout_s * 1000))
    if kind is PrinterKind.SERIAL:
        return Serial(config.target, baudrate=config.baudrate, timeout=timeout_s)
    return CupsPrinter(config.target)


def _status_of(reading: StatusReading, where: str) -> DeviceStatus:
    if not reading.answered:
        return DeviceStatus("printer", DeviceState.OK, f"{where}：已连接（打印机不回答状态查询）")
    if fault := fault_of(reading, where):
        state = DeviceState.ABSENT if isinstance(fault, PrinterOffline) else DeviceState.FAULT
        return DeviceStatus("printer", state, fault.message)
    if reading.paper_low:
        return DeviceStatus("printer", DeviceState.OK, f"{where}：纸将用完",
                            "请准备新纸卷")
    return DeviceStatus("printer", DeviceState.OK, where)


def _translate(exc: BaseException, where: str) -> PrinterFault:
    """A transport or library failure as the port's fault, with a Chinese message."""
    cause: BaseException | None = exc
    if isinstance(exc, DeviceNotFoundError):
        cause = exc.__cause__ or exc.__context__ or exc
    if isinstance(cause, ConnectionRefusedError):
        return PrinterOffline(f"{where} 拒绝连接：打印机未连接或未开机，{OFFLINE_ADVICE}")
    if isinstance(cause, TimeoutError):
        return PrinterOffline(f"{where} 无响应（超时）：打印机未连接或未开机，{OFFLINE_ADVICE}")
    if isinstance(cause, ConnectionError):  # reset, aborted, broken pipe, closed
        return PrinterOffline(f"{where} 在打印中断开了连接，小票可能未打全，{OFFLINE_ADVICE}")
    if isinstance(exc, DeviceNotFoundError) or isinstance(cause, OSError):
        return PrinterOffline(f"{where} 无法打开：打印机未连接或未开机，{OFFLINE_ADVICE}"
                              f"（{_first_line(cause)}）")
    if isinstance(exc, RuntimeError) and "requires" in str(exc):
        # python-escpos without pyusb / pyserial / pycups installed
        return PrinterFault(f"{where}：本机缺少该打印方式所需的组件，请联系维护人员安装"
                            f"（{_first_line(exc)}）", retryable=False)
    if isinstance(exc, EscposError):
        return PrinterFault(f"{where}：打印指令出错，请联系维护人员（{_first_line(exc)}）")
    return PrinterFault(f"{where}：打印失败，请检查打印机后重打（{_first_line(exc)}）")


def _first_line(exc: BaseException | None) -> str:
    return str(exc).strip().splitlines()[0] if exc and str(exc).strip() else type(exc).__name__


def _close_quietly(printer: Any) -> None:
    try:
        printer.close()
    except (OSError, EscposError) as exc:  # already broken: the fault was reported
        log.debug("closing the printer failed: %s", exc)
    finally:
        spool = getattr(printer, "tmpfile", None)  # CupsPrinter's job file
        if spool is not None:
            spool.close()
