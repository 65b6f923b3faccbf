"""The virtual card on its own: file encoding (DEVICES.md §1), APDU answers, vpcd framing.

No pcscd here: the card's APDU logic is called directly, and its vpcd client talks to
a small fake reader on a local TCP socket that speaks the same framing as the driver.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import subprocess
import sys
from collections.abc import Iterator
from datetime import date

import pytest

from pharmacy_pos.devices.adapters.pcsc_reader import read_ssse
from pharmacy_pos.devices.adapters.virtual_card import (
    ATR_T0,
    ATR_T1,
    DEMO_PIN,
    HOLDERS,
    LOST_CARD_NUMBER,
    SSSE_AID,
    Holder,
    VirtualCard,
)
from pharmacy_pos.domain.identity import check_card
from pharmacy_pos.domain.ids import IdNumber, InvalidIdNumber

SELECT_AID = "00A404000F" + SSSE_AID.hex().upper()
SELECT_EF05 = "00A4020002EF05"
SELECT_EF06 = "00A4020002EF06"


def send(card: VirtualCard, command_hex: str) -> str:
    """The card's answer to one APDU, as upper-case hex."""
    return card.process_apdu(bytes.fromhex(command_hex)).hex().upper()


def opened(card: VirtualCard, ef: str = SELECT_EF05) -> VirtualCard:
    card.power_on()
    assert send(card, SELECT_AID) == "9000"
    assert send(card, ef) == "9000"
    return card


# -- file contents as DEVICES.md lays them out ------------------------------------------------

def test_ef05_holds_card_id_dates_and_number_as_specified() -> None:
    card = opened(VirtualCard("valid"))
    assert send(card, "00B2010412") == "0110" + "110105D1560000050A1B2C3D4E5F6071" + "9000"
    assert send(card, "00B2020403") == "0201" + "31" + "9000"              # 卡类别 "1"
    assert send(card, "00B2030406") == "0304" + b"2.00".hex().upper() + "9000"
    assert send(card, "00B2050406") == "0504" + "20230601" + "9000"        # BCD 发卡日期
    assert send(card, "00B2060406") == "0604" + "20330601" + "9000"        # BCD 卡有效期
    assert send(card, "00B207040B") == "0709" + b"A10000001".hex().upper() + "9000"


def test_ef06_name_is_gbk_padded_to_30_bytes_and_birth_date_is_bcd() -> None:
    card = opened(VirtualCard("valid"), SELECT_EF06)
    name = "张三丰".encode("gbk")
    assert send(card, "00B2090420") == ("091E" + name.hex().upper()
                                        + "00" * (30 - len(name)) + "9000")
    assert send(card, "00B2080414") == "0812" + b"110105198003151234".hex().upper() + "9000"
    assert send(card, "00B20A0403") == "0A01" + "31" + "9000"              # 性别 "1" = 男
    assert send(card, "00B20D0406") == "0D04" + "19800315" + "9000"


def test_built_in_holders_are_what_their_names_say() -> None:
    today = date(2026, 11, 1)
    valid = HOLDERS["valid"]
    assert IdNumber.parse(valid.ssn, today=today).birth_date == valid.birth_date
    assert valid.expiry_date is not None and valid.expiry_date.year - today.year >= 5
    assert HOLDERS["expired"].expiry_date is not None
    assert HOLDERS["expired"].expiry_date < today
    with pytest.raises(InvalidIdNumber, match="校验位"):
        IdNumber.parse(HOLDERS["bad_check_digit"].ssn, today=today)
    assert HOLDERS["lost"].card_number == LOST_CARD_NUMBER
    IdNumber.parse(HOLDERS["lost"].ssn, today=today)
    third = HOLDERS["third_generation"]
    assert third.spec_version == "3.00" and third.ssn == "" and third.name == ""
    assert set(third.ef06().values()) <= {b"\x00" * n for n in (1, 3, 4, 18, 30)}
    assert HOLDERS["pin"].pin == DEMO_PIN == "123456"


@pytest.mark.parametrize(("holder", "blacklisted", "rule_ids"), [
    ("valid", False, []),
    ("expired", False, ["ID-4"]),
    ("bad_check_digit", False, ["ID-4"]),
    ("lost", True, ["ID-3"]),
    ("third_generation", False, ["ID-1"]),
])
def test_id_3_id_4_built_in_holders_trigger_the_identity_rules_they_stand_for(
        holder: str, blacklisted: bool, rule_ids: list[str]) -> None:
    record = read_ssse(DirectTransport(VirtualCard(holder)))
    findings = check_card(record, today=date(2026, 11, 1),
                          blacklisted_reason="挂失" if blacklisted else None)
    assert [f.rule_id for f in findings] == rule_ids


class DirectTransport:
    """The card's APDU logic called directly, as a Transport."""

    def __init__(self, card: VirtualCard) -> None:
        self.card = card
        card.power_on()

    def transmit(self, apdu: bytes) -> tuple[bytes, int, int]:
        answer = self.card.process_apdu(apdu)
        return answer[:-2], answer[-2], answer[-1]


# -- APDU behaviours ----------------------------------------------------------------------

def test_nothing_is_readable_before_the_application_is_selected() -> None:
    card = VirtualCard("valid")
    card.power_on()
    assert send(card, SELECT_EF05) == "6A82"
    assert send(card, "00B2010412") == "6986"
    assert send(card, "00A404000F" + "00" * 15) == "6A82"                  # another AID


def test_t0_get_response_mode_hands_data_out_in_chunks() -> None:
    card = opened(VirtualCard("valid", t0="61", t0_chunk=8))
    assert send(card, "00B2010412") == "6108"
    first = send(card, "00C0000008")
    assert first.endswith("6108") and first.startswith("0110")
    second = send(card, "00C0000008")
    assert second.endswith("6102")
    assert send(card, "00C0000002") == "6071" + "9000"                     # last 2 bytes
    assert send(card, "00C0000002") == "6985"                               # nothing left


def test_t0_wrong_le_mode_wants_the_exact_length() -> None:
    card = opened(VirtualCard("valid", t0="6c", trim_records=True), SELECT_EF06)
    assert send(card, "00B2090420") == "6C08"                               # 09 06 + 6 bytes
    assert send(card, "00B2090408") == "0906" + "张三丰".encode("gbk").hex().upper() + "9000"


def test_card_wanting_p1_00_refuses_p1_02() -> None:
    card = VirtualCard("valid", select_p1=frozenset({0x00}))
    card.power_on()
    assert send(card, SELECT_AID) == "9000"
    assert send(card, SELECT_EF05) == "6A86"
    assert send(card, "00A4000002EF05") == "9000"


def test_pin_card_guards_ef06_and_blocks_after_three_wrong_pins() -> None:
    card = opened(VirtualCard("pin"), SELECT_EF06)
    assert send(card, "00B2090420") == "6982"
    assert send(card, "0020000003111111") == "63C2"
    assert send(card, "0020000003111111") == "63C1"
    assert send(card, "0020000003123456") == "9000"                          # resets tries
    assert send(card, "00B2090420").endswith("9000")
    card.power_on()                                                          # reset: locked
    opened(card, SELECT_EF06)
    assert send(card, "00B2090420") == "6982"
    for expected in ("63C2", "63C1", "6983"):
        assert send(card, "0020000003000000") == expected
    assert send(card, "0020000003123456") == "6983"


def test_garbage_card_answers_junk_that_is_no_record() -> None:
    card = VirtualCard("garbage")
    answers = [card.process_apdu(bytes.fromhex("00B2010412")) for _ in range(20)]
    assert all(a.endswith(b"\x90\x00") for a in answers)
    assert all(a[0] >= 0x80 for a in answers)                                # never a tag
    assert len(set(answers)) > 10
    again = VirtualCard("garbage")                                           # reproducible
    assert [again.process_apdu(bytes.fromhex("00B2010412")) for _ in range(20)] == answers


def test_holder_from_json_mapping() -> None:
    holder = Holder.from_mapping({"key": "trainee", "name": "刘备", "sex": "1",
                                  "birth_date": "1961-07-16", "expiry_date": "2030-01-31",
                                  "card_number": "T00000001"})
    card = opened(VirtualCard(holder), SELECT_EF06)
    assert send(card, "00B2090420").startswith("091E" + "刘备".encode("gbk").hex().upper())
    assert holder.ef05()[0x06] == bytes.fromhex("20300131")
    with pytest.raises(ValueError, match="16 bytes"):
        Holder.from_mapping({"card_id": "0102"})


# -- the vpcd wire protocol against a fake reader --------------------------------------------

class FakeVpcdReader:
    """The driver's side of vpcd: listens, frames messages with a 2-byte length."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.conn: socket.socket | None = None

    def accept(self) -> None:
        self.server.settimeout(5)
        self.conn, _ = self.server.accept()
        self.conn.settimeout(5)

    def send(self, payload: bytes) -> None:
        assert self.conn is not None
        self.conn.sendall(struct.pack(">H", len(payload)) + payload)

    def receive(self) -> bytes | None:
        assert self.conn is not None
        header = self._exact(2)
        if header is None:
            return None
        return self._exact(struct.unpack(">H", header)[0])

    def _exact(self, size: int) -> bytes | None:
        assert self.conn is not None
        data = b""
        while len(data) < size:
            chunk = self.conn.recv(size - len(data))
            if not chunk:
                return None
            data += chunk
        return data

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.server.close()


@pytest.fixture
def fake_reader() -> Iterator[FakeVpcdReader]:
    reader = FakeVpcdReader()
    yield reader
    reader.close()


def test_vpcd_client_answers_atr_and_apdus_with_length_framing(
        fake_reader: FakeVpcdReader) -> None:
    card = VirtualCard("valid", port=fake_reader.port)
    card.insert()
    try:
        fake_reader.accept()
        assert card.inserted
        fake_reader.send(b"\x04")                                            # get ATR
        assert fake_reader.receive() == ATR_T1
        fake_reader.send(b"\x01")                                            # power on:
        fake_reader.send(b"\x02")                                            # no answers
        fake_reader.send(bytes.fromhex(SELECT_AID))
        assert fake_reader.receive() == b"\x90\x00"
        assert card.log.first_contact_ns is not None
        assert card.log.commands == [bytes.fromhex(SELECT_AID)]
    finally:
        card.remove()
    assert fake_reader.receive() is None                                     # pulled out
    assert not card.inserted and not card.log.closed_by_reader


def test_t0_card_announces_t0_in_its_atr(fake_reader: FakeVpcdReader) -> None:
    with VirtualCard("valid", port=fake_reader.port, t0="61"):
        fake_reader.accept()
        fake_reader.send(b"\x04")
        assert fake_reader.receive() == ATR_T0 == bytes.fromhex("3B0A") + b"SSCARD-VPC"


def test_pull_after_n_apdus_closes_the_connection_without_answering(
        fake_reader: FakeVpcdReader) -> None:
    card = VirtualCard("valid", port=fake_reader.port, pull_after_apdus=2)
    card.insert()
    try:
        fake_reader.accept()
        fake_reader.send(bytes.fromhex(SELECT_AID))
        assert fake_reader.receive() == b"\x90\x00"
        fake_reader.send(bytes.fromhex(SELECT_EF05))
        assert fake_reader.receive() is None
        assert card.wait_removed(2)
    finally:
        card.remove()


def test_reader_closing_ends_a_card_and_a_persistent_card_comes_back(
        fake_reader: FakeVpcdReader) -> None:
    plain = VirtualCard("valid", port=fake_reader.port)
    plain.insert()
    fake_reader.accept()
    assert fake_reader.conn is not None
    fake_reader.conn.close()
    assert plain.wait_removed(2) and plain.log.closed_by_reader
    plain.remove()

    sticky = VirtualCard("valid", port=fake_reader.port, persistent=True)
    sticky.insert()
    try:
        fake_reader.accept()
        fake_reader.conn.close()
        fake_reader.accept()                                                 # reconnected
        fake_reader.send(b"\x04")
        assert fake_reader.receive() == ATR_T1
    finally:
        sticky.remove()


def test_insert_without_a_reader_says_so() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    card = VirtualCard("valid", port=free_port)
    with pytest.raises(ConnectionError, match="pcscd"):
        card.insert(timeout_s=0.2)


def test_command_line_card_runs_for_insert_for_seconds(fake_reader: FakeVpcdReader) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "pharmacy_pos.devices.adapters.virtual_card",
         "--holder", "expired", "--port", str(fake_reader.port), "--insert-for", "0.5"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        fake_reader.accept()
        fake_reader.send(b"\x04")
        assert fake_reader.receive() == ATR_T1
        out, err = process.communicate(timeout=10)
    finally:
        with contextlib.suppress(OSError):
            process.kill()
        process.wait()
    assert process.returncode == 0, err
    assert "expired" in out and "李秀英" in out and "removed" in out
