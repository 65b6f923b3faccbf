"""The ESC/POS adapter against real bytes: python-escpos' Dummy and a TCP listener.

No pcscd here: these tests use neither the card fixtures nor a mock between
python-escpos and the socket.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pharmacy_pos.devices.adapters.escpos_printer import EscposPrinter, bytes_of
from pharmacy_pos.devices.adapters.probes import PrinterConfigProbe
from pharmacy_pos.devices.ports import (
    CoverOpen,
    DeviceState,
    PaperOut,
    PrinterConfig,
    PrinterConfigError,
    PrinterFault,
    PrinterKind,
    PrinterOffline,
    parse_printer_config,
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
    display_width,
)
from tests.devices.tcp_printer import (
    STATUS_COVER_OPEN,
    STATUS_OK,
    STATUS_PAPER_LOW,
    STATUS_PAPER_OUT,
    TcpPrinter,
    refused_port,
    status_queries,
)

DEFAULT_FILE = Path("/var/lib/pos/receipts.prn")
TOTAL_LINE = "合计：¥12.50（含税），谢谢。"
ITEM_LINE = "阿莫西林胶囊（0.25g×24粒）  1盒"

RECEIPT = Document(
    kind="receipt",
    doc_no="R20261123T010001",
    columns=32,
    blocks=(
        Text("某某大药房", Align.CENTER, bold=True, double=True),
        Text("小票号：R20261123T010001"),
        Rule("-"),
        Text(ITEM_LINE),
        Text("¥25.00", Align.RIGHT),
        Rule("="),
        Text(TOTAL_LINE, bold=True),
        QrCode("R20261123T010001"),
        Feed(2),
        DrawerKick(),
        Cut(),
    ),
)


def printer_for(setting: str, **options: float) -> EscposPrinter:
    return EscposPrinter(parse_printer_config(setting, default_file=DEFAULT_FILE), **options)


def gb(text: str) -> bytes:
    return text.encode("gb18030")


# -- rendering (Dummy) ------------------------------------------------------------------

def test_text_lines_are_gb18030_with_full_width_punctuation_and_yuan_sign() -> None:
    out = bytes_of(RECEIPT)

    assert out.startswith(b"\x1b@\x1c&")  # ESC @ then Chinese mode (FS &)
    text = out.decode("gb18030")
    lines = text.split("\n")
    assert TOTAL_LINE in text and ITEM_LINE in text
    assert "?" not in text  # nothing fell back to python-escpos' code pages
    # Right-aligned by display width: the amount ends at column 32.
    assert " " * 26 + "¥25.00" in lines
    assert "-" * 32 in lines and "=" * 32 in lines


def test_centred_double_title_is_padded_by_display_width_to_half_the_columns() -> None:
    out = bytes_of(RECEIPT)

    title = gb("某某大药房")  # 10 columns in 16 (double width): 3 spaces before
    assert b"\x1bE\x01\x1d!\x11   " + title + b"\x1d!\x00\x1bE\x00\n" in out
    assert display_width("某某大药房") == 10


def test_bold_line_is_wrapped_in_esc_e() -> None:
    out = bytes_of(RECEIPT)

    assert b"\x1bE\x01" + gb(TOTAL_LINE) + b"\x1bE\x00\n" in out
    assert b"\x1bE\x01" + gb(ITEM_LINE) not in out


def test_native_qr_carries_its_content_in_gs_paren_k_and_is_centred() -> None:
    out = bytes_of(RECEIPT)

    content = b"R20261123T010001"
    store = b"\x1d(k" + bytes([len(content) + 3, 0]) + b"1P0" + content
    assert b"\x1ba\x01" + b"\x1d(k\x04\x001A2\x00" in out  # centred, model 2
    assert store in out
    assert out.index(store) < out.index(b"\x1d(k\x03\x001Q0") < out.index(b"\x1ba\x00")


def test_image_qr_is_a_raster_without_the_content_in_clear() -> None:
    out = bytes_of(RECEIPT, qr_native=False)

    assert b"\x1d(k" not in out
    assert b"R20261123T010001" not in out.replace(gb("小票号：R20261123T010001"), b"")
    assert b"\x1dv0" in out  # GS v 0 raster image


def test_cut_and_drawer_kick_commands() -> None:
    out = bytes_of(RECEIPT)

    assert out.endswith(b"\x1dV\x00")  # GS V 0: full cut after feeding
    assert b"\x1bp\x00" in out  # ESC p on pin 2
    assert b"\x1bp\x01" in bytes_of(RECEIPT, drawer_pin=5)
    assert b"\x1bp" not in bytes_of(RECEIPT, drawer_pin=None)


def test_control_characters_in_text_never_reach_the_printer_as_commands() -> None:
    document = Document("receipt", "R1", 32, (Text("药品\x1bd\x09名"), Text("\x1dV\x00")))

    out = bytes_of(document)

    assert b"\x1bd\x09" not in out and b"\x1dV" not in out
    assert gb("药品 d\t名") in out or gb("药品 d 名") in out


def test_ascii_only_document_does_not_switch_to_chinese_mode() -> None:
    out = bytes_of(Document("label", "L1", 32, (Text("OK"),)))

    assert out == b"\x1b@OK\n"


# -- the network printer against a TCP listener -----------------------------------------

def test_network_printer_sends_the_same_bytes_and_confirms_with_a_status_query() -> None:
    with TcpPrinter(status=STATUS_OK) as listener:
        printer_for(listener.setting).print_document(RECEIPT)

        [job] = listener.jobs()

    # The job, then DLE EOT 1, 2, 4: their answers prove the bytes arrived.
    assert job == bytes_of(RECEIPT, qr_size=6) + status_queries(1, 2, 4)
    assert TOTAL_LINE in job.decode("gb18030")


def test_silent_printer_gets_the_job_and_costs_at_most_the_confirm_wait() -> None:
    with TcpPrinter(status=None) as listener:
        started = time.monotonic()
        printer_for(listener.setting, confirm_s=0.3).print_document(RECEIPT)
        elapsed = time.monotonic() - started

        [job] = listener.jobs()

    assert job == bytes_of(RECEIPT) + status_queries(1)
    assert elapsed < 1.5


def test_slow_printer_still_receives_every_byte() -> None:
    with TcpPrinter(status=STATUS_OK, read_delay_s=0.01, chunk=64) as listener:
        printer_for(listener.setting, confirm_s=2.0).print_document(RECEIPT)

        [job] = listener.jobs()

    assert job.startswith(bytes_of(RECEIPT))


def test_connection_refused_is_printer_offline_with_a_chinese_message() -> None:
    printer = printer_for(f"tcp:127.0.0.1:{refused_port()}")

    with pytest.raises(PrinterOffline) as offline:
        printer.print_document(RECEIPT)

    assert "未连接或未开机" in offline.value.message
    assert "重打" in offline.value.message
    assert offline.value.retryable


def test_printer_closing_mid_job_is_printer_offline_without_hanging() -> None:
    with TcpPrinter(status=STATUS_OK, close_after=40) as listener:
        started = time.monotonic()
        with pytest.raises(PrinterOffline) as offline:
            printer_for(listener.setting, timeout_s=2.0).print_document(RECEIPT)
        elapsed = time.monotonic() - started

        [job] = listener.jobs()

    assert "断开了连接" in offline.value.message
    assert len(job) < len(bytes_of(RECEIPT))
    assert elapsed < 2.5


def test_printer_that_never_accepts_times_out_as_offline() -> None:
    with TcpPrinter(accept=False) as listener:
        listener.fill_backlog()
        started = time.monotonic()
        with pytest.raises(PrinterOffline) as offline:
            printer_for(listener.setting, timeout_s=0.5).print_document(RECEIPT)
        elapsed = time.monotonic() - started

    assert "超时" in offline.value.message
    assert elapsed < 1.5


def test_paper_out_after_the_job_is_reported_so_the_receipt_is_reprinted() -> None:
    with TcpPrinter(status=STATUS_PAPER_OUT) as listener, pytest.raises(PaperOut) as out:
        printer_for(listener.setting).print_document(RECEIPT)

    assert "缺纸" in out.value.message and "装纸" in out.value.message


def test_cover_open_is_reported() -> None:
    with TcpPrinter(status=STATUS_COVER_OPEN) as listener, pytest.raises(CoverOpen) as cover:
        printer_for(listener.setting).print_document(RECEIPT)

    assert "上盖" in cover.value.message


# -- status -----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("answers", "state", "words"),
    [
        (STATUS_OK, DeviceState.OK, "网络打印机"),
        (STATUS_PAPER_LOW, DeviceState.OK, "纸将用完"),
        (STATUS_PAPER_OUT, DeviceState.FAULT, "缺纸"),
        (STATUS_COVER_OPEN, DeviceState.FAULT, "上盖"),
    ],
)
def test_status_is_mapped_from_the_printers_answers(
    answers: dict[int, int], state: DeviceState, words: str,
) -> None:
    with TcpPrinter(status=answers) as listener:
        status = printer_for(listener.setting).status()

    assert status.kind == "printer"
    assert status.state is state
    assert words in status.description


def test_status_of_an_unreachable_printer_is_absent_with_advice() -> None:
    status = printer_for(f"tcp:127.0.0.1:{refused_port()}").status()

    assert status.state is DeviceState.ABSENT
    assert "未连接或未开机" in status.description
    assert "电源" in status.advice


def test_status_of_a_late_or_silent_printer_returns_within_two_seconds() -> None:
    with TcpPrinter(status=STATUS_OK, answer_delay_s=1.5) as late:
        started = time.monotonic()
        status = printer_for(late.setting).status()
        elapsed = time.monotonic() - started

    assert elapsed < 2.0
    assert status.state is DeviceState.OK
    assert "不回答状态查询" in status.description


def test_status_of_a_printer_that_never_accepts_is_absent_within_two_seconds() -> None:
    with TcpPrinter(accept=False) as listener:
        listener.fill_backlog()
        started = time.monotonic()
        status = printer_for(listener.setting).status()
        elapsed = time.monotonic() - started

    assert status.state is DeviceState.ABSENT
    assert elapsed < 2.0


# -- file printer and missing back ends -------------------------------------------------

def test_file_printer_appends_every_job_and_is_simulated(tmp_path: Path) -> None:
    target = tmp_path / "journal" / "receipts.prn"
    printer = printer_for(f"file:{target}")

    printer.print_document(RECEIPT)
    printer.print_document(RECEIPT)

    assert target.read_bytes() == bytes_of(RECEIPT) * 2
    status = printer.status()
    assert status.state is DeviceState.SIMULATED
    assert str(target) in status.description


def test_file_printer_that_cannot_write_is_offline(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")

    with pytest.raises(PrinterOffline) as offline:
        printer_for(f"file:{blocker}/receipts.prn").print_document(RECEIPT)

    assert "文件打印机" in offline.value.message


def test_usb_printer_failure_is_a_printer_fault_in_chinese() -> None:
    # Without pyusb: a component is missing (not retryable); with it: no such device.
    with pytest.raises(PrinterFault) as fault:
        printer_for("usb:0416:5011").print_document(RECEIPT)

    assert "USB 打印机 0416:5011" in fault.value.message


# -- the setting ------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("file", PrinterConfig(PrinterKind.FILE, str(DEFAULT_FILE))),
        ("file:", PrinterConfig(PrinterKind.FILE, str(DEFAULT_FILE))),
        ("file:/tmp/a,b.prn,paper=58",
         PrinterConfig(PrinterKind.FILE, "/tmp/a,b.prn", paper_mm=58)),
        ("tcp:192.168.1.50", PrinterConfig(PrinterKind.TCP, "192.168.1.50", port=9100)),
        ("tcp:192.168.1.50:9100,paper=58",
         PrinterConfig(PrinterKind.TCP, "192.168.1.50", port=9100, paper_mm=58)),
        (" TCP:printer.local:9101 , qr=image , drawer=none ",
         PrinterConfig(PrinterKind.TCP, "printer.local", port=9101, qr_native=False,
                       drawer_pin=None)),
        ("tcp:[::1]:9100", PrinterConfig(PrinterKind.TCP, "::1", port=9100)),
        ("usb:0416:5011", PrinterConfig(PrinterKind.USB, vendor_id=0x0416, product_id=0x5011)),
        ("usb:0x04b8:0x0202,drawer=5",
         PrinterConfig(PrinterKind.USB, vendor_id=0x04B8, product_id=0x0202, drawer_pin=5)),
        ("serial:/dev/ttyUSB0", PrinterConfig(PrinterKind.SERIAL, "/dev/ttyUSB0")),
        ("serial:/dev/ttyS0:115200",
         PrinterConfig(PrinterKind.SERIAL, "/dev/ttyS0", baudrate=115200)),
        ("serial:COM3:19200", PrinterConfig(PrinterKind.SERIAL, "COM3", baudrate=19200)),
        ("cups:receipt", PrinterConfig(PrinterKind.CUPS, "receipt")),
        ("cups", PrinterConfig(PrinterKind.CUPS, "")),
    ],
)
def test_printer_setting_is_parsed(setting: str, expected: PrinterConfig) -> None:
    assert parse_printer_config(setting, default_file=DEFAULT_FILE) == expected


def test_paper_option_sets_the_columns() -> None:
    assert parse_printer_config("tcp:h,paper=58", default_file=DEFAULT_FILE).columns == 32
    assert parse_printer_config("tcp:h", default_file=DEFAULT_FILE).columns == 48
    assert printer_for("tcp:h,paper=58").columns == 32


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ("", "未知的连接方式"),
        ("lpt:1", "未知的连接方式“lpt”"),
        ("tcp:", "缺少打印机的 IP 地址"),
        ("tcp:10.0.0.5:abc", "端口“abc”"),
        ("tcp:10.0.0.5:70000", "1–65535"),
        ("tcp:fe80::1", "[地址]:端口"),
        ("usb:0416", "usb:厂商ID:产品ID"),
        ("usb:04g6:5011", "“04g6”不是十六进制"),
        ("usb:0000:5011", "超出范围"),
        ("serial:", "缺少串口设备"),
        ("serial:/dev/ttyS0:1234", "波特率 1234 不支持"),
        ("tcp:10.0.0.5,paper=76", "只能是 58 或 80"),
        ("tcp:10.0.0.5,qr=svg", "qr 只能是 native"),
        ("tcp:10.0.0.5,drawer=3", "钱箱"),
        ("tcp:10.0.0.5,paper=58,paper=80", "选项 paper 重复"),
    ],
)
def test_invalid_printer_setting_is_refused_in_chinese(setting: str, words: str) -> None:
    with pytest.raises(PrinterConfigError) as refused:
        parse_printer_config(setting, default_file=DEFAULT_FILE)

    assert words in refused.value.message
    assert "可用格式" in refused.value.message or "只能是" in refused.value.message
    assert not refused.value.retryable


def test_probe_describes_the_parsed_setting_and_refuses_a_bad_one(tmp_path: Path) -> None:
    simulated = PrinterConfigProbe("file", tmp_path).status()
    network = PrinterConfigProbe("tcp:10.0.0.5,paper=58", tmp_path).status()
    bad = PrinterConfigProbe("tcp:10.0.0.5:x", tmp_path).status()

    assert simulated.state is DeviceState.SIMULATED
    assert str(tmp_path / "receipts.prn") in simulated.description
    assert network.state is DeviceState.OK and "10.0.0.5:9100" in network.description
    assert bad.state is DeviceState.FAULT and "端口“x”" in bad.description
