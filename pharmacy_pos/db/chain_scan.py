"""Reading hash-chain links fast, for ``verify``.

The database itself assembles each link's canonical payload (the exact text its hash
was made over), so Python handles five values a row instead of fifteen; on SQLite a
long chain is split into segments read by worker processes in parallel
(``python -m pharmacy_pos.db.chain_scan``). A worker imports only this module, the
standard library and the pure domain, so it starts in milliseconds.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterator, Sequence

from pharmacy_pos.domain.hashchain import GENESIS_HASH
from pharmacy_pos.domain.ledger import (
    AUDIT_HASH_FIELDS,
    LEDGER_HASH_FIELDS,
    ChainBreak,
    ChainResult,
    ChainRow,
    walk_chain,
)

FETCH_ROWS = 20_000
CHAIN_TABLES = {
    "ledger_entries": LEDGER_HASH_FIELDS,
    "audit_log": AUDIT_HASH_FIELDS,
}


def payload_sql(table: str, dialect: str) -> str:
    """SELECT of (chain_seq, entry_hash, payload) as bytes: see ``ChainRow``.

    Parameters: store id, lowest and highest chain_seq (named for PostgreSQL).
    """
    fields: Sequence[str] = CHAIN_TABLES[table]
    if dialect == "sqlite":
        # printf('%s') renders integers as stored and NULL as '' — the canonical forms.
        template = "\x1f".join(["%s"] * (len(fields) + 1))
        payload = f"CAST(printf('{template}', prev_hash, {', '.join(fields)}) AS BLOB)"
        digest = "CAST(entry_hash AS BLOB)"
        params = "? AND chain_seq BETWEEN ? AND ?"
    else:
        parts = ["prev_hash"]
        for name in fields:
            if name == "occurred_at":
                parts.append(
                    "to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"
                )
            else:
                parts.append(f"COALESCE(CAST({name} AS TEXT), '')")
        payload = "convert_to(" + " || chr(31) || ".join(parts) + ", 'UTF8')"
        digest = "convert_to(entry_hash, 'UTF8')"
        params = "%(store)s AND chain_seq BETWEEN %(lo)s AND %(hi)s"
    return (
        f"SELECT chain_seq, {digest}, {payload} "  # noqa: S608
        f"FROM {table} WHERE store_id = {params} ORDER BY chain_seq"
    )


def scan_sqlite_segment(
    path: str, table: str, chain: str, store_id: int, lo: int, hi: int, start_prev: str | None
) -> ChainResult:
    """Walk links ``lo..hi`` of one chain in a SQLite file (runs in a worker process)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        cursor = connection.execute(payload_sql(table, "sqlite"), (store_id, lo, hi))
        return walk_chain(chain, _rows(cursor), start_seq=lo, start_prev=start_prev)
    finally:
        connection.close()


def _rows(cursor: sqlite3.Cursor) -> Iterator[ChainRow]:
    while rows := cursor.fetchmany(FETCH_ROWS):
        yield from rows


def segment_bounds(last_seq: int, parts: int) -> list[tuple[int, int, str | None]]:
    """Split ``1..last_seq`` into up to ``parts`` even ranges; the first starts at genesis."""
    size = max(1, -(-last_seq // max(parts, 1)))
    return [(lo, min(lo + size - 1, last_seq), GENESIS_HASH if lo == 1 else None)
            for lo in range(1, last_seq + 1, size)] or [(1, 0, GENESIS_HASH)]


def result_to_json(result: ChainResult) -> str:
    """Serialise a segment result for the parent process."""
    broken = None
    if result.broken is not None:
        broken = [result.broken.seq, result.broken.reason]
    return json.dumps({
        "chain": result.chain, "count": result.count, "first_seq": result.first_seq,
        "first_prev": result.first_prev, "last_seq": result.last_seq,
        "last_hash": result.last_hash, "broken": broken,
    })


def result_from_json(text: str) -> ChainResult:
    """Inverse of :func:`result_to_json`."""
    data = json.loads(text)
    broken = data["broken"]
    return ChainResult(
        chain=data["chain"], count=data["count"], first_seq=data["first_seq"],
        first_prev=data["first_prev"], last_seq=data["last_seq"],
        last_hash=data["last_hash"],
        broken=ChainBreak(data["chain"], None, broken[0], broken[1]) if broken else None,
    )


def worker_command(
    path: str, table: str, chain: str, store_id: int, lo: int, hi: int, start_prev: str | None
) -> list[str]:
    """The command line of a worker process walking one segment."""
    return [sys.executable, "-m", "pharmacy_pos.db.chain_scan", path, table, chain,
            str(store_id), str(lo), str(hi), start_prev or "-"]


def main(argv: list[str]) -> int:
    """Worker entry: walk one segment and print its result as JSON on stdout."""
    path, table, chain, store_id, lo, hi, start_prev = argv
    if table not in CHAIN_TABLES:
        raise SystemExit(f"unknown chain table {table}")
    result = scan_sqlite_segment(path, table, chain, int(store_id), int(lo), int(hi),
                                 None if start_prev == "-" else start_prev)
    sys.stdout.write(result_to_json(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
