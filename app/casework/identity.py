"""The practitioner's signing identity: made from the saved profile, kept inside the vault.

Nothing is signed in a made-up name: until the profile holds the practitioner's name there
is no personal certificate (`NoSigningName`), and when the name changes the certificate is
made again (`oversight.set_profile`). An organisation's imported certificate is kept as is.
"""

from __future__ import annotations

from typing import Any

from app.casework.settings import profile as saved_profile
from app.documents.signing import Identity, IdentityProblem, check_identity, generate_identity
from app.storage import Repository


class NoSigningName(IdentityProblem):
    """The profile has no name yet, so there is no one to sign as."""

    def __init__(self) -> None:
        super().__init__(
            "Nothing can be signed yet: add your name in Profile and settings and save it; "
            "your signing certificate is made from it."
        )


def certificate_name(profile: dict[str, Any]) -> str:
    """The name the certificate carries: a role ("Children's Services, Fictional Council")
    when the practitioner signs as one, so an encrypted PDF's signature, readable without
    its password, does not name them; otherwise their own name."""
    return str(profile.get("sign_as_role") or profile.get("name") or "").strip()


def stored_identity(repo: Repository) -> Identity | None:
    """The identity the vault holds, without making one."""
    stored = repo.get_setting("signing_identity")
    if stored:
        return Identity(bytes.fromhex(stored["p12"]), stored["password"].encode())
    return None


def _placeholder(identity: Identity, name: str) -> bool:
    """A certificate an earlier version made as "Practitioner" before any name was saved:
    it is made again in the profile's name rather than signing in no one's name."""
    try:
        info = check_identity(identity)
    except IdentityProblem:
        return False  # said by the export that tries to sign with it
    return info.self_signed and info.signer == LEGACY_NAME and name not in ("", LEGACY_NAME)


LEGACY_NAME = "Practitioner"


def signing_identity(repo: Repository) -> Identity:
    """One identity per practitioner (a new key per export would make every signature
    unverifiable in practice), made on first need from the saved profile's name and
    agency; raises NoSigningName while the profile has no name."""
    identity = stored_identity(repo)
    profile = saved_profile(repo)
    if not str(profile.get("name") or "").strip():
        if identity is not None and not _placeholder(identity, "x"):
            return identity  # e.g. an organisation's certificate; the export still asks
        raise NoSigningName()
    name = certificate_name(profile)
    if identity is not None and not _placeholder(identity, name):
        return identity
    identity = generate_identity(name, str(profile.get("agency") or ""))
    repo.store_certificate("personal", identity.pkcs12)
    repo.set_setting(
        "signing_identity", {"p12": identity.pkcs12.hex(), "password": identity.password.decode()}
    )
    return identity
