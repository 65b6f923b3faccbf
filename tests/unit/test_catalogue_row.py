from decimal import Decimal

import pytest

from pharmacy_pos.domain.catalogue import COLUMNS, ProductSpec, parse_catalogue_row
from pharmacy_pos.domain.product import InsuranceClass, ProductCategory


def row(**changes: str) -> dict[str, str]:
    base = {
        "商品编码": "P1", "医保编码": "XJ01CAA040A001010100483", "通用名": "阿莫西林胶囊",
        "商品名": "阿莫仙", "规格": "0.25g*24粒", "剂型": "胶囊剂",
        "生产企业": "华北制药股份有限公司",
        "批准文号": "国药准字H13023964", "条形码": "6901234567892", "处方药": "是", "OTC类别": "",
        "医保类别": "甲", "自付比例": "0", "限定支付范围": "", "商品类别": "药品", "特殊管理": "",
        "包装单位": "盒", "最小单位": "粒", "包装数量": "24", "允许拆零": "是", "零售价": "18.50",
    }
    base.update(changes)
    return base


def problems_of(raw: dict[str, str]) -> list[str]:
    parsed = parse_catalogue_row(raw, 7)
    assert isinstance(parsed, list), parsed
    assert all(p.row == 7 for p in parsed)
    return [str(p) for p in parsed]


def test_valid_row_becomes_a_spec():
    spec = parse_catalogue_row(row(), 2)
    assert isinstance(spec, ProductSpec)
    assert spec.retail_price == Decimal("18.50")
    assert spec.insurance_class is InsuranceClass.A
    assert spec.barcodes == ("6901234567892",)


def test_a_price_read_back_with_four_decimals_is_accepted():
    spec = parse_catalogue_row(row(零售价="18.5000"), 2)
    assert isinstance(spec, ProductSpec) and spec.retail_price == Decimal("18.5")


def test_english_headers_are_accepted():
    english = {key: row()[zh] for zh, key, _ in COLUMNS if zh in row()}
    assert isinstance(parse_catalogue_row(english, 2), ProductSpec)


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"零售价": "-3"}, "负数"),
        ({"零售价": "0"}, "大于 0"),
        ({"零售价": "1.234"}, "2 位小数"),
        ({"条形码": "6901234567891"}, "校验位"),
        ({"处方药": "也许"}, "是"),
        ({"商品类别": "零食"}, "无效"),
        ({"包装数量": "-2"}, "负数"),
        ({"包装数量": "2.5"}, "小数"),
        ({"通用名": ""}, "必填"),
        ({"OTC类别": "甲类"}, "OTC"),
        ({"医保编码": ""}, "医保编码"),
        ({"自付比例": "1.5"}, "0 到 1"),
        ({"条形码": "6901234567892;6901234567892"}, "重复"),
    ],
)
def test_bad_rows_say_what_is_wrong(changes, fragment):
    assert any(fragment in p for p in problems_of(row(**changes)))


def test_sale_1_cosmetic_can_never_be_in_the_insurance_catalogue():
    found = problems_of(row(商品类别="化妆品", 处方药="否"))
    assert any("SALE-1" in p for p in found)


def test_every_problem_of_a_row_is_reported():
    found = problems_of(row(零售价="abc", 包装数量="x", 处方药="?"))
    assert len(found) == 3


def test_non_drug_defaults():
    spec = parse_catalogue_row(row(商品类别="日用品", 处方药="否", 医保编码="", 医保类别="",
                                   自付比例="", 允许拆零="否", 包装数量="1"), 2)
    assert isinstance(spec, ProductSpec)
    assert spec.category is ProductCategory.DAILY_GOODS
    assert spec.category.never_insured
