"""What the rest of the app may know about devices: ports and a status value.

Adapters (PC/SC, vendor driver, virtual card, python-escpos printers) live in
``devices.adapters`` and are chosen by the composition root; services see only these.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from pharmacy_pos.domain.card import CardRecord
from pharmacy_pos.domain.errors import EnvironmentFault
from pharmacy_pos.domain.printout import PAPER_COLUMNS, Document


class DeviceState(StrEnum):
    """Traffic-light state of a device for the status bar and the about panel."""

    OK = "ok"
    SIMULATED = "simulated"
    ABSENT = "absent"
    FAULT = "fault"

    @property
    def label(self) -> str:
        """Chinese name."""
        return {"ok": "正常", "simulated": "模拟", "absent": "未连接", "fault": "故障"}[self.value]


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    """A device's state and what a person should do about it."""

    kind: str
    state: DeviceState
    description: str
    advice: str = ""


class StatusProbe(Protocol):
    """Anything that can report a device's status without blocking for long."""

    def status(self) -> DeviceStatus:
        """The device's current status."""
        ...


# -- social-security card readers (issue: card reading; DEVICES.md §1) -----------------

class CardReaderFault(EnvironmentFault):
    """The card or the reader failed; the message says what the cashier should do."""


class NoCardPresent(CardReaderFault):
    """No card in the reader."""


class CardRemoved(CardReaderFault):
    """The card was pulled during a card operation; nothing was half-done (ID-7)."""


class ReaderUnavailable(CardReaderFault):
    """The reader is unplugged, or the PC/SC service (pcscd) is not running."""


class CardUnreadable(CardReaderFault):
    """The card answered, but not like a social-security card (damaged or foreign)."""


class PinRequired(CardReaderFault):
    """The card keeps the holder's data behind a PIN and none was given."""


class PinRejected(CardReaderFault):
    """The card refused the PIN (wrong, or blocked after too many tries)."""


class CardReader(Protocol):
    """One back end that reads a social-security card into a :class:`CardRecord`.

    Back ends: PC/SC APDUs through pyscard, the ministry's vendor driver, and the virtual
    card (PC/SC too, through pcscd and the vpcd driver). All yield the same record.
    """

    def read_card(self, *, pin: str | None = None) -> CardRecord:
        """Read the card now in the reader.

        Raises:
            NoCardPresent, CardRemoved, ReaderUnavailable, CardUnreadable.
        """
        ...

    def status(self) -> DeviceStatus:
        """The reader's state, for the status bar."""
        ...


class CardEventKind(StrEnum):
    """What happened at the reader."""

    READ = "read"              # a card was inserted and read: ``record`` is set
    FAILED = "failed"          # a card was inserted but could not be read: ``message``
    REMOVED = "removed"        # the card left the reader
    READER_LOST = "reader_lost"  # reader unplugged or pcscd gone: ``message``
    READER_BACK = "reader_back"  # the reader works again


@dataclass(frozen=True, slots=True)
class CardEvent:
    """One event from a card watcher (delivered on the watcher's own thread)."""

    kind: CardEventKind
    reader: str
    record: CardRecord | None = None
    message: str = ""
    elapsed_ms: float = 0.0  # insertion seen -> record available, for READ


class CardWatcher(Protocol):
    """Watches a reader in the background and reports insertions already read.

    ``on_event`` is called on the watcher's thread; the UI re-emits it as a Qt signal.
    """

    def start(self, on_event: Callable[[CardEvent], None]) -> None:
        """Begin watching (returns at once)."""
        ...

    def stop(self) -> None:
        """Stop watching and release the reader (waits for the thread)."""
        ...


# -- receipt printers (issue 5; DEVICES.md §2) -----------------------------------------

class PrinterFault(EnvironmentFault):
    """The receipt printer failed; the sale stands, the receipt can be printed again."""


class PrinterOffline(PrinterFault):
    """Unreachable: switched off, unplugged, connection refused or reset, no answer."""


class PaperOut(PrinterFault):
    """The printer reports its paper roll at the end."""


class CoverOpen(PrinterFault):
    """The printer reports its cover open."""


class PrinterConfigError(PrinterFault):
    """The ``printer`` setting cannot be understood; retrying will not help."""

    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=False)


class ReceiptPrinter(Protocol):
    """Prints laid-out documents on a receipt printer (or on a simulated one)."""

    @property
    def columns(self) -> int:
        """Columns of the paper (32 for 58 mm, 48 for 80 mm): builders lay out for this."""
        ...

    def print_document(self, document: Document) -> None:
        """Print ``document``; returns only once its bytes were handed to the device.

        Raises:
            PrinterOffline, PaperOut, CoverOpen, PrinterFault.
        """
        ...

    def status(self) -> DeviceStatus:
        """The printer's state for the status bar (never blocks for more than ~2 s)."""
        ...


class PrinterKind(StrEnum):
    """How the printer is reached."""

    FILE = "file"      # bytes appended to a file (simulated printer, or a device node)
    TCP = "tcp"        # raw TCP, port 9100 (JetDirect)
    USB = "usb"        # USB printer class, by vendor and product id
    SERIAL = "serial"  # RS-232 or USB-serial
    CUPS = "cups"      # a raw CUPS queue


DEFAULT_TCP_PORT = 9100
DEFAULT_BAUDRATE = 9600
SERIAL_BAUDRATES = (2400, 4800, 9600, 19200, 38400, 57600, 115200)

_OPTION = re.compile(r"^\s*(paper|qr|drawer)\s*=\s*(.*?)\s*$", re.IGNORECASE)
_CONFIG_HELP = ("可用格式: file[:路径]、tcp:主机[:端口]、usb:厂商ID:产品ID（十六进制）、"
                "serial:设备[:波特率]、cups[:队列]，可加选项 ,paper=58|80 ,qr=native|image "
                ",drawer=2|5|none")


@dataclass(frozen=True, slots=True)
class PrinterConfig:
    """The ``printer`` setting, parsed (see :func:`parse_printer_config`).

    Attributes:
        kind: how the printer is reached.
        target: file path, host name, serial device or CUPS queue ("" = default queue).
        port: TCP port.
        vendor_id, product_id: USB ids.
        baudrate: serial speed.
        paper_mm: 58 or 80.
        qr_native: QR codes by the printer's own command (GS ( k) rather than as an image.
        drawer_pin: connector pin of the cash drawer (2 or 5), ``None`` for no drawer.
    """

    kind: PrinterKind
    target: str = ""
    port: int = DEFAULT_TCP_PORT
    vendor_id: int = 0
    product_id: int = 0
    baudrate: int = DEFAULT_BAUDRATE
    paper_mm: int = 80
    qr_native: bool = True
    drawer_pin: int | None = 2

    @property
    def columns(self) -> int:
        """Printable columns of the standard font on this paper."""
        return PAPER_COLUMNS[self.paper_mm]

    def describe(self) -> str:
        """Where the printer is, in Chinese, for the status bar and messages."""
        if self.kind is PrinterKind.FILE:
            return f"文件打印机: {self.target}"
        if self.kind is PrinterKind.TCP:
            return f"网络打印机 {self.target}:{self.port}"
        if self.kind is PrinterKind.USB:
            return f"USB 打印机 {self.vendor_id:04x}:{self.product_id:04x}"
        if self.kind is PrinterKind.SERIAL:
            return f"串口打印机 {self.target}（{self.baudrate} 波特）"
        return f"CUPS 打印队列 {self.target or '（默认）'}"


def parse_printer_config(text: str, *, default_file: Path) -> PrinterConfig:
    """Parse the ``printer`` setting.

    Syntax: ``KIND[:TARGET][,OPTION=VALUE...]`` with KIND one of ``file[:PATH]`` (plain
    ``file`` = ``default_file``), ``tcp:HOST[:PORT]`` (port 9100 by default; IPv6 as
    ``[::1]:9100``), ``usb:VID:PID`` (hexadecimal), ``serial:DEVICE[:BAUD]``,
    ``cups[:QUEUE]``; options ``paper=58|80`` (default 80), ``qr=native|image`` (default
    native), ``drawer=2|5|none`` (default 2). Example: ``tcp:192.168.1.50:9100,paper=58``.

    Raises:
        PrinterConfigError: with a Chinese message naming what is wrong.
    """
    original = text
    text = text.strip()
    options: dict[str, str] = {}
    # Options are taken from the right, so a file path may itself contain commas.
    while "," in text:
        head, _, tail = text.rpartition(",")
        match = _OPTION.match(tail)
        if not match:
            break
        key = match.group(1).lower()
        if key in options:
            raise PrinterConfigError(f"打印机设置“{original}”中选项 {key} 重复。{_CONFIG_HELP}")
        options[key] = match.group(2).lower()
        text = head.strip()
    kind_text, _, target = text.partition(":")
    try:
        kind = PrinterKind(kind_text.strip().lower())
    except ValueError:
        raise PrinterConfigError(
            f"打印机设置“{original}”无法识别：未知的连接方式“{kind_text}”。{_CONFIG_HELP}"
        ) from None
    fields = _parse_target(kind, target.strip(), original, default_file)
    return PrinterConfig(kind, **fields, **_parse_options(options, original))


def _parse_target(
    kind: PrinterKind, target: str, original: str, default_file: Path
) -> dict[str, object]:
    def bad(what: str) -> PrinterConfigError:
        return PrinterConfigError(f"打印机设置“{original}”有误：{what}。{_CONFIG_HELP}")

    if kind is PrinterKind.FILE:
        return {"target": target or str(default_file)}
    if kind is PrinterKind.CUPS:
        return {"target": target}
    if kind is PrinterKind.TCP:
        host, port_text = target, ""
        if target.startswith("["):  # [IPv6]:port
            host, sep, rest = target[1:].partition("]")
            if not sep or (rest and not rest.startswith(":")):
                raise bad("IPv6 地址应写成 [地址]:端口")
            port_text = rest[1:]
        elif target.count(":") == 1:
            host, _, port_text = target.partition(":")
        elif target.count(":") > 1:
            raise bad("IPv6 地址应写成 [地址]:端口")
        if not host:
            raise bad("缺少打印机的 IP 地址或主机名")
        port = DEFAULT_TCP_PORT
        if port_text:
            if not port_text.isdigit() or not 0 < int(port_text) < 65536:
                raise bad(f"端口“{port_text}”应为 1–65535 之间的数字")
            port = int(port_text)
        return {"target": host, "port": port}
    if kind is PrinterKind.USB:
        parts = target.split(":")
        if len(parts) != 2:
            raise bad("USB 打印机应写成 usb:厂商ID:产品ID（十六进制，如 usb:0416:5011）")
        ids = []
        for part in parts:
            try:
                value = int(part, 16)
            except ValueError:
                raise bad(f"“{part}”不是十六进制的 USB ID") from None
            if not 0 < value <= 0xFFFF:
                raise bad(f"USB ID “{part}”超出范围（0001–FFFF）")
            ids.append(value)
        return {"vendor_id": ids[0], "product_id": ids[1]}
    # serial
    device, baudrate = target, DEFAULT_BAUDRATE
    head, sep, tail = target.rpartition(":")
    if sep and tail.isdigit():
        device, baudrate = head, int(tail)
        if baudrate not in SERIAL_BAUDRATES:
            raise bad(f"波特率 {baudrate} 不支持，可用 {'/'.join(map(str, SERIAL_BAUDRATES))}")
    if not device:
        raise bad("缺少串口设备（如 /dev/ttyUSB0 或 COM3）")
    return {"target": device, "baudrate": baudrate}


def _parse_options(options: dict[str, str], original: str) -> dict[str, object]:
    out: dict[str, object] = {}
    if "paper" in options:
        paper = options["paper"].removesuffix("mm")
        if not paper.isdigit() or int(paper) not in PAPER_COLUMNS:
            raise PrinterConfigError(
                f"打印机设置“{original}”有误：纸宽“{options['paper']}”只能是 58 或 80（毫米）")
        out["paper_mm"] = int(paper)
    if "qr" in options:
        if options["qr"] not in ("native", "image"):
            raise PrinterConfigError(
                f"打印机设置“{original}”有误：qr 只能是 native（打印机指令）或 image（图片）")
        out["qr_native"] = options["qr"] == "native"
    if "drawer" in options:
        if options["drawer"] not in ("2", "5", "none"):
            raise PrinterConfigError(
                f"打印机设置“{original}”有误：钱箱 drawer 只能是 2、5 或 none（无钱箱）")
        out["drawer_pin"] = None if options["drawer"] == "none" else int(options["drawer"])
    return out
