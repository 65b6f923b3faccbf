"""Status probes for the card reader and the receipt printer (about panel, status bar)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pharmacy_pos.devices.ports import DeviceState, DeviceStatus

VIRTUAL_READER_PREFIX = "Virtual PCD"


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
    """Describes the configured receipt printer ("file:PATH", "tcp:HOST:PORT", "usb:...")."""

    configured: str
    data_dir: Path

    def status(self) -> DeviceStatus:
        """What printer is configured; real status queries come with the printer adapters."""
        kind, _, target = self.configured.partition(":")
        if kind == "file":
            path = Path(target) if target else self.data_dir / "receipts.prn"
            return DeviceStatus("printer", DeviceState.SIMULATED, f"文件打印机: {path}")
        if kind == "tcp":
            return DeviceStatus("printer", DeviceState.OK, f"网络打印机: {target}")
        if kind in ("usb", "serial", "cups"):
            return DeviceStatus("printer", DeviceState.OK, f"{kind.upper()} 打印机: {target}")
        return DeviceStatus(
            "printer", DeviceState.FAULT, f"打印机配置无法识别: {self.configured}",
            "请在设置中选择 file / tcp / usb / serial / cups",
        )
