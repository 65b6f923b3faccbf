"""The soak scenario at CI size (issue 9): a few hundred sales through the real services,
then ``verify`` clean and every monthly stock report equation holding (INV-1, REP-1).

The same scenario code as ``benchmarks/bench_soak.py`` (``tests/soak_scenario.py``):
cash, insured and prescription sales, refusals by rules, returns approved by the store
manager (SALE-7), receipts printed to a real TCP printer listener, weekly receivings
accepted by the quality inspector (INV-2), spread over three months. Nothing is timed.
"""

from __future__ import annotations

import pytest

from tests.devices.tcp_printer import STATUS_OK, TcpPrinter
from tests.soak_scenario import Scenario, SoakStore, check_books

SALES = 200


@pytest.fixture
def soak_store(db_url):
    """The soak store on SQLite and on PostgreSQL, printing to a TCP listener."""
    with TcpPrinter(status=STATUS_OK) as listener:
        store = SoakStore(db_url, printer=f"tcp:127.0.0.1:{listener.port}", persons=40)
        try:
            yield store, listener
        finally:
            store.close()


def test_rep_1_inv_1_soak_of_200_sales_leaves_verify_clean_and_every_month_balanced(
        soak_store):
    store, listener = soak_store
    stats = Scenario(store, sales=SALES, days=75, seed=9).run()
    assert stats.sales == SALES
    # The mix really happened: every kind of sale, refusals by each rule, returns.
    assert set(stats.kinds) == {"otc_cash", "insured", "rx_cash", "rx_insured"}
    assert {"SALE-5", "RX-12", "RX-1"} <= set(stats.refusals)
    assert stats.returns >= 2 and stats.receivings >= 10
    books = check_books(store, stats)
    assert books.months == ("2026年11月", "2026年12月", "2027年1月")
    assert all(rows > 0 for rows in books.report_rows)
    assert books.sales_in_database == SALES
    assert books.ledger_entries > SALES
    # Every sale and return printed: a receipt (and an insured purchase list) each.
    assert stats.receipts_printed >= SALES + stats.returns
    assert len(listener.jobs(stats.receipts_printed)) == stats.receipts_printed
