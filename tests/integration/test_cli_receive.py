"""pharmacy-pos-cli receive: a delivery note from CSV or XLSX, all lines or none (INV-2).

The command line runs on the real clock, so the dates below are far from any "today".
"""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from pharmacy_pos.cli import EXIT_OK, EXIT_REFUSED, EXIT_USAGE
from tests.integration.test_cli import load_demo_copy, run

SUPPLIER = "国药控股北京有限公司"
LAPSED = "某市康达医药有限公司（许可证已过期）"
HEADER = ["条形码", "商品编码", "批号", "生产日期", "有效期至", "批准文号", "进价", "数量",
          "单位", "赠品"]
# Demo catalogue: P000001 阿莫西林胶囊 0.25g*24粒 (split allowed), barcode 6938265910656;
# P000002 阿莫西林胶囊 0.5g*20粒.
GOOD_ROWS = [
    ["6938265910656", "", "AMX2501", "2025-01-01", "2099-12-31", "国药准字H20191379", "8.75",
     "10", "盒", "否"],
    ["", "P000002", "AMX2502", "2025-02-01", "2099-06-30", "", "6.20", "40", "粒", ""],
    ["", "P000002", "AMX2503", "2025-02-01", "2099-06-30", "", "", "2", "", "是"],
]


@pytest.fixture
def demo_dir(tmp_path, monkeypatch, cli_demo_template) -> Path:
    """A demo store (suppliers, users, catalogue) in a data directory of its own (a copy
    of what ``pharmacy-pos-cli demo`` wrote once for the session)."""
    monkeypatch.setenv("PHARMACY_POS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("PHARMACY_POS_DATABASE_URL", raising=False)
    monkeypatch.delenv("PHARMACY_POS_POLICY_FILE", raising=False)
    load_demo_copy(cli_demo_template, tmp_path)
    return tmp_path


def _db(data_dir: Path) -> sqlite3.Connection:
    return sqlite3.connect(data_dir / "pharmacy_pos.sqlite3")


def _counts(data_dir: Path) -> tuple[int, ...]:
    with _db(data_dir) as db:
        return tuple(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                     for table in ("deliveries", "delivery_lines", "batches",
                                   "ledger_entries", "audit_log"))


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    """A delivery note as Excel saves a CSV in a Chinese locale (GB18030)."""
    with path.open("w", encoding="gb18030", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    """A delivery note as an XLSX workbook (numbers and dates as Excel stores them)."""
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _verify(capsys) -> None:
    code, out, err = run(capsys, "verify")
    assert code == EXIT_OK, out + err


def test_receive_a_csv_delivery_note_into_batches_awaiting_acceptance(demo_dir, tmp_path,
                                                                      capsys):
    path = write_csv(tmp_path / "随货单.csv", GOOD_ROWS)
    code, out, err = run(capsys, "receive", str(path), "--supplier", SUPPLIER,
                         "--note", "GK-20261101-01", "--invoice-code", "011001900111",
                         "--invoice-no", "00012345", "--user", "manager")
    assert code == EXIT_OK, err
    assert "已收货 RK-" in out
    assert "3 行，金额 99.90 元" in out  # 10 × 8.75 + 40粒 × 6.20 / 20 + gift 0
    with _db(demo_dir) as db:
        delivery = db.execute(
            "SELECT d.id, d.delivery_note_no, d.invoice_code, d.invoice_no, u.username "
            "FROM deliveries d JOIN users u ON u.id = d.received_by").fetchall()
        assert [row[1:] for row in delivery] == [
            ("GK-20261101-01", "011001900111", "00012345", "manager")]
        lines = db.execute(
            "SELECT l.lot_no, l.quantity, l.is_gift, b.status, s.quantity FROM delivery_lines l "
            "JOIN batches b ON b.id = l.batch_id JOIN stock_balances s ON s.batch_id = b.id "
            "ORDER BY l.line_no").fetchall()
        assert lines == [("AMX2501", 240, 0, "awaiting_acceptance", 240),
                         ("AMX2502", 40, 0, "awaiting_acceptance", 40),
                         ("AMX2503", 40, 1, "awaiting_acceptance", 40)]
        (detail,) = db.execute(
            "SELECT detail FROM audit_log WHERE action = 'receiving.receive'").fetchone()
        assert json.loads(detail)["source"] == "随货单.csv"
    _verify(capsys)


def test_receive_an_xlsx_delivery_note(demo_dir, tmp_path, capsys):
    # Excel stores the barcode as a number and the dates as date cells.
    path = write_xlsx(tmp_path / "note.xlsx", [
        [6938265910656, None, "AMX2601", date(2025, 3, 1), date(2099, 2, 28),
         None, 8.75, 4, None, None]])
    code, out, err = run(capsys, "receive", str(path), "--supplier", SUPPLIER,
                         "--note", "GK-X1", "--user", "manager")
    assert code == EXIT_OK, err
    assert "1 行，金额 35.00 元" in out
    with _db(demo_dir) as db:
        assert db.execute("SELECT lot_no, manufacture_date, expiry_date, quantity "
                          "FROM delivery_lines").fetchall() == [
            ("AMX2601", "2025-03-01", "2099-02-28", 96)]
    _verify(capsys)


def test_every_bad_row_is_listed_and_nothing_is_received(demo_dir, tmp_path, capsys):
    before = _counts(demo_dir)
    path = write_csv(tmp_path / "bad.csv", [
        GOOD_ROWS[0],
        ["6900000000000", "", "X1", "2025-01-01", "2099-01-01", "", "1.00", "1", "", ""],
        ["", "P000002", "E1", "2019-01-01", "2020-01-01", "", "6.20", "1", "", ""],
        ["", "P000002", "E2", "2025-05-01", "2025-01-01", "", "6.20", "1", "", ""],
        ["6938265910656", "", "AMX2501", "2025-01-01", "2099-12-31", "", "8.75", "1", "", ""],
        ["", "P000002", "Q1", "2025-01-01", "2099-01-01", "", "6.20", "1.5", "", ""],
    ])
    code, _, err = run(capsys, "receive", str(path), "--supplier", SUPPLIER, "--note", "B-1",
                       "--user", "manager")
    assert code == EXIT_REFUSED
    assert "收货失败：5 处错误，未保存任何内容" in err
    assert "第 3 行 “商品”: “6900000000000”不在商品目录中" in err
    assert "第 4 行 “有效期至”: 到货已过期（有效期至 2020-01-01）" in err
    assert "第 5 行 “有效期至”: 有效期至 2025-01-01 早于生产日期 2025-05-01" in err
    assert "第 6 行 “批号”: 商品 P000001 批号 AMX2501 与第 2 行重复" in err
    assert "第 7 行 “数量”: 数量必须是整数" in err
    assert _counts(demo_dir) == before


def test_a_supplier_with_an_expired_licence_is_refused(demo_dir, tmp_path, capsys):
    before = _counts(demo_dir)
    path = write_csv(tmp_path / "note.csv", GOOD_ROWS)
    code, _, err = run(capsys, "receive", str(path), "--supplier", LAPSED, "--note", "L-1",
                       "--user", "manager")
    assert code == EXIT_REFUSED
    assert "[INV-2]" in err and "许可证" in err and "过期" in err
    assert _counts(demo_dir) == before


@pytest.mark.parametrize(("extra", "message"), [
    ((), "请指定收货人"),
    (("--user", "cashier"), "无权执行“采购收货”"),
    (("--user", "nobody"), "没有用户“nobody”"),
])
def test_the_receiver_must_be_named_and_allowed(demo_dir, tmp_path, capsys, extra, message):
    before = _counts(demo_dir)
    path = write_csv(tmp_path / "note.csv", GOOD_ROWS)
    code, _, err = run(capsys, "receive", str(path), "--supplier", SUPPLIER, "--note", "U-1",
                       *extra)
    assert code == EXIT_REFUSED
    assert message in err
    assert _counts(demo_dir) == before


def test_a_file_without_the_needed_columns_is_refused(demo_dir, tmp_path, capsys):
    path = write_csv(tmp_path / "note.csv", [["x", "1"]], header=["名称", "数量"])
    code, _, err = run(capsys, "receive", str(path), "--supplier", SUPPLIER, "--note", "H-1",
                       "--user", "manager")
    assert code == EXIT_REFUSED
    assert "随货单表头缺少列: 条形码或商品编码、批号、有效期至、进价" in err


def test_the_same_delivery_note_is_received_once(demo_dir, tmp_path, capsys):
    path = write_csv(tmp_path / "note.csv", GOOD_ROWS)
    args = ("receive", str(path), "--supplier", SUPPLIER, "--note", "D-1", "--user", "manager")
    assert run(capsys, *args)[0] == EXIT_OK
    before = _counts(demo_dir)
    code, _, err = run(capsys, *args)
    assert code == EXIT_REFUSED
    assert "“随货单号”: “D-1”已于" in err and "不能重复收货" in err
    assert _counts(demo_dir) == before


def test_supplier_and_note_are_required(demo_dir, tmp_path, capsys):
    path = write_csv(tmp_path / "note.csv", GOOD_ROWS)
    with pytest.raises(SystemExit) as usage:
        run(capsys, "receive", str(path), "--note", "N-1")
    assert usage.value.code == EXIT_USAGE


def test_inv_2_a_supplier_is_registered_with_a_valid_licence_only(demo_dir, capsys):
    code, out, _ = run(capsys, "supplier", "add", "新华医药有限公司", "--licence", "京AA0199",
                       "--licence-expiry", "2099-12-31", "--credit-code", "91110000000000001X")
    assert code == EXIT_OK and "供应商已登记" in out
    code, _, err = run(capsys, "supplier", "add", "旧执照医药公司", "--licence", "京AA0200",
                       "--licence-expiry", "2000-01-01")
    assert code == EXIT_REFUSED and "过期" in err
    code, _, err = run(capsys, "supplier", "add", "新华医药有限公司", "--licence", "京AA0199",
                       "--licence-expiry", "2099-12-31")
    assert code == EXIT_REFUSED and "已登记" in err
    code, out, _ = run(capsys, "supplier", "list")
    assert code == EXIT_OK
    listed = {line.split("\t")[0]: line.split("\t")[-1] for line in out.splitlines()}
    assert listed["新华医药有限公司"] == "有效" and listed[LAPSED] == "已过期"
    with _db(demo_dir) as db:
        assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'supplier.add' "
                          "AND detail LIKE '%新华医药%'").fetchone() == (1,)
