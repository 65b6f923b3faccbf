"""Fuzzing the card readers' side: damaged APDU answers and vendor-driver output.

The training card's own APDU logic (``VirtualCard.process_apdu``, what pcscd talks to in
the demo) answers the reader; the test damages its answers on the way (bits flipped,
data cut, status words replaced, garbage). ``read_ssse`` must then give a sane record
or a :class:`CardReaderFault` with a Chinese message, never another exception: a
damaged card never crashes the till. The same for the vendor driver's output buffer.
CI-sized runs are derandomized; ``[long]`` (marked ``slow``) runs 10,000 examples.
"""

from __future__ import annotations

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from pharmacy_pos.devices.adapters.pcsc_reader import read_ssse
from pharmacy_pos.devices.adapters.vendor_driver import OUTPUT_BUFFER_SIZE, _read_output
from pharmacy_pos.devices.adapters.virtual_card import HOLDERS, VirtualCard
from pharmacy_pos.devices.ports import CardReaderFault
from pharmacy_pos.domain.card import CardDataError, record_from_vendor
from tests.fuzzing import attempt, chinese, fuzz
from tests.unit.test_card_parsing import VENDOR_LINE, assert_sane, flip_bits

RUNS = [
    pytest.param(100, id="ci"),
    pytest.param(10_000, id="long", marks=pytest.mark.slow),
]


class DamagedCard:
    """A transport to the training card whose answers are damaged as the test says.

    ``damage`` maps the number of an exchange (0 = the first command) to what happens
    to that answer.
    """

    def __init__(self, holder: str, damage: dict[int, tuple[str, bytes, int]]) -> None:
        self.card = VirtualCard(holder)
        self.card.power_on()
        self.damage = damage
        self.count = 0

    def transmit(self, apdu: bytes) -> tuple[bytes, int, int]:
        answer = self.card.process_apdu(apdu)
        how, garbage, number = self.damage.get(self.count, ("keep", b"", 0))
        self.count += 1
        if self.count > 200:
            raise AssertionError("the reader keeps sending commands")  # would hang a till
        if how == "flip":
            answer = flip_bits(answer, [number, number * 7 + 3])
        elif how == "truncate":
            answer = answer[: number % (len(answer) + 1)]
        elif how == "garbage":
            answer = garbage
        elif how == "status":
            answer = answer[:-2] + garbage[:2].rjust(2, b"\x61")
        elif how == "append":
            answer = answer[:-2] + garbage + answer[-2:]
        # A reader returns at least the two status bytes; fewer is the transport's fault
        # (it raises CardUnreadable), which the PC/SC transport already guarantees.
        if len(answer) < 2:
            answer = answer.rjust(2, b"\x6f")
        return answer[:-2], answer[-2], answer[-1]


DAMAGE = st.dictionaries(
    st.integers(0, 30),
    st.tuples(st.sampled_from(["flip", "truncate", "garbage", "status", "append"]),
              st.binary(max_size=40), st.integers(0, 400)),
    min_size=1, max_size=4,
)


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_damaged_card_answers_give_a_record_or_a_card_fault(examples):
    @fuzz(examples)
    @given(st.sampled_from(sorted(HOLDERS)), DAMAGE, st.sampled_from([None, "123456", "12"]))
    @example("valid", {0: ("status", b"\x61\xff", 0)}, None)   # endless GET RESPONSE
    @example("valid", {1: ("status", b"\x6c\x00", 0)}, None)   # wrong Le, twice
    @example("valid", {3: ("garbage", b"", 0)}, None)
    def check(holder, damage, pin):
        record, fault = attempt(lambda: read_ssse(DamagedCard(holder, damage), pin=pin),
                                CardReaderFault)
        if fault is not None:
            event(type(fault).__name__)
            assert chinese(str(fault))
            return
        event("record")
        assert_sane(record)

    check()


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_vendor_driver_output_buffer(examples):
    # What the vendor adapter does with the driver's output buffer: up to the first NUL,
    # decoded, then parsed; garbage is a CardReaderFault or CardDataError, never a crash.
    lines = st.one_of(
        st.binary(max_size=300),
        st.just(VENDOR_LINE.encode("gb18030")).map(lambda b: b),
        st.tuples(st.just(VENDOR_LINE.encode("gb18030")), st.lists(st.integers(0, 2000),
                                                                   max_size=4)).map(
            lambda t: flip_bits(t[0], t[1])),
        st.text(max_size=120).map(lambda t: t.encode("gb18030", "replace")),
    )

    @fuzz(examples)
    @given(lines, st.booleans())
    @example(b"\x00" * 10, False)
    @example(b"\xff" * 10, True)
    def check(data, overflow):
        buffer = data[: OUTPUT_BUFFER_SIZE - 1].ljust(OUTPUT_BUFFER_SIZE, b"\x00")
        if overflow:  # the driver wrote to the very end of the buffer
            buffer = buffer[:-1] + b"\x01"
        record, refused = attempt(lambda: record_from_vendor(_read_output(buffer)),
                                  (CardReaderFault, CardDataError))
        if refused is not None:
            event(type(refused).__name__)
            assert chinese(str(refused))
            return
        event("record")
        assert not overflow
        assert_sane(record)

    check()
