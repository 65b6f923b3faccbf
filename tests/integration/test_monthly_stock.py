"""Monthly stock report (进销存月报, REP-1) on SQLite and PostgreSQL.

The store receives its stock in September; October has sales, a return, stock-take
gains and losses, a destruction, a purchase return, a split and a reversal; November
has more movements, which October's report must not count.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import delete, event, insert, select, update

from pharmacy_pos.db.models import MonthBalance, StockBalance
from pharmacy_pos.domain.clock import FixedClock
from pharmacy_pos.domain.errors import DomainError, EnvironmentFault, PermissionDenied
from pharmacy_pos.domain.ledger import StockMovement
from pharmacy_pos.domain.money import round_amount
from pharmacy_pos.domain.product import LedgerEntryType as T
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.domain.sale import PaymentMethod
from pharmacy_pos.reports import monthly_stock
from pharmacy_pos.reports.catalog import REPORTS, Cancelled, Period
from pharmacy_pos.reports.model import Report, Section
from tests.conftest import STAFF_PASSWORD
from tests.till_world import AMLODIPINE, AMOXICILLIN, COLD_GRANULES, MASKS, World

OCTOBER = Period.month(2026, 10)
KEYS = [c.key for c in monthly_stock.COLUMNS]
SIGNS = {t.value: sign for t, _, sign in monthly_stock.MOVEMENTS}


@pytest.fixture
def clock() -> FixedClock:
    """2026-09-20 10:00 in Shanghai: the stock is received in September."""
    return FixedClock(datetime(2026, 9, 20, 2, 0, tzinfo=UTC))


@dataclass(frozen=True)
class Month:
    """What October's movements were, and each batch's balance at October's end."""

    world: World
    closing: dict[int, int]           # batch id -> ledger balance at 2026-11-01 00:00
    gain_entry: int


def _post(uow_factory, store_id: int, operator_id: int, when: datetime,
          *moves: StockMovement) -> list[int]:
    with uow_factory() as uow:
        entries = uow.ledger.append(store_id, list(moves), operator_id=operator_id,
                                    occurred_at=when)
        uow.commit()
        return [e.id for e in entries]


def _move(world: World, code: str, index: int, entry_type: T, quantity: int, per_pack: int,
          *, reverses: int | None = None) -> StockMovement:
    return StockMovement(
        batch_id=world.batches[code][index], product_id=world.products[code],
        entry_type=entry_type, quantity=quantity, unit_cost=Decimal("6.00"),
        units_per_pack=per_pack, doc_type="test", doc_no=f"T-{entry_type.value}",
        reverses_id=reverses)


def _balances(uow_factory, world: World) -> dict[int, int]:
    with uow_factory(readonly=True) as uow:
        return {b: uow.ledger.balance_of(b) for ids in world.batches.values() for b in ids}


@pytest.fixture
def month(uow_factory, clock, store, staff, world, sales, returns) -> Month:
    manager = staff[Role.STORE_MANAGER].user_id
    cashier = staff[Role.CASHIER]
    # October, in store time (Asia/Shanghai): the 1st at 00:30 is still September 30 in UTC.
    first_minutes = datetime(2026, 9, 30, 16, 30, tzinfo=UTC)
    clock.moment = datetime(2026, 10, 12, 2, 0, tzinfo=UTC)
    cart = sales.new_cart(cashier)
    for _ in range(3):
        sales.scan(cashier, cart, COLD_GRANULES)          # 3 boxes = 30 sachets out
    sold = sales.complete(cashier, cart, method=PaymentMethod.CASH)
    clock.advance(days=1)
    line = returns.find(cashier, sold.doc_no).lines[0]
    returns.return_items(cashier, sold.doc_no, {line.line_id: 10}, reason="顾客买重了",
                         approver="store.manager", approver_password=STAFF_PASSWORD)
    (gain,) = _post(uow_factory, store.id, manager, first_minutes,
                    _move(world, AMLODIPINE, 0, T.STOCKTAKE_GAIN, 3, 7))
    _post(uow_factory, store.id, manager, datetime(2026, 10, 20, 3, 0, tzinfo=UTC),
          _move(world, AMLODIPINE, 0, T.STOCKTAKE_LOSS, -2, 7),
          _move(world, AMLODIPINE, 0, T.PURCHASE_RETURN, -14, 7),
          _move(world, AMLODIPINE, 0, T.REVERSAL, -3, 7, reverses=gain),
          _move(world, AMOXICILLIN, 0, T.DESTRUCTION, -48, 24),
          _move(world, AMOXICILLIN, 1, T.SPLIT_CONVERSION, -24, 24),
          _move(world, AMOXICILLIN, 0, T.SPLIT_CONVERSION, 24, 24))
    # The last minute of October in store time (15:59 UTC on the 31st).
    _post(uow_factory, store.id, manager, datetime(2026, 10, 31, 15, 59, tzinfo=UTC),
          _move(world, MASKS, 0, T.PURCHASE_IN, 5, 1))
    closing = _balances(uow_factory, world)
    # November: the first minute in store time, then a sale.
    _post(uow_factory, store.id, manager, datetime(2026, 10, 31, 16, 0, tzinfo=UTC),
          _move(world, MASKS, 0, T.SALE_OUT, -7, 1),
          _move(world, AMLODIPINE, 0, T.STOCKTAKE_GAIN, 1, 7))
    clock.moment = datetime(2026, 11, 3, 2, 0, tzinfo=UTC)
    cart = sales.new_cart(cashier)
    sales.scan(cashier, cart, COLD_GRANULES)
    sales.complete(cashier, cart, method=PaymentMethod.CASH)
    return Month(world, closing, gain)


def _build(uow_factory, actor, period=OCTOBER, **kw) -> Report:
    return monthly_stock.build(uow_factory, actor, period, clock=FixedClock(), **kw)


def _rows(report: Report) -> dict[str, dict[str, object]]:
    """Rows by lot number, as column key -> value."""
    (section,) = report.sections
    return {row[KEYS.index("lot_no")]: dict(zip(KEYS, row, strict=True))
            for row in section.rows}


def test_rep_1_is_in_the_catalogue_as_monthly():
    spec = REPORTS["monthly"]
    assert (spec.title, spec.rule_id, spec.build) == ("进销存月报", "REP-1", monthly_stock.build)


def test_rep_1_each_column_sums_the_right_entries(uow_factory, system_actor, month):
    rows = _rows(_build(uow_factory, system_actor))
    granules = rows["C2801"]
    assert (granules["opening"], granules["sale_out"], granules["sale_return"],
            granules["closing"]) == (300, 30, 10, 280)
    amlodipine = rows["N2801"]
    # The gain at 00:30 on October 1st store time counts in October, not in the opening.
    assert (amlodipine["opening"], amlodipine["stocktake_gain"], amlodipine["stocktake_loss"],
            amlodipine["purchase_return"], amlodipine["reversal"],
            amlodipine["closing"]) == (280, 3, 2, 14, -3, 264)
    near, later = rows["A2611"], rows["A2801"]
    assert (near["opening"], near["destruction"], near["split_conversion"],
            near["closing"]) == (48, 48, 24, 24)
    assert (later["opening"], later["split_conversion"], later["closing"]) == (480, -24, 456)
    # The last minute of October counts; November's first minute does not.
    assert (rows["M2801"]["purchase_in"], rows["M2801"]["sale_out"],
            rows["M2801"]["closing"]) == (5, 0, 55)
    untouched = rows["K2801"]
    assert untouched["opening"] == untouched["closing"] == 100
    assert all(untouched[t.value] == 0 for t, _, _ in monthly_stock.MOVEMENTS)


def test_rep_1_every_row_adds_up_and_closes_at_the_ledger_balance_at_month_end(
        uow_factory, system_actor, month):
    (section,) = _build(uow_factory, system_actor).sections
    by_lot = {}
    with uow_factory(readonly=True) as uow:
        lots = {uow.batches.get(b).lot_no: b for b in month.closing}
    for row in section.rows:
        r = dict(zip(KEYS, row, strict=True))
        moved = sum(SIGNS[key] * r[key] for key in SIGNS)
        assert r["opening"] + moved == r["closing"], r["lot_no"]
        assert r["closing"] == month.closing[lots[r["lot_no"]]], r["lot_no"]
        by_lot[r["lot_no"]] = r
    # Every batch with stock is there (the expired-only product too).
    assert set(by_lot) == set(lots)
    # November's report opens where October's closed, and counts November's entries.
    november = _rows(_build(uow_factory, system_actor, Period.month(2026, 11)))
    assert {lot: r["opening"] for lot, r in november.items()} == {
        lot: r["closing"] for lot, r in by_lot.items()}
    assert (november["M2801"]["sale_out"], november["N2801"]["stocktake_gain"],
            november["C2801"]["sale_out"]) == (7, 1, 10)


def test_rep_1_values_subtotals_and_total_add_up(uow_factory, system_actor, month):
    (section,) = _build(uow_factory, system_actor).sections
    rows = [dict(zip(KEYS, row, strict=True)) for row in section.rows]
    amlodipine = next(r for r in rows if r["lot_no"] == "N2801")
    # 264 tablets of 7 per box at 6.00 cost and 9.80 retail.
    assert amlodipine["closing_cost"] == round_amount(Decimal(264) * 6 / 7) == Decimal("226.29")
    assert amlodipine["closing_retail"] == Decimal("369.60")
    assert amlodipine["opening_cost"] == Decimal("240.00")
    money = ("opening_cost", "opening_retail", "closing_cost", "closing_retail")
    total = dict(zip(KEYS, section.total, strict=True))
    assert total["item_code"] == "合计"
    for key in money:
        assert total[key] == sum(r[key] for r in rows)
    subtotals = [dict(zip(KEYS, s, strict=True)) for s in section.subtotals]
    by_category = [s for s in subtotals if s["item_code"].startswith("小计 类别")]
    by_class = [s for s in subtotals if s["item_code"].startswith("小计 医保")]
    assert {s["item_code"] for s in by_category} == {"小计 类别: 药品", "小计 类别: 日用品"}
    assert {s["item_code"] for s in by_class} == {
        "小计 医保: 甲类", "小计 医保: 乙类", "小计 医保: 非医保"}
    for key in money:
        assert sum(s[key] for s in by_category) == total[key]
        assert sum(s[key] for s in by_class) == total[key]
    daily = next(s for s in by_category if s["item_code"].endswith("日用品"))
    assert daily["closing_retail"] == Decimal("275.00")       # 55 packs of masks at 5.00
    assert daily["closing"] is None                          # units of different products


def test_rep_1_a_tampered_cached_balance_is_refused_naming_the_batch(
        uow_factory, system_actor, month):
    batch = month.world.batches[AMLODIPINE][0]
    with uow_factory() as uow:
        uow.session.execute(update(StockBalance).where(StockBalance.batch_id == batch)
                            .values(quantity=StockBalance.quantity + 5))
        uow.commit()
    with pytest.raises(DomainError) as refused:
        _build(uow_factory, system_actor)
    assert refused.value.rule_id == "REP-1"
    message = str(refused.value)
    assert "N2801" in message and f"批次 {batch}" in message
    assert "= 264" in message and "期末 269" in message
    assert "C2801" not in message


def test_rep_1_a_back_dated_entry_making_a_past_balance_negative_is_refused(
        uow_factory, system_actor, store, staff, month):
    # Entered today, dated August: stock was only received in September.
    _post(uow_factory, store.id, staff[Role.STORE_MANAGER].user_id,
          datetime(2026, 8, 15, 2, 0, tzinfo=UTC),
          _move(month.world, MASKS, 0, T.SALE_OUT, -4, 1))
    with pytest.raises(DomainError) as refused:
        _build(uow_factory, system_actor, Period.month(2026, 8))
    assert refused.value.rule_id == "REP-1"
    assert "M2801" in str(refused.value) and "期末为负 (-4)" in str(refused.value)
    # September opens negative too; October is whole again.
    with pytest.raises(DomainError, match="期初为负"):
        _build(uow_factory, system_actor, Period.month(2026, 9))
    assert _rows(_build(uow_factory, system_actor))["M2801"]["opening"] == 46


def test_rep_1_progress_is_reported_and_cancelling_stops_the_build(
        uow_factory, system_actor, month):
    seen: list[tuple[int, int]] = []
    report = _build(uow_factory, system_actor, progress=lambda d, t: seen.append((d, t)))
    rows = len(report.sections[0].rows)
    assert seen[0] == (0, 2) and seen[-1] == (rows + 2, rows + 2)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    asked = []

    def cancel_on_second_question() -> bool:
        asked.append(1)
        return len(asked) >= 2

    with pytest.raises(Cancelled):
        _build(uow_factory, system_actor, cancelled=cancel_on_second_question)
    assert len(asked) == 2


def test_rep_1_needs_the_report_permission(uow_factory, staff, month):
    with pytest.raises(PermissionDenied):
        _build(uow_factory, staff[Role.CASHIER])
    report = _build(uow_factory, staff[Role.AUDITOR])
    assert report.title == "进销存月报" and report.period == "2026年10月"
    assert report.store == "测试大药房"
    assert isinstance(report.sections[0], Section)


@pytest.fixture
def cli_env(db_url, store, monkeypatch, tmp_path):
    """The command line on the test's database and store."""
    if not db_url.startswith("sqlite"):
        pytest.skip("the command line is exercised on SQLite")
    monkeypatch.setenv("PHARMACY_POS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PHARMACY_POS_STORE_CODE", store.code)
    return db_url


def test_rep_1_cli_writes_the_month_as_csv(cli_env, month, tmp_path, capsys):
    import csv

    from pharmacy_pos.cli import EXIT_OK, main

    target = tmp_path / "十月.csv"
    code = main(["--database", cli_env, "report", "monthly", "--month", "2026-10",
                 "--format", "csv", "-o", str(target)])
    out, err = capsys.readouterr()
    assert code == EXIT_OK, err
    assert "进销存月报" in out and "2026年10月" in out
    with target.open(encoding="utf-8-sig", newline="") as stream:
        cells = [cell for row in csv.reader(stream) for cell in row]
    assert "期末数量" in cells and "N2801" in cells and "合计" in cells


def test_rep_1_cli_refuses_a_bad_month_and_lists_the_reports(cli_env, capsys, tmp_path):
    from pharmacy_pos.cli import EXIT_REFUSED, main

    code = main(["--database", cli_env, "report", "monthly", "--month", "2026-13",
                 "--format", "csv", "-o", str(tmp_path / "x.csv")])
    assert code == EXIT_REFUSED and "YYYY-MM" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    listed = " ".join(capsys.readouterr().out.split())
    assert "monthly 进销存月报 (REP-1)" in listed and "reconcile" in listed


# Month-end closing (月结): a month that is over keeps its closing; the next month opens
# from it instead of summing each batch's whole ledger.

def _snapshot(uow_factory, store_id: int, month: str) -> dict[int, int]:
    with uow_factory(readonly=True) as uow:
        rows = uow.session.execute(
            select(MonthBalance.batch_id, MonthBalance.units)
            .where(MonthBalance.store_id == store_id, MonthBalance.month == month)).all()
    return dict(rows)


@contextmanager
def _statements(uow_factory) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    event.listen(uow_factory.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(uow_factory.engine, "before_cursor_execute", record)


def test_rep_1_a_closed_month_is_kept_and_opens_the_next_month(
        uow_factory, system_actor, store, month):
    # No September snapshot: October sums each batch's whole ledger (the MATERIALIZED CTE).
    with _statements(uow_factory) as october_sql:
        october = _rows(_build(uow_factory, system_actor))  # the clock: Nov 1st, 10:00
    assert any("MATERIALIZED" in s for s in october_sql)
    kept = _snapshot(uow_factory, store.id, "2026-10")
    assert kept == {b: units for b, units in month.closing.items() if units}
    created = _snapshot(uow_factory, store.id, "2026-10")
    # Built again: nothing is added, nothing changes.
    _build(uow_factory, system_actor)
    assert _snapshot(uow_factory, store.id, "2026-10") == created
    with _statements(uow_factory) as november_sql:
        november = _rows(_build(uow_factory, system_actor, Period.month(2026, 11)))
    assert not any("MATERIALIZED" in s for s in november_sql)
    assert any("month_balances" in s for s in november_sql)
    with uow_factory(readonly=True) as uow:
        lots = {b: uow.batches.get(b).lot_no for b in month.closing}
    assert {lot: r["opening"] for lot, r in november.items()} == {
        lots[b]: units for b, units in kept.items()}
    assert {lot: r["opening"] for lot, r in november.items()} == {
        lot: r["closing"] for lot, r in october.items()}
    assert (november["M2801"]["sale_out"], november["M2801"]["closing"]) == (7, 48)


def test_rep_1_an_entry_back_dated_into_a_closed_month_refuses_the_next_month(
        uow_factory, system_actor, store, staff, month):
    _build(uow_factory, system_actor)                       # October is closed
    masks = month.world.batches[MASKS][0]
    assert _snapshot(uow_factory, store.id, "2026-10")[masks] == 55
    # Entered now, dated in October: the kept closing no longer matches the ledger.
    _post(uow_factory, store.id, staff[Role.STORE_MANAGER].user_id,
          datetime(2026, 10, 15, 2, 0, tzinfo=UTC),
          _move(month.world, MASKS, 0, T.STOCKTAKE_LOSS, -2, 1))
    with pytest.raises(DomainError) as refused:
        _build(uow_factory, system_actor, Period.month(2026, 11))
    assert refused.value.rule_id == "REP-1"
    message = str(refused.value)
    assert "M2801" in message and f"批次 {masks}" in message
    assert "期初 55" in message and "期末 46" in message
    assert "N2801" not in message and "C2801" not in message


def test_rep_1_month_balances_are_append_only(uow_factory, system_actor, store, month):
    _build(uow_factory, system_actor)
    assert _snapshot(uow_factory, store.id, "2026-10")
    with pytest.raises(DomainError), uow_factory() as uow:
        uow.session.execute(update(MonthBalance).values(units=MonthBalance.units + 1))
        uow.commit()
    with pytest.raises(DomainError), uow_factory() as uow:
        uow.session.execute(delete(MonthBalance))
        uow.commit()
    with pytest.raises(DomainError), uow_factory() as uow:   # a second October: unique
        uow.session.execute(insert(MonthBalance).values(
            store_id=store.id, month="2026-10", batch_id=month.world.batches[MASKS][0],
            units=1, created_at=datetime(2026, 11, 2, tzinfo=UTC)))
        uow.commit()
    assert _snapshot(uow_factory, store.id, "2026-10")[month.world.batches[MASKS][0]] == 55


def test_rep_1_a_month_not_yet_over_is_never_kept(uow_factory, system_actor, store, month):
    # November 3rd: November's report is built but November is not over.
    during = FixedClock(datetime(2026, 11, 3, 2, 0, tzinfo=UTC))
    monthly_stock.build(uow_factory, system_actor, Period.month(2026, 11), clock=during)
    assert _snapshot(uow_factory, store.id, "2026-11") == {}
    # October's report built in October's last minute (store time) is not kept either.
    last_minute = FixedClock(datetime(2026, 10, 31, 15, 59, tzinfo=UTC))
    _build(uow_factory, system_actor)
    monthly_stock.build(uow_factory, system_actor, OCTOBER, clock=last_minute)
    assert _snapshot(uow_factory, store.id, "2026-10")  # kept by the first, at Nov 1st
    # A period that is not a whole month is never kept.
    monthly_stock.build(uow_factory, system_actor,
                        Period(OCTOBER.first, OCTOBER.first.replace(day=15)),
                        clock=FixedClock())
    assert _snapshot(uow_factory, store.id, "2026-09") == {}


def test_rep_1_a_closing_that_cannot_be_kept_does_not_fail_the_report(
        uow_factory, system_actor, store, month, caplog):
    def no_writing(*, readonly: bool = False):
        if not readonly:
            raise EnvironmentFault("数据库文件只读，无法保存")
        return uow_factory(readonly=True)

    report = monthly_stock.build(no_writing, system_actor, OCTOBER, clock=FixedClock())
    assert _rows(report)["M2801"]["closing"] == 55
    assert "not stored" in caplog.text
    assert _snapshot(uow_factory, store.id, "2026-10") == {}
