"""PAdES B-B signatures with pyHanko, a practitioner certificate, and AES-256 encryption.

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


@dataclass(frozen=True)
class Identity:
    """A signing key and certificate as PKCS#12 bytes, with the password that opens them."""

    pkcs12: bytes
    password: bytes

    def certificate_pem(self) -> bytes:
        _key, cert, _extra = pkcs12.load_key_and_certificates(self.pkcs12, self.password)
        assert cert is not None
        return cert.public_bytes(serialization.Encoding.PEM)


def generate_identity(name: str, organisation: str, days: int = 730) -> Identity:
    """A personal key and self-signed certificate (digital signature + non-repudiation).

    ECDSA P-256: as strong as RSA-3072 for signatures, and its key loads in well under a
    millisecond where RSA's validation on every signature cost ~30 ms.
    """
    key = ec.generate_private_key(ec.SECP256R1())
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, name)]
    if organisation:  # nothing invented: a letter's signature names no product
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
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


def sign(
    pdf: bytes,
    identity: Identity,
    *,
    signer_name: str,
    signer_post: str,
    slot: dict[str, Any],
    password: str | None = None,
) -> bytes:
    """Add a visible signature box where the document reserved it, and sign the whole file."""
    from pyhanko import stamp
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = _signer(identity)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    if password is not None:
        writer.encrypt(password)
    page = int(slot.get("page", 1)) - 1
    x1, y1, x2, y2 = (int(v) for v in slot.get("box", (50, 60, 320, 150)))
    box = (x1, y1, x2, y2)
    fields.append_signature_field(
        writer, fields.SigFieldSpec(sig_field_name="Signature", on_page=page, box=box)
    )
    # The typed name is printed above the box in the document's own Unicode font; the
    # stamp keeps to ASCII because pyHanko's built-in font cannot draw every name.
    text = "Digitally signed (PAdES B-B)\nTime: %(ts)s (laptop clock)"
    style_args: dict[str, Any] = {"stamp_text": text, "border_width": 1}
    meta = signers.PdfSignatureMetadata(
        field_name="Signature",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        name=signer_name,
        reason="Completed by the practitioner named in this document",
    )
    pdf_signer = signers.PdfSigner(
        meta, signer=signer, stamp_style=stamp.TextStampStyle(**style_args)
    )
    out = io.BytesIO()
    pdf_signer.sign_pdf(writer, output=out)
    return out.getvalue()


@functools.lru_cache(maxsize=4)
def _signer(identity: Identity) -> Any:
    """Opening a PKCS#12 runs its password KDF; one practitioner signs many documents."""
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12_data(
        identity.pkcs12, [], passphrase=identity.password
    )
    if signer is None:
        raise ValueError("the PKCS#12 file does not open with that password")
    return signer


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
