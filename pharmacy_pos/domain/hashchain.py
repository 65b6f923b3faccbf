"""Hash chains that make the ledger and the audit trail tamper-evident (INV-5, SEC-4).

Each record stores the hash of the previous record of its chain and its own hash over a
canonical text of its fields. Changing, removing or reordering a record breaks every
link after it. The canonical text is built from the values exactly as they are stored
(integers for money, a fixed UTC timestamp text), so verification can read raw rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime

GENESIS_HASH = "0" * 64
_SEP = "\x1f"


def canonical_time(moment: datetime) -> str:
    """UTC timestamp text used inside hashes: ``YYYY-MM-DD HH:MM:SS.ffffff``."""
    if moment.tzinfo is None:
        raise ValueError("timestamps in hash chains must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return canonical_time(value)
    return str(value)


def link_hash(prev_hash: str, fields: Iterable[object]) -> str:
    """The sha256 (hex) of the previous hash and the record's fields."""
    return link_hash_raw(prev_hash, (_text(f) for f in fields))


def link_hash_raw(prev_hash: str, fields: Iterable[str]) -> str:
    """Fast path of :func:`link_hash` for fields already in canonical text."""
    text = _SEP.join([prev_hash, *fields])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
