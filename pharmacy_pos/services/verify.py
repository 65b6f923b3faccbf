"""``verify``: walk both hash chains of every store and check the stock equations.

Checks, in order: each ledger and audit chain link by link (sequence, previous hash,
content hash); each chain head against the chain's last link; each cached balance
against the sum of the ledger; no batch below zero (INV-1, INV-5, SEC-4).
"""

from __future__ import annotations

from collections.abc import Callable

from pharmacy_pos.db.uow import UnitOfWork
from pharmacy_pos.domain.ledger import (
    BalanceMismatch,
    ChainResult,
    VerifyReport,
    audit_chain_name,
    ledger_chain_name,
    walk_chain,
)

UowFactory = Callable[..., UnitOfWork]


def verify_database(uow_factory: UowFactory) -> VerifyReport:
    """Check everything; the report says what is intact and the first break of each kind."""
    report = VerifyReport()
    with uow_factory(readonly=True) as uow:
        heads = uow.ledger.heads()
        for store in uow.stores.all():
            for name, rows in (
                (ledger_chain_name(store.id), uow.ledger.chain_rows(store.id)),
                (audit_chain_name(store.id), uow.audit.chain_rows(store.id)),
            ):
                result = walk_chain(name, rows)
                report.chains.append(result)
                _check_head(report, result, heads.get(name))
        sums = uow.ledger.ledger_sums()
        cached = uow.ledger.cached_balances()
    for batch_id in sorted(set(sums) | set(cached)):
        ledger_qty = sums.get(batch_id, 0)
        if cached.get(batch_id) != ledger_qty:
            report.balance_mismatches.append(
                BalanceMismatch(batch_id, cached.get(batch_id), ledger_qty)
            )
        if ledger_qty < 0:
            report.negative_batches.append((batch_id, ledger_qty))
    return report


def _check_head(report: VerifyReport, result: ChainResult, head: tuple[int, str] | None) -> None:
    if result.broken:
        return  # the break itself is the finding; the head cannot agree with it
    if head is None:
        report.head_problems.append(f"{result.chain}: 缺少链头记录")
        return
    seq, digest = head
    if (seq, digest) != (result.last_seq, result.last_hash):
        report.head_problems.append(
            f"{result.chain}: 链头为第 {seq} 条，实际最后一条为第 {result.last_seq} 条"
            "（末尾记录被删除或链头被改动）"
        )
