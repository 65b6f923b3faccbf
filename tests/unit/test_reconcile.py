"""The reconciliation's comparison (REP-2), on hand-made rows: every cause of difference."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from pharmacy_pos.insurance.ports import StatementRow
from pharmacy_pos.reports.catalog import Cancelled, Period
from pharmacy_pos.reports.reconcile import Cause, LocalSettlement, compare

D = Decimal
NOV = Period.month(2026, 11)
AT = datetime(2026, 11, 5, 2, 0, tzinfo=UTC)
OCT = datetime(2026, 10, 20, 2, 0, tzinfo=UTC)


def here(setl_id: str, at: datetime = AT, total: str = "10.00", fund: str = "8.00",
         acct: str = "2.00", psn: str = "P1") -> LocalSettlement:
    return LocalSettlement(setl_id, f"XS-{setl_id}", psn, at, D(total), D(fund), D(acct))


def there(setl_id: str, at: datetime = AT, total: str = "10.00", fund: str = "8.00",
          acct: str = "2.00", cancelled_at: datetime | None = None,
          psn: str = "P1") -> StatementRow:
    return StatementRow(setl_id, psn, at, D(total), D(fund), D(acct),
                        cancelled=cancelled_at is not None, cancelled_at=cancelled_at)


def test_rep_2_cancellations_missing_on_either_side_or_differing_are_listed() -> None:
    result = compare(
        NOV,
        settled=[],
        cancelled=[here("S1", fund="8.00"), here("S2"), here("S3", fund="7.00")],
        statement=[there("S1", at=OCT, cancelled_at=AT),  # agrees
                   there("S2", at=OCT),                   # still valid at the insurer
                   there("S3", at=OCT, cancelled_at=AT),  # fund returned differs
                   there("S4", at=OCT, cancelled_at=AT)])  # no return here
    assert [(d.setl_id, d.cause, d.field) for d in result.differences] == [
        ("S2", Cause.CANCEL_MISSING_THERE, "fund_pay_sumamt"),
        ("S3", Cause.CANCEL_AMOUNT_DIFFERS, "fund_pay_sumamt"),
        ("S4", Cause.CANCEL_MISSING_HERE, "fund_pay_sumamt")]
    assert result.differences[0].note == "医保结算仍有效"
    assert (result.here.cancellations, result.there.cancellations) == (3, 3)
    # October's settlements are not November's settlements on either side.
    assert result.here.settlements == result.there.settlements == 0


def test_rep_2_a_settlement_recorded_in_another_period_is_told_apart() -> None:
    result = compare(NOV, settled=[], cancelled=[], statement=[there("S9")],
                     elsewhere={"S9": here("S9", at=OCT)})
    assert [(d.cause, d.doc_no) for d in result.differences] == [
        (Cause.OTHER_PERIOD_HERE, "XS-S9")]
    assert "2026-10-20" in result.differences[0].note


def test_rep_2_a_different_person_is_a_difference() -> None:
    result = compare(NOV, settled=[here("S1", psn="P1")], cancelled=[],
                     statement=[there("S1", psn="P2")])
    assert [d.cause for d in result.differences] == [Cause.PERSON_DIFFERS]
    assert result.matched == ()


def test_rep_2_the_comparison_stops_when_cancelled() -> None:
    with pytest.raises(Cancelled):
        compare(NOV, [here("S1")], [], [there("S1")], is_cancelled=lambda: True)
