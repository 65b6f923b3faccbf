"""Fuzzing the till's scan field: whatever the scanner or the keyboard types.

``SaleService.scan`` against a real SQLite store: a known barcode adds a line, a
20-digit traceability code goes on the selected line, anything else is refused with a
``DomainError`` (``NotFound``, ``InvalidTraceCode``...) and a Chinese message; never
another exception, and the cart keeps its lines when refused.
``[ci]`` a few dozen, derandomized; ``[long]`` (marked ``slow``) 2,000 (each is a query).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pharmacy_pos.domain.errors import DomainError
from tests.till_world import AMOXICILLIN, COLD_GRANULES, MASKS

RUNS = [
    pytest.param(40, id="ci"),
    pytest.param(2_000, id="long", marks=pytest.mark.slow),
]


@pytest.fixture
def db_url(tmp_path) -> str:
    """SQLite only."""
    return f"sqlite:///{tmp_path / 'pos.sqlite3'}"


# No lone surrogates: ``scan`` passes one to the database driver, which cannot encode it
# (UnicodeEncodeError); reported for services/sales.py, which this issue does not own.
TYPED = st.characters(blacklist_categories=("Cs",))
SCANS = st.one_of(
    st.sampled_from([AMOXICILLIN, COLD_GRANULES, MASKS, f" {MASKS}\r\n",
                     "81234560012345678901", "８１２３４５６００１２３４５６７８９０１", "\x00",
                     "'; DROP TABLE products;--", "%", "_", "6901234567892\x00",
                     "٦٩٠١٢٣٤٥٦٧٨٩٢", ""]),
    st.text(TYPED, max_size=30), st.text(alphabet="0123456789", min_size=8, max_size=22),
    st.tuples(st.text(TYPED, min_size=1, max_size=2), st.integers(100, 3000)).map(
        lambda t: t[0] * t[1]),
)


@pytest.mark.parametrize("examples", RUNS)
def test_fuzz_scan_adds_a_line_or_refuses_in_chinese(examples, sales, cashier):
    cart = sales.new_cart(cashier)

    @settings(max_examples=examples, deadline=None, database=None,
              derandomize=examples < 2_000,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(st.lists(SCANS, min_size=1, max_size=3))
    @example([MASKS, "81234560012345678901", "81234560012345678901"])
    def check(scans):
        nonlocal cart
        for text in scans:
            lines_before = len(cart.lines)
            try:
                cart = sales.scan(cashier, cart, text)
            except DomainError as refused:
                message = str(refused)
                assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
                assert len(cart.lines) == lines_before
            if len(cart.lines) > 5:
                cart = sales.new_cart(cashier)

    check()


def test_scan_of_a_lone_surrogate_is_refused(sales, cashier):
    # What a widget can hand over from a broken UTF-16 paste.
    cart = sales.new_cart(cashier)
    with pytest.raises(DomainError):
        sales.scan(cashier, cart, "\ud800")
