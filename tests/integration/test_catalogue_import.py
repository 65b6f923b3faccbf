"""Catalogue import: CSV and XLSX, all rows or none, every bad row listed."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from pharmacy_pos.domain.catalogue import COLUMNS
from pharmacy_pos.domain.errors import PermissionDenied, ValidationFailed
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.paths import resource
from pharmacy_pos.services.catalogue import CatalogueService, pinyin_initials
from tests.conftest import STAFF_PASSWORD

HEADER = [zh for zh, _, _ in COLUMNS]


def _row(code: str, barcode: str, **changes: str) -> dict[str, str]:
    base = {
        "商品编码": code, "医保编码": "", "通用名": "维生素C片", "商品名": "", "规格": "0.1g*100片",
        "剂型": "片剂", "生产企业": "东北制药", "批准文号": "", "条形码": barcode, "处方药": "否",
        "OTC类别": "乙类", "医保类别": "", "自付比例": "", "限定支付范围": "", "商品类别": "药品",
        "特殊管理": "", "包装单位": "瓶", "最小单位": "片", "包装数量": "100", "允许拆零": "否",
        "零售价": "5.50", "最低库存": "",
    }
    return base | changes


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[dict[str, str]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        # numbers as numbers, the way a spreadsheet user types them
        sheet.append([float(v) if k in ("零售价",) else (int(v) if k in ("包装数量", "条形码") and
                      v.isdigit() else v) for k, v in row.items()])
    book.save(path)
    return path


@pytest.fixture
def service(uow_factory, clock, user_service) -> CatalogueService:
    return CatalogueService(
        uow_factory, clock, lambda u, p: user_service.authenticate(u, p, terminal_id="T01"))


def _count(uow_factory) -> int:
    with uow_factory(readonly=True) as uow:
        return uow.products.count()


def test_demo_catalogue_imports_completely(service, system_actor, uow_factory):
    result = service.import_file(system_actor, resource("demo", "catalogue.csv"))
    assert result.added >= 200 and result.updated == 0
    with uow_factory(readonly=True) as uow:
        by_code = uow.products.by_barcode
        amoxicillin = next(p for p in uow.products.all() if p.generic_name.startswith("阿莫西林"))
        assert by_code(amoxicillin.barcodes[0].barcode).id == amoxicillin.id
        assert amoxicillin.pinyin_initials.startswith("AMXL")
        assert uow.products.by_national_code(amoxicillin.med_list_codg).id == amoxicillin.id


def test_xlsx_with_numeric_cells_imports(service, system_actor, uow_factory, tmp_path):
    path = write_xlsx(tmp_path / "c.xlsx", [_row("V1", "6901234567892"),
                                            _row("V2", "6901234567885", 零售价="12")])
    assert service.import_file(system_actor, path).added == 2
    with uow_factory(readonly=True) as uow:
        product = uow.products.by_barcode("6901234567885")
        assert product.retail_price == Decimal("12") and product.units_per_pack == 100


def test_gbk_csv_from_chinese_excel_imports(service, system_actor, tmp_path):
    path = write_csv(tmp_path / "gbk.csv", [_row("V1", "6901234567892")], encoding="gb18030")
    assert service.import_file(system_actor, path).added == 1


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_bad_row(service, system_actor,
                                                                    uow_factory, tmp_path):
    rows = [
        _row("V1", "6901234567892"),
        _row("V2", "6901234567891"),                # bad check digit: row 3
        _row("V3", "6901234567885", 零售价="-1"),     # negative price: row 4
        _row("V1", "6901234567878"),                # duplicate item code: row 5
        _row("V5", "6901234567892"),                # duplicate barcode: row 6
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(ValidationFailed) as failed:
        service.import_file(system_actor, path)
    by_row = {(p.row, p.field) for p in failed.value.problems}
    assert by_row == {(3, "条形码"), (4, "零售价"), (5, "商品编码"), (6, "条形码")}
    assert "未导入任何商品" in str(failed.value)
    assert _count(uow_factory) == 0


def test_barcode_held_by_another_product_in_the_database_is_refused(service, system_actor,
                                                                  uow_factory, tmp_path):
    service.import_file(system_actor, write_csv(tmp_path / "a.csv", [_row("V1", "6901234567892")]))
    with pytest.raises(ValidationFailed) as failed:
        service.import_file(system_actor, write_csv(tmp_path / "b.csv", [
            _row("V9", "6901234567885"), _row("V2", "6901234567892")]))
    assert [(p.row, p.field) for p in failed.value.problems] == [(3, "条形码")]
    assert "V1" in str(failed.value.problems[0])
    assert _count(uow_factory) == 1


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("", "空"),
        ("商品编码,通用名\nP1,x\n", "表头缺少列"),
        (None, "找不到文件"),
    ],
)
def test_malformed_files_are_refused_clearly(service, system_actor, tmp_path, content, fragment):
    path = tmp_path / "f.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationFailed, match=fragment):
        service.import_file(system_actor, path)


def test_unknown_format_and_damaged_xlsx(service, system_actor, tmp_path):
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(ValidationFailed, match="不支持"):
        service.import_file(system_actor, pdf)
    damaged = tmp_path / "d.xlsx"
    damaged.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(ValidationFailed, match="无法打开"):
        service.import_file(system_actor, damaged)


def test_row_with_extra_cells_is_refused(service, system_actor, tmp_path):
    path = tmp_path / "extra.csv"
    write_csv(path, [_row("V1", "6901234567892")])
    path.write_text(path.read_text(encoding="utf-8-sig") + ",".join(
        _row("V2", "6901234567885").values()) + ",surplus\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as failed:
        service.import_file(system_actor, path)
    assert any("列数" in str(p) and p.row == 3 for p in failed.value.problems)


def test_reimport_updates_changed_products_and_audits_price_changes(service, system_actor,
                                                                   staff, uow_factory,
                                                                   tmp_path):
    service.import_file(system_actor, write_csv(tmp_path / "a.csv", [
        _row("V1", "6901234567892"), _row("V2", "6901234567885")]))
    result = service.import_file(system_actor, write_csv(tmp_path / "b.csv", [
        _row("V1", "6901234567892", 零售价="6.00"), _row("V2", "6901234567885")]),
        approver=staff[Role.STORE_MANAGER].username, approver_password=STAFF_PASSWORD)
    assert (result.added, result.updated, result.unchanged) == (0, 1, 1)
    with uow_factory(readonly=True) as uow:
        change = json.loads(uow.audit.by_action("product.price_change")[-1].detail)
        assert uow.products.by_barcode("6901234567892").retail_price == Decimal("6.00")
    assert change["changes"]["retail_price"] == ["5.5000", "6.00"]
    assert change["approved_by"] == staff[Role.STORE_MANAGER].username


def test_sec_1_cashier_cannot_import(service, staff, tmp_path):
    with pytest.raises(PermissionDenied):
        service.import_file(staff[Role.CASHIER], write_csv(tmp_path / "a.csv", [
            _row("V1", "6901234567892")]))


def test_pinyin_initials_cover_generic_and_trade_names():
    assert pinyin_initials("阿莫西林胶囊", "阿莫仙") == "AMXLJN AMX"
    assert pinyin_initials("维生素C片", "") == "WSSCP"


def test_a_minimum_stock_column_is_optional_and_imported(service, system_actor, uow_factory,
                                                         tmp_path):
    service.import_file(system_actor, write_csv(tmp_path / "min.csv", [
        _row("V1", "6901234567892", 最低库存="200"), _row("V2", "6901234567885")]))
    with uow_factory(readonly=True) as uow:
        products = uow.products.by_item_codes(["V1", "V2"])
        assert (products["V1"].min_stock, products["V2"].min_stock) == (200, 0)
    # A file written before the column existed still imports.
    old_header = [h for h in HEADER if h != "最低库存"]
    path = tmp_path / "old.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=old_header, extrasaction="ignore")
        writer.writeheader()
        writer.writerow(_row("V3", "6901234567878"))
    assert service.import_file(system_actor, path).added == 1
