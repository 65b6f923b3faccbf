"""Generate a reproducible benchmark database: 20,000 products and a year of stock history.

    .venv/bin/python benchmarks/generate.py [--seed 2026] [--out benchmarks/data/bench.sqlite3]
        [--products 20000] [--days 365] [--target-entries 1000000]

The schema comes from the real migrations, the store, users, suppliers and their audit
records from the real services and repositories. The bulk (products, barcodes, batches,
about a million ledger entries) is written with SQLAlchemy Core ``insert()`` executemany
in large chunks, the ledger's hash chain computed here with the very fields, order and
stored forms of ``LedgerRepository.append`` (``link_hash``, ``canonical_time``,
``to_minor``, the amount formula of ``StockMovement.amount``). The matching
``stock_balances`` rows and the ledger's ``chain_heads`` row are written at the end, so
``pharmacy_pos.services.verify.verify_database`` reports the database intact.

The simulated store sells every day from 08:00 to 21:50 (Asia/Shanghai), receives
deliveries every 2-4 days before opening for products below their reorder point (FEFO
selling, several batches per product with varied expiry), takes back a few sales and
voids a few lines, counts stock at every month's end (gains and losses) and destroys
expired stock. No batch ever goes below zero and timestamps never decrease along the
chain. The same seed gives the same database (password hashes aside: their salt is
random, as in the app).

The file is written as ``<out>.partial`` and renamed when complete.
"""

from __future__ import annotations

import argparse
import bisect
import calendar
import itertools
import math
import os
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, column, event, insert, table, update

from pharmacy_pos.db.engine import make_engine
from pharmacy_pos.db.migrate import upgrade_on_start
from pharmacy_pos.db.models import (
    Batch,
    ChainHead,
    Product,
    ProductBarcode,
    Supplier,
    User,
    UserRole,
)
from pharmacy_pos.db.uow import UnitOfWorkFactory
from pharmacy_pos.domain.clock import STORE_ZONE, FixedClock
from pharmacy_pos.domain.hashchain import GENESIS_HASH, canonical_time, link_hash
from pharmacy_pos.domain.ids import gtin_check_digit
from pharmacy_pos.domain.ledger import ledger_chain_name
from pharmacy_pos.domain.money import round_amount, to_minor
from pharmacy_pos.domain.product import (
    BatchStatus,
    ControlledCategory,
    InsuranceClass,
    LedgerEntryType,
    OtcClass,
    ProductCategory,
)
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.services import audit
from pharmacy_pos.services.actor import Actor
from pharmacy_pos.services.catalogue import pinyin_initials
from pharmacy_pos.services.passwords import hash_password
from pharmacy_pos.services.setup import ensure_store
from pharmacy_pos.settings import Settings

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_OUT = BENCH_DIR / "data" / "bench.sqlite3"
LAST_DAY = date(2026, 10, 31)  # the history ends here (store time), whatever today is
STORE_CODE = str(Settings.model_fields["store_code"].default)  # what the CLI/GUI look for
STORE_NAME = "基准测试大药房（定点零售药店）"
TERMINAL = "T01"
BENCH_PASSWORD = "Bench2026"  # noqa: S105 - benchmark databases only
CHUNK_ROWS = 50_000
ZIPF_S = 0.8  # popularity of the product ranked r is proportional to r ** -ZIPF_S

# ---------------------------------------------------------------------------------------
# Catalogue vocabulary
# ---------------------------------------------------------------------------------------

# Oral solid forms: (suffix of the generic name, dosage form, min unit)
_TABLETS = ("片", "片剂", "片")
_CAPS = ("胶囊", "胶囊剂", "粒")
_FORMS_WESTERN = (
    _TABLETS, _CAPS, ("分散片", "片剂", "片"), ("缓释片", "片剂", "片"),
    ("肠溶片", "片剂", "片"), ("颗粒", "颗粒剂", "袋"), ("肠溶胶囊", "胶囊剂", "粒"),
    ("软胶囊", "胶囊剂", "粒"), ("咀嚼片", "片剂", "片"), ("干混悬剂", "混悬剂", "袋"),
)
_FORMS_TCM = (
    _TABLETS, _CAPS, ("颗粒", "颗粒剂", "袋"), ("丸", "丸剂", "丸"), ("口服液", "口服液", "支"),
    ("滴丸", "滴丸剂", "丸"), ("软胶囊", "胶囊剂", "粒"), ("合剂", "合剂", "瓶"),
    ("糖浆", "糖浆剂", "瓶"), ("片(薄膜衣)", "片剂", "片"),
)
_FORMS_TOPICAL = (
    ("软膏", "软膏剂", "支"), ("乳膏", "乳膏剂", "支"), ("凝胶", "凝胶剂", "支"),
    ("滴眼液", "滴眼剂", "支"), ("喷雾剂", "喷雾剂", "瓶"), ("搽剂", "搽剂", "瓶"),
    ("贴膏", "贴膏剂", "贴"),
)

# Western stems: (name, strengths, prescription?, OTC class when not, ATC letter)
_WESTERN = (
    ("阿莫西林", ("0.125g", "0.25g", "0.5g"), True, None, "J"),
    ("头孢克肟", ("50mg", "0.1g"), True, None, "J"),
    ("头孢呋辛酯", ("0.125g", "0.25g"), True, None, "J"),
    ("头孢氨苄", ("0.125g", "0.25g"), True, None, "J"),
    ("头孢拉定", ("0.25g", "0.5g"), True, None, "J"),
    ("阿奇霉素", ("0.1g", "0.25g"), True, None, "J"),
    ("克拉霉素", ("0.125g", "0.25g"), True, None, "J"),
    ("罗红霉素", ("75mg", "0.15g"), True, None, "J"),
    ("左氧氟沙星", ("0.1g", "0.25g", "0.5g"), True, None, "J"),
    ("莫西沙星", ("0.4g",), True, None, "J"),
    ("甲硝唑", ("0.2g",), True, None, "J"),
    ("替硝唑", ("0.5g",), True, None, "J"),
    ("硝苯地平", ("10mg", "20mg", "30mg"), True, None, "C"),
    ("苯磺酸氨氯地平", ("5mg", "10mg"), True, None, "C"),
    ("缬沙坦", ("40mg", "80mg", "160mg"), True, None, "C"),
    ("厄贝沙坦", ("75mg", "150mg"), True, None, "C"),
    ("氯沙坦钾", ("50mg", "100mg"), True, None, "C"),
    ("酒石酸美托洛尔", ("25mg", "50mg"), True, None, "C"),
    ("富马酸比索洛尔", ("2.5mg", "5mg"), True, None, "C"),
    ("吲达帕胺", ("1.5mg", "2.5mg"), True, None, "C"),
    ("盐酸二甲双胍", ("0.25g", "0.5g", "0.85g"), True, None, "A"),
    ("格列美脲", ("1mg", "2mg"), True, None, "A"),
    ("格列齐特", ("30mg", "80mg"), True, None, "A"),
    ("阿卡波糖", ("50mg", "0.1g"), True, None, "A"),
    ("阿托伐他汀钙", ("10mg", "20mg", "40mg"), True, None, "C"),
    ("瑞舒伐他汀钙", ("5mg", "10mg", "20mg"), True, None, "C"),
    ("辛伐他汀", ("20mg", "40mg"), True, None, "C"),
    ("阿司匹林", ("25mg", "100mg"), True, None, "B"),
    ("硫酸氢氯吡格雷", ("25mg", "75mg"), True, None, "B"),
    ("奥美拉唑", ("10mg", "20mg"), False, OtcClass.A, "A"),
    ("雷贝拉唑钠", ("10mg", "20mg"), True, None, "A"),
    ("泮托拉唑钠", ("20mg", "40mg"), True, None, "A"),
    ("兰索拉唑", ("15mg", "30mg"), True, None, "A"),
    ("多潘立酮", ("10mg",), False, OtcClass.A, "A"),
    ("蒙脱石", ("3g",), False, OtcClass.B, "A"),
    ("铝碳酸镁", ("0.5g",), False, OtcClass.B, "A"),
    ("布洛芬", ("0.1g", "0.2g", "0.3g", "0.4g"), False, OtcClass.B, "M"),
    ("对乙酰氨基酚", ("0.1g", "0.325g", "0.5g"), False, OtcClass.A, "N"),
    ("双氯芬酸钠", ("25mg", "50mg", "75mg"), True, None, "M"),
    ("洛索洛芬钠", ("60mg",), True, None, "M"),
    ("氯雷他定", ("10mg",), False, OtcClass.B, "R"),
    ("盐酸西替利嗪", ("10mg",), False, OtcClass.B, "R"),
    ("依巴斯汀", ("10mg",), True, None, "R"),
    ("孟鲁司特钠", ("4mg", "5mg", "10mg"), True, None, "R"),
    ("盐酸氨溴索", ("30mg",), False, OtcClass.A, "R"),
    ("氢溴酸右美沙芬", ("15mg",), False, OtcClass.A, "R"),
    ("维生素C", ("0.1g",), False, OtcClass.B, "A"),
    ("维生素B6", ("10mg",), False, OtcClass.B, "A"),
    ("复合维生素B", ("100片",), False, OtcClass.B, "A"),
    ("叶酸", ("0.4mg", "5mg"), False, OtcClass.B, "B"),
    ("碳酸钙D3", ("0.6g",), False, OtcClass.B, "A"),
    ("甲钴胺", ("0.5mg",), True, None, "B"),
    ("谷维素", ("10mg",), False, OtcClass.B, "N"),
    ("阿昔洛韦", ("0.1g", "0.2g"), True, None, "J"),
    ("盐酸伐昔洛韦", ("0.15g", "0.3g"), True, None, "J"),
    ("磷酸奥司他韦", ("30mg", "75mg"), True, None, "J"),
    ("利巴韦林", ("0.1g",), True, None, "J"),
    ("左甲状腺素钠", ("25μg", "50μg"), True, None, "H"),
    ("别嘌醇", ("0.1g",), True, None, "M"),
    ("非布司他", ("20mg", "40mg"), True, None, "M"),
    ("盐酸坦索罗辛", ("0.2mg",), True, None, "G"),
    ("非那雄胺", ("1mg", "5mg"), True, None, "G"),
    ("枸橼酸西地那非", ("25mg", "50mg", "100mg"), True, None, "G"),
    ("马来酸依那普利", ("5mg", "10mg"), True, None, "C"),
    ("盐酸贝那普利", ("10mg",), True, None, "C"),
    ("螺内酯", ("20mg",), True, None, "C"),
    ("氢氯噻嗪", ("25mg",), True, None, "C"),
    ("盐酸氟桂利嗪", ("5mg",), True, None, "N"),
    ("艾司唑仑", ("1mg",), True, None, "N"),
    ("盐酸舍曲林", ("50mg",), True, None, "N"),
    ("枸橼酸莫沙必利", ("5mg",), True, None, "A"),
    ("乳酸菌素", ("0.4g",), False, OtcClass.B, "A"),
    ("地衣芽孢杆菌活菌", ("0.25g",), False, OtcClass.A, "A"),
    ("阿苯达唑", ("0.2g",), False, OtcClass.B, "P"),
    ("葡萄糖酸钙", ("0.5g",), False, OtcClass.B, "A"),
)
# Ephedrine compounds (RX-12): full generic names, OTC A, controlled
_EPHEDRINE = (
    ("复方盐酸伪麻黄碱缓释胶囊", _CAPS, "10粒"), ("美扑伪麻片", _TABLETS, "12片"),
    ("酚麻美敏片", _TABLETS, "12片"), ("氨酚伪麻美芬片", _TABLETS, "10片"),
    ("氨麻美敏片(Ⅱ)", _TABLETS, "12片"), ("小儿氨酚黄那敏颗粒", ("颗粒", "颗粒剂", "袋"), "12袋"),
)
_TCM = (
    "感冒灵", "板蓝根", "连花清瘟", "双黄连", "小柴胡", "藿香正气", "复方丹参", "银翘解毒",
    "牛黄解毒", "六味地黄", "逍遥", "乌鸡白凤", "健胃消食", "保和", "香砂养胃", "蒲地蓝消炎",
    "清开灵", "银黄", "桂枝茯苓", "血府逐瘀", "川贝枇杷", "急支", "三九胃泰", "附子理中",
    "补中益气", "归脾", "知柏地黄", "杞菊地黄", "金匮肾气", "柴胡舒肝", "养血清脑", "脑心通",
    "通心络", "速效救心", "麝香保心", "复方甘草", "清热解毒", "抗病毒", "金花清感",
    "疏风解毒", "蓝芩", "黄连上清", "龙胆泻肝", "三黄", "穿心莲", "夏桑菊", "风寒感冒",
    "午时茶", "参苓白术", "启脾", "益母草", "妇科千金", "丹参", "银杏叶", "地奥心血康",
)
_TOPICAL = (
    "红霉素", "莫匹罗星", "曲安奈德益康唑", "酮康唑", "盐酸特比萘芬", "阿昔洛韦", "氧氟沙星",
    "夫西地酸", "复方醋酸地塞米松", "丁酸氢化可的松", "双氯芬酸二乙胺", "硝酸咪康唑",
    "妥布霉素", "玻璃酸钠", "重组人表皮生长因子", "云南白药", "京万红", "马应龙麝香痔疮",
)
_DEVICES = (
    ("医用外科口罩", ("10只", "50只"), "袋", "只"),
    ("一次性使用医用口罩", ("10只", "30只"), "袋", "只"),
    ("创可贴", ("20片", "100片"), "盒", "片"), ("医用纱布块", ("10片",), "袋", "片"),
    ("医用棉签", ("50支", "100支"), "袋", "支"), ("医用电子体温计", ("1支",), "支", "支"),
    ("血糖试条", ("25条", "50条"), "盒", "条"), ("一次性使用采血针", ("50支", "100支"), "盒", "支"),
    ("医用退热贴", ("4贴", "6贴"), "盒", "贴"), ("弹性绷带", ("7.5cm*4.5m",), "卷", "卷"),
    ("医用护理垫", ("10片",), "包", "片"), ("电子血压计", ("上臂式",), "台", "台"),
    ("雾化器", ("压缩式",), "台", "台"), ("一次性使用无菌注射器", ("5ml*10支",), "袋", "支"),
    ("医用冷敷贴", ("5片",), "盒", "片"), ("早早孕检测试纸", ("1条", "3条"), "盒", "条"),
)
_HEALTH_FOOD = (
    ("维生素C咀嚼片", ("60片", "90片")), ("钙维生素D软胶囊", ("60粒", "100粒")),
    ("蛋白质粉", ("450g", "900g")), ("鱼油软胶囊", ("100粒", "200粒")),
    ("氨糖软骨素钙片", ("60片", "90片")), ("辅酶Q10软胶囊", ("30粒", "60粒")),
    ("褪黑素维生素B6片", ("60片",)), ("多种维生素矿物质片", ("60片", "100片")),
    ("葡萄籽维生素C加E片", ("60片",)), ("大豆磷脂软胶囊", ("100粒",)), ("西洋参含片", ("60片",)),
)
_COSMETICS = (
    ("润唇膏", ("3.5g",)), ("护手霜", ("50g", "100g")), ("保湿霜", ("50g",)),
    ("清透防晒乳", ("50g",)), ("氨基酸洁面乳", ("100g", "150g")), ("舒缓修护精华液", ("30ml",)),
    ("医用级保湿喷雾", ("150ml",)),
)
_DAILY = (
    ("抽纸", ("3层*120抽*3包",)), ("牙膏", ("120g", "180g")), ("抑菌洗手液", ("300g", "500g")),
    ("湿巾", ("80片",)), ("成人纸尿裤", ("M码10片", "L码10片")), ("棉柔巾", ("100抽",)),
    ("75%乙醇消毒液", ("100ml", "500ml")), ("含氯消毒片", ("100片",)),
)
_MANUFACTURERS = (
    "华北制药股份有限公司", "石药集团欧意药业有限公司", "齐鲁制药有限公司",
    "扬子江药业集团有限公司",
    "哈药集团制药总厂", "修正药业集团股份有限公司", "广州白云山制药股份有限公司",
    "华润三九医药股份有限公司", "山东新华制药股份有限公司", "浙江海正药业股份有限公司",
    "江苏恒瑞医药股份有限公司", "珠海联邦制药股份有限公司", "上海上药信谊药厂有限公司",
    "天津力生制药股份有限公司", "东北制药集团沈阳第一制药有限公司", "重庆药友制药有限责任公司",
    "浙江华海药业股份有限公司", "山东罗欣药业集团股份有限公司", "北京四环制药有限公司",
    "太极集团重庆涪陵制药厂有限公司", "昆明制药集团股份有限公司", "丽珠集团丽珠制药厂",
    "深圳致君制药有限公司", "西南药业股份有限公司", "湖南千金湘江药业股份有限公司",
    "辰欣药业股份有限公司", "四川科伦药业股份有限公司", "海南普利制药股份有限公司",
    "江西汇仁药业股份有限公司", "华中药业股份有限公司", "浙江京新药业股份有限公司",
    "吉林敖东药业集团延吉股份有限公司", "广东华南药业集团有限公司", "国药集团容生制药有限公司",
    "中美天津史克制药有限公司", "上海强生制药有限公司", "拜耳医药保健有限公司",
    "辉瑞制药有限公司", "北京诺华制药有限公司", "阿斯利康药业(中国)有限公司",
)
_TCM_MAKERS = (
    "北京同仁堂股份有限公司同仁堂制药厂", "天士力医药集团股份有限公司",
    "石家庄以岭药业股份有限公司",
    "云南白药集团股份有限公司", "广州白云山和记黄埔中药有限公司", "江中药业股份有限公司",
    "兰州佛慈制药股份有限公司", "九芝堂股份有限公司", "神威药业集团有限公司",
    "陕西步长制药有限公司", "太极集团重庆桐君阁药厂有限公司", "吉林敖东洮南药业股份有限公司",
    "贵州百灵企业集团制药股份有限公司", "华润三九医药股份有限公司", "仲景宛西制药股份有限公司",
    "漳州片仔癀药业股份有限公司", "天津中新药业集团股份有限公司达仁堂制药厂",
    "河南羚锐制药股份有限公司", "湖北香连药业有限责任公司", "杭州胡庆余堂药业有限公司",
)
_OTHER_MAKERS = (
    "稳健医疗用品股份有限公司", "江苏鱼跃医疗设备股份有限公司", "振德医疗用品股份有限公司",
    "三诺生物传感股份有限公司", "欧姆龙(大连)有限公司", "汤臣倍健股份有限公司",
    "养生堂药业有限公司", "浙江康恩贝制药股份有限公司", "云南贝泰妮生物科技集团股份有限公司",
    "上海家化联合股份有限公司", "金红叶纸业集团有限公司", "山东利尔康医疗科技股份有限公司",
    "杭州可靠护理用品股份有限公司", "海氏海诺集团有限公司", "可孚医疗科技股份有限公司",
)
_BRAND_SYLLABLES = "康泰力安舒宁欣达维乐普信瑞诺克倍优迪嘉益捷立美通清润和仁华正元恒"
_PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云陕甘"
_ATC_TCM = "ABCDGHJMNR"


@dataclass(slots=True)
class Catalogue:
    """The generated products, as insert rows and the arrays the simulation needs."""

    products: list[dict[str, Any]] = field(default_factory=list)
    barcodes: list[dict[str, Any]] = field(default_factory=list)
    units_per_pack: list[int] = field(default_factory=list)
    split_allowed: list[bool] = field(default_factory=list)
    retail_cents: list[int] = field(default_factory=list)
    shelf_days: list[int] = field(default_factory=list)


@cache
def _initials(generic: str, trade: str) -> str:
    return pinyin_initials(generic, trade)


def _ean13(rng: random.Random, used: set[str]) -> str:
    while True:
        body = "69" + "".join(rng.choice("0123456789") for _ in range(10))
        code = body + gtin_check_digit(body)
        if code not in used:
            used.add(code)
            return code


def _national_code(rng: random.Random, western: bool, atc: str, used: set[str]) -> str:
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    while True:
        code = (
            f"{'X' if western else 'Z'}{atc}{rng.randint(1, 99):02d}{rng.choice(letters)}"
            f"{rng.choice(letters)}A{rng.randint(1, 999):03d}A{rng.randint(1, 999):03d}"
            f"{rng.randint(0, 999_999_999):09d}"
        )
        if code not in used:
            used.add(code)
            return code


def _price(rng: random.Random, low: float, high: float) -> Decimal:
    value = math.exp(rng.uniform(math.log(low), math.log(high)))
    # 0.10 steps below 20 元, 0.50 steps above
    cents = round(value * 10) * 10 if value < 20 else round(value * 2) * 50
    return Decimal(max(cents, 10)) / 100


def _brand(rng: random.Random) -> str:
    return "".join(rng.sample(_BRAND_SYLLABLES, rng.choice((2, 2, 3))))


def build_catalogue(rng: random.Random, count: int, now: datetime) -> Catalogue:
    """``count`` unique products: drugs mostly, then devices, health food and the rest."""
    cat = Catalogue()
    seen: set[tuple[str, str, str, str]] = set()
    used_barcodes: set[str] = set()
    used_codes: set[str] = set()
    kinds = ("western", "tcm", "topical", "ephedrine", "device", "health", "cosmetic", "daily")
    weights = (52, 24, 8, 0.4, 7, 4, 2.3, 2.3)
    while len(cat.products) < count:
        kind = rng.choices(kinds, weights)[0]
        row = _product(rng, kind)
        # the same generic, spec and maker once per catalogue; devices and goods also vary
        # by brand
        brand = "" if row["category"] is ProductCategory.DRUG else row["trade_name"]
        key = (row["generic_name"], brand, row["specification"], row["manufacturer"])
        if key in seen:
            continue
        seen.add(key)
        pid = len(cat.products) + 1
        category = row["category"]
        insurable = category in (ProductCategory.DRUG, ProductCategory.MEDICAL_DEVICE)
        listed_share = 0.69 if category is ProductCategory.DRUG else 0.2
        if insurable and rng.random() < listed_share:
            ins = rng.choices((InsuranceClass.A, InsuranceClass.B, InsuranceClass.C),
                              (40, 50, 10))[0]
            ratio = {InsuranceClass.A: Decimal("0"), InsuranceClass.C: Decimal("1")}.get(
                ins, Decimal(rng.choice((5, 10, 10, 15, 20))) / 100)
            code = _national_code(rng, kind != "tcm", row.pop("atc"), used_codes)
        else:
            ins, ratio, code = InsuranceClass.NONE, None, None
            row.pop("atc")
        shelf = row.pop("shelf")
        row.update(
            id=pid, item_code=f"P{pid:06d}", med_list_codg=code, insurance_class=ins,
            self_pay_ratio=ratio, restricted_scope="",
            pinyin_initials=_initials(row["generic_name"], row["trade_name"]),
            active=True, created_at=now, updated_at=now,
        )
        cat.products.append(row)
        for _ in range(1 if rng.random() < 0.7 else 2):
            cat.barcodes.append({"product_id": pid, "barcode": _ean13(rng, used_barcodes)})
        cat.units_per_pack.append(row["units_per_pack"])
        cat.split_allowed.append(row["split_allowed"])
        cat.retail_cents.append(int(row["retail_price"] * 100))
        cat.shelf_days.append(shelf)
    return cat


def _product(rng: random.Random, kind: str) -> dict[str, Any]:
    prescription, otc = False, OtcClass.NONE
    controlled = ControlledCategory.NONE
    category = ProductCategory.DRUG
    trade = ""
    atc = rng.choice(_ATC_TCM)
    shelf = rng.choice((730, 1095, 1095, 1460))
    if kind == "western":
        stem, strengths, prescription, otc_class, atc = rng.choice(_WESTERN)
        otc = otc_class or OtcClass.NONE
        suffix, form, unit = rng.choice(_FORMS_WESTERN)
        count = rng.choice((6, 7, 10, 12, 14, 20, 24, 28, 30, 36, 48, 60, 100))
        if unit == "袋":
            count = rng.choice((6, 9, 10, 12, 18))
        generic, spec = stem + suffix, f"{rng.choice(strengths)}*{count}{unit}"
        if rng.random() < 0.3:
            trade = _brand(rng)
        approval = f"国药准字{rng.choice('HHHHHJ')}{rng.randint(10_000_000, 20_259_999)}"
        maker = rng.choice(_MANUFACTURERS)
        price = _price(rng, 3, 160)
        package = "瓶" if count >= 60 and rng.random() < 0.6 else "盒"
    elif kind == "tcm":
        suffix, form, unit = rng.choice(_FORMS_TCM)
        generic = rng.choice(_TCM) + suffix
        count = rng.choice((6, 9, 10, 12, 18, 20, 24, 36, 48)) if unit != "瓶" else 1
        dose = {"袋": "10g", "丸": "9g", "支": "10ml", "瓶": rng.choice(("100ml", "150ml"))}.get(
            unit, rng.choice(("0.25g", "0.3g", "0.35g", "0.4g", "0.5g")))
        spec = f"{dose}*{count}{unit}" if count > 1 else dose
        otc = rng.choices((OtcClass.NONE, OtcClass.A, OtcClass.B), (30, 45, 25))[0]
        prescription = otc is OtcClass.NONE
        if rng.random() < 0.4:
            trade = _brand(rng)
        approval = f"国药准字Z{rng.randint(10_000_000, 20_259_999)}"
        maker = rng.choice(_TCM_MAKERS)
        price = _price(rng, 5, 120)
        package = "盒"
    elif kind == "topical":
        suffix, form, unit = rng.choice(_FORMS_TOPICAL)
        generic = rng.choice(_TOPICAL) + suffix
        count = 1 if unit != "贴" else rng.choice((4, 6, 8, 10))
        spec = rng.choice(("10g", "15g", "20g", "5ml", "8ml", "60ml")) if count == 1 else (
            f"7cm*10cm*{count}贴")
        otc = rng.choice((OtcClass.A, OtcClass.B, OtcClass.NONE))
        prescription = otc is OtcClass.NONE
        approval = f"国药准字{rng.choice('HZ')}{rng.randint(10_000_000, 20_259_999)}"
        maker = rng.choice(_MANUFACTURERS + _TCM_MAKERS)
        price = _price(rng, 3, 90)
        package = "盒"
    elif kind == "ephedrine":
        generic, (suffix, form, unit), spec = rng.choice(_EPHEDRINE)
        count = int("".join(ch for ch in spec if ch.isdigit()))
        otc, controlled = OtcClass.A, ControlledCategory.EPHEDRINE_COMPOUND
        trade = _brand(rng) if rng.random() < 0.5 else ""
        approval = f"国药准字H{rng.randint(10_000_000, 20_259_999)}"
        maker = rng.choice(_MANUFACTURERS)
        price = _price(rng, 8, 40)
        package = "盒"
    else:
        maker = rng.choice(_OTHER_MAKERS)
        trade = _brand(rng) if rng.random() < 0.9 else ""
        form = ""
        if kind == "device":
            generic, specs, package, unit = rng.choice(_DEVICES)
            spec = rng.choice(specs)
            category = ProductCategory.MEDICAL_DEVICE
            approval = (f"{rng.choice(_PROVINCES)}械注准{rng.randint(2018, 2025)}2"
                        f"{rng.randint(0, 99_999):05d}")
            price = _price(rng, 2, 400)
        else:
            table_ = {"health": _HEALTH_FOOD, "cosmetic": _COSMETICS, "daily": _DAILY}[kind]
            generic, specs = rng.choice(table_)
            spec = rng.choice(specs)
            category = {"health": ProductCategory.HEALTH_FOOD,
                        "cosmetic": ProductCategory.COSMETIC,
                        "daily": ProductCategory.DAILY_GOODS}[kind]
            approval = (f"国食健注G{rng.randint(2015, 2025)}{rng.randint(0, 9999):04d}"
                        if kind == "health" else "")
            price = _price(rng, 3, 300)
            package, unit = ("瓶", "瓶") if kind != "daily" else ("包", "包")
        digits = "".join(ch for ch in spec.split("*")[-1] if ch.isdigit())
        count = int(digits) if unit in ("只", "片", "支", "条", "贴") and digits else 1
        count = max(1, min(count, 200))
        if count == 1:
            unit = package
    upp = count if count > 1 else 1
    split = (upp >= 6 and category is ProductCategory.DRUG
             and controlled is ControlledCategory.NONE and rng.random() < 0.35)
    return {
        "generic_name": generic, "trade_name": trade, "specification": spec,
        "dosage_form": form, "manufacturer": maker, "approval_no": approval,
        "is_prescription": prescription, "otc_class": otc, "category": category,
        "controlled_category": controlled, "package_unit": package, "min_unit": unit,
        "units_per_pack": upp, "split_allowed": split, "retail_price": price,
        "atc": atc, "shelf": shelf,
    }


# ---------------------------------------------------------------------------------------
# Database set-up through the app's own code
# ---------------------------------------------------------------------------------------

_SUPPLIERS = (
    ("国药控股北京有限公司", "91110000101123456X", "京AA0100123"),
    ("九州通医药集团股份有限公司", "91420000177594516F", "鄂AA0270014"),
    ("华润医药商业集团有限公司", "91110000600063689Q", "京AA0100456"),
    ("上海医药分销控股有限公司", "91310000132231234K", "沪AA0210088"),
    ("广州医药股份有限公司", "91440101190477213M", "粤AA0200171"),
    ("重庆医药(集团)股份有限公司", "91500000202818476G", "渝AA0230002"),
)
_USERS = (
    ("cashier", "王芳", Role.CASHIER),
    ("cashier2", "孙丽", Role.CASHIER),
    ("inspector", "张伟", Role.QUALITY_INSPECTOR),
    ("manager", "刘洋", Role.STORE_MANAGER),
)


@dataclass(frozen=True, slots=True)
class Setup:
    """Ids of what the app's code created."""

    store_id: int
    users: dict[str, int]
    suppliers: list[int]


def set_up(factory: UnitOfWorkFactory, clock: FixedClock, catalogue: Catalogue) -> Setup:
    """Store, users, suppliers (audit-logged by the app's code) and the catalogue."""
    store, _ = ensure_store(factory, clock, code=STORE_CODE, name=STORE_NAME,
                            operator="bench:generate", terminal_id=TERMINAL)
    actor = Actor.system(store.id, TERMINAL, "bench:generate")
    now = clock.now()
    users: dict[str, int] = {}
    supplier_ids: list[int] = []
    with factory() as uow:
        password_hash = hash_password(BENCH_PASSWORD)
        for username, name, role in _USERS:
            user = uow.users.add(User(
                store_id=store.id, username=username, display_name=name,
                password_hash=password_hash, pharmacist_qualification_no="", failed_logins=0,
                frozen_reason="", password_changed_at=now, created_at=now,
                roles=[UserRole(role=role)],
            ))
            audit.record(uow, actor, "user.add", at=now, target_type="user", target_id=user.id,
                         detail={"username": username, "roles": [role], "bench": True})
            users[username] = user.id
        for name, credit, licence in _SUPPLIERS:
            supplier = uow.suppliers.add(Supplier(
                name=name, credit_code=credit, licence_no=licence,
                licence_expiry=LAST_DAY + timedelta(days=730), contact="", phone="",
                created_at=now,
            ))
            audit.record(uow, actor, "supplier.add", at=now, target_type="supplier",
                         target_id=supplier.id, detail={"name": name, "licence_no": licence})
            supplier_ids.append(supplier.id)
        for start in range(0, len(catalogue.products), CHUNK_ROWS):
            uow.session.execute(insert(Product.__table__),
                                catalogue.products[start:start + CHUNK_ROWS])
        for start in range(0, len(catalogue.barcodes), CHUNK_ROWS):
            uow.session.execute(insert(ProductBarcode.__table__),
                                catalogue.barcodes[start:start + CHUNK_ROWS])
        audit.record(uow, actor, "catalogue.import", at=now, target_type="file",
                     target_id="bench:generate",
                     detail={"added": len(catalogue.products), "updated": 0, "unchanged": 0})
        uow.commit()
    return Setup(store.id, users, supplier_ids)


# ---------------------------------------------------------------------------------------
# The year of history
# ---------------------------------------------------------------------------------------

# Untyped view of the ledger: values go in exactly in their stored forms (integers for
# money, canonical UTC text for time), the same forms the hash is computed over.
_LEDGER = table(
    "ledger_entries",
    *(column(name) for name in (
        "id", "store_id", "chain_seq", "batch_id", "product_id", "entry_type", "quantity",
        "unit_cost", "amount", "operator_id", "occurred_at", "doc_type", "doc_no",
        "reverses_id", "note", "prev_hash", "entry_hash",
    )),
)
_BALANCES = table("stock_balances", *(column(n) for n in (
    "batch_id", "store_id", "product_id", "quantity", "version")))

SALE = LedgerEntryType.SALE_OUT.value
PURCHASE = LedgerEntryType.PURCHASE_IN.value


def _local(day: date, seconds: float) -> datetime:
    """A moment ``seconds`` after local midnight of ``day``, in UTC."""
    midnight = datetime.combine(day, dtime(0), STORE_ZONE)
    return (midnight + timedelta(seconds=seconds)).astimezone(UTC)


class History:
    """Simulates the store day by day and streams chained ledger rows into the database."""

    def __init__(self, engine: Engine, setup: Setup, cat: Catalogue, rng: random.Random, *,
                 first_day: date, days: int, target: int) -> None:
        self.engine = engine
        self.store = setup.store_id
        self.users = setup.users
        self.suppliers = setup.suppliers
        self.cat = cat
        self.rng = rng
        self.first_day = first_day
        self.days = days
        self.target = target
        n = len(cat.products)
        self.n = n
        # chain
        self.seq = 0
        self.prev = GENESIS_HASH
        self.amount_cache: dict[tuple[int, int, int], int] = {}
        # batches (index = batch id; 0 unused)
        self.b_product: list[int] = [0]
        self.b_qty: list[int] = [0]
        self.b_cost4: list[int] = [0]
        self.b_cost: list[Decimal] = [Decimal(0)]
        self.b_expiry: list[int] = [0]
        self.b_active: list[bool] = [False]
        self.b_touched: list[bool] = [False]
        self.b_status: list[BatchStatus] = [BatchStatus.SELLABLE]
        self.expiring: dict[int, list[int]] = defaultdict(list)
        self.awaiting_destruction: list[int] = []
        # products (index = product id - 1)
        self.active: list[list[tuple[int, int]]] = [[] for _ in range(n)]  # (expiry, batch)
        self.stock = [0] * n
        self.supplier_of = [rng.choice(self.suppliers) for _ in range(n)]
        ranks = list(range(n))
        rng.shuffle(ranks)
        weight = [0.0] * n
        for rank, index in enumerate(ranks):
            weight[index] = (rank + 1) ** -ZIPF_S
        total = sum(weight)
        self.cum_weights = list(itertools.accumulate(weight))
        lines_per_day = target * 0.96 / days / 1.08  # sale lines make ~96%; FEFO splits ~8%
        self.daily_demand = [
            lines_per_day * w / total * self._mean_units(i) for i, w in enumerate(weight)
        ]
        self.reorder_point = [
            max(cat.units_per_pack[i], math.ceil(self.daily_demand[i] * 6)) for i in range(n)
        ]
        self.pending_reorder: set[int] = set()
        self.recent_sales: list[tuple[int, int, int, str]] = []  # entry id, batch, qty, doc
        self.today_sales: list[tuple[int, int, int, str]] = []
        # output
        self.pending_batches: list[dict[str, Any]] = []
        self.pending_rows: list[dict[str, Any]] = []
        self.counts: dict[str, int] = defaultdict(int)
        self.conn: Connection | None = None

    def _mean_units(self, p: int) -> float:
        upp = self.cat.units_per_pack[p]
        whole = upp * 1.5
        if self.cat.split_allowed[p]:
            return 0.7 * whole + 0.3 * max(1, upp // 4)
        return whole

    # -- writing ------------------------------------------------------------------------

    def _amount(self, qty: int, batch: int) -> int:
        """``to_minor(StockMovement.amount, 2)``: round(qty * unit_cost / units_per_pack)."""
        upp = self.cat.units_per_pack[self.b_product[batch] - 1]
        key = (qty, self.b_cost4[batch], upp)
        cached = self.amount_cache.get(key)
        if cached is None:
            amount = round_amount(Decimal(qty) * self.b_cost[batch] / upp)
            cached = self.amount_cache[key] = to_minor(amount, 2)
        return cached

    def emit(self, batch: int, entry_type: str, qty: int, when: str, operator: int,
             doc_type: str, doc_no: str, note: str = "", reverses: int | None = None) -> int:
        """Append one link; ``when`` is ``canonical_time`` of the moment. Returns its id."""
        self.seq += 1
        seq = self.seq
        product = self.b_product[batch]
        unit_cost = self.b_cost4[batch]
        amount = self._amount(qty, batch)
        fields = (
            self.store, seq, batch, product, entry_type, qty, unit_cost, amount, operator,
            when, doc_type, doc_no, reverses, note,
        )
        digest = link_hash(self.prev, fields)
        self.pending_rows.append({
            "id": seq, "store_id": self.store, "chain_seq": seq, "batch_id": batch,
            "product_id": product, "entry_type": entry_type, "quantity": qty,
            "unit_cost": unit_cost, "amount": amount, "operator_id": operator,
            "occurred_at": when, "doc_type": doc_type, "doc_no": doc_no,
            "reverses_id": reverses, "note": note, "prev_hash": self.prev,
            "entry_hash": digest,
        })
        self.prev = digest
        self.b_qty[batch] += qty
        self.b_touched[batch] = True
        self.counts[entry_type] += 1
        if len(self.pending_rows) >= CHUNK_ROWS:
            self.flush()
        return seq

    def flush(self) -> None:
        """Send pending batches, then pending ledger rows (they reference the batches)."""
        assert self.conn is not None
        if self.pending_batches:
            self.conn.execute(insert(Batch.__table__), self.pending_batches)
            self.pending_batches = []
        if self.pending_rows:
            self.conn.execute(insert(_LEDGER), self.pending_rows)
            self.pending_rows = []

    # -- stock bookkeeping --------------------------------------------------------------

    def new_batch(self, p: int, received: datetime, expiry: date, manufactured: date) -> int:
        batch = len(self.b_product)
        retail = self.cat.retail_cents[p]
        cost_cents = max(1, round(retail * self.rng.randint(55, 80) / 100))
        cost = Decimal(cost_cents) / 100
        expiry_ord = expiry.toordinal()
        self.b_product.append(p + 1)
        self.b_qty.append(0)
        self.b_cost4.append(to_minor(cost, 4))
        self.b_cost.append(cost)
        self.b_expiry.append(expiry_ord)
        self.b_active.append(True)
        self.b_touched.append(False)
        self.b_status.append(BatchStatus.SELLABLE)
        self.expiring[expiry_ord].append(batch)
        bisect.insort(self.active[p], (expiry_ord, batch))
        self.pending_batches.append({
            "id": batch, "store_id": self.store, "product_id": p + 1,
            "supplier_id": self.supplier_of[p],
            "lot_no": f"{manufactured:%y%m%d}{self.rng.randint(10, 99)}",
            "manufacture_date": manufactured, "expiry_date": expiry,
            "purchase_price": cost, "status": BatchStatus.SELLABLE, "created_at": received,
        })
        return batch

    def _deactivate(self, batch: int) -> None:
        if self.b_active[batch]:
            p = self.b_product[batch] - 1
            self.active[p].remove((self.b_expiry[batch], batch))
            self.b_active[batch] = False
            self.stock[p] -= self.b_qty[batch]

    def _reactivate(self, batch: int, day_ord: int) -> bool:
        if self.b_active[batch]:
            return True
        if self.b_expiry[batch] < day_ord:
            return False
        p = self.b_product[batch] - 1
        bisect.insort(self.active[p], (self.b_expiry[batch], batch))
        self.b_active[batch] = True
        self.stock[p] += self.b_qty[batch]
        return True

    def _check_reorder(self, p: int) -> None:
        if self.stock[p] < self.reorder_point[p]:
            self.pending_reorder.add(p)

    def _expire(self, day_ord: int) -> None:
        for batch in self.expiring.pop(day_ord - 1, ()):
            self.b_status[batch] = BatchStatus.EXPIRED
            p = self.b_product[batch] - 1
            self._deactivate(batch)
            if self.b_qty[batch] > 0:
                self.awaiting_destruction.append(batch)
            self._check_reorder(p)

    # -- the days -----------------------------------------------------------------------

    def _order_packs(self, p: int, low: int, high: int) -> int:
        upp = self.cat.units_per_pack[p]
        packs = math.ceil(self.daily_demand[p] * self.rng.randint(low, high) / upp)
        return max(packs, self.rng.randint(3, 10))

    def opening_stock(self, day: date) -> None:
        """Go-live: every product received in 1-3 batches with varied expiry."""
        rng = self.rng
        by_supplier: dict[int, list[int]] = defaultdict(list)
        for p in range(self.n):
            by_supplier[self.supplier_of[p]].append(p)
        inspector = self.users["inspector"]
        for index, supplier in enumerate(sorted(by_supplier)):
            received = _local(day, 7 * 3600 + index * 300)
            when = canonical_time(received)
            doc_no = f"RK-{day:%Y%m%d}-{supplier:02d}-QC"
            for p in by_supplier[supplier]:
                total_packs = self._order_packs(p, 30, 60)
                n_batches = rng.choice((1, 2, 2, 3, 3))
                shelf = self.cat.shelf_days[p]
                for k in range(n_batches):
                    if k == 0 and n_batches > 1:
                        left = rng.randint(10, 420)  # the oldest lot: may expire this year
                    else:
                        left = rng.randint(300, shelf - 30)
                    expiry = day + timedelta(days=left)
                    manufactured = expiry - timedelta(days=shelf - 1)
                    packs = max(1, total_packs // n_batches)
                    if k == 0 and n_batches > 1:
                        packs = max(1, packs // 2)
                    batch = self.new_batch(p, received, expiry, manufactured)
                    self.emit(batch, PURCHASE, packs * self.cat.units_per_pack[p], when,
                              inspector, "purchase_receipt", doc_no, note="期初库存")
                    self.stock[p] += packs * self.cat.units_per_pack[p]
        self.counts["purchase_docs"] += len(by_supplier)

    def receipts(self, day: date) -> None:
        """Deliveries before opening for every product below its reorder point."""
        rng = self.rng
        wanted = sorted(p for p in self.pending_reorder if self.stock[p] < self.reorder_point[p])
        self.pending_reorder.clear()
        by_supplier: dict[int, list[int]] = defaultdict(list)
        for p in wanted:
            by_supplier[self.supplier_of[p]].append(p)
        inspector = self.users["inspector"]
        for index, supplier in enumerate(sorted(by_supplier)):
            received = _local(day, 7 * 3600 + 1800 + index * 240)
            when = canonical_time(received)
            doc_no = f"RK-{day:%Y%m%d}-{supplier:02d}"
            for p in by_supplier[supplier]:
                shelf = self.cat.shelf_days[p]
                # a short-dated lot now and then
                short = rng.random() < 0.04
                left = rng.randint(60, 200) if short else shelf - rng.randint(20, 240)
                expiry = day + timedelta(days=left)
                manufactured = expiry - timedelta(days=shelf - 1)
                packs = self._order_packs(p, 20, 40)
                batch = self.new_batch(p, received, expiry, manufactured)
                qty = packs * self.cat.units_per_pack[p]
                self.emit(batch, PURCHASE, qty, when, inspector, "purchase_receipt", doc_no)
                self.stock[p] += qty
            self.counts["purchase_docs"] += 1

    def _sell(self, p: int, qty: int, when: str, operator: int, doc_no: str) -> None:
        upp = self.cat.units_per_pack[p]
        available = self.stock[p]
        if qty > available:
            qty = available if self.cat.split_allowed[p] else (available // upp) * upp
        if qty <= 0:
            self._check_reorder(p)
            return
        self.stock[p] -= qty
        lots = self.active[p]
        remaining = qty
        while remaining:
            _expiry, batch = lots[0]
            take = min(remaining, self.b_qty[batch])
            entry = self.emit(batch, SALE, -take, when, operator, "sale", doc_no)
            self.today_sales.append((entry, batch, take, doc_no))
            remaining -= take
            if self.b_qty[batch] == 0:
                lots.pop(0)
                self.b_active[batch] = False
        self._check_reorder(p)

    def _sale_return(self, day_ord: int, when: str, operator: int, doc_no: str) -> bool:
        pool = self.recent_sales
        if not pool:
            return False
        index = self.rng.randrange(len(pool))
        _entry, batch, qty, original = pool[index]
        pool[index] = pool[-1]
        pool.pop()
        if not self._reactivate(batch, day_ord):
            return False
        self.emit(batch, LedgerEntryType.SALE_RETURN.value, qty, when, operator,
                  "sale_return", doc_no, note=f"原单 {original}")
        self.stock[self.b_product[batch] - 1] += qty
        return True

    def _void_line(self, day_ord: int, when: str, operator: int) -> bool:
        pool = self.today_sales
        if not pool:
            return False
        index = self.rng.randrange(len(pool))
        entry, batch, qty, original = pool[index]
        pool[index] = pool[-1]
        pool.pop()
        if not self._reactivate(batch, day_ord):
            return False
        self.emit(batch, LedgerEntryType.REVERSAL.value, qty, when, operator, "reversal",
                  original, note="收银差错冲正", reverses=entry)
        self.stock[self.b_product[batch] - 1] += qty
        return True

    def sales(self, day: date, lines: int) -> None:
        """The day's tickets between 08:00 and 21:50, strictly increasing in time."""
        rng = self.rng
        day_ord = day.toordinal()
        tickets = max(1, round(lines / 1.8))
        opening, closing = 8 * 3600 * 10**6, (21 * 3600 + 50 * 60) * 10**6
        stamps = sorted(rng.randrange(opening, closing) for _ in range(tickets))
        products = rng.choices(range(self.n), cum_weights=self.cum_weights, k=lines)
        cursor = 0
        last = -1
        midnight = datetime.combine(day, dtime(0), STORE_ZONE)
        cashiers = (self.users["cashier"], self.users["cashier2"])
        stamp_day = f"{day:%Y%m%d}"
        for number, micro in enumerate(stamps, start=1):
            micro = max(micro, last + 1)
            last = micro
            when = canonical_time((midnight + timedelta(microseconds=micro)).astimezone(UTC))
            operator = cashiers[0] if micro < 15 * 3600 * 10**6 else cashiers[1]
            roll = rng.random()
            if roll < 0.004 and self._sale_return(day_ord, when, operator,
                                                  f"TH-{TERMINAL}-{stamp_day}-{number:05d}"):
                continue
            if roll > 0.9995 and self._void_line(day_ord, when, operator):
                continue
            doc_no = f"XS-{TERMINAL}-{stamp_day}-{number:05d}"
            size = rng.choices((1, 2, 3, 4, 5, 6), (55, 25, 12, 4, 2, 2))[0]
            for p in products[cursor:cursor + size]:
                upp = self.cat.units_per_pack[p]
                if self.cat.split_allowed[p] and rng.random() < 0.3:
                    qty = rng.randint(1, max(1, upp // 2))
                else:
                    qty = upp * rng.choices((1, 2, 3, 4, 5), (62, 25, 7, 3, 3))[0]
                self._sell(p, qty, when, operator, doc_no)
            cursor += size
            if cursor >= len(products):
                break
        # returns come from the last few weeks of sales
        self.recent_sales.extend(self.today_sales)
        if len(self.recent_sales) > 60_000:
            del self.recent_sales[:-60_000]
        self.today_sales = []
        self.counts["tickets"] += tickets

    def month_end(self, day: date) -> None:
        """Stock-take (gains and losses on ~1.5% of lots) and destruction of expired stock."""
        rng = self.rng
        manager = self.users["manager"]
        doc_no = f"PD-{day:%Y%m}"
        step = 0
        for batch in range(1, len(self.b_product)):
            if not self.b_active[batch] or self.b_qty[batch] <= 0 or rng.random() >= 0.015:
                continue
            p = self.b_product[batch] - 1
            upp = self.cat.units_per_pack[p]
            unit = 1 if self.cat.split_allowed[p] else upp
            when = canonical_time(_local(day, 22 * 3600 + step))
            step += 1
            if rng.random() < 0.4:
                delta = unit * rng.randint(1, 2)
                self.emit(batch, LedgerEntryType.STOCKTAKE_GAIN.value, delta, when, manager,
                          "stocktake", doc_no, note="月末盘点")
            else:
                delta = -min(self.b_qty[batch], unit * rng.randint(1, 3))
                self.emit(batch, LedgerEntryType.STOCKTAKE_LOSS.value, delta, when, manager,
                          "stocktake", doc_no, note="月末盘点")
                if self.b_qty[batch] == 0:
                    self._deactivate(batch)
            self.stock[p] += delta
            self._check_reorder(p)
        doc_no = f"XH-{day:%Y%m}"
        for step, batch in enumerate(self.awaiting_destruction):
            when = canonical_time(_local(day, 23 * 3600 + step * 0.5))
            self.emit(batch, LedgerEntryType.DESTRUCTION.value, -self.b_qty[batch], when,
                      manager, "destruction", doc_no, note="过期药品销毁")
            self.b_status[batch] = BatchStatus.DESTROYED
        self.awaiting_destruction = []

    def run(self) -> None:
        rng = self.rng
        started = time.perf_counter()
        factors = []
        for k in range(self.days):
            day = self.first_day + timedelta(days=k)
            season = 1.2 if day.month in (12, 1, 2) else 1.0
            weekend = 1.15 if day.weekday() >= 5 else 0.95
            factors.append(season * weekend * rng.uniform(0.9, 1.1))
        remaining_factor = sum(factors)
        next_delivery = 2
        month_end_estimate = 0
        with self.engine.begin() as conn:
            self.conn = conn
            self.opening_stock(self.first_day)
            self.flush()
        for k in range(self.days):
            day = self.first_day + timedelta(days=k)
            with self.engine.begin() as conn:
                self.conn = conn
                self._expire(day.toordinal())
                before = self.seq
                if k == next_delivery:
                    self.receipts(day)
                    next_delivery += rng.randint(2, 4)
                last_of_month = day.day == calendar.monthrange(day.year, day.month)[1]
                budget = (self.target - before) * factors[k] / remaining_factor
                remaining_factor -= factors[k]
                lines = round((budget - (self.seq - before)
                               - (month_end_estimate if last_of_month else 0)) / 1.08)
                self.sales(day, max(lines, 0))
                if last_of_month or k == self.days - 1:
                    mark = self.seq
                    self.month_end(day)
                    month_end_estimate = self.seq - mark
                self.flush()
            if last_of_month or k == self.days - 1:
                elapsed = time.perf_counter() - started
                print(f"  {day:%Y-%m-%d}: {self.seq:>9,} entries, {len(self.b_product) - 1:,} "
                      f"batches, {elapsed:6.1f} s", flush=True)
        self.conn = None

    def finish(self) -> None:
        """Batch statuses, cached balances and the chain head, in one transaction."""
        last_ord = (self.first_day + timedelta(days=self.days - 1)).toordinal()
        with self.engine.begin() as conn:
            self.conn = conn
            self.flush()
            for batch in range(1, len(self.b_product)):
                if self.b_status[batch] is BatchStatus.SELLABLE and self.b_expiry[batch] < last_ord:
                    self.b_status[batch] = BatchStatus.EXPIRED
            changed = [
                {"b_id": b, "b_status": self.b_status[b]}
                for b in range(1, len(self.b_product))
                if self.b_status[b] is not BatchStatus.SELLABLE
            ]
            batches = Batch.__table__
            if changed:
                conn.execute(
                    update(batches).where(batches.c.id == bindparam("b_id"))
                    .values(status=bindparam("b_status")),
                    changed,
                )
            balances = [
                {"batch_id": b, "store_id": self.store, "product_id": self.b_product[b],
                 "quantity": self.b_qty[b], "version": 1}
                for b in range(1, len(self.b_product)) if self.b_touched[b]
            ]
            assert all(row["quantity"] >= 0 for row in balances), "a batch went negative"
            for start in range(0, len(balances), CHUNK_ROWS):
                conn.execute(insert(_BALANCES), balances[start:start + CHUNK_ROWS])
            heads = ChainHead.__table__
            result = conn.execute(
                update(heads)
                .where(heads.c.name == ledger_chain_name(self.store), heads.c.last_seq == 0)
                .values(last_seq=self.seq, last_hash=self.prev)
            )
            if result.rowcount != 1:
                raise RuntimeError("the ledger chain head was not at genesis")
        self.conn = None


# ---------------------------------------------------------------------------------------


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def generate(out: Path, *, seed: int, products: int, days: int, target: int) -> dict[str, Any]:
    """Write the database to ``out``; returns a summary."""
    started = time.perf_counter()
    out = out.resolve()
    partial = out.with_name(out.name + ".partial")
    _remove_sqlite(partial)
    engine = make_engine(f"sqlite:///{partial}")

    @event.listens_for(engine, "connect")
    def _bulk_cache(dbapi_connection: Any, _record: Any) -> None:
        # A bigger page cache for the bulk load only; not stored in the file.
        dbapi_connection.execute("PRAGMA cache_size = -262144")

    upgrade_on_start(engine, backup_dir=None)
    factory = UnitOfWorkFactory(engine)
    first_day = LAST_DAY - timedelta(days=days - 1)
    clock = FixedClock(_local(first_day - timedelta(days=1), 10 * 3600))
    print(f"catalogue: {products:,} products (seed {seed}) ...", flush=True)
    catalogue = build_catalogue(random.Random(f"{seed}/catalogue"), products, clock.now())
    setup = set_up(factory, clock, catalogue)
    print(f"  done in {time.perf_counter() - started:.1f} s; history {first_day} .. {LAST_DAY}",
          flush=True)
    history = History(engine, setup, catalogue, random.Random(f"{seed}/history"),
                      first_day=first_day, days=days, target=target)
    history.run()
    history.finish()
    engine.dispose()
    _remove_sqlite(out)
    os.replace(partial, out)
    elapsed = time.perf_counter() - started
    return {
        "seed": seed, "products": products, "barcodes": len(catalogue.barcodes),
        "national_codes": sum(1 for p in catalogue.products if p["med_list_codg"]),
        "days": days, "first_day": str(first_day), "last_day": str(LAST_DAY),
        "batches": len(history.b_product) - 1, "ledger_entries": history.seq,
        "entries_by_type": {k: v for k, v in sorted(history.counts.items())
                            if k in {t.value for t in LedgerEntryType}},
        "sale_tickets": history.counts["tickets"],
        "seconds": round(elapsed, 1), "bytes": out.stat().st_size,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--target-entries", type=int, default=1_000_000)
    parser.add_argument("--no-json", action="store_true",
                        help="do not record the run in benchmarks/results/latest.json")
    args = parser.parse_args(argv)
    if args.products < 1 or args.days < 1 or args.target_entries < 1:
        parser.error("--products, --days and --target-entries must be positive")
    summary = generate(args.out, seed=args.seed, products=args.products, days=args.days,
                       target=args.target_entries)
    print(f"wrote {args.out}: {summary['bytes'] / 2**20:.0f} MiB, "
          f"{summary['ledger_entries']:,} ledger entries, {summary['batches']:,} batches, "
          f"{summary['seconds']:.1f} s")
    for kind, count in summary["entries_by_type"].items():
        print(f"  {kind:<16} {count:>9,}")
    if not args.no_json:
        from benchlib import write_result

        write_result("generate", {"out": str(args.out), **summary})
    return 0


if __name__ == "__main__":
    sys.exit(main())
