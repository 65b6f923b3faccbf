"""Card reader back end over the ministry's vendor driver (SSCardDriver, ``iReadCardBas``).

Third-generation social-security cards (spec 3.00) withhold the holder's data from plain
APDUs; in the field they are read through the reader vendor's implementation of the
ministry's common interface (社会保障卡读写卡通用接口), a shared library exporting::

    int iReadCardBas(int iType, char *pOutInfo);

``iType``: 1 contact, 2 contactless, 3 automatic (contact first), 4 automatic
(contactless first). On success (0) ``pOutInfo`` holds a NUL-terminated, GBK-encoded,
'|'-separated line ``区划|社会保障号码|卡号|卡识别码|姓名|复位信息|规范版本|发卡日期|有效期|
终端机编号|终端设备号|``, parsed by :func:`pharmacy_pos.domain.card.record_from_vendor`.

The library is loaded with ctypes only when a :class:`VendorDriverCardReader` is
constructed (the composition root does that only when the settings name a library), so
importing this module never touches the driver.
"""

from __future__ import annotations

import ctypes
import sys
import threading
from pathlib import Path

from pharmacy_pos.devices.ports import (
    CardReaderFault,
    CardRemoved,
    CardUnreadable,
    DeviceState,
    DeviceStatus,
    NoCardPresent,
    ReaderUnavailable,
)
from pharmacy_pos.domain.card import (
    NAME_ENCODING,
    VENDOR_FIELDS,
    CardDataError,
    CardRecord,
    record_from_vendor,
)

#: Size of the output buffer handed to ``iReadCardBas``. The interface passes no length:
#: the ministry's samples use 1024 bytes and a full answer is about 200 (11 fields, a name
#: of at most 50 GBK bytes with its extension, a 32-character ATR history). 64 KiB leaves
#: a driver that writes verbose or padded output far inside the buffer; the last byte is a
#: sentinel that must still be NUL after the call (see ``_read_output``).
OUTPUT_BUFFER_SIZE = 64 * 1024

#: Card types ``iType`` accepted by the interface.
CARD_TYPES = {
    1: "接触式", 2: "非接触式", 3: "自动寻卡（接触式优先）", 4: "自动寻卡（非接触式优先）",
}

#: Output encoding. The interface says GBK; decoded as GB18030 like the card's own name
#: record (``NAME_ENCODING``): the same text for every GBK byte string, and also the
#: rarer characters of some names (生僻字, e.g. 䶮 = FE 9F) that Python's GBK codec refuses.
OUTPUT_ENCODING = NAME_ENCODING

_REINSERT = "请将社保卡重新插入读卡器后再试"
_CALL_VENDOR = "请检查读卡器连接和驱动配置，必要时联系读卡器供应商"

#: Return codes of the common interface (附录 A of the ministry's specification, as the
#: vendors' own tables list them) mapped to our faults: (fault, message, retry makes sense).
#: Any other non-zero code becomes :class:`CardUnreadable` naming the code.
RETURN_CODES: dict[int, tuple[type[CardReaderFault], str, bool]] = {
    -1: (CardUnreadable, "卡片类型不对，请确认插入的是社会保障卡", True),
    -2: (NoCardPresent, "读卡器中没有卡，请插入社保卡", True),
    -3: (CardUnreadable, "卡片未上电（插卡不到位），" + _REINSERT, True),
    # The card stopped answering mid-read: in practice it was pulled out.
    -4: (CardRemoved, "卡片无应答（读卡时卡被拔出？），" + _REINSERT, True),
    -5: (ReaderUnavailable, "读卡驱动无法加载其依赖的动态库，" + _CALL_VENDOR, False),
    -11: (ReaderUnavailable, "读卡器连接错误，请检查读卡器数据线后重试", True),
    -12: (ReaderUnavailable, "未与读卡器建立连接，请检查读卡器是否已连接", True),
    -13: (ReaderUnavailable, "读卡驱动不支持该命令，" + _CALL_VENDOR, False),
    -14: (ReaderUnavailable, "读卡驱动报告参数错误（卡类型设置不对？），" + _CALL_VENDOR, False),
    -15: (CardUnreadable, "与卡片通信校验出错，" + _REINSERT, True),
    -20: (CardUnreadable, "卡识别码格式错误，此卡无法识别", False),
    -21: (CardUnreadable, "卡片内部认证失败（不是合法的社保卡）", False),
    -2201: (ReaderUnavailable, "读卡器中没有 PSAM 卡，" + _CALL_VENDOR, False),
    -2202: (ReaderUnavailable, "读卡器的 PSAM 卡不支持此卡的算法，" + _CALL_VENDOR, False),
    -2203: (ReaderUnavailable,
            "读卡器的 PSAM 卡缺少第三代社保卡所需的密钥，" + _CALL_VENDOR, False),
}

# Every call into any vendor driver in this process is serialised on one lock: the
# drivers keep global state (open port, PSAM session) and are not thread-safe, and two
# readers loading the same file share one handle (the loader returns the same library).
_DRIVER_LOCK = threading.Lock()


class VendorDriverCardReader:
    """A :class:`~pharmacy_pos.devices.ports.CardReader` over ``iReadCardBas``.

    Args:
        library_path: The vendor's shared library (``SSCardDriver.dll``,
            ``libSSCardDriver.so``), from the settings.
        card_type: ``iType`` passed to the driver (see :data:`CARD_TYPES`); 3, automatic
            with contact first, suits the usual desktop reader.

    Raises:
        ReaderUnavailable: the library cannot be loaded or does not export
            ``iReadCardBas``.
        ValueError: ``card_type`` is not one the interface defines (a configuration bug).
    """

    def __init__(self, library_path: str | Path, card_type: int = 3) -> None:
        if card_type not in CARD_TYPES:
            raise ValueError(f"card_type must be one of {sorted(CARD_TYPES)}, not {card_type}")
        self.library_path = str(library_path)
        self.card_type = card_type
        self._last_fault: CardReaderFault | None = None
        # Windows drivers follow the specification's __stdcall; elsewhere the C default.
        loader = getattr(ctypes, "WinDLL", ctypes.CDLL) if sys.platform == "win32" else ctypes.CDLL
        try:
            library = loader(self.library_path)
        except OSError as exc:
            raise ReaderUnavailable(
                f"无法加载社保卡读卡驱动“{self.library_path}”: {exc}。请检查设置中的驱动路径",
                retryable=False,
            ) from None
        try:
            function = library.iReadCardBas
        except AttributeError:
            raise ReaderUnavailable(
                f"社保卡读卡驱动“{self.library_path}”中没有 iReadCardBas 函数，"
                "请确认配置的是部颁读卡接口的动态库",
                retryable=False,
            ) from None
        function.argtypes = (ctypes.c_int, ctypes.c_char_p)
        function.restype = ctypes.c_int
        self._library = library
        self._read_card_bas = function

    def read_card(self, *, pin: str | None = None) -> CardRecord:
        """Read the card now in the reader through the driver.

        Args:
            pin: Ignored: ``iReadCardBas`` takes no PIN (drivers that need one ask for it
                on the reader's own PIN pad).

        Raises:
            NoCardPresent, CardRemoved, ReaderUnavailable, CardUnreadable: with a Chinese
                message saying what to do.
        """
        try:
            record = self._read()
        except CardReaderFault as fault:
            self._last_fault = fault
            raise
        self._last_fault = None
        return record

    def _read(self) -> CardRecord:
        buffer = ctypes.create_string_buffer(OUTPUT_BUFFER_SIZE)
        with _DRIVER_LOCK:
            code = self._read_card_bas(self.card_type, buffer)
        if code != 0:
            raise _fault_for(code)
        text = _read_output(buffer.raw)
        try:
            return record_from_vendor(text)
        except CardDataError as exc:
            raise CardUnreadable(_explain_unparsable(text, exc.message)) from None

    def status(self) -> DeviceStatus:
        """The loaded driver, and the last read's fault if the reader itself failed.

        Does not call the driver: a status poll must never block behind a read.
        """
        description = f"社保卡读卡驱动: {self.library_path}（{CARD_TYPES[self.card_type]}）"
        fault = self._last_fault
        if isinstance(fault, ReaderUnavailable):
            advice = "请检查读卡器后重新读卡" if fault.retryable else _CALL_VENDOR
            return DeviceStatus("card_reader", DeviceState.FAULT,
                                f"{description}；上次读卡: {fault.message}", advice)
        return DeviceStatus("card_reader", DeviceState.OK, description)


def _fault_for(code: int) -> CardReaderFault:
    known = RETURN_CODES.get(code)
    if known is None:
        return CardUnreadable(f"读卡失败，读卡驱动返回未知错误代码 {code}，" + _REINSERT)
    fault_class, message, retryable = known
    return fault_class(f"{message}（驱动返回 {code}）", retryable=retryable)


def _read_output(raw: bytes) -> str:
    """The driver's text: bytes up to the first NUL, decoded.

    Raises:
        CardUnreadable: the sentinel byte was overwritten, or the bytes are not GBK text.
    """
    if raw[-1] != 0:
        # The driver wrote up to the very end of the buffer (or past it): whatever it said
        # is cut off, and memory beyond may be damaged, so nothing of it is trusted.
        raise CardUnreadable(
            f"读卡驱动返回的数据超过 {OUTPUT_BUFFER_SIZE} 字节，无法识别，" + _CALL_VENDOR,
            retryable=False,
        )
    data = raw[: raw.index(0)]
    try:
        return data.decode(OUTPUT_ENCODING)
    except UnicodeDecodeError:
        raise CardUnreadable(
            "读卡驱动返回的数据编码无法识别（不是 GBK 文本），" + _REINSERT) from None


def _explain_unparsable(text: str, reason: str) -> str:
    # A third-generation card read without the issuer's security module comes back with
    # its number and holder blank: say so, rather than "card number empty".
    fields = dict(zip(VENDOR_FIELDS, (p.strip() for p in text.split("|")), strict=False))
    blank = not fields.get("card_number") and not fields.get("ssn")
    if blank and fields.get("spec_version", "").startswith("3"):
        return ("第三代社保卡的卡号和个人信息未能读出（读卡器未获得安全模块授权），"
                "请联系读卡器供应商，或请顾客使用医保电子凭证")
    return f"社保卡数据无法识别: {reason}"
