"""PcscCardWatcher against a real pcscd: insertions, removals, pulls, pcscd lost and back."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from pharmacy_pos.devices.adapters.card_watch import MSG_LOST, PcscCardWatcher
from pharmacy_pos.devices.adapters.pcsc_reader import MSG_PIN_REQUIRED, MSG_PULLED
from pharmacy_pos.devices.ports import CardEvent, CardEventKind, CardWatcher
from tests.devices.conftest import CardSlot, EventLog
from tests.devices.pcscd import PrivatePcscd

Watch = Callable[..., tuple[PcscCardWatcher, EventLog]]
K = CardEventKind


def test_insert_read_remove_reinsert_arrive_in_order(slot: CardSlot, watch: Watch) -> None:
    watcher, events = watch(slot.reader)
    first = slot.card("valid")
    first.insert()
    read = events.next(K.READ)
    assert read.reader == slot.reader
    assert read.record is not None and read.record.name == "张三丰"
    assert 0 < read.elapsed_ms < 250
    first.remove()
    assert events.next(K.REMOVED).reader == slot.reader
    second = slot.card("expired")
    second.insert()
    again = events.next(K.READ)
    assert again.record is not None and again.record.name == "李秀英"
    second.remove()
    events.next(K.REMOVED)
    assert [e.kind for e in events.events] == [K.READ, K.REMOVED, K.READ, K.REMOVED]
    port: CardWatcher = watcher
    assert port is watcher and watcher.running


def test_card_already_in_the_reader_is_read_when_watching_starts(
        slot: CardSlot, watch: Watch) -> None:
    slot.insert("lost")
    _, events = watch(slot.reader)
    read = events.next(K.READ, timeout_s=1)
    assert read.record is not None and read.record.name == "赵丽华"


@pytest.mark.parametrize("every", ["all readers", "the model's readers"])
def test_watching_several_readers_reports_which_one(
        second_slot: CardSlot, watch: Watch, every: str) -> None:
    _, events = watch(None if every == "all readers" else second_slot.daemon.friendly_name)
    second_slot.card("valid").insert()
    assert events.next(K.READ).reader == second_slot.reader


@pytest.mark.parametrize(("holder", "message"), [
    ("garbage", "社保卡数据无法识别"),
    ("pin", MSG_PIN_REQUIRED),
])
def test_card_that_cannot_be_read_gives_failed_with_the_reason(
        slot: CardSlot, watch: Watch, holder: str, message: str) -> None:
    _, events = watch(slot.reader)
    slot.card(holder).insert()
    failed = events.next(K.FAILED)
    assert message in failed.message and failed.record is None


def test_id_7_card_pulled_mid_read_fails_cleanly_then_reinserted_card_reads(
        slot: CardSlot, watch: Watch) -> None:
    _, events = watch(slot.reader)
    slot.card("valid", pull_after_apdus=8).insert()
    failed = events.next(K.FAILED)
    assert failed.message == MSG_PULLED == "读卡中卡片被拔出，请重新插卡"
    events.next(K.REMOVED)
    slot.card("valid").insert()
    read = events.next(K.READ)
    assert read.record is not None and read.record.card_number == "A10000001"
    # Nothing of the pulled card ever reached the listener as a record.
    assert [e.kind for e in events.events] == [K.FAILED, K.REMOVED, K.READ]


def test_pcscd_killed_reader_lost_then_back_and_the_next_card_reads(
        slot: CardSlot, watch: Watch, pcscd: PrivatePcscd) -> None:
    watcher, events = watch(slot.reader)
    in_reader = slot.card("valid")
    in_reader.insert()
    events.next(K.READ)
    pcscd.kill()
    lost = events.next(K.READER_LOST, timeout_s=2)
    assert lost.message == MSG_LOST and lost.message.startswith("读卡服务未运行或读卡器未连接")
    assert in_reader.wait_removed(2) and in_reader.log.closed_by_reader
    events.assert_quiet(0.5)                      # retrying quietly, no event storm
    pcscd.start()
    back = events.next(K.READER_BACK, timeout_s=5)
    assert back.reader == slot.reader
    slot.card("expired").insert()
    read = events.next(K.READ)
    assert read.record is not None and read.record.name == "李秀英"
    assert watcher.running
    assert [e.kind for e in events.events] == [K.READ, K.READER_LOST, K.READER_BACK, K.READ]


def test_watcher_started_without_pcscd_reports_lost_then_back(
        slot: CardSlot, watch: Watch, pcscd: PrivatePcscd) -> None:
    pcscd.stop()
    _, events = watch(slot.reader)
    assert events.next(K.READER_LOST, timeout_s=2).message == MSG_LOST
    pcscd.start()
    events.next(K.READER_BACK, timeout_s=5)
    slot.card("valid").insert()
    events.next(K.READ)


def test_stop_is_prompt_and_start_twice_is_refused(slot: CardSlot) -> None:
    watcher = PcscCardWatcher(slot.reader, wait_ms=5_000)   # long waits: cancel must work
    watcher.start(lambda _event: None)
    try:
        with pytest.raises(RuntimeError, match="already started"):
            watcher.start(lambda _event: None)
        time.sleep(0.2)
    finally:
        started = time.perf_counter()
        watcher.stop()
        stopped_in = time.perf_counter() - started
    assert not watcher.running
    assert stopped_in < 0.5


def test_a_listener_that_raises_does_not_stop_the_watcher(
        slot: CardSlot, caplog: pytest.LogCaptureFixture) -> None:
    seen: list[CardEvent] = []
    first, second = threading.Event(), threading.Event()

    def listener(event: CardEvent) -> None:
        seen.append(event)
        if len(seen) == 1:
            first.set()
            raise ValueError("listener bug")
        second.set()

    watcher = PcscCardWatcher(slot.reader)
    watcher.start(listener)
    try:
        card = slot.card("valid")
        card.insert()
        assert first.wait(3)
        card.remove()
        assert second.wait(3)
    finally:
        watcher.stop()
    assert [e.kind for e in seen] == [K.READ, K.REMOVED]
    assert "listener failed" in caplog.text
