"""PcscCardReader through pyscard, a real pcscd with the vpcd driver, and virtual cards.

No mock between pyscard and pcscd: each card is a VirtualCard connected to the test
pcscd's vpcd port, exactly as a physical card sits in a reader.
"""

from __future__ import annotations

from datetime import date

import pytest

from pharmacy_pos.devices.adapters.pcsc_reader import (
    MSG_NO_CARD,
    MSG_NO_SERVICE,
    MSG_PIN_REQUIRED,
    MSG_PULLED,
    PcscCardReader,
    PinRejected,
    PinRequired,
)
from pharmacy_pos.devices.adapters.virtual_card import LOST_CARD_NUMBER
from pharmacy_pos.devices.ports import (
    CardReader,
    CardRemoved,
    CardUnreadable,
    DeviceState,
    NoCardPresent,
    ReaderUnavailable,
)
from pharmacy_pos.domain.card import CardRecord
from tests.devices.conftest import CardSlot
from tests.devices.pcscd import PrivatePcscd

EXPECTED = {
    "valid": CardRecord(
        region_code="110105", card_id_code="110105D1560000050A1B2C3D4E5F6071", card_type="1",
        spec_version="2.00", issue_date=date(2023, 6, 1), expiry_date=date(2033, 6, 1),
        card_number="A10000001", ssn="110105198003151234", name="张三丰", sex="1",
        ethnicity="01", birth_date=date(1980, 3, 15)),
    "expired": CardRecord(
        region_code="440306", card_id_code="440306D1560000051122334455667788", card_type="1",
        spec_version="2.00", issue_date=date(2010, 5, 20), expiry_date=date(2020, 5, 20),
        card_number="B20000002", ssn="44030619920708262X", name="李秀英", sex="2",
        ethnicity="01", birth_date=date(1992, 7, 8)),
    "bad_check_digit": CardRecord(
        region_code="320502", card_id_code="320502D1560000052233445566778899", card_type="1",
        spec_version="2.00", issue_date=date(2022, 1, 10), expiry_date=date(2032, 1, 10),
        card_number="C30000003", ssn="320502198804121375", name="王建国", sex="1",
        ethnicity="01", birth_date=date(1988, 4, 12)),
    "lost": CardRecord(
        region_code="510107", card_id_code="510107D15600000533445566778899AA", card_type="1",
        spec_version="2.00", issue_date=date(2021, 9, 1), expiry_date=date(2031, 9, 1),
        card_number=LOST_CARD_NUMBER, ssn="510107196611032843", name="赵丽华", sex="2",
        ethnicity="01", birth_date=date(1966, 11, 3)),
    "third_generation": CardRecord(
        region_code="330106", card_id_code="330106D156000005445566778899AABB", card_type="1",
        spec_version="3.00", issue_date=date(2024, 3, 1), expiry_date=date(2034, 3, 1),
        card_number="E50000005", ssn="", name="", sex="", ethnicity="", birth_date=None),
    "pin": CardRecord(
        region_code="310104", card_id_code="310104D1560000055566778899AABBCC", card_type="1",
        spec_version="2.00", issue_date=date(2024, 1, 15), expiry_date=date(2034, 1, 15),
        card_number="P60000006", ssn="310104197506204517", name="陈志强", sex="1",
        ethnicity="01", birth_date=date(1975, 6, 20)),
}
MASKED = {"valid": ("110***********1234", "男"), "expired": ("440***********262X", "女"),
          "bad_check_digit": ("320***********1375", "男"),
          "lost": ("510***********2843", "女"), "third_generation": ("", ""),
          "pin": ("310***********4517", "男")}


@pytest.fixture
def reader(slot: CardSlot) -> PcscCardReader:
    return PcscCardReader(slot.reader)


@pytest.mark.parametrize("holder", sorted(EXPECTED))
def test_reads_every_field_of_each_built_in_holder(
        slot: CardSlot, reader: PcscCardReader, holder: str) -> None:
    slot.insert(holder)
    record = reader.read_card(pin="123456" if holder == "pin" else None)
    assert record == EXPECTED[holder]
    assert (record.masked_ssn, record.sex_label) == MASKED[holder]
    assert record.personal_data_missing is (holder == "third_generation")


def test_reader_satisfies_the_port(reader: PcscCardReader) -> None:
    port: CardReader = reader
    assert callable(port.read_card) and callable(port.status)


def test_t0_card_answering_61xx_is_read_through_get_response(
        slot: CardSlot, reader: PcscCardReader) -> None:
    card = slot.insert("valid", t0="61", t0_chunk=8)
    assert reader.read_card() == EXPECTED["valid"]
    sent = [c.hex().upper() for c in card.log.commands]
    assert "00C0000008" in sent and "00C0000002" in sent


def test_t0_card_answering_6cxx_is_read_after_resending_with_its_le(
        slot: CardSlot, reader: PcscCardReader) -> None:
    card = slot.insert("valid", t0="6c", trim_records=True)
    assert reader.read_card() == EXPECTED["valid"]
    sent = [c.hex().upper() for c in card.log.commands]
    assert sent[sent.index("00B2090420") + 1] == "00B2090408"    # 张三丰 = 6 GBK bytes


def test_card_that_wants_p1_00_for_its_files_is_read(
        slot: CardSlot, reader: PcscCardReader) -> None:
    slot.insert("expired", select_p1=frozenset({0x00}))
    assert reader.read_card() == EXPECTED["expired"]


def test_pin_card_refuses_a_wrong_pin_and_asks_for_a_missing_one(
        slot: CardSlot, reader: PcscCardReader) -> None:
    slot.insert("pin")
    with pytest.raises(PinRejected, match="社保卡密码错误，还可尝试 2 次"):
        reader.read_card(pin="654321")
    with pytest.raises(PinRequired) as needed:
        reader.read_card()
    assert needed.value.message == MSG_PIN_REQUIRED
    assert reader.read_card(pin="123456") == EXPECTED["pin"]


def test_garbage_card_is_unreadable(slot: CardSlot, reader: PcscCardReader) -> None:
    slot.insert("garbage")
    with pytest.raises(CardUnreadable, match="社保卡数据无法识别"):
        reader.read_card()


def test_empty_reader_raises_no_card_present(slot: CardSlot, reader: PcscCardReader) -> None:
    with pytest.raises(NoCardPresent) as absent:
        reader.read_card()
    assert absent.value.message == MSG_NO_CARD


def test_any_reader_mode_reads_the_reader_that_has_the_card(
        second_slot: CardSlot) -> None:
    second_slot.insert("lost")
    assert PcscCardReader(None).read_card() == EXPECTED["lost"]


def test_reader_named_by_its_model_reads_whichever_slot_has_the_card(
        second_slot: CardSlot, pcscd: PrivatePcscd) -> None:
    model = PcscCardReader(pcscd.friendly_name)              # "Virtual PCD test<port>"
    with pytest.raises(NoCardPresent):
        model.read_card()
    second_slot.insert("lost")
    assert model.read_card() == EXPECTED["lost"]
    assert model.status().description == (f"{pcscd.reader}（无卡）、"
                                           f"{pcscd.second_reader}（已插卡）")


def test_id_7_card_pulled_mid_read_raises_card_removed_then_next_card_reads(
        slot: CardSlot, reader: PcscCardReader) -> None:
    pulled = slot.insert("valid", pull_after_apdus=6)
    with pytest.raises(CardRemoved) as aborted:
        reader.read_card()
    assert aborted.value.message == MSG_PULLED == "读卡中卡片被拔出，请重新插卡"
    assert pulled.wait_removed(1)
    slot.wait_empty()
    slot.insert("expired")
    assert reader.read_card() == EXPECTED["expired"]


def test_unknown_reader_name_is_reader_unavailable(running_pcscd: PrivatePcscd) -> None:
    with pytest.raises(ReaderUnavailable, match="读卡器“No Such Reader 00 00”未连接"):
        PcscCardReader("No Such Reader 00 00").read_card()
    status = PcscCardReader("No Such Reader 00 00").status()
    assert status.state is DeviceState.ABSENT


def test_status_shows_the_virtual_reader_and_whether_a_card_is_in(
        slot: CardSlot, reader: PcscCardReader) -> None:
    empty = reader.status()
    assert empty.state is DeviceState.SIMULATED
    assert empty.description == f"{slot.reader}（无卡）"
    card = slot.insert("valid")
    assert reader.status().description == f"{slot.reader}（已插卡）"
    slot.remove(card)


def test_pcscd_gone_is_reader_unavailable_and_the_same_reader_works_after_restart(
        slot: CardSlot, reader: PcscCardReader, pcscd: PrivatePcscd) -> None:
    pcscd.kill()
    with pytest.raises(ReaderUnavailable) as gone:
        reader.read_card()
    assert gone.value.message == MSG_NO_SERVICE
    assert gone.value.message.startswith("读卡服务未运行或读卡器未连接")
    status = reader.status()
    assert status.state is DeviceState.FAULT and "pcscd" in status.advice
    pcscd.start()
    slot.insert("valid")
    assert reader.read_card() == EXPECTED["valid"]
