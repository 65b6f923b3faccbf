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


# 3507's inv_data_type of each upload (1 stock-take, 2 stock change, 3 purchase, 4 sale).
DATA_TYPES = {"3501": "1", "3502": "2", "3503": "3", "3504": "3", "3505": "4", "3506": "4"}
UPLOAD_INFNOS = frozenset(DATA_TYPES) | {"3507"}


def record_bchno(infno: str, store_id: int, seq: int) -> str:
    """The store's serial number of one upload record (``fixmedins_bchno``).

    Made from the ledger entry the record reports (``seq`` is its chain number in the
    store), so it is unique per store and data type and the same whenever it is rebuilt:
    the insurer de-duplicates by it, and a 3507 delete names it.
    """
    return f"{infno}-{store_id}-{seq}"


def upload_rows(payload: dict[str, object]) -> list[dict[str, object]]:
    """The records of an outbox message's payload (``rows``).

    Raises:
        ValueError: the payload is not an upload message (or has an older shape).
    """
    rows = payload.get("rows")
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ValueError("记录格式不是 rows 列表")
    return rows


@dataclass(frozen=True, slots=True)
class MovedItem:
    """One ledger entry with what the upload needs to say about its product and batch.

    ``seq`` is the entry's chain number in the store (it makes the record's number);
    ``purchase_seq`` the chain number of the batch's purchase entry (3504 links to it).
    """

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
    store_id: int = 0
    seq: int = 0
    supplier_name: str = ""
    supplier_licence: str = ""
    manufacturer: str = ""
    approval_no: str = ""
    purchase_seq: int | None = None
    listed: bool = True


def upload_payload(infno: str, doc_no: str, items: list[MovedItem], *, at: datetime,
                   operator: str) -> dict[str, object]:
    """The message for one document's movements of one upload type: one record per
    ledger entry, field names as the platform's, amounts as decimal strings.

    Only items of the insurance catalogue are reported (INV-6): a product with neither a
    national code nor an insurance class (daily goods) leaves no record. A catalogue
    product whose national code is missing is reported, is refused by the insurer, and
    shows on the upload screen until the catalogue is corrected.
    """
    when = at.astimezone(STORE_ZONE).strftime("%Y-%m-%d %H:%M:%S")
    rows: list[dict[str, object]] = []
    for item in items:
        if not item.listed:
            continue
        row: dict[str, object] = {
            "med_list_codg": item.national_code,
            "fixmedins_hilist_id": item.item_code,
            "fixmedins_hilist_name": item.name,
            "fixmedins_bchno": record_bchno(infno, item.store_id, item.seq),
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
            row.update({"spler_name": item.supplier_name, "spler_pmtno": item.supplier_licence,
                        "finl_trns_pric": str(item.unit_cost),
                        "purc_retn_cnt": str(abs(item.quantity)), "purc_invo_codg": "",
                        "purc_invo_no": "", "purc_retn_stoin_time": when,
                        "purc_retn_opter_name": operator, "prod_geay_flag": "0"})
            if infno == "3503":
                row.update({"dynt_no": "", "prodentp_name": item.manufacturer,
                            "aprvno": item.approval_no})
            else:
                row["medins_prod_purc_no"] = (
                    record_bchno("3503", item.store_id, item.purchase_seq)
                    if item.purchase_seq is not None else "")
        rows.append(row)
    return {"infno": infno, "doc_no": doc_no, "rows": rows}


@dataclass(frozen=True, slots=True)
class SoldItem:
    """One batch of one line of a sale or a return, as 3505/3506 report it.

    ``seq`` is the chain number of the ledger entry that moved the stock (it makes the
    record's number); for a return, ``sold_seq`` is that of the sale's entry it undoes.
    """

    store_id: int
    seq: int
    item_code: str
    name: str
    national_code: str
    barcode: str
    is_prescription: bool
    units: int
    units_per_pack: int
    unit_price: Decimal
    batch_id: int
    lot_no: str
    manufacture_date: date | None
    expiry_date: date
    trace_codes: tuple[str, ...] = ()
    sold_seq: int | None = None
    listed: bool = True


@dataclass(frozen=True, slots=True)
class SaleFacts:
    """What a sale's records say beyond the items: who, under which settlement."""

    doc_no: str
    at: datetime
    operator: str
    setl_id: str = ""
    psn_no: str = ""
    certno: str = ""
    psn_name: str = ""
    rxno: str = ""
    external_rx: bool = False
    prescriber_code: str = ""
    pharmacist: str = ""
    pharmacist_cert_no: str = ""


def sale_payload(infno: str, facts: SaleFacts, items: list[SoldItem]) -> dict[str, object]:
    """The 3505 (sale) or 3506 (sale return) message: one record per batch taken
    (catalogue items only, as :func:`upload_payload`).

    A split sale (拆零, ``trdn_flag`` 1) counts minimum units at the unit's price; a
    whole-package sale counts packages at the package price.
    """
    when = facts.at.astimezone(STORE_ZONE).strftime("%Y-%m-%d %H:%M:%S")
    rows: list[dict[str, object]] = []
    for item in items:
        if not item.listed:
            continue
        split = item.units % item.units_per_pack != 0
        if split:
            count = str(item.units)
            price = str((item.unit_price / item.units_per_pack).quantize(Decimal("0.0001")))
        else:
            count = str(item.units // item.units_per_pack)
            price = str(item.unit_price)
        row: dict[str, object] = {
            "med_list_codg": item.national_code,
            "fixmedins_hilist_id": item.item_code,
            "fixmedins_hilist_name": item.name,
            "fixmedins_bchno": record_bchno(infno, item.store_id, item.seq),
            "prsc_dr_cert_type": "", "prsc_dr_certno": facts.prescriber_code,
            "prsc_dr_name": "", "phar_cert_type": "", "phar_certno": "",
            "phar_name": facts.pharmacist, "phar_prac_cert_no": facts.pharmacist_cert_no,
            "hi_feesetl_type": "1" if facts.setl_id else "2", "setl_id": facts.setl_id,
            "mdtrt_sn": facts.doc_no, "psn_no": facts.psn_no,
            "psn_cert_type": "01" if facts.certno else "", "certno": facts.certno,
            "psn_name": facts.psn_name, "manu_lotnum": item.lot_no,
            "manu_date": item.manufacture_date.isoformat() if item.manufacture_date else "",
            "expy_end": item.expiry_date.isoformat(),
            "rx_flag": "1" if item.is_prescription else "0", "trdn_flag": "1" if split else "0",
            "finl_trns_pric": price, "rxno": facts.rxno,
            "rx_circ_flag": "1" if facts.external_rx else "0", "rtal_docno": facts.doc_no,
            "stoout_no": facts.doc_no, "bchno": str(item.batch_id),
            "drug_trac_codg": item.trace_codes[0] if item.trace_codes else "",
            "drug_prod_barc": item.barcode, "shelf_posi": "", "sel_retn_cnt": count,
            "sel_retn_time": when, "sel_retn_opter_name": facts.operator, "memo": "",
            "mdtrt_setl_type": "1" if facts.setl_id else "2",
            "drugtracinfo": [{"drug_trac_codg": code} for code in item.trace_codes],
        }
        if infno == "3506":
            row["medins_prod_sel_no"] = (record_bchno("3505", item.store_id, item.sold_seq)
                                         if item.sold_seq is not None else "")
        rows.append(row)
    return {"infno": infno, "doc_no": facts.doc_no, "rows": rows}


def is_listed(national_code: str | None, insurance_class: object) -> bool:
    """Whether a product's movements are reported: it has a national code, or the
    catalogue puts it in an insurance class (甲/乙/丙)."""
    return bool(national_code) or str(getattr(insurance_class, "value", insurance_class)) \
        not in ("", "none")


@dataclass(frozen=True, slots=True)
class CountedItem:
    """One counted batch of an approved stock-take, as 3501 reports it."""

    store_id: int
    stocktake_id: int
    batch_id: int
    item_code: str
    name: str
    national_code: str
    is_prescription: bool
    units: int
    units_per_pack: int
    lot_no: str
    manufacture_date: date | None
    expiry_date: date
    listed: bool = True


def stocktake_payload(doc_no: str, items: list[CountedItem], *, at: datetime,
                      ) -> dict[str, object]:
    """The 3501 (商品盘存) message: one record per counted catalogue batch; the count is
    in packages (a fraction where a package was split)."""
    day = at.astimezone(STORE_ZONE).strftime("%Y-%m-%d %H:%M:%S")
    rows: list[dict[str, object]] = []
    for item in items:
        if not item.listed:
            continue
        count = Decimal(item.units) / Decimal(item.units_per_pack)
        rows.append({
            "med_list_codg": item.national_code, "fixmedins_hilist_id": item.item_code,
            "fixmedins_hilist_name": item.name, "rx_flag": "1" if item.is_prescription else "0",
            "invdate": day, "inv_cnt": format(count.normalize(), "f"),
            "manu_lotnum": item.lot_no,
            "fixmedins_bchno": f"3501-{item.store_id}-{item.stocktake_id}-{item.batch_id}",
            "manu_date": item.manufacture_date.isoformat() if item.manufacture_date else "",
            "expy_end": item.expiry_date.isoformat(), "memo": doc_no})
    return {"infno": "3501", "doc_no": doc_no, "rows": rows}
