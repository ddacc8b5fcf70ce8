"""The practitioner's one signing identity, kept inside the encrypted vault.

Created once (a personal self-signed certificate), or an organisation's PKCS#12 imported
after `check_identity` accepts it; every export then signs with the same certificate, so a
recipient who trusted its fingerprint once can trust every later document.
"""

from __future__ import annotations

from typing import Any

from app.documents.signing import CertificateInfo, Identity, check_identity, generate_identity

SETTING = "signing_identity"


def stored_identity(repo: Any) -> Identity:
    """The vault's signing identity, made on first use from the profile's name and agency."""
    stored = repo.get_setting(SETTING)
    if stored:
        return Identity(bytes.fromhex(stored["p12"]), stored["password"].encode())
    profile = repo.get_setting("profile", {}) or {}
    identity = generate_identity(profile.get("name") or "Practitioner", profile.get("agency") or "")
    repo.store_certificate("personal", identity.pkcs12)
    repo.set_setting(
        SETTING, {"p12": identity.pkcs12.hex(), "password": identity.password.decode()}
    )
    return identity


def import_identity(repo: Any, pkcs12: bytes, password: bytes) -> CertificateInfo:
    """Check an organisation's PKCS#12 (raises IdentityProblem) and make it the vault's
    signing identity; nothing is stored when the check fails."""
    identity = Identity(pkcs12, password)
    info = check_identity(identity)
    repo.store_certificate("organisation", pkcs12)
    repo.set_setting(SETTING, {"p12": pkcs12.hex(), "password": password.decode()})
    return info
