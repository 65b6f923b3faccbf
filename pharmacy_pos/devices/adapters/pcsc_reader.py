"""Social-security card reader over PC/SC: APDUs through pyscard and pcscd.

The APDU logic (:func:`read_ssse`) talks to a :class:`Transport` only, so it can be
tested by replaying exact frames; :class:`PcscCardReader` supplies the real transport
(``smartcard.scard`` → pcscd → reader driver → card) and translates every PC/SC failure
into the port's faults with a message a cashier understands (DEVICES.md §1).

Sequence: SELECT the SSSE application by AID, SELECT EF05 (P1=02, falling back to P1=00),
READ RECORD 01–07, optionally VERIFY PIN, SELECT EF06, READ RECORD 08–0D, then
:func:`~pharmacy_pos.domain.card.record_from_files`. T=0 answers are completed here:
``61xx`` → GET RESPONSE ``00 C0 00 00 xx``, ``6Cxx`` → the same command again with Le=xx
(neither pyscard's ``transmit`` nor pcscd does this for an APDU-level reader).

A read is all or nothing (ID-7): it runs inside one PC/SC transaction and either returns
the whole record or raises; a card pulled in the middle raises :class:`CardRemoved`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from smartcard import scard

from pharmacy_pos.devices.adapters.probes import VIRTUAL_READER_PREFIX
from pharmacy_pos.devices.ports import (
    CardReaderFault,
    CardRemoved,
    CardUnreadable,
    DeviceState,
    DeviceStatus,
    NoCardPresent,
    PinRejected,
    PinRequired,
    ReaderUnavailable,
)
from pharmacy_pos.domain.card import (
    EF05_RECORDS,
    EF06_RECORDS,
    CardDataError,
    CardRecord,
    parse_record,
    record_from_files,
)

#: AID of the social-security application: GBK bytes of "sx1.sh.社会保障".
SSSE_AID = bytes.fromhex("7378312E73682EC9E7BBE1B1A3D5CF")

# Messages shown to the cashier (each says what to do next).
MSG_NO_SERVICE = "读卡服务未运行或读卡器未连接，请检查读卡器连接后重试"
MSG_NO_CARD = "读卡器中没有卡，请插入社保卡"
MSG_PULLED = "读卡中卡片被拔出，请重新插卡"
MSG_LINK_LOST = "与卡片的通信中断，请重新插卡"
MSG_MUTE = "卡片无应答，请确认插卡方向正确后重新插卡"
MSG_NOT_SSSE = "此卡不是社会保障卡（卡内没有社保应用），请确认插入的是社保卡"
MSG_BUSY = "读卡器正被其他程序占用，请关闭其他读卡程序后重试"
MSG_PIN_REQUIRED = "此卡需要输入社保卡密码才能读取个人信息"
MSG_PIN_BLOCKED = "社保卡密码已锁定，请持卡人到社保经办机构解锁"

#: How long to wait, after the card stopped answering, for pcscd to report the slot
#: empty: the vpcd driver is polled every 400 ms, real readers report within tens of ms.
REMOVAL_WAIT_S = 1.0
#: A card asking for more GET RESPONSE rounds than this is not behaving.
MAX_GET_RESPONSE = 16

_SERVICE_GONE = frozenset({
    scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED, scard.SCARD_F_COMM_ERROR,
    scard.SCARD_E_NO_READERS_AVAILABLE, scard.SCARD_E_UNKNOWN_READER,
    scard.SCARD_E_READER_UNAVAILABLE, scard.SCARD_E_INVALID_HANDLE,
})
_NO_CARD = frozenset({scard.SCARD_E_NO_SMARTCARD, scard.SCARD_W_REMOVED_CARD})
_CARD_MUTE = frozenset({
    scard.SCARD_W_UNRESPONSIVE_CARD, scard.SCARD_W_UNPOWERED_CARD,
    scard.SCARD_W_UNSUPPORTED_CARD, scard.SCARD_E_PROTO_MISMATCH,
    scard.SCARD_E_CARD_UNSUPPORTED,
})


class Transport(Protocol):
    """Sends one command APDU to the card and returns ``(data, sw1, sw2)``.

    Implementations raise a :class:`~pharmacy_pos.devices.ports.CardReaderFault` when
    the card or reader is gone; they never complete T=0 exchanges themselves.
    """

    def transmit(self, apdu: bytes) -> tuple[bytes, int, int]:
        """One command, one answer."""
        ...


# -- the APDU logic ------------------------------------------------------------------------

def read_ssse(transport: Transport, *, pin: str | None = None) -> CardRecord:
    """Read EF05 and EF06 of the SSSE application into a :class:`CardRecord`.

    Args:
        transport: The link to the card.
        pin: Verified before EF06 when given (digits, sent as BCD).

    Raises:
        CardUnreadable: the card is not a social-security card or its data is malformed.
        PinRequired, PinRejected: the card wants a (correct) PIN for EF06.
        CardRemoved, ReaderUnavailable: from the transport.
    """
    session = _ApduSession(transport)
    session.select_application()
    ef05 = session.read_file(b"\xef\x05", EF05_RECORDS)
    if pin is not None:
        session.verify_pin(pin)
    ef06 = session.read_file(b"\xef\x06", EF06_RECORDS, pin_given=pin is not None)
    try:
        return record_from_files(ef05, ef06)
    except CardDataError as exc:
        raise CardUnreadable(f"社保卡数据无法识别: {exc.message}") from None


class _ApduSession:
    """Command/answer exchanges with T=0 completion and status-word checks."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    def exchange(self, apdu: bytes) -> tuple[bytes, int]:
        """Send ``apdu``; complete 6Cxx and 61xx; return ``(data, sw)``."""
        data, sw1, sw2 = self._send_fixing_le(apdu)
        collected = bytearray(data)
        rounds = 0
        while sw1 == 0x61:
            rounds += 1
            if rounds > MAX_GET_RESPONSE:
                raise CardUnreadable("卡片应答数据过长或不结束，此卡无法识别")
            data, sw1, sw2 = self._send_fixing_le(bytes([0x00, 0xC0, 0x00, 0x00, sw2]))
            collected += data
        return bytes(collected), (sw1 << 8) | sw2

    def _send_fixing_le(self, apdu: bytes) -> tuple[bytes, int, int]:
        data, sw1, sw2 = self.transport.transmit(apdu)
        if sw1 != 0x6C:
            return data, sw1, sw2
        # 6Cxx: "wrong Le, xx bytes available": the same command once more with Le = xx.
        if not _has_le(apdu):
            raise CardUnreadable(f"卡片应答异常（状态字 6C{sw2:02X}），此卡无法识别")
        data, sw1, sw2 = self.transport.transmit(apdu[:-1] + bytes([sw2]))
        if sw1 == 0x6C:
            raise CardUnreadable("卡片反复要求不同的应答长度，此卡无法识别")
        return data, sw1, sw2

    def select_application(self) -> None:
        """SELECT the SSSE application by its AID."""
        _, sw = self.exchange(bytes([0x00, 0xA4, 0x04, 0x00, len(SSSE_AID)]) + SSSE_AID)
        if sw == 0x6A82:
            raise CardUnreadable(MSG_NOT_SSSE)
        if sw != 0x9000:
            raise CardUnreadable(f"卡片拒绝打开社保应用（状态字 {sw:04X}），请重新插卡")

    def select_file(self, fid: bytes) -> None:
        """SELECT an elementary file by identifier: P1=02 first, P1=00 for cards that want it."""
        sw = 0
        for p1 in (0x02, 0x00):
            _, sw = self.exchange(bytes([0x00, 0xA4, p1, 0x00, len(fid)]) + fid)
            if sw == 0x9000:
                return
        raise CardUnreadable(
            f"无法打开卡片文件 {fid.hex().upper()}（状态字 {sw:04X}），此卡无法识别")

    def read_file(self, fid: bytes, records: dict[int, tuple[str, int]], *,
                  pin_given: bool = False) -> dict[int, bytes]:
        """SELECT ``fid`` and READ RECORD each record by identifier; tag -> value.

        A record the card says it does not have (6A83) is left out: whether it was
        needed is decided by :func:`record_from_files`.
        """
        self.select_file(fid)
        values: dict[int, bytes] = {}
        for tag, (_field, max_len) in records.items():
            data, sw = self.exchange(bytes([0x00, 0xB2, tag, 0x04, max_len + 2]))
            if sw == 0x6A83:
                continue
            if sw == 0x6982:
                if pin_given:
                    raise PinRejected("社保卡密码验证未通过，无法读取个人信息，请重新输入密码")
                raise PinRequired(MSG_PIN_REQUIRED)
            if sw != 0x9000 and not (sw >> 8 == 0x62 and data):
                raise CardUnreadable(
                    f"读取卡片记录 {tag:02X} 失败（状态字 {sw:04X}），此卡无法识别")
            try:
                values[tag] = parse_record(data, tag, max_len)
            except CardDataError as exc:
                raise CardUnreadable(f"社保卡数据无法识别: {exc.message}") from None
        return values

    def verify_pin(self, pin: str) -> None:
        """VERIFY ``00 20 00 00`` with the PIN as BCD (odd lengths padded with F).

        Raises:
            PinRejected: wrong PIN (with the tries left) or blocked.
        """
        if not pin.isdigit() or not 4 <= len(pin) <= 12:
            raise PinRejected("社保卡密码应为 4 到 12 位数字，请重新输入")
        bcd = bytes.fromhex(pin + ("F" if len(pin) % 2 else ""))
        _, sw = self.exchange(bytes([0x00, 0x20, 0x00, 0x00, len(bcd)]) + bcd)
        if sw == 0x9000:
            return
        if sw in (0x6983, 0x63C0):
            raise PinRejected(MSG_PIN_BLOCKED, retryable=False)
        if sw >> 4 == 0x63C:
            raise PinRejected(f"社保卡密码错误，还可尝试 {sw & 0x0F} 次，请重新输入")
        raise CardUnreadable(f"卡片拒绝验证密码（状态字 {sw:04X}），请重新插卡")


def _has_le(apdu: bytes) -> bool:
    # Short APDUs: case 2 is header + Le; case 4 is header + Lc + data + Le.
    if len(apdu) == 5:
        return True
    return len(apdu) > 5 and len(apdu) == 6 + apdu[4]


# -- PC/SC ---------------------------------------------------------------------------------

class PcscTransport:
    """:class:`Transport` over one connected PC/SC card handle.

    A failed exchange is explained by looking at the slot: empty (within
    ``removal_wait_s``) → :class:`CardRemoved`; pcscd gone → :class:`ReaderUnavailable`;
    otherwise the card stopped answering → :class:`CardUnreadable`.
    """

    def __init__(self, context: int, reader: str, handle: int, protocol: int, *,
                 removal_wait_s: float = REMOVAL_WAIT_S) -> None:
        self.context = context
        self.reader = reader
        self.handle = handle
        self.protocol = protocol
        self.removal_wait_s = removal_wait_s

    def transmit(self, apdu: bytes) -> tuple[bytes, int, int]:
        """Send one APDU through pcscd."""
        hresult, response = scard.SCardTransmit(self.handle, self.protocol, list(apdu))
        if hresult == scard.SCARD_S_SUCCESS and len(response) >= 2:
            return bytes(response[:-2]), response[-2], response[-1]
        # pcscd answers "success, 0 bytes" when the card's connection dropped mid-APDU.
        raise self.explain_failure(hresult)

    def explain_failure(self, hresult: int) -> CardReaderFault:
        """The fault for a failed exchange, after checking what became of the card."""
        if hresult in (scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED):
            return ReaderUnavailable(MSG_NO_SERVICE)
        if hresult in _NO_CARD:
            return CardRemoved(MSG_PULLED)
        state = _wait_until_empty(self.context, self.reader, self.removal_wait_s)
        if state is None:
            return ReaderUnavailable(MSG_NO_SERVICE)
        if not state & scard.SCARD_STATE_PRESENT:
            return CardRemoved(MSG_PULLED)
        return CardUnreadable(MSG_LINK_LOST)


def _wait_until_empty(context: int, reader: str, timeout_s: float) -> int | None:
    """The reader's state once the card is gone or ``timeout_s`` passed; None: no pcscd."""
    hresult, states = scard.SCardGetStatusChange(
        context, 0, [(reader, scard.SCARD_STATE_UNAWARE)])
    deadline = time.monotonic() + timeout_s
    while hresult == scard.SCARD_S_SUCCESS:
        current = states[0][1]
        left_ms = int((deadline - time.monotonic()) * 1000)
        if not current & scard.SCARD_STATE_PRESENT or left_ms <= 0:
            return current
        hresult, states = scard.SCardGetStatusChange(
            context, left_ms, [(reader, current & ~scard.SCARD_STATE_CHANGED)])
        if hresult == scard.SCARD_E_TIMEOUT:
            return current
    return None


def fault_for(hresult: int, *, reader: str = "") -> CardReaderFault:
    """Translate a PC/SC result code from connecting or listing into a port fault."""
    if hresult in _NO_CARD:
        return NoCardPresent(MSG_NO_CARD)
    if hresult in (scard.SCARD_E_UNKNOWN_READER, scard.SCARD_E_READER_UNAVAILABLE) and reader:
        return ReaderUnavailable(f"读卡器“{reader}”未连接，请检查读卡器的连接线后重试")
    if hresult in _SERVICE_GONE:
        return ReaderUnavailable(MSG_NO_SERVICE)
    if hresult in _CARD_MUTE:
        return CardUnreadable(MSG_MUTE)
    if hresult == scard.SCARD_E_SHARING_VIOLATION:
        return ReaderUnavailable(MSG_BUSY)
    return ReaderUnavailable(
        f"读卡失败（读卡服务返回 {hresult & 0xFFFFFFFF:08X}: "
        f"{scard.SCardGetErrorMessage(hresult)}），请重新插卡；多次失败请检查读卡器")


@contextmanager
def pcsc_context() -> Iterator[int]:
    """A PC/SC context for the duration of the block.

    Raises:
        ReaderUnavailable: pcscd is not running (or refuses us).
    """
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        raise fault_for(hresult)
    try:
        yield context
    finally:
        scard.SCardReleaseContext(context)


def list_readers(context: int) -> list[str]:
    """Reader names pcscd knows (empty when none is connected)."""
    hresult, readers = scard.SCardListReaders(context, [])
    if hresult == scard.SCARD_E_NO_READERS_AVAILABLE:
        return []
    if hresult != scard.SCARD_S_SUCCESS:
        raise fault_for(hresult)
    return list(readers)


def matching_readers(readers: list[str], wanted: str | None) -> list[str]:
    """The readers a setting names: all for None, else the exact name or, failing that,
    every reader whose name starts with it ("Virtual PCD" → "Virtual PCD 00 00", "… 00 01";
    pcscd appends slot numbers, and a USB serial number, to the model name)."""
    if wanted is None:
        return list(readers)
    if wanted in readers:
        return [wanted]
    return [name for name in readers if name.startswith(wanted)]


def reader_states(context: int, readers: list[str]) -> dict[str, int]:
    """Current event state of each reader (no waiting)."""
    if not readers:
        return {}
    hresult, states = scard.SCardGetStatusChange(
        context, 0, [(name, scard.SCARD_STATE_UNAWARE) for name in readers])
    if hresult != scard.SCARD_S_SUCCESS:
        raise fault_for(hresult)
    return {name: state for name, state, _atr in states}


class PcscCardReader:
    """A :class:`~pharmacy_pos.devices.ports.CardReader` reading by APDU over PC/SC.

    Args:
        reader: The PC/SC reader name (``"Virtual PCD 00 00"``), the start of one
            (``"Virtual PCD"``: whichever of those readers holds a card), or None for
            the first reader holding a card.
        removal_wait_s: How long a failed exchange waits for pcscd to report the slot
            empty before calling it a pulled card.

    Each read opens its own PC/SC context, so a pcscd restart between two reads needs
    nothing from the caller; reads through one object are serialised.
    """

    def __init__(self, reader: str | None = None, *,
                 removal_wait_s: float = REMOVAL_WAIT_S) -> None:
        self.reader = reader
        self.removal_wait_s = removal_wait_s
        self._lock = threading.Lock()

    def read_card(self, *, pin: str | None = None) -> CardRecord:
        """Read the card now in the reader.

        Args:
            pin: The holder's PIN, for cards that keep EF06 behind one.

        Raises:
            NoCardPresent, CardRemoved, ReaderUnavailable, CardUnreadable, PinRequired,
            PinRejected: each with a Chinese message saying what to do.
        """
        with self._lock, pcsc_context() as context:
            name = self._resolve(context)
            hresult, handle, protocol = scard.SCardConnect(
                context, name, scard.SCARD_SHARE_SHARED,
                scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1)
            if hresult != scard.SCARD_S_SUCCESS:
                raise fault_for(hresult, reader=name)
            transport = PcscTransport(context, name, handle, protocol,
                                      removal_wait_s=self.removal_wait_s)
            # Reset on the way out once a PIN was presented: the card must not stay
            # unlocked for the next program that opens it.
            disposition = scard.SCARD_RESET_CARD if pin else scard.SCARD_LEAVE_CARD
            try:
                hresult = scard.SCardBeginTransaction(handle)
                if hresult != scard.SCARD_S_SUCCESS:
                    raise transport.explain_failure(hresult)
                try:
                    return read_ssse(transport, pin=pin)
                finally:
                    scard.SCardEndTransaction(handle, scard.SCARD_LEAVE_CARD)
            finally:
                scard.SCardDisconnect(handle, disposition)

    def _resolve(self, context: int) -> str:
        readers = matching_readers(list_readers(context), self.reader)
        if not readers:
            if self.reader is None:
                raise ReaderUnavailable(MSG_NO_SERVICE)
            raise ReaderUnavailable(
                f"读卡器“{self.reader}”未连接，请检查读卡器的连接线后重试")
        if len(readers) == 1:
            return readers[0]
        for name, state in reader_states(context, readers).items():
            if state & scard.SCARD_STATE_PRESENT:
                return name
        raise NoCardPresent(MSG_NO_CARD)

    def status(self) -> DeviceStatus:
        """The reader's state for the status bar (never waits for a card)."""
        try:
            with pcsc_context() as context:
                names = matching_readers(list_readers(context), self.reader)
                states = reader_states(context, names)
        except CardReaderFault:
            return DeviceStatus("card_reader", DeviceState.FAULT, "读卡服务未运行或读卡器未连接",
                                "请确认读卡服务（pcscd）已启动、读卡器已连接")
        if not names:
            missing = f"读卡器“{self.reader}”未连接" if self.reader else "未检测到读卡器"
            return DeviceStatus("card_reader", DeviceState.ABSENT, missing,
                                "请连接社保卡读卡器，或在演示模式下使用虚拟卡")
        parts = [f"{name}（{'已插卡' if state & scard.SCARD_STATE_PRESENT else '无卡'}）"
                 for name, state in states.items()]
        virtual = all(name.startswith(VIRTUAL_READER_PREFIX) for name in names)
        return DeviceStatus("card_reader", DeviceState.SIMULATED if virtual else DeviceState.OK,
                            "、".join(parts))
