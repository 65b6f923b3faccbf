"""Which 进销存 upload (INTERFACES.md 3501–3507) a stock movement owes the insurer (INV-6).

Every stock change is reported to the insurer: purchases (3503), purchase returns (3504),
other stock changes (3502: stock-take gains and losses, destructions, split-package
conversions, reversals) — sales (3505) and sale returns (3506) are written by the till
with their settlement details. The ledger writes the upload record in the same
transaction as the entries (``db/repositories.py``), so no stock change can exist
without the record that reports it; sending is the uploader's business (issue 8).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from pharmacy_pos.domain.clock import STORE_ZONE
from pharmacy_pos.domain.product import LedgerEntryType

# inv_chg_type of 3502 (the 1901 dictionary).
INV_CHG_GAIN = "103"
INV_CHG_LOSS = "104"
INV_CHG_DESTRUCTION = "105"
INV_CHG_OTHER_IN = "106"
INV_CHG_OTHER_OUT = "107"

# Written by the till itself, with the settlement (3505 / 3506).
TILL_TYPES = frozenset({LedgerEntryType.SALE_OUT, LedgerEntryType.SALE_RETURN})


def infno_for(entry_type: LedgerEntryType) -> str | None:
    """The upload transaction a movement of this type belongs to; None for the till's."""
    if entry_type in TILL_TYPES:
        return None
    if entry_type is LedgerEntryType.PURCHASE_IN:
        return "3503"
    if entry_type is LedgerEntryType.PURCHASE_RETURN:
        return "3504"
    return "3502"


def inv_chg_type(entry_type: LedgerEntryType, quantity: int) -> str:
    """3502's change type for a movement."""
    if entry_type is LedgerEntryType.STOCKTAKE_GAIN:
        return INV_CHG_GAIN
    if entry_type is LedgerEntryType.STOCKTAKE_LOSS:
        return INV_CHG_LOSS
    if entry_type is LedgerEntryType.DESTRUCTION:
        return INV_CHG_DESTRUCTION
    return INV_CHG_OTHER_IN if quantity > 0 else INV_CHG_OTHER_OUT


@dataclass(frozen=True, slots=True)
class MovedItem:
    """One ledger entry with what the upload needs to say about its product and batch."""

    entry_type: LedgerEntryType
    quantity: int
    unit_cost: Decimal
    batch_id: int
    lot_no: str
    manufacture_date: date | None
    expiry_date: date
    item_code: str
    name: str
    national_code: str
    is_prescription: bool
    split: bool
    note: str


def upload_payload(infno: str, doc_no: str, items: list[MovedItem], *, at: datetime,
                   operator: str) -> dict[str, object]:
    """The record for one document's movements of one upload type (field names as the
    platform's; amounts as decimal strings)."""
    when = at.astimezone(STORE_ZONE).strftime("%Y-%m-%d %H:%M:%S")
    rows: list[dict[str, object]] = []
    for item in items:
        row: dict[str, object] = {
            "med_list_codg": item.national_code,
            "fixmedins_hilist_id": item.item_code,
            "fixmedins_hilist_name": item.name,
            "fixmedins_bchno": str(item.batch_id),
            "manu_lotnum": item.lot_no,
            "manu_date": item.manufacture_date.isoformat() if item.manufacture_date else "",
            "expy_end": item.expiry_date.isoformat(),
            "rx_flag": "1" if item.is_prescription else "0",
            "memo": item.note,
        }
        if infno == "3502":
            row.update({"inv_chg_type": inv_chg_type(item.entry_type, item.quantity),
                        "pric": str(item.unit_cost), "cnt": str(abs(item.quantity)),
                        "inv_chg_time": when, "inv_chg_opter_name": operator,
                        "trdn_flag": "1" if item.split else "0"})
        else:
            row.update({"finl_trns_pric": str(item.unit_cost),
                        "purc_retn_cnt": str(abs(item.quantity)),
                        "purc_retn_stoin_time": when, "purc_retn_opter_name": operator})
        rows.append(row)
    key = {"3502": "invinfo", "3503": "purcinfo", "3504": "purcinfo"}[infno]
    return {"infno": infno, "doc_no": doc_no, key: rows}
