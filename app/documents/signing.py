"""PAdES B-B signatures with pyHanko, a practitioner certificate, and AES-256 encryption.

A signing identity is checked (`check_identity`) before anything is signed: wrong
password, expiry and a missing non-repudiation key usage are refused in plain words.

Offline signatures are B-B: the signing time is the laptop's clock, and the documents
say so. A personal certificate made here carries the non-repudiation key usage, which
pyHanko's validation requires of a signing certificate. Encryption (AES-256, R6, via
pypdf) comes first; the signature is then added incrementally, so it covers the file
exactly as the receiver opens it.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import secrets
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from app.documents.pyhanko_offline import defer_network_clients


@dataclass(frozen=True)
class Identity:
    """A signing key and certificate as PKCS#12 bytes, with the password that opens them."""

    pkcs12: bytes
    password: bytes

    def certificate_pem(self) -> bytes:
        return _open(self)[1].public_bytes(serialization.Encoding.PEM)


class IdentityProblem(ValueError):
    """A signing identity that must not be used, said in words a practitioner can act on."""


@dataclass(frozen=True)
class CertificateInfo:
    """What the stamp prints and a recipient checks: who, issued by whom, which key."""

    signer: str
    issuer: str
    self_signed: bool
    fingerprint: str  # SHA-256 of the certificate, colon-separated hex
    not_after: dt.datetime


@functools.lru_cache(maxsize=4)
def _open(identity: Identity) -> tuple[Any, x509.Certificate]:
    """Opening a PKCS#12 runs its password KDF (~35 ms): once per identity, until lock."""
    try:
        key, cert, _extra = pkcs12.load_key_and_certificates(identity.pkcs12, identity.password)
    except ValueError:
        raise IdentityProblem(
            "The certificate file did not open with that password (or it is not a PKCS#12 "
            "file). Check the password given by your organisation and try again."
        ) from None
    if key is None or cert is None:
        raise IdentityProblem("The certificate file holds no signing key and certificate.")
    return key, cert


def _name(name: x509.Name) -> str:
    for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME):
        found = name.get_attributes_for_oid(oid)
        if found:
            return str(found[0].value)
    return name.rfc4514_string()


def check_identity(identity: Identity, now: dt.datetime | None = None) -> CertificateInfo:
    """Refuse, before anything is signed, a key a validator would reject: wrong password,
    expired or not yet valid, or no non-repudiation (content commitment) key usage."""
    _key, cert = _open(identity)
    when = now or dt.datetime.now(dt.UTC)
    if when.tzinfo is None:
        when = when.astimezone(dt.UTC)
    subject = _name(cert.subject)
    if when > cert.not_valid_after_utc:
        raise IdentityProblem(
            f"The certificate of {subject} expired on {cert.not_valid_after_utc:%d %B %Y}. "
            "Ask your organisation for a new one (or remove it to use your personal one)."
        )
    if when < cert.not_valid_before_utc:
        raise IdentityProblem(
            f"The certificate of {subject} is not valid until {cert.not_valid_before_utc:%d %B %Y}."
        )
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is None or not (usage.content_commitment and usage.digital_signature):
        raise IdentityProblem(
            f"The certificate of {subject} is not meant for signing documents (it lacks the "
            "'non-repudiation' key usage), so every signature would validate as INVALID. "
            "Ask your organisation for a document-signing certificate."
        )
    digest = cert.fingerprint(hashes.SHA256()).hex().upper()
    return CertificateInfo(
        signer=subject,
        issuer=_name(cert.issuer),
        self_signed=cert.issuer == cert.subject,
        fingerprint=":".join(digest[i : i + 2] for i in range(0, len(digest), 2)),
        not_after=cert.not_valid_after_utc,
    )


def _cap(text: str, limit: int = 64) -> str:
    """At most `limit` UTF-8 bytes (X.509's upper bound), cut on a character boundary and
    ended with an ellipsis, so a shortened name is seen to be shortened."""
    if len(text.encode("utf-8")) <= limit:
        return text.strip()
    room = limit - len("…".encode())
    return text.encode("utf-8")[:room].decode("utf-8", "ignore").strip() + "…"


def generate_identity(name: str, organisation: str, days: int = 730) -> Identity:
    """A personal key and self-signed certificate (digital signature + non-repudiation).

    ECDSA P-256: as strong as RSA-3072 for signatures, and its key loads in well under a
    millisecond where RSA's validation on every signature cost ~30 ms. X.509 limits a
    common name to 64 characters: a longer name is shortened there only (the document
    prints it whole).
    """
    key = ec.generate_private_key(ec.SECP256R1())
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, _cap(name.strip() or "Practitioner"))]
    if organisation:  # nothing invented: a letter's signature names no product
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, _cap(organisation)))
    subject = x509.Name(attributes)
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    password = secrets.token_urlsafe(24).encode()
    data = pkcs12.serialize_key_and_certificates(
        name.encode("utf-8"), key, cert, None, serialization.BestAvailableEncryption(password)
    )
    return Identity(data, password)


def encrypt(pdf: bytes, password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


FINAL_REASON = "Completed by the practitioner named in this document"
DRAFT_REASON = "DRAFT: not completed; not a final document"


def sign(
    pdf: bytes,
    identity: Identity,
    *,
    signer_name: str,
    signer_post: str = "",
    slot: dict[str, Any],
    password: str | None = None,
    reason: str = FINAL_REASON,
) -> bytes:
    """Sign the whole file, with the signature field over the box the document reserved.

    The words in the box (signer, issuer, time, fingerprint) are printed by the document
    itself in its embedded font, so the field draws no appearance of its own (pyHanko's
    text stamp would use the unembedded Courier and could not draw every name).
    """
    defer_network_clients()
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError
    from pyhanko.stamp import NoOpStampStyle

    signer = _signer(identity)

    def attempt(room: int | None) -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        if password is not None:
            writer.encrypt(password)
        page = int(slot.get("page", 1)) - 1
        x1, y1, x2, y2 = (int(v) for v in slot.get("box", (50, 60, 320, 150)))
        spec = fields.SigFieldSpec(sig_field_name="Signature", on_page=page, box=(x1, y1, x2, y2))
        fields.append_signature_field(writer, spec)
        meta = signers.PdfSignatureMetadata(
            field_name="Signature",
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            name=signer_name[:200],
            reason=reason,
        )
        pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=NoOpStampStyle())
        out = io.BytesIO()
        pdf_signer.sign_pdf(writer, output=out, bytes_reserved=room)
        return out.getvalue()

    try:
        return attempt(_room_for_signature(signer))
    except SigningError:  # an unusual certificate needed more room: let pyHanko measure it
        return attempt(None)


def _room_for_signature(signer: Any) -> int:
    """Hex digits to reserve for the CMS signature. Left to itself pyHanko builds a whole
    dummy signature to measure it (a third of the time signing takes). Offline, with no
    timestamp, the CMS holds the certificates, the signed attributes and one signature:
    under 1 KiB besides the certificates even for RSA-4096, so a quarter more than the
    certificates plus 3 KiB is ample; each byte is written as two hex digits."""
    size = sum(len(c.dump()) for c in [signer.signing_cert, *signer.cert_registry])
    return 2 * (size + size // 4 + 3072)


@functools.lru_cache(maxsize=4)
def _signer(identity: Identity) -> Any:
    """Opening a PKCS#12 runs its password KDF; one practitioner signs many documents."""
    defer_network_clients()
    from pyhanko.sign import signers

    try:
        signer = signers.SimpleSigner.load_pkcs12_data(
            identity.pkcs12, [], passphrase=identity.password
        )
    except (ValueError, TypeError):
        signer = None
    if signer is None:
        raise IdentityProblem("The certificate file did not open with that password.")
    return signer


def clear_signer_cache() -> None:
    """Drop every opened signing key from memory (the app calls this when it locks)."""
    _signer.cache_clear()
    _open.cache_clear()


@dataclass(frozen=True)
class Verdict:
    intact: bool
    valid: bool
    trusted: bool
    summary: str


def verify(pdf: bytes, certificate_pem: bytes, password: str | None = None) -> Verdict:
    """Validate the (first) signature against the practitioner's certificate as trust root."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    defer_network_clients()
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    _type, _headers, der = pem.unarmor(certificate_pem)
    root = asn1_x509.Certificate.load(der)
    reader = PdfFileReader(io.BytesIO(pdf))
    if password is not None:
        reader.decrypt(password)
    if not reader.embedded_signatures:
        return Verdict(False, False, False, "no signature")
    context = ValidationContext(trust_roots=[root])
    status = validate_pdf_signature(reader.embedded_signatures[0], context)
    return Verdict(bool(status.intact), bool(status.valid), bool(status.trusted), status.summary())
