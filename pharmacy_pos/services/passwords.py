"""Password hashing with scrypt, a memory-hard slow KDF from the standard library.

Stored form: ``scrypt$<log2 n>$<r>$<p>$<salt b64>$<hash b64>``, so parameters can be
raised later and old hashes still verify.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

LOG2_N = 14
R = 8
P = 1
DKLEN = 32


def hash_password(password: str, *, log2_n: int | None = None) -> str:
    """Hash a password with a fresh random salt (cost ``2**LOG2_N`` unless given)."""
    log2_n = LOG2_N if log2_n is None else log2_n
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, log2_n, R, P)
    return "$".join(
        ["scrypt", str(log2_n), str(R), str(P), _b64(salt), _b64(digest)]
    )


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored``, in constant time."""
    try:
        scheme, log2_n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(password, base64.b64decode(salt), int(log2_n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(expected, actual)


def burn_time(password: str) -> None:
    """Spend what a verification costs, so unknown users answer as slowly as known ones."""
    _scrypt(password, b"\x00" * 16, LOG2_N, R, P)


def _scrypt(password: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=2**log2_n, r=r, p=p, dklen=DKLEN,
        maxmem=256 * 1024 * 1024,
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
