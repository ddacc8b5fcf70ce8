"""Passphrase → raw SQLCipher key, and the passphrase rule.

The passphrase never reaches SQL. scrypt (a memory-hard KDF from the standard library)
turns it into a 32-byte key with a 16-byte random salt; SQLCipher is given the raw key
and the salt as `x'<key><salt>'`, so SQLCipher writes that salt into the first 16 bytes
of the file. Opening reads the salt back from there: no side file to lose, and a backup
or a rekeyed file carries its own salt.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

SALT_BYTES = 16
KEY_BYTES = 32
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
MIN_LENGTH = 12


@dataclass(frozen=True)
class RawKey:
    """A derived key and its salt; `pragma()` is the only form it takes in SQL."""

    key: bytes
    salt: bytes

    def pragma(self) -> str:
        return f"x'{self.key.hex()}{self.salt.hex()}'"


def derive(passphrase: str, salt: bytes) -> RawKey:
    key = hashlib.scrypt(
        passphrase.encode("utf-8"),
        salt=salt,
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        maxmem=128 * 1024 * 1024,
        dklen=KEY_BYTES,
    )
    return RawKey(key, salt)


def new_key(passphrase: str) -> RawKey:
    return derive(passphrase, os.urandom(SALT_BYTES))


def salt_of(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(SALT_BYTES)


def check_strength(passphrase: str) -> None:
    """At least 12 characters, and not one character repeated (e.g. 'aaaaaaaaaaaa')."""
    from app.storage.errors import WeakPassphraseError

    if len(passphrase) < MIN_LENGTH:
        raise WeakPassphraseError(
            f"The passphrase must be at least {MIN_LENGTH} characters long "
            f"(it has {len(passphrase)}). A few unrelated words work well."
        )
    if len(set(passphrase)) < 4:
        raise WeakPassphraseError(
            "The passphrase must not repeat the same few characters; use a few unrelated words."
        )
