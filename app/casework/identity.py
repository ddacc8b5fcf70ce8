"""The practitioner's signing identity: made once, kept inside the vault."""

from __future__ import annotations

from app.documents.signing import Identity, generate_identity
from app.storage import Repository


def signing_identity(repo: Repository) -> Identity:
    """One identity per practitioner: a new key per export would make every signature
    unverifiable in practice."""
    stored = repo.get_setting("signing_identity")
    if stored:
        return Identity(bytes.fromhex(stored["p12"]), stored["password"].encode())
    profile = repo.get_setting("profile", {}) or {}
    identity = generate_identity(profile.get("name") or "Practitioner", profile.get("agency") or "")
    repo.store_certificate("personal", identity.pkcs12)
    repo.set_setting(
        "signing_identity", {"p12": identity.pkcs12.hex(), "password": identity.password.decode()}
    )
    return identity
