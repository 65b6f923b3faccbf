"""A virtual social-security card speaking the vpcd protocol (vsmartcard-vpcd).

``pcscd`` with the ``vsmartcard-vpcd`` driver shows readers "Virtual PCD 00 00" and
"Virtual PCD 00 01", each listening on a TCP port (35963 and 35964 by default). A
process that connects to that port *is* a card in the reader; closing the connection
pulls it out. This module is such a card: it holds one holder's data encoded as the
files EF05/EF06 of the SSSE application (DEVICES.md §1) and answers the APDUs a reader
sends, so the whole stack (pyscard, pcscd, the driver) runs for real in tests, in the
demo and in training.

Use it in-process (``card.insert()`` / ``card.remove()``, or ``with VirtualCard(...)``)
or as a program::

    python -m pharmacy_pos.devices.adapters.virtual_card --holder valid \
        [--port 35963] [--insert-for SECONDS]

Behaviours a test can switch on: T=0 answers that need GET RESPONSE (``61xx``) or a
resend with the right Le (``6Cxx``), a card that only accepts ``P1=00`` when selecting
an EF, a PIN, garbage answers, a delay per APDU and "pull after N APDUs" (the connection
is closed mid-read, like a card yanked out of the slot).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import logging
import operator
import random
import signal
import socket
import struct
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from pharmacy_pos.domain.ids import id_check_digit

log = logging.getLogger(__name__)

#: Default TCP port of the first vpcd reader (0x8C7B, /etc/reader.conf.d/vpcd).
VPCD_PORT = 0x8C7B
VPCD_HOST = "127.0.0.1"

#: AID of the social-security application: GBK bytes of "sx1.sh.社会保障".
SSSE_AID = bytes.fromhex("7378312E73682EC9E7BBE1B1A3D5CF")
EF05 = b"\xef\x05"
EF06 = b"\xef\x06"

#: Card number of the ``lost`` holder; tests put it on the blacklist (ID-3).
LOST_CARD_NUMBER = "L00000913"
#: PIN of the ``pin`` holder.
DEMO_PIN = "123456"

# vpcd control messages (one byte); only "get ATR" is answered.
CTRL_OFF, CTRL_ON, CTRL_RESET, CTRL_ATR = 0, 1, 2, 4

# ATRs. T=0 only: TS, T0 = 0x0A (no interface bytes, 10 historical bytes), no TCK.
# T=1: TD1 = 0x80 / TD2 = 0x01 announce T=1, then 10 historical bytes and TCK (the XOR
# of every byte after TS), which ISO 7816-3 requires once T=1 is offered.
_HISTORICAL = b"SSCARD-VPC"
ATR_T0 = bytes([0x3B, 0x0A]) + _HISTORICAL
_T1_BODY = bytes([0x8A, 0x80, 0x01]) + _HISTORICAL
ATR_T1 = bytes([0x3B]) + _T1_BODY + bytes([functools.reduce(operator.xor, _T1_BODY, 0)])

SW_OK = b"\x90\x00"


class T0Mode(StrEnum):
    """How the card hands out response data."""

    NONE = "none"    # data + 9000 in the answer to the command itself (T=1 style)
    GET_RESPONSE = "61"  # answer 61xx; the data comes with GET RESPONSE 00 C0 00 00 xx
    WRONG_LE = "6c"  # answer 6Cxx unless Le is exactly the data length; resend with Le=xx


@dataclass(frozen=True, slots=True)
class Holder:
    """What one virtual card stores (values as the card file holds them, not parsed).

    Dates are written as BCD ``YYYYMMDD``; ``None`` writes zeros ("not set").
    """

    key: str
    card_id: bytes          # 卡识别码, 16 bytes; its first 3 bytes are the region code
    card_number: str        # 卡号, 9 ASCII characters
    ssn: str                # 社会保障号码, 18 characters
    name: str               # 姓名, GBK, padded to 30 bytes
    sex: str                # "1" male, "2" female, "" not set
    birth_date: date | None
    issue_date: date | None
    expiry_date: date | None
    spec_version: str = "2.00"
    card_type: str = "1"
    init_org: str = "110000000001"   # 初始化机构编号, 12 characters
    ethnicity: int = 1       # 民族 code (01 = 汉族), one binary byte
    birth_place: str = ""    # 出生地: region code, 6 digits as 3 BCD bytes
    pin: str | None = None   # PIN needed before EF06 can be read
    garbage: bool = False    # answer every APDU with junk

    def ef05(self) -> dict[int, bytes]:
        """Record number -> value of EF05 (basic card data)."""
        return {
            0x01: self.card_id,
            0x02: _pad(self.card_type.encode("ascii"), 1),
            0x03: _pad(self.spec_version.encode("ascii"), 4),
            0x04: _pad(self.init_org.encode("ascii"), 12),
            0x05: _bcd_date(self.issue_date),
            0x06: _bcd_date(self.expiry_date),
            0x07: _pad(self.card_number.encode("ascii"), 9),
        }

    def ef06(self) -> dict[int, bytes]:
        """Record number -> value of EF06 (the holder); zeros where a field is empty."""
        return {
            0x08: _pad(self.ssn.encode("ascii"), 18),
            0x09: _pad(self.name.encode("gbk"), 30),
            0x0A: _pad(self.sex.encode("ascii"), 1),
            0x0B: bytes([self.ethnicity]),
            0x0C: bytes.fromhex(self.birth_place) if self.birth_place else b"\x00" * 3,
            0x0D: _bcd_date(self.birth_date),
        }

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Holder:
        """A holder from JSON-like data (``--holder-file``).

        Dates are ``YYYY-MM-DD``, ``card_id`` 32 hex digits; missing fields are taken
        from the ``valid`` holder.

        Raises:
            ValueError: a value cannot be stored on the card.
        """
        values: dict[str, Any] = {"key": "custom"}
        for key, value in data.items():
            if key in ("birth_date", "issue_date", "expiry_date"):
                values[key] = date.fromisoformat(value) if value else None
            elif key == "card_id":
                values[key] = bytes.fromhex(value)
            else:
                values[key] = value
        holder = replace(HOLDERS["valid"], **values)
        if len(holder.card_id) != 16:
            raise ValueError("card_id must be 16 bytes (32 hex digits)")
        holder.ef05()  # raise now if a value is too long for its record
        holder.ef06()
        return holder


def _pad(value: bytes, length: int) -> bytes:
    if len(value) > length:
        raise ValueError(f"{value!r} is longer than {length} bytes")
    return value + b"\x00" * (length - len(value))


def _bcd_date(value: date | None) -> bytes:
    return bytes.fromhex(value.strftime("%Y%m%d")) if value else b"\x00" * 4


def _id(body17: str) -> str:
    return body17 + id_check_digit(body17)


def _card_id(region: str, serial: str) -> bytes:
    # 卡识别码: region code, the issuer's registered prefix D156000005, a serial.
    return bytes.fromhex(f"{region}D156000005{serial}")


_VALID = Holder(
    key="valid", card_id=_card_id("110105", "0A1B2C3D4E5F6071"), card_number="A10000001",
    ssn=_id("11010519800315123"), name="张三丰", sex="1", birth_date=date(1980, 3, 15),
    issue_date=date(2023, 6, 1), expiry_date=date(2033, 6, 1), birth_place="110105",
)

#: The built-in holders, by name.
HOLDERS: dict[str, Holder] = {
    "valid": _VALID,
    "expired": replace(
        _VALID, key="expired", card_id=_card_id("440306", "1122334455667788"),
        card_number="B20000002", ssn=_id("44030619920708262"), name="李秀英", sex="2",
        birth_date=date(1992, 7, 8), issue_date=date(2010, 5, 20),
        expiry_date=date(2020, 5, 20), birth_place="440306",
    ),
    "bad_check_digit": replace(
        _VALID, key="bad_check_digit", card_id=_card_id("320502", "2233445566778899"),
        card_number="C30000003",
        # correct check digit would be 9
        ssn="320502198804121375", name="王建国", sex="1", birth_date=date(1988, 4, 12),
        issue_date=date(2022, 1, 10), expiry_date=date(2032, 1, 10), birth_place="320502",
    ),
    "lost": replace(
        _VALID, key="lost", card_id=_card_id("510107", "33445566778899AA"),
        card_number=LOST_CARD_NUMBER, ssn=_id("51010719661103284"), name="赵丽华", sex="2",
        birth_date=date(1966, 11, 3), issue_date=date(2021, 9, 1),
        expiry_date=date(2031, 9, 1), birth_place="510107",
    ),
    "third_generation": replace(
        _VALID, key="third_generation", card_id=_card_id("330106", "445566778899AABB"),
        card_number="E50000005", spec_version="3.00", ssn="", name="", sex="",
        ethnicity=0, birth_place="", birth_date=None, issue_date=date(2024, 3, 1),
        expiry_date=date(2034, 3, 1),
    ),
    "garbage": replace(_VALID, key="garbage", garbage=True),
    "pin": replace(
        _VALID, key="pin", card_id=_card_id("310104", "5566778899AABBCC"),
        card_number="P60000006", ssn=_id("31010419750620451"), name="陈志强", sex="1",
        birth_date=date(1975, 6, 20), issue_date=date(2024, 1, 15),
        expiry_date=date(2034, 1, 15), birth_place="310104", pin=DEMO_PIN,
    ),
}


@dataclass
class _Session:
    """What the card remembers between APDUs; cleared by power-on and reset."""

    app_selected: bool = False
    current_ef: bytes | None = None
    pin_verified: bool = False
    pending: bytes = b""      # response data waiting for GET RESPONSE
    pin_tries: int = 3


@dataclass
class CardLog:
    """What happened on the wire, for tests and the benchmark (times: perf_counter_ns)."""

    commands: list[bytes] = field(default_factory=list)
    connected_ns: int | None = None     # TCP connection established ("inserted")
    first_contact_ns: int | None = None  # first message from the reader (pcscd saw us)
    closed_ns: int | None = None
    closed_by_reader: bool = False       # the reader side closed (pcscd gone)


class VirtualCard:
    """One virtual card: APDU logic plus an optional vpcd connection on its own thread.

    Args:
        holder: A :class:`Holder` or the name of a built-in one (:data:`HOLDERS`).
        port: vpcd port of the reader (35963 is the first reader of the system config).
        host: Where pcscd's vpcd driver listens.
        protocol: ``"T=0"`` or ``"T=1"``: which the ATR announces; ``t0`` modes imply T=0.
        t0: T=0 behaviour, see :class:`T0Mode`.
        t0_chunk: With ``61xx``, hand out at most this many bytes per GET RESPONSE.
        trim_records: Store records without their padding (``09 06`` + 6 GBK bytes for
            张三丰 instead of 30 padded bytes), as some issuers do; with ``t0="6c"`` the
            reader's Le (the longest a record may be) is then wrong and must be corrected.
        select_p1: P1 values accepted when selecting EF05/EF06 (``{0x00}``: a card that
            refuses ``P1=02`` with 6A86).
        apdu_delay_s: Sleep before each answer (a slow card).
        pull_after_apdus: Close the connection when this command APDU arrives (counting
            from 1), without answering: the card is pulled in the middle of a read.
        persistent: Reconnect when the reader side goes away (pcscd restarted), as a
            card left in a reader would be seen again. For the demo.
        seed: Seed of the garbage generator (answers are reproducible).
    """

    def __init__(
        self,
        holder: Holder | str = "valid",
        *,
        port: int = VPCD_PORT,
        host: str = VPCD_HOST,
        protocol: str = "T=1",
        t0: T0Mode | str = T0Mode.NONE,
        t0_chunk: int | None = None,
        trim_records: bool = False,
        select_p1: frozenset[int] = frozenset({0x00, 0x02}),
        apdu_delay_s: float = 0.0,
        pull_after_apdus: int | None = None,
        persistent: bool = False,
        seed: int = 7,
    ) -> None:
        self.holder = HOLDERS[holder] if isinstance(holder, str) else holder
        self.port = port
        self.host = host
        self.t0 = T0Mode(t0)
        self.atr = ATR_T0 if self.t0 is not T0Mode.NONE or protocol == "T=0" else ATR_T1
        self.t0_chunk = t0_chunk
        self.select_p1 = frozenset(select_p1)
        self.apdu_delay_s = apdu_delay_s
        self.pull_after_apdus = pull_after_apdus
        self.persistent = persistent
        self.log = CardLog()
        self._random = random.Random(seed)  # noqa: S311 - reproducible junk, not a secret
        self._session = _Session()
        self._ef = {EF05: self.holder.ef05(), EF06: self.holder.ef06()}
        if trim_records:
            self._ef = {fid: {rec: value.rstrip(b"\x00") for rec, value in records.items()}
                        for fid, records in self._ef.items()}
        self._sock: socket.socket | None = None
        self._sock_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._removing = threading.Event()
        self._connected = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()
        self._connect_error: BaseException | None = None

    # -- APDU logic (no I/O: also used directly by unit tests) ----------------------------

    def power_on(self) -> None:
        """Reset the card's session (vpcd power on / reset)."""
        tries = self._session.pin_tries
        self._session = _Session(pin_tries=tries)  # a reset does not restore PIN tries

    def process_apdu(self, apdu: bytes) -> bytes:
        """The card's answer (data + SW1 SW2) to one command APDU."""
        self.log.commands.append(bytes(apdu))
        if self.holder.garbage:
            return self._garbage()
        if len(apdu) < 4:
            return b"\x67\x00"
        cla, ins, p1, p2 = apdu[:4]
        body = apdu[4:]
        if ins != 0xC0:
            self._session.pending = b""  # GET RESPONSE must follow immediately
        if cla != 0x00:
            return b"\x6e\x00"
        if ins == 0xA4:
            return self._select(p1, p2, body)
        if ins == 0xB2:
            return self._read_record(p1, p2, body)
        if ins == 0x20:
            return self._verify(p1, p2, body)
        if ins == 0xC0:
            return self._get_response(body)
        return b"\x6d\x00"

    def _garbage(self) -> bytes:
        # Junk that no parser may accept: first byte never a valid record tag (01-0D).
        size = self._random.randint(1, 24)
        junk = bytes([self._random.randint(0x80, 0xFF)]) + self._random.randbytes(size)
        return junk + SW_OK

    def _select(self, p1: int, p2: int, body: bytes) -> bytes:
        data = _command_data(body)
        if data is None:
            return b"\x67\x00"
        if p1 == 0x04:
            if data != SSSE_AID:
                return b"\x6a\x82"
            self._session.app_selected = True
            self._session.current_ef = None
            return SW_OK
        if p1 in (0x00, 0x02) and p2 == 0x00:
            if p1 not in self.select_p1:
                return b"\x6a\x86"
            if not self._session.app_selected or data not in self._ef:
                return b"\x6a\x82"
            self._session.current_ef = data
            return SW_OK
        return b"\x6a\x86"

    def _read_record(self, rec: int, p2: int, body: bytes) -> bytes:
        if len(body) != 1:
            return b"\x67\x00"
        if p2 != 0x04:
            return b"\x6a\x86"
        ef = self._session.current_ef
        if ef is None:
            return b"\x69\x86"
        records = self._ef[ef]
        if rec not in records:
            return b"\x6a\x83"
        if ef == EF06 and self.holder.pin and not self._session.pin_verified:
            return b"\x69\x82"
        value = records[rec]
        return self._answer(bytes([rec, len(value)]) + value, le=body[0] or 256)

    def _answer(self, data: bytes, *, le: int) -> bytes:
        if self.t0 is T0Mode.GET_RESPONSE:
            self._session.pending = data
            return self._more_available()
        if le != len(data) and (self.t0 is T0Mode.WRONG_LE or le < len(data)):
            return bytes([0x6C, len(data) & 0xFF])
        return data + SW_OK

    def _more_available(self) -> bytes:
        left = len(self._session.pending)
        if self.t0_chunk:
            left = min(left, self.t0_chunk)
        return bytes([0x61, left & 0xFF])

    def _get_response(self, body: bytes) -> bytes:
        pending = self._session.pending
        if not pending:
            return b"\x69\x85"
        if len(body) != 1:
            return b"\x67\x00"
        le = body[0] or 256
        available = min(len(pending), self.t0_chunk or len(pending))
        if le > available:
            return bytes([0x6C, available & 0xFF])
        out, self._session.pending = pending[:le], pending[le:]
        if self._session.pending:
            return out + self._more_available()
        return out + SW_OK

    def _verify(self, p1: int, p2: int, body: bytes) -> bytes:
        data = _command_data(body)
        if data is None or (p1, p2) != (0x00, 0x00):
            return b"\x6a\x86" if data is not None else b"\x67\x00"
        if not self.holder.pin:
            return SW_OK
        if self._session.pin_tries == 0:
            return b"\x69\x83"
        if data == _bcd_pin(self.holder.pin):
            self._session.pin_verified = True
            self._session.pin_tries = 3
            return SW_OK
        self._session.pin_tries -= 1
        self._session.pin_verified = False
        if self._session.pin_tries == 0:
            return b"\x69\x83"
        return bytes([0x63, 0xC0 | self._session.pin_tries])

    # -- vpcd connection -------------------------------------------------------------------

    @property
    def inserted(self) -> bool:
        """True while the card is connected to the reader."""
        return self._connected.is_set() and not self._stopped.is_set()

    def insert(self, *, timeout_s: float = 5.0) -> None:
        """Put the card in the reader: connect to vpcd (retrying until ``timeout_s``).

        Raises:
            ConnectionError: nothing listens on the port within ``timeout_s``.
        """
        if not self._stopped.is_set():
            raise RuntimeError("card already inserted")
        self._removing.clear()
        self._connected.clear()
        self._stopped.clear()
        self.log = CardLog()
        self._session = _Session()
        self._connect_error = None
        self._thread = threading.Thread(
            target=self._run, args=(timeout_s,), name=f"virtual-card-{self.holder.key}",
            daemon=True,
        )
        self._thread.start()
        while not self._connected.wait(0.01):
            if self._stopped.is_set():
                raise ConnectionError(
                    f"no virtual card reader on {self.host}:{self.port} "
                    f"({self._connect_error}); is pcscd with vsmartcard-vpcd running?"
                )

    def remove(self, *, timeout_s: float = 2.0) -> None:
        """Pull the card out: close the connection and wait for the thread."""
        self._removing.set()
        self._close_socket()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    def wait_removed(self, timeout_s: float) -> bool:
        """Wait until the connection ended (pulled by ``pull_after_apdus`` or the reader)."""
        return self._stopped.wait(timeout_s)

    def __enter__(self) -> VirtualCard:
        self.insert()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.remove()

    def _close_socket(self) -> None:
        with self._sock_lock:
            sock, self._sock = self._sock, None
        if sock is not None:
            # shutdown wakes the thread blocked in recv(); close alone would not
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
            if self.log.closed_ns is None:
                self.log.closed_ns = time.perf_counter_ns()

    def _run(self, timeout_s: float) -> None:
        try:
            deadline = time.monotonic() + timeout_s
            while not self._removing.is_set():
                sock = self._connect(deadline)
                if sock is None:
                    return
                self._serve(sock)
                if not (self.persistent and self.log.closed_by_reader):
                    return
                deadline = float("inf")  # a card left in the reader waits for pcscd
        except Exception as exc:  # a bug here must pull the card, not kill a test run
            self._connect_error = exc
            log.exception("virtual card %s failed", self.holder.key)
        finally:
            self._close_socket()
            self._stopped.set()

    def _connect(self, deadline: float) -> socket.socket | None:
        while not self._removing.is_set():
            try:
                sock = socket.create_connection((self.host, self.port), timeout=1.0)
            except OSError as exc:
                self._connect_error = exc
                if time.monotonic() >= deadline:
                    return None
                self._removing.wait(0.05)
                continue
            sock.settimeout(None)
            # Without these every APDU waits for Nagle / delayed ACK (~40 ms each).
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._sock_lock:
                self._sock = sock
            self.power_on()
            self.log.connected_ns = time.perf_counter_ns()
            self._connected.set()
            return sock
        return None

    def _serve(self, sock: socket.socket) -> None:
        commands = 0
        while True:
            message = _recv_message(sock)
            if message is None:
                self.log.closed_by_reader = not self._removing.is_set()
                self._close_socket()
                return
            if self.log.first_contact_ns is None:
                self.log.first_contact_ns = time.perf_counter_ns()
            if len(message) == 1:
                if message[0] in (CTRL_ON, CTRL_RESET):
                    self.power_on()
                elif message[0] == CTRL_ATR:
                    _send_message(sock, self.atr)
                continue
            commands += 1
            if self.pull_after_apdus is not None and commands >= self.pull_after_apdus:
                self._removing.set()
                self._close_socket()
                return
            if self.apdu_delay_s:
                time.sleep(self.apdu_delay_s)
            try:
                _send_message(sock, self.process_apdu(message))
            except OSError:
                self._close_socket()
                return


def _command_data(body: bytes) -> bytes | None:
    """Lc-prefixed data of a short APDU body (an Le byte after it is allowed)."""
    if not body:
        return b""
    lc = body[0]
    if len(body) not in (1 + lc, 2 + lc):
        return None
    return body[1 : 1 + lc]


def _bcd_pin(pin: str) -> bytes:
    digits = pin if len(pin) % 2 == 0 else pin + "F"
    return bytes.fromhex(digits)


def _recv_exact(sock: socket.socket, size: int) -> bytes | None:
    chunks = bytearray()
    while len(chunks) < size:
        # Re-armed before every read: Linux clears QUICKACK after it acknowledged.
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        try:
            chunk = sock.recv(size - len(chunks))
        except OSError:
            return None
        if not chunk:
            return None
        chunks += chunk
    return bytes(chunks)


def _recv_message(sock: socket.socket) -> bytes | None:
    header = _recv_exact(sock, 2)
    if header is None:
        return None
    (length,) = struct.unpack(">H", header)
    return _recv_exact(sock, length) if length else b""


def _send_message(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(struct.pack(">H", len(payload)) + payload)


def main(argv: list[str] | None = None) -> int:
    """Run one virtual card until Ctrl-C, SIGTERM or ``--insert-for`` seconds."""
    parser = argparse.ArgumentParser(
        prog="python -m pharmacy_pos.devices.adapters.virtual_card",
        description="虚拟社保卡（vpcd 协议），用于演示和培训",
    )
    parser.add_argument("--holder", default="valid", choices=sorted(HOLDERS))
    parser.add_argument("--holder-file", type=Path, help="JSON file with the holder's fields")
    parser.add_argument("--port", type=int, default=VPCD_PORT)
    parser.add_argument("--host", default=VPCD_HOST)
    parser.add_argument("--insert-for", type=float, metavar="SECONDS",
                        help="pull the card out after this many seconds")
    parser.add_argument("--t0", choices=[m.value for m in T0Mode], default="none")
    parser.add_argument("--delay-ms", type=float, default=0.0)
    parser.add_argument("--pull-after", type=int, metavar="N")
    parser.add_argument("--connect-timeout", type=float, default=30.0)
    args = parser.parse_args(argv)
    holder: Holder | str = args.holder
    if args.holder_file:
        holder = Holder.from_mapping(json.loads(args.holder_file.read_text(encoding="utf-8")))
    card = VirtualCard(holder, port=args.port, host=args.host, t0=args.t0,
                       apdu_delay_s=args.delay_ms / 1000, pull_after_apdus=args.pull_after,
                       persistent=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        card.insert(timeout_s=args.connect_timeout)
    except ConnectionError as exc:
        print(f"virtual card: {exc}", file=sys.stderr)
        return 1
    name = card.holder.name or "（无个人信息）"
    print(f"virtual card '{card.holder.key}' ({name}, 卡号 {card.holder.card_number}) "
          f"inserted at {args.host}:{args.port}", flush=True)
    deadline = float("inf") if args.insert_for is None else time.monotonic() + args.insert_for
    try:
        while not done.wait(0.2) and time.monotonic() < deadline:
            pass
    except KeyboardInterrupt:
        pass
    card.remove()
    print("virtual card removed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
