"""What the till knows about a sale while it is being rung: lines, prescription, context.

Plain frozen values, so the rule engine (``domain/rules.py``) stays pure: the services
copy product facts, the prescription as typed or scanned, and the few history facts a
rule needs (RX-14, SALE-11) into these before evaluation. Nothing here looks anything up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from pharmacy_pos.domain.money import ZERO, round_amount
from pharmacy_pos.domain.product import (
    ControlledCategory,
    InsuranceClass,
    ProductCategory,
)


@dataclass(frozen=True, slots=True)
class CartLine:
    """One line of the cart: a product, from one batch, in minimum units.

    Prices are per package (the catalogue's retail price unit), so a split sale pays the
    same price per tablet as a whole box (SALE-3); ``amount`` converts.

    Attributes:
        item_code: the store's product code.
        name: the product's display name, for messages.
        category: what the product is (SALE-1).
        insurance_class: 医保类别; ``NONE`` = not in the catalogue (SALE-1).
        is_prescription: 处方药 (RX-1, RX-2, RX-4).
        quantity: in minimum units (tablets, bottles...).
        unit_price: price charged per package on this line.
        retail_price: the product's current retail price per package.
        units_per_pack: minimum units in one package.
        split_allowed: whether the package may be split (拆零).
        controlled_category: special management class (RX-12).
        restricted_scope: 限定支付范围 text, empty when unrestricted (RX-13).
        expiry_date: the batch's 有效期至, ``None`` when no batch is chosen yet (SALE-5).
        national_code: the national insurance code (med_list_codg), "" if none.
    """

    item_code: str
    name: str
    category: ProductCategory
    insurance_class: InsuranceClass
    is_prescription: bool
    quantity: int
    unit_price: Decimal
    retail_price: Decimal
    units_per_pack: int = 1
    split_allowed: bool = False
    controlled_category: ControlledCategory = ControlledCategory.NONE
    restricted_scope: str = ""
    expiry_date: date | None = None
    national_code: str = ""

    def __post_init__(self) -> None:
        # Bad quantities and prices are a rule (SALE-2) the cashier must see, so they are
        # allowed here; only values no product can have are programming errors.
        if self.units_per_pack < 1:
            raise ValueError("units_per_pack must be at least 1")
        if not isinstance(self.unit_price, Decimal) or not isinstance(self.retail_price, Decimal):
            raise TypeError("prices must be Decimal")

    @property
    def amount(self) -> Decimal:
        """What the line costs, rounded to 分."""
        return round_amount(self.unit_price * self.quantity / self.units_per_pack)

    @property
    def listed_for_insurance(self) -> bool:
        """In the insurance catalogue (甲/乙) and of a category insurance may pay (SALE-1)."""
        return (not self.category.never_insured
                and self.insurance_class in (InsuranceClass.A, InsuranceClass.B))


@dataclass(frozen=True, slots=True)
class PrescriptionItem:
    """One drug on a prescription: how much (minimum units) and for how many days."""

    item_code: str
    quantity: int
    days_of_supply: int


@dataclass(frozen=True, slots=True)
class Prescription:
    """A prescription as presented at the till (RX-2 to RX-9).

    Attributes:
        issue_date: the day the physician issued it (RX-8).
        items: the prescribed drugs (RX-4, RX-6, RX-7).
        external: 外配处方 from a medical institution (RX-3).
        electronic: an electronic prescription; its e-signature stands for signature
            and seal (RX-3).
        institution_designated: the issuing institution is an insurance-designated one.
        signature_present: the physician's signature is on the paper prescription.
        seal_present: the institution's seal is on the paper prescription.
        physician_code: the physician's national code (医保医师代码).
        physician_insurance_right_revoked: the physician may no longer prescribe at the
            insurer's expense (RX-9); looked up by the service before evaluation.
        patient_name: as written on the prescription (ID-6 compares it).
        patient_id_number: as written, may be empty.
        diagnosis: the diagnosis written on the prescription (RX-13).
        emergency: an emergency (急诊) prescription (RX-6).
        chronic_disease: the listed chronic disease the physician names, if any (RX-6).
        chronic_reason: the physician's reason for a longer supply (RX-6).
        long_term: a long-term prescription (长期处方) for a listed chronic disease.
        validity_extended: the physician noted a longer validity (RX-8).
    """

    issue_date: date
    items: tuple[PrescriptionItem, ...]
    external: bool = False
    electronic: bool = False
    institution_designated: bool = True
    signature_present: bool = True
    seal_present: bool = True
    physician_code: str = ""
    physician_insurance_right_revoked: bool = False
    patient_name: str = ""
    patient_id_number: str = ""
    diagnosis: str = ""
    emergency: bool = False
    chronic_disease: str = ""
    chronic_reason: str = ""
    long_term: bool = False
    validity_extended: bool = False

    def item(self, item_code: str) -> PrescriptionItem | None:
        """The prescribed item with this code, if prescribed."""
        return next((i for i in self.items if i.item_code == item_code), None)


def _frozen_mapping(values: Mapping[str, date] | None = None) -> Mapping[str, date]:
    return MappingProxyType(dict(values or {}))


@dataclass(frozen=True, slots=True)
class CartContext:
    """Everything beyond the lines that the rules may look at, and nothing more.

    The engine must not read history (its cost may not grow with it): the service
    condenses the person's history into ``supply_covered_until`` and
    ``insured_total_this_year`` before calling it.

    Attributes:
        today: the business day.
        pay_with_insurance: the buyer wants to settle through insurance.
        prescription: the prescription presented, if any.
        buyer_id_recorded: the buyer's identity document is recorded (RX-12).
        supply_covered_until: item code -> last day the person's previous supply of it
            lasts (RX-14).
        insured_total_this_year: what the pooled fund has already paid for this person
            this year, in 元 (SALE-11; the same figure the settlement split takes).
    """

    today: date
    pay_with_insurance: bool = False
    prescription: Prescription | None = None
    buyer_id_recorded: bool = False
    supply_covered_until: Mapping[str, date] = field(default_factory=_frozen_mapping)
    insured_total_this_year: Decimal = ZERO

    def __post_init__(self) -> None:
        # Callers pass plain dicts; freeze a copy so the context cannot change under us.
        object.__setattr__(self, "supply_covered_until",
                           _frozen_mapping(self.supply_covered_until))
