"""Status probes for the card reader and the receipt printer (about panel, status bar)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pharmacy_pos.devices.ports import (
    DeviceState,
    DeviceStatus,
    PrinterConfigError,
    PrinterKind,
    parse_printer_config,
)

VIRTUAL_READER_PREFIX = "Virtual PCD"
#: The simulated printer's file in the data folder, for the setting ``file``.
DEFAULT_RECEIPT_FILE = "receipts.prn"


@dataclass(frozen=True, slots=True)
class PcscReaderProbe:
    """Lists PC/SC readers through pyscard and pcscd; ``configured`` is the settings value."""

    configured: str = "auto"

    def status(self) -> DeviceStatus:
        """Readers seen now, or why none can be seen."""
        if self.configured == "none":
            return DeviceStatus("card_reader", DeviceState.ABSENT, "未配置读卡器")
        try:
            from smartcard.System import readers  # pyscard; pcscd must be running

            names = [str(r) for r in readers()]
        except Exception as exc:  # pyscard raises several types when pcscd is absent
            return DeviceStatus(
                "card_reader", DeviceState.FAULT, f"无法访问读卡服务: {exc}",
                "请确认 pcscd 服务已启动（sudo systemctl start pcscd）",
            )
        if not names:
            return DeviceStatus(
                "card_reader", DeviceState.ABSENT, "未检测到读卡器",
                "请连接社保卡读卡器，或在演示模式下使用虚拟卡",
            )
        virtual = all(n.startswith(VIRTUAL_READER_PREFIX) for n in names)
        state = DeviceState.SIMULATED if virtual else DeviceState.OK
        return DeviceStatus("card_reader", state, "、".join(names))


@dataclass(frozen=True, slots=True)
class PrinterConfigProbe:
    """Describes the configured receipt printer (syntax: :func:`parse_printer_config`).

    Reads the setting only; :meth:`EscposPrinter.status
    <pharmacy_pos.devices.adapters.escpos_printer.EscposPrinter.status>` asks the printer.
    """

    configured: str
    data_dir: Path

    def status(self) -> DeviceStatus:
        """What printer is configured, or why the setting cannot be used."""
        try:
            config = parse_printer_config(
                self.configured, default_file=self.data_dir / DEFAULT_RECEIPT_FILE)
        except PrinterConfigError as exc:
            return DeviceStatus(
                "printer", DeviceState.FAULT, exc.message,
                "请在设置中选择 file / tcp / usb / serial / cups",
            )
        if config.kind is PrinterKind.FILE:
            return DeviceStatus("printer", DeviceState.SIMULATED, config.describe())
        return DeviceStatus("printer", DeviceState.OK, config.describe())
