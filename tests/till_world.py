"""A small store to ring sales in: products of each kind, batches, stock, an insurer.

Shared by the sale and return tests (integration and UI). Everything is received through
the ledger, as a real store's stock is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pharmacy_pos.db.models import Batch, Product, ProductBarcode, Supplier
from pharmacy_pos.db.uow import UnitOfWorkFactory
from pharmacy_pos.domain.clock import Clock
from pharmacy_pos.domain.eprescription import PrescriptionDocument, capture_document
from pharmacy_pos.domain.ledger import StockMovement
from pharmacy_pos.domain.policy import InsurerPolicy
from pharmacy_pos.domain.product import (
    BatchStatus,
    ControlledCategory,
    InsuranceClass,
    LedgerEntryType,
    OtcClass,
    ProductCategory,
)
from pharmacy_pos.insurance.adapters.simulated import SimulatedInsurer
from pharmacy_pos.insurance.ports import InsuredPerson
from tests.cards import HOLDER_SSN

# Barcodes (valid EAN-13) of the products below.
AMOXICILLIN = "6901234567892"      # Rx, class A, 24 capsules, 18.50, split allowed
COLD_GRANULES = "6902345678903"    # OTC, class B, 10 sachets, 12.00
MASKS = "6903456789014"            # daily goods, never insured, 5.00
CONTAC = "6904567890125"           # OTC ephedrine compound, class A, 10 caps, 22.00
EXPIRED_ONLY = "6905678901236"     # OTC, only an expired batch in stock
AMLODIPINE = "6906789012347"       # Rx, class A, 7 tablets, 9.80 (chronic use)
HOLDER_PSN_NO = "SIM0000000001"


@dataclass(frozen=True)
class World:
    """Ids of what :func:`build` created."""

    products: dict[str, int]      # barcode -> product id
    item_codes: dict[str, str]    # barcode -> item code
    batches: dict[str, list[int]]  # barcode -> batch ids, earliest expiry first


_PRODUCTS = [
    # barcode, code, generic, trade, spec, rx, otc, class, category, controlled, pack, min,
    # per pack, split, price, national code, restricted scope
    (AMOXICILLIN, "P001", "阿莫西林胶囊", "阿莫仙", "0.25g*24粒", True, OtcClass.NONE,
     InsuranceClass.A, ProductCategory.DRUG, ControlledCategory.NONE, "盒", "粒", 24, True,
     "18.50", "XJ01CAA040E001010100000", ""),
    (COLD_GRANULES, "P002", "感冒灵颗粒", "999感冒灵", "10g*10袋", False, OtcClass.A,
     InsuranceClass.B, ProductCategory.DRUG, ControlledCategory.NONE, "盒", "袋", 10, False,
     "12.00", "ZA01BAG0001010100000000", ""),
    (MASKS, "P003", "医用口罩", "", "10只", False, OtcClass.NONE, InsuranceClass.NONE,
     ProductCategory.DAILY_GOODS, ControlledCategory.NONE, "包", "包", 1, False, "5.00", None,
     ""),
    (CONTAC, "P004", "氨麻美敏片", "新康泰克", "10片", False, OtcClass.A, InsuranceClass.A,
     ProductCategory.DRUG, ControlledCategory.EPHEDRINE_COMPOUND, "盒", "片", 10, False,
     "22.00", "XR05XAA001A001010100000", ""),
    (EXPIRED_ONLY, "P005", "维生素C片", "", "100片", False, OtcClass.B, InsuranceClass.A,
     ProductCategory.DRUG, ControlledCategory.NONE, "瓶", "片", 100, False, "3.50",
     "XA11GAA001A001010100000", ""),
    (AMLODIPINE, "P006", "苯磺酸氨氯地平片", "络活喜", "5mg*7片", True, OtcClass.NONE,
     InsuranceClass.A, ProductCategory.DRUG, ControlledCategory.NONE, "盒", "片", 7, False,
     "9.80", "XC08CAA153A001050153631", ""),
]

# barcode -> (lot, expiry, packs)
_BATCHES = {
    AMOXICILLIN: [("A2611", date(2026, 11, 20), 2), ("A2801", date(2028, 1, 1), 20)],
    COLD_GRANULES: [("C2801", date(2028, 1, 1), 30)],
    MASKS: [("M2801", date(2028, 1, 1), 50)],
    CONTAC: [("K2801", date(2028, 1, 1), 10)],
    EXPIRED_ONLY: [("V2601", date(2026, 6, 30), 5)],
    AMLODIPINE: [("N2801", date(2028, 6, 1), 40)],
}


def build(uow_factory: UnitOfWorkFactory, clock: Clock, store_id: int,
          operator_id: int) -> World:
    """Create the products, their batches and the stock received through the ledger."""
    now = clock.now()
    products: dict[str, int] = {}
    codes: dict[str, str] = {}
    batches: dict[str, list[int]] = {}
    with uow_factory() as uow:
        supplier = Supplier(name="测试医药有限公司", licence_no="京AA0000001",
                            licence_expiry=date(2030, 12, 31), created_at=now)
        uow.session.add(supplier)
        uow.session.flush()
        moves: list[StockMovement] = []
        for (barcode, code, generic, trade, spec, rx, otc, cls, category, controlled, pack,
             unit, per_pack, split, price, national, scope) in _PRODUCTS:
            product = uow.products.add(Product(
                item_code=code, med_list_codg=national, generic_name=generic,
                trade_name=trade, specification=spec, manufacturer="测试药业",
                is_prescription=rx, otc_class=otc, insurance_class=cls, category=category,
                controlled_category=controlled, package_unit=pack, min_unit=unit,
                units_per_pack=per_pack, split_allowed=split, retail_price=Decimal(price),
                restricted_scope=scope, pinyin_initials=code, created_at=now,
                updated_at=now, barcodes=[ProductBarcode(barcode=barcode)]))
            uow.products.flush()
            products[barcode] = product.id
            codes[barcode] = code
            for lot, expiry, packs in _BATCHES[barcode]:
                batch = uow.batches.add(Batch(
                    store_id=store_id, product_id=product.id, supplier_id=supplier.id, lot_no=lot,
                    manufacture_date=date(2025, 1, 1), expiry_date=expiry,
                    purchase_price=Decimal("6.00"), status=BatchStatus.SELLABLE,
                    created_at=now))
                batches.setdefault(barcode, []).append(batch.id)
                moves.append(StockMovement(
                    batch_id=batch.id, product_id=product.id,
                    entry_type=LedgerEntryType.PURCHASE_IN, quantity=packs * per_pack,
                    unit_cost=Decimal("6.00"), units_per_pack=per_pack,
                    doc_type="purchase", doc_no=f"RK-{lot}"))
        uow.ledger.append(store_id, moves, operator_id=operator_id, occurred_at=now)
        uow.commit()
    return World(products, codes, batches)


def insurer(*, balance: str = "1200.00", fund_paid: str = "0.00") -> SimulatedInsurer:
    """The simulated insurer knowing 张三丰 (employee basic insurance)."""
    return SimulatedInsurer(InsurerPolicy(), [InsuredPerson(
        psn_no=HOLDER_PSN_NO, certno=HOLDER_SSN, psn_name="张三丰", insutype="310",
        balc=Decimal(balance), fund_paid_this_year=Decimal(fund_paid))])


def paper_prescription(items: list[tuple[str, int, int]], *, issue_date: date,
                       patient: str = "张三丰", patient_id: str = HOLDER_SSN,
                       designated: bool = True, signed: bool = True,
                       diagnosis: str = "急性上呼吸道感染", **extra: object,
                       ) -> PrescriptionDocument:
    """A paper external prescription: items are (item code, units, days of supply)."""
    data: dict[str, object] = {
        "issue_date": issue_date.isoformat(),
        "institution": {"code": "H11010500002", "name": "朝阳区第一社区卫生服务中心",
                        "designated": designated},
        "physician": {"name": "李时珍", "code": "D110105000123"},
        "signature_present": signed, "seal_present": signed,
        "patient": {"name": patient, "id_number": patient_id},
        "diagnosis": {"name": diagnosis},
        "items": [{"item_code": code, "quantity": units, "unit": "粒", "dosage": "0.5g",
                   "frequency": "每日3次", "route": "口服", "days_of_supply": days}
                  for code, units, days in items],
    }
    data.update(extra)
    return capture_document(data, rx_no="RX-TEST-1")
