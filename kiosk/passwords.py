"""Salted scrypt hashes for every secret staff type in: the kiosk's PIN and console passwords.

scrypt is memory-hard and in the standard library. The parameters are OWASP's Password Storage
Cheat Sheet setting with the least memory (N=2^13, r=8, p=10: 8 MiB per try, the p lanes run one
after another): the console must fit a Pi Zero 2 W with 512 MB, so time rather than memory makes
a guess dear (about 0.2 s per try on a PC, a second or two on a Pi Zero). Stored hashes keep the
parameters they were made with, so older hashes still verify. Format: `scrypt$<n>$<r>$<p>$<salt hex>$<hash hex>`.
"""

from __future__ import annotations

import hashlib
import hmac
import os

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 13, 8, 10
MAX_MEMORY = 64 * 1024 * 1024


def hash_secret(secret: str, salt: bytes | None = None, n: int = SCRYPT_N, r: int = SCRYPT_R,
                p: int = SCRYPT_P) -> str:
    """The stored form of a secret, with a fresh random salt unless one is given."""
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=n, r=r, p=p, maxmem=MAX_MEMORY, dklen=32)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def verify_secret(secret: str, stored: str) -> bool:
    """True when `secret` matches the stored hash (constant-time compare); False for a malformed hash."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        actual = hashlib.scrypt(secret.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                                maxmem=MAX_MEMORY, dklen=len(bytes.fromhex(digest)))
    except (ValueError, TypeError, MemoryError):
        return False
    return hmac.compare_digest(actual, bytes.fromhex(digest))
