"""The APDU logic replayed frame by frame (nfcpy style): exact commands, scripted answers.

Each script lists ``(command the reader must send, answer the card gives)`` in hex; the
replay transport fails the test on any other command, and on commands left unsent.
"""

from __future__ import annotations

from datetime import date

import pytest

from pharmacy_pos.devices.adapters.pcsc_reader import (
    MAX_GET_RESPONSE,
    MSG_NOT_SSSE,
    MSG_PIN_BLOCKED,
    MSG_PIN_REQUIRED,
    MSG_PULLED,
    PinRejected,
    PinRequired,
    read_ssse,
)
from pharmacy_pos.devices.adapters.virtual_card import HOLDERS, VirtualCard
from pharmacy_pos.devices.ports import CardRemoved, CardUnreadable
from pharmacy_pos.domain.card import CardRecord

SELECT_AID = "00A404000F7378312E73682EC9E7BBE1B1A3D5CF"
SELECT_EF05 = "00A4020002EF05"
SELECT_EF06 = "00A4020002EF06"
# READ RECORD by identifier, Le = longest value + tag + length (DEVICES.md §1).
READ = {
    0x01: "00B2010412", 0x02: "00B2020403", 0x03: "00B2030406", 0x04: "00B204040E",
    0x05: "00B2050406", 0x06: "00B2060406", 0x07: "00B207040B", 0x08: "00B2080414",
    0x09: "00B2090420", 0x0A: "00B20A0403", 0x0B: "00B20B0403", 0x0C: "00B20C0405",
    0x0D: "00B20D0406",
}
VALID = HOLDERS["valid"]
VALID_RECORD = CardRecord(
    region_code="110105", card_id_code="110105D1560000050A1B2C3D4E5F6071", card_type="1",
    spec_version="2.00", issue_date=date(2023, 6, 1), expiry_date=date(2033, 6, 1),
    card_number="A10000001", ssn="110105198003151234", name="张三丰", sex="1",
    ethnicity="01", birth_date=date(1980, 3, 15),
)


class ReplayTransport:
    """Answers from a script and checks every command against it."""

    def __init__(self, script: list[tuple[str, str]]) -> None:
        self.script = list(script)
        self.sent: list[str] = []

    def transmit(self, apdu: bytes) -> tuple[bytes, int, int]:
        command = apdu.hex().upper()
        self.sent.append(command)
        assert self.script, f"unexpected extra command {command}"
        expected, answer = self.script.pop(0)
        assert command == expected, f"command #{len(self.sent)}"
        raw = bytes.fromhex(answer)
        return raw[:-2], raw[-2], raw[-1]

    def assert_done(self) -> None:
        assert not self.script, f"commands never sent: {self.script}"


class RecordingTransport:
    """Passes commands to a virtual card's APDU logic and keeps the frames."""

    def __init__(self, card: VirtualCard) -> None:
        self.card = card
        self.frames: list[tuple[str, str]] = []
        card.power_on()

    def transmit(self, apdu: bytes) -> tuple[bytes, int, int]:
        answer = self.card.process_apdu(apdu)
        self.frames.append((apdu.hex().upper(), answer.hex().upper()))
        return answer[:-2], answer[-2], answer[-1]


def tlv(tag: int, value: bytes) -> str:
    return (bytes([tag, len(value)]) + value).hex().upper()


def ok(tag: int, value: bytes) -> str:
    return tlv(tag, value) + "9000"


def ef05_frames(holder=VALID) -> list[tuple[str, str]]:
    return [(READ[tag], ok(tag, value)) for tag, value in holder.ef05().items()]


def ef06_frames(holder=VALID) -> list[tuple[str, str]]:
    return [(READ[tag], ok(tag, value)) for tag, value in holder.ef06().items()]


def full_read(holder=VALID) -> list[tuple[str, str]]:
    return ([(SELECT_AID, "9000"), (SELECT_EF05, "9000"), *ef05_frames(holder),
             (SELECT_EF06, "9000"), *ef06_frames(holder)])


def replay(script: list[tuple[str, str]], **kwargs) -> tuple[CardRecord, ReplayTransport]:
    transport = ReplayTransport(script)
    record = read_ssse(transport, **kwargs)
    transport.assert_done()
    return record, transport


def test_plain_read_sends_exactly_the_documented_sequence() -> None:
    record, transport = replay(full_read())
    assert record == VALID_RECORD
    assert transport.sent[:3] == [SELECT_AID, SELECT_EF05, "00B2010412"]
    assert len(transport.sent) == 16


def test_recorded_frames_of_the_virtual_card_replay_to_the_same_record() -> None:
    recording = RecordingTransport(VirtualCard("valid"))
    assert read_ssse(recording) == VALID_RECORD
    record, _ = replay(recording.frames)
    assert record == VALID_RECORD


def test_t0_61xx_is_completed_with_get_response_rounds() -> None:
    name = tlv(0x09, VALID.ef06()[0x09])                       # 32 bytes
    script = full_read()
    at = script.index((READ[0x09], name + "9000"))
    script[at:at + 1] = [
        (READ[0x09], "6110"),
        ("00C0000010", name[:32] + "6110"),
        ("00C0000010", name[32:] + "9000"),
    ]
    script[0] = (SELECT_AID, "6112")                           # FCI waiting: fetched too
    script.insert(1, ("00C0000012", "6F10" + "00" * 16 + "9000"))
    record, _ = replay(script)
    assert record == VALID_RECORD


def test_t0_6cxx_resends_the_same_command_with_the_le_the_card_asked_for() -> None:
    short_name = "张三丰".encode("gbk")
    script = full_read()
    at = script.index((READ[0x09], ok(0x09, VALID.ef06()[0x09])))
    script[at:at + 1] = [(READ[0x09], "6C08"), ("00B2090408", ok(0x09, short_name))]
    record, _ = replay(script)
    assert record.name == "张三丰"


def test_6cxx_twice_is_a_misbehaving_card() -> None:
    script = [(SELECT_AID, "9000"), (SELECT_EF05, "9000"),
              (READ[0x01], "6C10"), ("00B2010410", "6C11")]
    with pytest.raises(CardUnreadable, match="应答长度"):
        replay(script)


def test_endless_61xx_is_a_misbehaving_card() -> None:
    script = [(SELECT_AID, "6101")] + [("00C0000001", "AA6101")] * MAX_GET_RESPONSE
    with pytest.raises(CardUnreadable, match="不结束"):
        replay(script)


def test_ef_select_falls_back_to_p1_00() -> None:
    script = full_read()
    script[1:2] = [(SELECT_EF05, "6A86"), ("00A4000002EF05", "9000")]
    at = script.index((SELECT_EF06, "9000"))
    script[at:at + 1] = [(SELECT_EF06, "6A86"), ("00A4000002EF06", "9000")]
    record, _ = replay(script)
    assert record == VALID_RECORD


def test_pin_is_verified_as_bcd_before_ef06() -> None:
    pin_holder = HOLDERS["pin"]
    script = full_read(pin_holder)
    at = script.index((SELECT_EF06, "9000"))
    script.insert(at, ("0020000003123456", "9000"))
    record, _ = replay(script, pin="123456")
    assert record.name == "陈志强"


def test_odd_length_pin_is_padded_with_f() -> None:
    script = [(SELECT_AID, "9000"), (SELECT_EF05, "9000"), *ef05_frames(),
              ("002000000312345F", "63C1")]
    with pytest.raises(PinRejected, match="还可尝试 1 次"):
        replay(script, pin="12345")


def test_wrong_pin_says_how_many_tries_are_left() -> None:
    script = [(SELECT_AID, "9000"), (SELECT_EF05, "9000"), *ef05_frames(),
              ("0020000003111111", "63C2")]
    with pytest.raises(PinRejected, match="密码错误，还可尝试 2 次") as refused:
        replay(script, pin="111111")
    assert refused.value.retryable


def test_blocked_pin_is_not_retryable() -> None:
    script = [(SELECT_AID, "9000"), (SELECT_EF05, "9000"), *ef05_frames(),
              ("0020000003111111", "6983")]
    with pytest.raises(PinRejected) as refused:
        replay(script, pin="111111")
    assert refused.value.message == MSG_PIN_BLOCKED and not refused.value.retryable


def test_pin_that_is_not_digits_is_refused_without_asking_the_card() -> None:
    transport = ReplayTransport([(SELECT_AID, "9000"), (SELECT_EF05, "9000"), *ef05_frames()])
    with pytest.raises(PinRejected, match="4 到 12 位数字"):
        read_ssse(transport, pin="12a4")
    transport.assert_done()


def test_ef06_behind_a_pin_without_one_asks_for_it() -> None:
    script = [(SELECT_AID, "9000"), (SELECT_EF05, "9000"), *ef05_frames(),
              (SELECT_EF06, "9000"), (READ[0x08], "6982")]
    with pytest.raises(PinRequired) as needed:
        replay(script)
    assert needed.value.message == MSG_PIN_REQUIRED


def test_card_without_the_social_security_application_is_not_ours() -> None:
    with pytest.raises(CardUnreadable) as refused:
        replay([(SELECT_AID, "6A82")])
    assert refused.value.message == MSG_NOT_SSSE


def test_missing_optional_record_is_skipped_but_missing_card_number_refused() -> None:
    script = full_read()
    at = script.index((READ[0x04], ok(0x04, VALID.ef05()[0x04])))
    script[at] = (READ[0x04], "6A83")                          # 初始化机构编号: optional
    record, _ = replay(script)
    assert record == VALID_RECORD

    script = full_read()
    at = script.index((READ[0x07], ok(0x07, VALID.ef05()[0x07])))
    script[at] = (READ[0x07], "6A83")
    with pytest.raises(CardUnreadable, match="缺少记录 07"):
        replay(script)


@pytest.mark.parametrize(("answer", "reason"), [
    ("0210" + "00" * 16 + "9000", "标签不符"),                 # wrong tag
    ("0120" + "00" * 16 + "9000", "长度不符"),                 # length beyond the data
    ("6F00", "状态字 6F00"),                                   # card error
])
def test_malformed_record_is_unreadable(answer: str, reason: str) -> None:
    script = [(SELECT_AID, "9000"), (SELECT_EF05, "9000"), (READ[0x01], answer)]
    with pytest.raises(CardUnreadable, match=reason):
        replay(script)


def test_bcd_date_that_does_not_exist_is_unreadable() -> None:
    script = full_read()
    at = script.index((READ[0x06], ok(0x06, VALID.ef05()[0x06])))
    script[at] = (READ[0x06], ok(0x06, bytes.fromhex("20331341")))
    with pytest.raises(CardUnreadable, match="卡有效期不存在"):
        replay(script)


def test_id_7_transport_fault_mid_read_propagates_and_nothing_more_is_sent() -> None:
    class PulledAfter(ReplayTransport):
        def transmit(self, apdu: bytes) -> tuple[bytes, int, int]:
            if len(self.sent) == 5:
                self.sent.append(apdu.hex().upper())
                raise CardRemoved(MSG_PULLED)
            return super().transmit(apdu)

    transport = PulledAfter(full_read())
    with pytest.raises(CardRemoved, match="读卡中卡片被拔出，请重新插卡"):
        read_ssse(transport)
    assert len(transport.sent) == 6                            # stopped at the failure
