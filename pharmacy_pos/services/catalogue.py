"""Importing the product catalogue from CSV or XLSX: all rows or none.

A file with any bad row imports nothing; the answer lists every bad row with its row
number (as the spreadsheet shows it, header = row 1) and the reason.

A price change is a special operation (SEC-2): an import that changes any retail price
needs a second person who may approve (a store manager other than the importer), with
their own user name and password typed where the import runs. An import that changes no
price needs nobody else. The approver is named in every ``product.price_change`` audit
record and in the import's record.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pypinyin import Style, lazy_pinyin

from pharmacy_pos.db.models import Product, ProductBarcode
from pharmacy_pos.db.uow import UnitOfWork
from pharmacy_pos.domain.catalogue import (
    COLUMNS,
    HEADER_TO_KEY,
    OPTIONAL_HEADERS,
    ProductSpec,
    parse_catalogue_row,
)
from pharmacy_pos.domain.clock import Clock
from pharmacy_pos.domain.errors import DomainError, Problem, ValidationFailed
from pharmacy_pos.domain.money import format_yuan
from pharmacy_pos.domain.product import InsuranceClass, OtcClass
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.services import audit
from pharmacy_pos.services.actor import Actor, Authenticate, second_person

UowFactory = Callable[..., UnitOfWork]
MAX_ROWS = 200_000
EXTRA_CELLS = "\x00extra"
#: Refuses a file's header row that lacks a needed column (raises ValidationFailed).
HeaderCheck = Callable[[list[str]], None]
_SPEC_FIELDS = [f for f in ProductSpec.model_fields if f != "barcodes"]


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import changed."""

    added: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        """Rows read."""
        return self.added + self.updated + self.unchanged


@dataclass(frozen=True, slots=True)
class PriceChange:
    """A retail price an import would change (SEC-2 needs an approver for it)."""

    item_code: str
    name: str
    old_price: Decimal
    new_price: Decimal


def pinyin_initials(*names: str) -> str:
    """First letters of the pinyin of each name, upper case, space-separated.

    ``pinyin_initials("阿莫西林胶囊", "阿莫仙")`` -> ``"AMXLJN AMX"``; the till's search
    matches typed initials against it.
    """
    parts = []
    for name in names:
        if name:
            letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
            parts.append("".join(ch for ch in "".join(letters).upper() if ch.isalnum()))
    return " ".join(p for p in parts if p)[:100]


def read_rows(
    path: Path, check_header: HeaderCheck | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV or XLSX file as (spreadsheet row number, header -> text).

    ``check_header`` refuses a header without the needed columns (default: the
    catalogue's); other files read the same way (delivery notes) pass their own.

    Raises:
        ValidationFailed: unreadable file, unknown format or missing columns.
    """
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ValidationFailed(f"找不到文件: {path}")
    check = check_header or _check_header
    if suffix == ".csv":
        return _read_csv(path, check)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, check)
    raise ValidationFailed(f"不支持的文件格式“{suffix}”，请使用 CSV 或 XLSX")


def _read_csv(path: Path, check_header: HeaderCheck) -> Iterator[tuple[int, dict[str, str]]]:
    raw = path.read_bytes()
    # Excel in a Chinese locale saves CSV as GBK/GB18030; everything else is UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise ValidationFailed("无法识别文件编码，请另存为 UTF-8 CSV")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationFailed("文件是空的") from None
    except csv.Error as exc:
        raise ValidationFailed(f"CSV 格式错误: {exc}") from None
    check_header(header)
    return _rows(header, reader)


def _rows(header: list[str], rows: Iterator[list[str]]) -> Iterator[tuple[int, dict[str, str]]]:
    number = 1
    try:
        for cells in rows:
            number += 1
            if not any(c.strip() for c in cells):
                continue
            values = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=False))
            # Trailing empty cells are harmless (spreadsheets add them); data past the
            # last header is a shifted row.
            if any(c.strip() for c in cells[len(header):]):
                values[EXTRA_CELLS] = "yes"
            yield number, values
    except csv.Error as exc:
        raise ValidationFailed(f"第 {number + 1} 行 CSV 格式错误: {exc}") from None


def _read_xlsx(path: Path, check_header: HeaderCheck) -> Iterator[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook  # heavy; only needed for XLSX imports

    # Our own handle, so a damaged file is closed when openpyxl gives up on it.
    handle = path.open("rb")
    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        handle.close()
        raise ValidationFailed(f"无法打开 XLSX 文件: {exc}") from None

    def close() -> None:
        book.close()
        handle.close()

    if not book.worksheets:
        close()
        raise ValidationFailed("XLSX 文件中没有工作表")
    rows = book.worksheets[0].iter_rows(values_only=True)
    try:
        header = [_cell_text(c) for c in next(rows)]
    except StopIteration:
        close()
        raise ValidationFailed("工作表是空的") from None
    except Exception as exc:  # a damaged sheet fails only when it is read
        close()
        raise ValidationFailed(f"无法读取 XLSX 文件: {exc}") from None
    try:
        check_header(header)
    except ValidationFailed:
        close()
        raise

    def generate() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            yield from _rows(header, ([_cell_text(c) for c in row] for row in rows))
        finally:
            close()

    return generate()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel turns 24 into 24.0 and barcodes into floats
    return str(value)


def _check_header(header: list[str]) -> None:
    keys = {HEADER_TO_KEY.get(h.strip()) for h in header}
    missing = [zh for zh, key, _ in COLUMNS if key not in keys and key not in OPTIONAL_HEADERS]
    if missing:
        raise ValidationFailed(
            "表头缺少列: " + "、".join(missing) + "（格式见 docs/catalogue-format.md）"
        )


class CatalogueService:
    """Catalogue maintenance."""

    def __init__(self, uow: UowFactory, clock: Clock,
                 authenticate: Authenticate | None = None) -> None:
        """Build the service.

        Args:
            uow: units of work.
            clock: the time recorded on changes.
            authenticate: logs the approver of a price change in at this terminal; without
                it an import that changes a price is refused (SEC-2).
        """
        self._uow = uow
        self._clock = clock
        self._authenticate = authenticate

    def price_changes(self, actor: Actor, path: Path) -> list[PriceChange]:
        """The retail prices importing ``path`` would change (nothing is written).

        The screen and the command line ask for an approver only when this is not empty.

        Raises:
            PermissionDenied: the actor may not maintain the catalogue (SEC-1).
            ValidationFailed: listing every bad row (as :meth:`import_file` would).
        """
        actor.require(Permission.MANAGE_CATALOGUE)
        specs, problems = self._parse(read_rows(path))
        if problems:
            raise ValidationFailed(f"导入失败：{len(problems)} 处错误，未导入任何商品", problems)
        with self._uow(readonly=True) as uow:
            return _price_changes(uow, specs)

    def import_file(self, actor: Actor, path: Path, *, approver: str = "",
                    approver_password: str = "") -> ImportResult:
        """Validate every row of ``path``, then add new products and update changed ones.

        Args:
            actor: who imports (MANAGE_CATALOGUE).
            path: the CSV or XLSX file.
            approver, approver_password: the second person's credentials, needed only
                when a retail price changes (SEC-2).

        Raises:
            ValidationFailed: listing every bad row; nothing was imported.
            DomainError: a price changes and no approver was given, or the approver is
                the importer (SEC-2); nothing was imported.
            AuthenticationFailed / PermissionDenied: the approver's credentials are wrong
                (counted towards their lockout), or they may not approve.
        """
        actor.require(Permission.MANAGE_CATALOGUE)
        specs, problems = self._parse(read_rows(path))
        if not specs and not problems:
            raise ValidationFailed("文件中没有商品行")
        with self._uow(readonly=True) as uow:
            problems += self._conflicts_with_database(uow, specs)
            if problems:
                raise ValidationFailed(
                    f"导入失败：{len(problems)} 处错误，未导入任何商品", problems
                )
            changes = _price_changes(uow, specs)
        # The approver logs in before the write: their log-in (or its failure, counted
        # towards lockout) is recorded even when the import is then refused.
        second = self._approve(actor, changes, approver, approver_password)
        with self._uow() as uow:
            problems = self._conflicts_with_database(uow, specs)
            if problems:
                raise ValidationFailed(
                    f"导入失败：{len(problems)} 处错误，未导入任何商品", problems
                )
            if second is None and _price_changes(uow, specs):
                # Another terminal changed prices since: ask again rather than go on alone.
                raise DomainError("导入期间商品价格已被修改，请重新导入并由店长审批调价",
                                  rule_id="SEC-2")
            result = self._apply(uow, actor, specs, path.name, second)
            uow.commit()
        return result

    def _approve(self, actor: Actor, changes: list[PriceChange], username: str,
                 password: str) -> Actor | None:
        if not changes:
            return None
        shown = "、".join(f"{c.name} {format_yuan(c.old_price)}→{format_yuan(c.new_price)}"
                         for c in changes[:3])
        more = f" 等 {len(changes)} 个商品" if len(changes) > 3 else ""
        if not username.strip() or self._authenticate is None:
            raise DomainError(f"本次导入调整零售价（{shown}{more}），调价须由另一位有审批权的"
                              "人员（店长）输入用户名和密码审批；未导入任何商品",
                              rule_id="SEC-2")
        return second_person(self._authenticate, actor, username, password, what="调价")

    def _parse(
        self, rows: Iterator[tuple[int, dict[str, str]]]
    ) -> tuple[list[tuple[int, ProductSpec]], list[Problem]]:
        specs: list[tuple[int, ProductSpec]] = []
        problems: list[Problem] = []
        seen_items: dict[str, int] = {}
        seen_barcodes: dict[str, int] = {}
        seen_codes: dict[str, int] = {}
        for number, raw in rows:
            if number > MAX_ROWS:
                problems.append(Problem(number, None, f"文件超过 {MAX_ROWS} 行"))
                break
            if raw.get(EXTRA_CELLS):
                problems.append(Problem(number, None, "本行的列数多于表头"))
                continue
            parsed = parse_catalogue_row(raw, number)
            if isinstance(parsed, list):
                problems.extend(parsed)
                continue
            if (first := seen_items.setdefault(parsed.item_code, number)) != number:
                problems.append(Problem(number, "商品编码",
                                        f"“{parsed.item_code}”与第 {first} 行重复"))
            for code in parsed.barcodes:
                if (first := seen_barcodes.setdefault(code, number)) != number:
                    problems.append(Problem(number, "条形码", f"“{code}”与第 {first} 行重复"))
            if parsed.med_list_codg and (
                first := seen_codes.setdefault(parsed.med_list_codg, number)
            ) != number:
                problems.append(Problem(number, "医保编码",
                                        f"“{parsed.med_list_codg}”与第 {first} 行重复"))
            specs.append((number, parsed))
        return specs, problems

    def _conflicts_with_database(
        self, uow: UnitOfWork, specs: list[tuple[int, ProductSpec]]
    ) -> list[Problem]:
        problems = []
        owners = uow.products.barcode_owners(c for _, s in specs for c in s.barcodes)
        code_owners = uow.products.national_code_owners(s.med_list_codg for _, s in specs)
        for number, spec in specs:
            for code in spec.barcodes:
                owner = owners.get(code)
                if owner is not None and owner != spec.item_code:
                    problems.append(Problem(number, "条形码",
                                            f"“{code}”已属于商品 {owner}"))
            owner = code_owners.get(spec.med_list_codg)
            if owner is not None and owner != spec.item_code:
                problems.append(Problem(number, "医保编码",
                                        f"“{spec.med_list_codg}”已属于商品 {owner}"))
        return problems

    def _apply(
        self, uow: UnitOfWork, actor: Actor, specs: list[tuple[int, ProductSpec]], source: str,
        approver: Actor | None,
    ) -> ImportResult:
        now = self._clock.now()
        existing = uow.products.by_item_codes(s.item_code for _, s in specs)
        added = updated = unchanged = 0
        for _, spec in specs:
            values = {f: getattr(spec, f) for f in _SPEC_FIELDS}
            values["med_list_codg"] = spec.med_list_codg or None
            values["pinyin_initials"] = pinyin_initials(spec.generic_name, spec.trade_name)
            product = existing.get(spec.item_code)
            if product is None:
                uow.products.add(Product(
                    **values, active=True, created_at=now, updated_at=now,
                    barcodes=[ProductBarcode(barcode=c) for c in spec.barcodes],
                ))
                added += 1
                continue
            changes = {
                f: (str(getattr(product, f)), str(v))
                for f, v in values.items() if getattr(product, f) != v
            }
            old_codes = [b.barcode for b in product.barcodes]
            if sorted(old_codes) != sorted(spec.barcodes):
                changes["barcodes"] = (";".join(old_codes), ";".join(spec.barcodes))
            if not changes:
                unchanged += 1
                continue
            for field_name, value in values.items():
                setattr(product, field_name, value)
            if "barcodes" in changes:
                keep = {b.barcode: b for b in product.barcodes}
                product.barcodes = [keep.get(c) or ProductBarcode(barcode=c)
                                    for c in spec.barcodes]
            product.updated_at = now
            # Price changes are flagged so the self-inspection report finds them (SEC-2).
            detail: dict[str, object] = {"source": source, "changes": changes}
            if "retail_price" in changes:
                action = "product.price_change"
                detail["approved_by"] = approver.username if approver else ""
            else:
                action = "product.update"
            audit.record(uow, actor, action, at=now, target_type="product",
                         target_id=spec.item_code, detail=detail)
            updated += 1
        uow.products.flush()
        audit.record(uow, actor, "catalogue.import", at=now, target_type="file",
                     target_id=source,
                     detail={"added": added, "updated": updated, "unchanged": unchanged,
                             "approved_by": approver.username if approver else ""})
        return ImportResult(added, updated, unchanged)


def _price_changes(uow: UnitOfWork, specs: list[tuple[int, ProductSpec]]) -> list[PriceChange]:
    existing = uow.products.by_item_codes(s.item_code for _, s in specs)
    changes = []
    for _, spec in specs:
        product = existing.get(spec.item_code)
        if product is not None and product.retail_price != spec.retail_price:
            changes.append(PriceChange(spec.item_code, spec.generic_name,
                                       product.retail_price, spec.retail_price))
    return changes


#: Most rows a catalogue search returns; the screen says when there were more.
SEARCH_LIMIT = 500


@dataclass(frozen=True, slots=True)
class ProductRow:
    """A product as the catalogue screen lists it, with its stock on hand."""

    id: int
    item_code: str
    national_code: str
    generic_name: str
    trade_name: str
    specification: str
    manufacturer: str
    is_prescription: bool
    otc_class: OtcClass
    insurance_class: InsuranceClass
    retail_price: Decimal
    package_unit: str
    min_unit: str
    units_per_pack: int
    stock_units: int
    barcodes: tuple[str, ...]
    active: bool


@dataclass(frozen=True, slots=True)
class ProductSearch:
    """The rows found, and whether the limit cut the list short."""

    rows: tuple[ProductRow, ...]
    truncated: bool


def search_products(
    uow_factory: UowFactory, actor: Actor, text: str, *, limit: int = SEARCH_LIMIT,
) -> ProductSearch:
    """Products matching ``text``, with stock on hand in the actor's store.

    ``text`` matches a barcode or national insurance code exactly, or the item code,
    generic or trade name, or pinyin initials (e.g. "AMX") as a substring. Empty text
    lists every product. Stock is the sum of the cached batch balances (all statuses).

    Raises:
        PermissionDenied: the actor may not view stock (SEC-1).
    """
    actor.require(Permission.VIEW_STOCK)
    with uow_factory(readonly=True) as uow:
        found = uow.products.search_with_stock(text.strip(), actor.store_id, limit + 1)
        rows = tuple(
            ProductRow(
                id=p.id, item_code=p.item_code, national_code=p.med_list_codg or "",
                generic_name=p.generic_name, trade_name=p.trade_name,
                specification=p.specification, manufacturer=p.manufacturer,
                is_prescription=p.is_prescription, otc_class=p.otc_class,
                insurance_class=p.insurance_class, retail_price=p.retail_price,
                package_unit=p.package_unit, min_unit=p.min_unit,
                units_per_pack=p.units_per_pack, stock_units=units, barcodes=barcodes,
                active=p.active,
            )
            for p, units, barcodes in found[:limit]
        )
    return ProductSearch(rows, truncated=len(found) > limit)
