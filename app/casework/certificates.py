"""Importing an organisation's PKCS#12 as the practitioner's signing identity.

Checked first (`check_identity`: password, expiry, non-repudiation), so a certificate that
would sign documents a validator rejects is never stored; then every export signs with it.
"""

from __future__ import annotations

from app.documents.signing import CertificateInfo, Identity, check_identity
from app.storage import Repository


def import_signing_identity(repo: Repository, pkcs12: bytes, password: bytes) -> CertificateInfo:
    """Make an organisation's certificate the vault's signing identity (the one
    `signing_identity` returns); raises IdentityProblem and stores nothing if unusable."""
    info = check_identity(Identity(pkcs12, password))
    repo.store_certificate("organisation", pkcs12)
    repo.set_setting("signing_identity", {"p12": pkcs12.hex(), "password": password.decode()})
    return info
