"""Several terminals on one database, each its own process (issue 9): the last box is
sold once, whoever is faster; the loser is told why and nothing is half-written."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

from pharmacy_pos.db.models import LedgerEntry
from pharmacy_pos.domain.ledger import StockMovement
from pharmacy_pos.domain.product import LedgerEntryType
from pharmacy_pos.domain.roles import Role
from pharmacy_pos.services.verify import verify_database
from tests.till_world import MASKS

REPO = Path(__file__).resolve().parents[2]


def test_two_terminals_selling_the_last_box_at_once_sell_it_once(
        engine, uow_factory, clock, store, world, staff, tmp_path):
    batch = world.batches[MASKS][0]
    with uow_factory() as uow:
        uow.ledger.append(store.id, [StockMovement(
            batch_id=batch, product_id=world.products[MASKS],
            entry_type=LedgerEntryType.DESTRUCTION, quantity=-49, unit_cost=Decimal("6.00"),
            units_per_pack=1, doc_type="destruction", doc_no="XH-T1", note="破损")],
            operator_id=staff[Role.STORE_MANAGER].user_id, occurred_at=clock.now())
        uow.commit()
        assert uow.ledger.balance_of(batch) == 1
    url = engine.url.render_as_string(hide_password=False)
    cashier = staff[Role.CASHIER]
    go = tmp_path / "go"
    children = []
    for terminal in ("T01", "T02"):
        result = tmp_path / f"{terminal}.json"
        children.append((result, subprocess.Popen(
            [sys.executable, "-m", "tests.terminal_child", url, store.code, terminal,
             str(cashier.user_id), cashier.username, str(store.id), MASKS, str(go),
             str(result)], cwd=REPO)))
    deadline = time.monotonic() + 60
    while not all(Path(str(r) + ".ready").exists() for r, _ in children):
        assert time.monotonic() < deadline, "the terminals did not get ready"
        assert all(p.poll() is None for _, p in children), "a terminal died"
        time.sleep(0.01)
    go.write_text("go")
    for _, process in children:
        assert process.wait(60) == 0
    outcomes = [json.loads(r.read_text(encoding="utf-8")) for r, _ in children]
    assert sorted(o["ok"] for o in outcomes) == [False, True]
    [lost] = [o for o in outcomes if not o["ok"]]
    assert lost["rule_id"] in ("INV-1", "SALE-5") and ("库存" in lost["message"]
                                                      or "不足" in lost["message"])
    with uow_factory(readonly=True) as uow:
        assert uow.ledger.balance_of(batch) == 0
        sold = uow.session.query(LedgerEntry).filter(
            LedgerEntry.batch_id == batch, LedgerEntry.entry_type == "sale_out").count()
        assert sold == 1
    assert verify_database(uow_factory).ok


def test_a_prescription_entered_at_one_terminal_is_approved_at_another(
        uow_factory, clock, policy, store, world, staff, sim):
    from dataclasses import replace

    from pharmacy_pos.domain.sale import PaymentMethod, ReviewDecision
    from pharmacy_pos.services.sales import SaleService
    from tests.till_world import AMOXICILLIN, paper_prescription

    def till() -> SaleService:
        return SaleService(uow_factory, clock, lambda: (policy, policy.version), sim,
                           store_code=store.code)

    counter, dispensary = till(), till()          # two terminals, one database
    cashier = replace(staff[Role.CASHIER], terminal_id="T01")
    pharmacist = replace(staff[Role.PHARMACIST], terminal_id="T02")
    cart = counter.new_cart(cashier)
    counter.add_product(cashier, cart, world.products[AMOXICILLIN], "24", "unit")
    counter.submit_prescription(cashier, cart, paper_prescription(
        [("P001", 24, 4)], issue_date=clock.today()))
    queue = dispensary.review_queue(pharmacist)
    assert [(e.prescription_id, e.decision) for e in queue] == [
        (cart.review.prescription_id, ReviewDecision.PENDING)]
    dispensary.decide(pharmacist, cart.review.prescription_id, approve=True)
    counter.refresh_review(cashier, cart)
    assert cart.review.decision is ReviewDecision.APPROVED
    sold = counter.complete(cashier, cart, method=PaymentMethod.CASH)
    with uow_factory(readonly=True) as uow:
        assert uow.sales.by_doc_no(sold.doc_no).prescription_id == cart.review.prescription_id
