"""``verify``: walk both hash chains of every store and check the stock equations.

Checks, in order: each ledger and audit chain link by link (sequence, previous hash,
content hash); each chain head against the chain's last link; each cached balance
against the sum of the ledger; no batch below zero (INV-1, INV-5, SEC-4).

Everything is read in one snapshot: chain extents, heads and the balance check come from
one read transaction, and since links are never changed, workers that read links up to
those extents from other connections see exactly that snapshot. The stock equations are
checked by the database itself (sums per batch over a covering index). A long SQLite chain is
split into segments walked in parallel, one per core: this process takes the first,
worker processes the others.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import replace

from pharmacy_pos.db.chain_scan import result_from_json, segment_bounds, worker_command
from pharmacy_pos.db.uow import UnitOfWork
from pharmacy_pos.domain.errors import EnvironmentFault
from pharmacy_pos.domain.ledger import (
    BalanceMismatch,
    ChainResult,
    VerifyReport,
    audit_chain_name,
    join_segments,
    ledger_chain_name,
    walk_chain,
)

UowFactory = Callable[..., UnitOfWork]

# Below this many links a chain is walked in-process: starting workers costs more.
PARALLEL_MIN_LINKS = 100_000
MAX_WORKERS = 4
WORKER_TIMEOUT_S = 600


def default_workers() -> int:
    """One worker per available core, at most ``MAX_WORKERS``."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def verify_database(uow_factory: UowFactory, *, workers: int | None = None) -> VerifyReport:
    """Check everything; the report says what is intact and the first break of each kind."""
    workers = default_workers() if workers is None else max(1, workers)
    report = VerifyReport()
    with uow_factory(readonly=True) as uow, ExitStack() as stack:
        heads = uow.ledger.heads()
        database_file = uow.ledger.database_file()
        plans = []
        for store in uow.stores.all():
            for table, name in (("ledger_entries", ledger_chain_name(store.id)),
                                ("audit_log", audit_chain_name(store.id))):
                plans.append((table, name, store.id, uow.ledger.chain_extent(table, store.id)))
        # Long SQLite chains: every segment but the first goes to a worker process now;
        # this process walks the first segments and the short chains meanwhile.
        # Plain subprocesses rather than multiprocessing: nothing of the caller (the Qt
        # application, a test runner) is forked or re-imported into them.
        pending: dict[str, list[subprocess.Popen[str]]] = {}
        for table, name, store_id, extent in plans:
            if database_file and workers > 1 and extent >= PARALLEL_MIN_LINKS:
                pending[name] = [
                    stack.enter_context(subprocess.Popen(
                        worker_command(database_file, table, name, store_id, lo, hi,
                                       start_prev),
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                    ))
                    for lo, hi, start_prev in segment_bounds(extent, workers)[1:]
                ]
        for table, name, store_id, extent in plans:
            repository = uow.ledger if table == "ledger_entries" else uow.audit
            first_hi = extent
            if name in pending:
                first_hi = segment_bounds(extent, workers)[0][1]
            result = walk_chain(name, repository.chain_rows(store_id, 1, first_hi))
            if name in pending:
                result = join_segments(name, [result, *map(_collect, pending[name])])
            if result.broken is not None:
                result.broken = replace(result.broken, row_id=uow.ledger.row_id_at(
                    table, store_id, result.broken.seq))
            report.chains.append(result)
            _check_head(report, result, heads.get(name))
        mismatches, negative = uow.ledger.balance_problems()
    report.balance_mismatches = [BalanceMismatch(*m) for m in mismatches]
    report.negative_batches = negative
    return report


def _collect(worker: subprocess.Popen[str]) -> ChainResult:
    out, err = worker.communicate(timeout=WORKER_TIMEOUT_S)
    if worker.returncode != 0:
        raise EnvironmentFault(f"校验进程失败（{worker.returncode}）: {err.strip()[-500:]}")
    return result_from_json(out)


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
