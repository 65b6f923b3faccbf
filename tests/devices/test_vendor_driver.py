"""The vendor-driver card reader against a real shared library exporting ``iReadCardBas``.

``fake_sscard.c`` is compiled with gcc into a temporary directory and loaded through
ctypes exactly as the ministry's driver would be: same signature, GBK output, return
codes. What it answers is chosen per test by ``FAKE_SSCARD_MODE``.
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
import threading
from datetime import date
from pathlib import Path

import pytest

from pharmacy_pos.devices.adapters.vendor_driver import (
    OUTPUT_BUFFER_SIZE,
    RETURN_CODES,
    VendorDriverCardReader,
)
from pharmacy_pos.devices.ports import (
    CardRemoved,
    CardUnreadable,
    DeviceState,
    NoCardPresent,
    ReaderUnavailable,
)
from pharmacy_pos.domain.card import CardRecord

SOURCE = Path(__file__).with_name("fake_sscard.c")


@pytest.fixture(scope="module")
def driver_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fake driver compiled into a shared library (skips when gcc is missing)."""
    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc not found: the fake SSCardDriver library cannot be built")
    out = tmp_path_factory.mktemp("sscard") / "libSSCardDriver.so"
    result = subprocess.run(
        [gcc, "-shared", "-fPIC", "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror",
         "-o", str(out), str(SOURCE)],
        capture_output=True, text=True, check=False,
    )
    # A compile error is a broken test double, not a missing tool: fail, never skip.
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def fake(driver_path: Path) -> ctypes.CDLL:
    """The same loaded library, for the fake's own counters (reset for each test)."""
    library = ctypes.CDLL(str(driver_path))
    library.fake_reset()
    return library


@pytest.fixture
def reader(driver_path: Path, fake: ctypes.CDLL) -> VendorDriverCardReader:
    return VendorDriverCardReader(driver_path)


@pytest.fixture
def mode(monkeypatch: pytest.MonkeyPatch):
    """Sets what the fake driver answers (it reads the environment at call time)."""
    def set_mode(name: str, **extra: object) -> None:
        monkeypatch.setenv("FAKE_SSCARD_MODE", name)
        for key, value in extra.items():
            monkeypatch.setenv(f"FAKE_SSCARD_{key.upper()}", str(value))
    return set_mode


SECOND_GEN = CardRecord(
    region_code="110100", card_id_code="110100D15600000500BF7C7A48FB4966", card_type="",
    spec_version="2.00", issue_date=date(2015, 1, 1), expiry_date=date(2025, 1, 1),
    card_number="A00000001", ssn="11010519491231002X", name="张三", sex="2", ethnicity="",
    birth_date=date(1949, 12, 31),
)


# -- records ---------------------------------------------------------------------------

def test_second_generation_card_is_read_into_the_full_record(reader, mode, fake):
    mode("second_gen")
    assert reader.read_card() == SECOND_GEN
    assert fake.fake_calls() == 1
    assert fake.fake_last_itype() == 3  # automatic, contact first


def test_third_generation_card_with_personal_data_and_a_gbk_name(reader, mode):
    mode("third_gen")
    record = reader.read_card()
    assert record == CardRecord(
        region_code="440300", card_id_code="440300D156000005C38275EEFC9B9648",
        card_type="", spec_version="3.00", issue_date=date(2021, 12, 3),
        expiry_date=date(2031, 12, 2), card_number="M12345678", ssn="440304200002291535",
        name="阿依古丽·买买提", sex="1", ethnicity="", birth_date=date(2000, 2, 29),
    )
    assert not record.personal_data_missing


def test_name_with_a_character_outside_gbk_is_decoded(reader, mode):
    # 䶮 is FE 9F in GB18030; Python's GBK codec refuses it, so a strict GBK decode
    # would lock this holder out.
    mode("rare_name")
    record = reader.read_card()
    assert record.name == "刘䶮"
    assert (record.ssn, record.card_number, record.birth_date) == (
        "411602198506154760", "M23456789", date(1985, 6, 15))


def test_third_generation_card_without_personal_data_is_flagged(reader, mode):
    mode("third_gen_no_personal")
    record = reader.read_card()
    assert record.personal_data_missing
    assert (record.card_number, record.ssn, record.name, record.birth_date) == (
        "M87654321", "", "", None)
    assert (record.region_code, record.spec_version, record.expiry_date) == (
        "411600", "3.00", date(2031, 12, 2))


def test_third_generation_card_read_blank_explains_the_security_module(reader, mode):
    mode("third_gen_blank")
    with pytest.raises(CardUnreadable, match=r"第三代社保卡.*安全模块"):
        reader.read_card()


def test_output_longer_than_the_usual_1024_bytes_is_read_whole(reader, mode):
    mode("long", len=20_000)
    assert reader.read_card() == SECOND_GEN


def test_card_type_is_passed_to_the_driver(driver_path, mode, fake):
    mode("second_gen")
    VendorDriverCardReader(driver_path, card_type=1).read_card()
    assert fake.fake_last_itype() == 1


def test_unknown_card_type_is_a_configuration_error(driver_path):
    with pytest.raises(ValueError, match="card_type"):
        VendorDriverCardReader(driver_path, card_type=7)


# -- faults ----------------------------------------------------------------------------

def test_no_card_in_the_reader(reader, mode):
    mode("no_card")
    with pytest.raises(NoCardPresent, match="没有卡") as raised:
        reader.read_card()
    assert raised.value.retryable
    assert "-2" in raised.value.message


def test_card_pulled_during_the_read(reader, mode):
    mode("removed")
    with pytest.raises(CardRemoved, match="重新插入") as raised:
        reader.read_card()
    assert raised.value.retryable


def test_reader_not_connected(reader, mode):
    mode("no_reader")
    with pytest.raises(ReaderUnavailable, match="读卡器连接错误") as raised:
        reader.read_card()
    assert raised.value.retryable


@pytest.mark.parametrize("code", sorted(RETURN_CODES))
def test_each_documented_return_code_gives_its_fault_and_ignores_the_buffer(
        reader, mode, code):
    mode("code", code=code)
    fault_class, message, retryable = RETURN_CODES[code]
    with pytest.raises(fault_class) as raised:
        reader.read_card()
    assert type(raised.value) is fault_class
    assert raised.value.message == f"{message}（驱动返回 {code}）"
    assert raised.value.retryable is retryable


@pytest.mark.parametrize("code", [-999, -7, 1, 2**31 - 1])
def test_unknown_return_code_is_unreadable_and_names_the_code(reader, mode, code):
    mode("code", code=code)
    with pytest.raises(CardUnreadable, match=f"未知错误代码 {code}"):
        reader.read_card()


def test_output_that_is_not_gbk_is_unreadable(reader, mode):
    mode("not_gbk")
    with pytest.raises(CardUnreadable, match="编码无法识别"):
        reader.read_card()


def test_output_with_too_few_fields_is_unreadable(reader, mode):
    mode("few_fields")
    with pytest.raises(CardUnreadable, match="字段数不对: 应为 11，实际 3"):
        reader.read_card()


def test_output_filling_the_whole_buffer_is_refused(reader, mode):
    # The driver left no terminating NUL anywhere in our buffer: it wrote to the end
    # (or past it), so its text is cut off and must not be parsed.
    mode("fill", len=OUTPUT_BUFFER_SIZE)
    with pytest.raises(CardUnreadable, match=f"超过 {OUTPUT_BUFFER_SIZE} 字节"):
        reader.read_card()


def test_output_one_byte_short_of_the_buffer_is_parsed_not_refused(reader, mode):
    mode("fill", len=OUTPUT_BUFFER_SIZE - 1)
    with pytest.raises(CardUnreadable, match="字段数不对"):
        reader.read_card()


def test_missing_library_is_reader_unavailable_naming_the_path(tmp_path):
    missing = tmp_path / "nowhere" / "libSSCardDriver.so"
    with pytest.raises(ReaderUnavailable, match="无法加载社保卡读卡驱动") as raised:
        VendorDriverCardReader(missing)
    assert str(missing) in raised.value.message
    assert not raised.value.retryable


def test_file_that_is_not_a_library_is_reader_unavailable(tmp_path):
    bogus = tmp_path / "SSCardDriver.so"
    bogus.write_bytes(b"MZ this is not a shared object")
    with pytest.raises(ReaderUnavailable, match="无法加载") as raised:
        VendorDriverCardReader(bogus)
    assert str(bogus) in raised.value.message


def test_library_without_iReadCardBas_is_reader_unavailable(tmp_path):  # noqa: N802
    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc not found: cannot build a library without iReadCardBas")
    source = tmp_path / "other.c"
    source.write_text("int iReadCardBasExt(int t, char *o) { (void)t; (void)o; return 0; }\n")
    out = tmp_path / "libOther.so"
    subprocess.run([gcc, "-shared", "-fPIC", "-o", str(out), str(source)], check=True)
    with pytest.raises(ReaderUnavailable, match="没有 iReadCardBas 函数") as raised:
        VendorDriverCardReader(out)
    assert str(out) in raised.value.message


# -- status ----------------------------------------------------------------------------

def test_status_names_the_loaded_library_and_reports_a_reader_fault(reader, mode, driver_path):
    status = reader.status()
    assert (status.kind, status.state) == ("card_reader", DeviceState.OK)
    assert str(driver_path) in status.description

    mode("no_reader")
    with pytest.raises(ReaderUnavailable):
        reader.read_card()
    failed = reader.status()
    assert failed.state is DeviceState.FAULT
    assert "读卡器连接错误" in failed.description and failed.advice

    mode("no_card")  # a card problem is not a reader fault
    with pytest.raises(NoCardPresent):
        reader.read_card()
    assert reader.status().state is DeviceState.OK

    mode("no_reader")
    with pytest.raises(ReaderUnavailable):
        reader.read_card()
    mode("second_gen")
    reader.read_card()
    assert reader.status().state is DeviceState.OK


# -- threads ---------------------------------------------------------------------------

def _run_in_threads(target, count: int) -> None:
    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads)


def test_unserialised_calls_do_overlap_in_the_fake(driver_path, mode, fake):
    # Control for the next test: without the adapter's lock, concurrent calls into the
    # library do run at the same time (ctypes releases the GIL), and the fake sees it.
    mode("slow", delay_ms=50)
    function = ctypes.CDLL(str(driver_path)).iReadCardBas
    function.argtypes = (ctypes.c_int, ctypes.c_char_p)
    barrier = threading.Barrier(4)

    def call(_: int) -> None:
        barrier.wait()
        function(3, ctypes.create_string_buffer(OUTPUT_BUFFER_SIZE))

    _run_in_threads(call, 4)
    assert fake.fake_max_in_flight() > 1


def test_calls_from_many_threads_and_readers_are_serialised(driver_path, mode, fake):
    mode("slow", delay_ms=30)
    readers = [VendorDriverCardReader(driver_path) for _ in range(2)]
    barrier = threading.Barrier(6)
    records: list[CardRecord] = []

    def read(i: int) -> None:
        barrier.wait()
        records.append(readers[i % 2].read_card())

    _run_in_threads(read, 6)
    assert records == [SECOND_GEN] * 6
    assert fake.fake_calls() == 6
    assert fake.fake_max_in_flight() == 1
