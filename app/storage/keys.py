"""Passphrase → raw SQLCipher key, and the passphrase rule.

The passphrase never reaches SQL. scrypt (memory-hard, from the standard library) at
N=2^17, r=8, p=1 (OWASP's minimum) turns the NFC-normalised passphrase into a 32-byte
key with a 16-byte random salt; SQLCipher is given the raw key and the salt as
`x'<key><salt>'`, so SQLCipher writes that salt into the first 16 bytes of the file.
Opening reads the salt back from there: no side file to lose, and a backup or a rekeyed
file carries its own salt. Vaults made with older settings (N=2^15, or a passphrase
typed in another Unicode form) are found by `candidates()` and upgraded at unlock.
Key bytes live in a bytearray so that `wipe()` can overwrite them at lock.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SALT_BYTES = 16
KEY_BYTES = 32
SCRYPT_N = 2**17
SCRYPT_R = 8
SCRYPT_P = 1
LEGACY_N = (2**15,)
MIN_LENGTH = 12


@dataclass(frozen=True)
class RawKey:
    """A derived key and its salt; `pragma()` is the only form it takes in SQL."""

    key: bytearray
    salt: bytes

    def pragma(self) -> str:
        return f"x'{self.key.hex()}{self.salt.hex()}'"

    def wipe(self) -> None:
        """Overwrite the key bytes in place (what Python allows; str copies are transient)."""
        for i in range(len(self.key)):
            self.key[i] = 0

    def same_key(self, other: RawKey) -> bool:
        import hmac

        return hmac.compare_digest(bytes(self.key), bytes(other.key))


def normalise(passphrase: str) -> str:
    """NFC, so 'é' typed as one code point or as e + accent opens the same vault."""
    return unicodedata.normalize("NFC", passphrase)


def encode(passphrase: str) -> bytes:
    """UTF-8 bytes; a passphrase that cannot be encoded is refused in words, not a traceback."""
    from app.storage.errors import WeakPassphraseError

    try:
        return passphrase.encode("utf-8")
    except UnicodeEncodeError:
        raise WeakPassphraseError(
            "The passphrase contains characters that are not valid text; type it again."
        ) from None


def derive(passphrase: str, salt: bytes, n: int | None = None, *, raw: bool = False) -> RawKey:
    """scrypt at the current cost (or `n`); `raw=True` skips NFC (for old vaults only)."""
    cost = SCRYPT_N if n is None else n
    secret = bytearray(encode(passphrase if raw else normalise(passphrase)))
    try:
        key = hashlib.scrypt(
            bytes(secret),
            salt=salt,
            n=cost,
            r=SCRYPT_R,
            p=SCRYPT_P,
            maxmem=2 * 128 * SCRYPT_R * cost + 16 * 1024 * 1024,
            dklen=KEY_BYTES,
        )
    finally:
        secret[:] = bytes(len(secret))
    return RawKey(bytearray(key), salt)


def candidates(passphrase: str, salt: bytes) -> Iterator[tuple[RawKey, bool]]:
    """(key, is_current) for the current settings first, then the older ones to upgrade."""
    yield derive(passphrase, salt), True
    for n in LEGACY_N:
        if n != SCRYPT_N:
            yield derive(passphrase, salt, n), False
    if normalise(passphrase) != passphrase:
        for n in (SCRYPT_N, *LEGACY_N):
            yield derive(passphrase, salt, n, raw=True), False


def new_key(passphrase: str) -> RawKey:
    return derive(passphrase, os.urandom(SALT_BYTES))


def salt_of(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(SALT_BYTES)


def strength_advice(passphrase: str) -> str:
    """What to tell a practitioner typing a new passphrase: the problem, or zxcvbn's verdict."""
    from app.storage.errors import WeakPassphraseError
    from app.storage.strength import assess

    try:
        check_strength(passphrase)
    except WeakPassphraseError as exc:
        return str(exc)
    return assess(passphrase).message


def check_strength(passphrase: str) -> None:
    """Length first (a clear rule), then zxcvbn's estimate with its own feedback."""
    from app.storage.errors import WeakPassphraseError
    from app.storage.strength import assess

    encode(passphrase)
    if len(passphrase) < MIN_LENGTH:
        raise WeakPassphraseError(
            f"The passphrase must be at least {MIN_LENGTH} characters long "
            f"(it has {len(passphrase)}). A few unrelated words work well."
        )
    verdict = assess(passphrase)
    if not verdict.acceptable:
        raise WeakPassphraseError(verdict.message)
