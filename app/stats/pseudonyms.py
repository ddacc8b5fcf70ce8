"""Keyed pseudonyms, so `stats merge` can count a child assessed on two laptops once.

Optional, and only with a partnership secret the practitioners share (never stored in a
bundle). A pseudonym is HMAC-SHA256 of the normalised name and date of birth under that
secret: the same child gives the same pseudonym on every laptop, and without the secret
nobody can compute one. The trade-off (README, "Meetings and partnership statistics"):
anyone who holds the secret can test whether a child they can name is in a bundle, and a
bundle with pseudonyms links each child's cells together, so it is pseudonymised personal
data and must be handled as such; bundles without the secret stay counts only.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata


def normalise(name: str) -> str:
    """Case, spacing and accents do not matter: "Zoë  Sample" is "zoe sample"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.split())


def pseudonym(secret: str, name: str, date_of_birth: str | None) -> str:
    """The child's pseudonym; a child without a name or date of birth gets a random one
    (counted, never matched)."""
    if not normalise(name) or not date_of_birth:
        return "u-" + secrets.token_hex(16)
    message = f"{normalise(name)}|{date_of_birth}".encode()
    return "p-" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()[:32]


def key_check(secret: str) -> str:
    """Lets a merge refuse bundles made with different secrets, without revealing it."""
    digest = hmac.new(secret.encode("utf-8"), b"cre-toolkit partnership check", hashlib.sha256)
    return digest.hexdigest()[:16]
