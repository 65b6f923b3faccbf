"""Fuzzing the file imports that write: catalogue, delivery notes, policy files.

Each use case runs against a real SQLite database. Whatever the file holds (rows damaged
cell by cell, wrong encodings, bytes cut or flipped, a damaged XLSX, random bytes), the
use case either succeeds or refuses with a ``DomainError`` (``ValidationFailed``...)
and a Chinese message; never another exception, and never a half-write: after a
refusal every table of the database holds exactly what it held before (products,
barcodes, batches, deliveries, ledger, audit trail, policy versions...).

These run fewer cases than the pure parsers (``test_*_fuzz.py`` in ``tests/unit``), since
each is a file plus a transaction: ``[ci]`` a few dozen, derandomized; ``[long]``
(marked ``slow``) 1,000 each.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import re
import tomllib
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st
from sqlalchemy import inspect, text

from pharmacy_pos.domain.errors import DomainError
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.paths import resource
from pharmacy_pos.services.catalogue import CatalogueService
from pharmacy_pos.services.policy import PolicyService, read_policy_file
from pharmacy_pos.services.receiving import ReceivingService
from tests.fuzzing import attempt, chinese, fuzz

RUNS = [
    pytest.param(12, id="ci"),
    pytest.param(1_000, id="long", marks=pytest.mark.slow),
]


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only: every example reads the whole database twice."""
    return f"sqlite:///{tmp_path / 'pos.sqlite3'}"


def snapshot(engine) -> dict[str, str]:
    """Table -> digest of all its rows: what "nothing changed" is compared with."""
    digests = {}
    with engine.connect() as conn:
        for table in sorted(inspect(conn).get_table_names()):
            digest = hashlib.sha256()
            for row in conn.execute(text(f'SELECT * FROM "{table}" ORDER BY 1')):
                digest.update(repr(tuple(row)).encode("utf-8", "backslashreplace"))
            digests[table] = digest.hexdigest()
    return digests


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return [t for t in after if before.get(t) != after[t]]


_files = itertools.count()


def write_file(folder: Path, suffix: str, data: bytes) -> Path:
    path = folder / f"fuzz-{next(_files)}{suffix}"
    path.write_bytes(data)
    return path


# -- what a damaged file looks like -------------------------------------------------------

NASTY_CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "-1", "0", "1E+999999", "NaN", "-Infinity", "9" * 5000, "١٢", "1_000",
                     "\x00", "\t", "\r\n", "是\x00", "\ud800", "=1+1", "\u202e", "张" * 300,
                     "6901234567892", "2027-02-30", "0001-01-01", "是", "否"]),
)

ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "big5"]


def csv_bytes(header: list[str], rows: list[list[str]], encoding: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    # A lone surrogate becomes the invalid bytes a broken writer leaves (ED A0 80 in UTF-8).
    return out.getvalue().encode(encoding, "surrogatepass" if encoding.startswith("utf-8")
                                 else "replace")


def damage(raw: bytes, how: str, at: int, garbage: bytes) -> bytes:
    at %= len(raw) + 1
    if how == "cut":
        return raw[:at]
    if how == "flip" and at < len(raw):
        return raw[:at] + bytes([raw[at] ^ 0xA5]) + raw[at + 1:]
    if how == "splice":
        return raw[:at] + garbage + raw[at:]
    return raw


def file_strategy(header: list[str], good_rows: list[list[str]]) -> st.SearchStrategy:
    """(suffix, bytes): good rows with cells replaced, columns dropped, encodings and bytes
    damaged; an XLSX now and then; random bytes."""
    def build(args):
        rows, changes, drop, encoding, how, at, garbage, suffix = args
        rows = [list(r) for r in rows]
        head = list(header)
        for row_index, col, cell in changes:
            if rows:
                row = rows[row_index % len(rows)]
                row[col % len(row)] = cell
        for col in sorted(drop, reverse=True):
            if col < len(head):
                del head[col]
                for row in rows:
                    del row[col]
        if suffix == ".xlsx":
            return ".xlsx", damage(xlsx_bytes(head, rows), how, at, garbage)
        return ".csv", damage(csv_bytes(head, rows, encoding), how, at, garbage)

    return st.one_of(
        st.tuples(
            st.lists(st.sampled_from(good_rows), min_size=0, max_size=4),
            st.one_of(st.just([]), st.lists(st.tuples(st.integers(0, 3), st.integers(0, 40),
                                                      NASTY_CELLS), max_size=4)),
            st.one_of(st.just(set()), st.sets(st.integers(0, len(header) - 1), max_size=1)),
            st.sampled_from(ENCODINGS),
            st.sampled_from(["keep"] * 4 + ["cut", "flip", "splice"]),
            st.integers(0, 10_000), st.binary(min_size=1, max_size=6),
            st.sampled_from([".csv"] * 9 + [".xlsx"]),
        ).map(build),
        st.tuples(st.sampled_from([".csv", ".xlsx", ".txt"]), st.binary(max_size=300)),
    )


def xlsx_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in [header, *rows]:
        # Numbers as numbers, as a spreadsheet holds them (barcodes become floats).
        sheet.append([_xlsx_cell(c) for c in line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_cell(cell: str) -> object:
    cleaned = "".join(ch for ch in cell if ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF)
    try:
        return float(cleaned) if len(cleaned) < 30 else cleaned
    except ValueError:
        return cleaned


def assert_refused_cleanly(refused: DomainError, before: dict, engine) -> None:
    assert chinese(str(refused)), refused
    for problem in getattr(refused, "problems", []):
        assert chinese(problem.message), problem
    assert changed_tables(before, snapshot(engine)) == []


# -- catalogue ------------------------------------------------------------------------------

with resource("demo", "catalogue.csv").open(encoding="utf-8", newline="") as _file:
    _reader = csv.reader(_file)
    CATALOGUE_HEADER = next(_reader)
    CATALOGUE_ROWS = list(_reader)


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_catalogue_import_all_or_nothing(examples, engine, uow_factory, clock, staff,
                                              tmp_path):
    service = CatalogueService(uow_factory, clock)
    manager = staff[Role.STORE_MANAGER]
    outcomes: Counter[str] = Counter()
    # Some products exist already, so that updates and barcode conflicts are reached.
    service.import_file(manager, write_file(tmp_path, ".csv", csv_bytes(
        CATALOGUE_HEADER, CATALOGUE_ROWS[:20], "utf-8")))

    @fuzz(examples)
    @given(file_strategy(CATALOGUE_HEADER, CATALOGUE_ROWS[15:40]))
    @example((".csv", csv_bytes(CATALOGUE_HEADER, [CATALOGUE_ROWS[30]], "gb18030")))
    @example((".csv", b"\xef\xbb\xbf"))
    @example((".csv", "\u5546\u54c1\u7f16\u7801\x00".encode()))
    @example((".xlsx", b"PK\x03\x04" + b"\x00" * 40))
    def check(file):
        suffix, data = file
        path = write_file(tmp_path, suffix, data)
        before = snapshot(engine)
        result, refused = attempt(lambda: service.import_file(manager, path), DomainError)
        if refused is not None:
            event("refused")
            outcomes["refused"] += 1
            assert_refused_cleanly(refused, before, engine)
            return
        event("imported")
        outcomes["imported"] += 1
        assert result.total >= 1

    check()
    print(f"{examples} examples: {dict(outcomes)}")
    # Both ways were taken: the explicit examples include a valid file and a refused one.
    assert outcomes["imported"] and outcomes["refused"]


def workbook_without_sheets() -> bytes:
    """A well-formed XLSX whose workbook part lists no worksheet (a damaged file)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(CATALOGUE_HEADER, CATALOGUE_ROWS[:1])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/workbook.xml":
                data = re.sub(rb"<sheet [^>]*/>", b"", data)
            target.writestr(item, data)
    return out.getvalue()


def test_xlsx_without_a_worksheet_is_refused(engine, uow_factory, clock, staff, tmp_path):
    path = write_file(tmp_path, ".xlsx", workbook_without_sheets())
    before = snapshot(engine)
    with pytest.raises(DomainError) as refused:
        CatalogueService(uow_factory, clock).import_file(staff[Role.STORE_MANAGER], path)
    assert_refused_cleanly(refused.value, before, engine)


# -- delivery notes -----------------------------------------------------------------------

DELIVERY_HEADER = ["条形码", "商品编码", "批号", "生产日期", "有效期至", "批准文号", "进价", "数量",
                   "单位", "赠品"]
DELIVERY_ROWS = [
    [row[8].split(";")[0], row[0], f"B{n:04d}", "2026-09-01", "2028-08-31", row[7],
     "8.1234", str(n % 7 + 1), row[16], "否"]
    for n, row in enumerate(CATALOGUE_ROWS[:20])
]


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_delivery_file_all_or_nothing(examples, engine, uow_factory, clock, staff,
                                           tmp_path):
    manager = staff[Role.STORE_MANAGER]
    CatalogueService(uow_factory, clock).import_file(manager, write_file(
        tmp_path, ".csv", csv_bytes(CATALOGUE_HEADER, CATALOGUE_ROWS[:20], "utf-8")))
    receiving = ReceivingService(uow_factory, clock, store_code="H11010500001")
    receiving.add_supplier(manager, name="国药控股北京有限公司", licence_no="京AA0100001",
                           licence_expiry=date(2030, 12, 31))
    notes = itertools.count(1)
    outcomes: Counter[str] = Counter()

    @fuzz(examples)
    @given(file_strategy(DELIVERY_HEADER, DELIVERY_ROWS),
           st.sampled_from(["", "SH-1", "x" * 61, "\x00", "SH-2"]))
    @example((".csv", csv_bytes(DELIVERY_HEADER, DELIVERY_ROWS[:3], "gb18030")), "")
    @example((".csv", csv_bytes(DELIVERY_HEADER, [[*DELIVERY_ROWS[0][:6], "1E+999999",
                                                   *DELIVERY_ROWS[0][7:]]], "utf-8")), "")
    def check(file, note):
        suffix, data = file
        path = write_file(tmp_path, suffix, data)
        # A fresh delivery-note number unless the example picked one (which repeats).
        note_no = note or f"SH{next(notes):06d}"
        before = snapshot(engine)
        result, refused = attempt(lambda: receiving.receive_file(
            manager, path, supplier_name="国药控股北京有限公司", delivery_note_no=note_no),
            DomainError)
        if refused is not None:
            event("refused")
            outcomes["refused"] += 1
            assert_refused_cleanly(refused, before, engine)
            return
        event("received")
        outcomes["received"] += 1
        assert result.units > 0 and result.line_ids

    check()
    print(f"{examples} examples: {dict(outcomes)}")
    # Both ways were taken: the explicit examples include a valid file and a refused one.
    assert outcomes["received"] and outcomes["refused"]


# -- policy files -------------------------------------------------------------------------

DEFAULT_POLICY = resource("policy", "default.toml").read_text(encoding="utf-8")
POLICY_LINES = DEFAULT_POLICY.splitlines(keepends=True)


def policy_file(args) -> bytes:
    version, edits, encoding, how, at, garbage = args
    lines = list(POLICY_LINES)
    for index, replacement in edits:
        index %= len(lines)
        key = lines[index].split("=")[0].strip()
        lines[index] = f"{key} = {replacement}\n" if "=" in lines[index] else replacement
    document = "".join(lines).replace('version = "2026.1"', f'version = "{version}"')
    return damage(document.encode(encoding, "replace"), how, at, garbage)


POLICY_VALUES = st.sampled_from(
    ['"1e30"', '"0.1234"', '"-0.01"', "0.5", "nan", "-1", "99999999999999999999", '"٣"',
     "[90, 60, 30]", "[]", '"\\u0000"', '"2026.1"', "2027-01-01", "2026-02-30", "true",
     '"' + "9" * 60 + '"', "[" * 500 + "]" * 500, '"x"', "{}", '""', "3", "7", "30"])


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_policy_install_all_or_nothing(examples, engine, uow_factory, clock, staff,
                                            store, tmp_path):
    service = PolicyService(uow_factory, clock, store.id, DEFAULT_POLICY, "default.toml")
    manager = staff[Role.STORE_MANAGER]
    service.ensure_installed(manager)
    versions = itertools.count(1)
    outcomes: Counter[str] = Counter()

    @fuzz(examples)
    @given(st.one_of(
        st.tuples(st.sampled_from(["new", "2026.1"]),
                  st.lists(st.tuples(st.integers(0, 200), POLICY_VALUES), max_size=3),
                  st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]),
                  st.sampled_from(["keep", "keep", "cut", "flip", "splice"]),
                  st.integers(0, 5000), st.binary(min_size=1, max_size=4)).map(policy_file),
        st.binary(max_size=200)))
    @example(DEFAULT_POLICY.replace('version = "2026.1"', 'version = "new"').encode())
    @example(DEFAULT_POLICY.replace('deductible = "0.00"', 'deductible = "1e30"').encode())
    @example(b"a = " + b"9" * 5000)
    def check(data):
        version = f"fuzz-{next(versions)}"
        path = write_file(tmp_path, ".toml", data.replace(b'"new"', f'"{version}"'.encode()))
        before = snapshot(engine)
        active, refused = attempt(
            lambda: service.install(manager, read_policy_file(path), source=path.name,
                                    approver=staff[Role.ADMINISTRATOR]),
            DomainError)
        if refused is not None:
            event("refused")
            outcomes["refused"] += 1
            assert_refused_cleanly(refused, before, engine)
            return
        event("installed")
        outcomes["installed"] += 1
        assert active.policy.version == tomllib.loads(read_policy_file(path))["version"]
        assert service.current() == active

    check()
    print(f"{examples} examples: {dict(outcomes)}")
    # Both ways were taken: the explicit examples include a valid file and a refused one.
    assert outcomes["installed"] and outcomes["refused"]
