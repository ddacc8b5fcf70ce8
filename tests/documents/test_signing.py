"""One signing identity, checked before anything is signed; the stamp says what a
validator will say and prints the fingerprint a recipient can compare."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from app.documents import signing
from app.documents.export import export_case
from app.documents.signing import (
    Identity,
    IdentityProblem,
    check_identity,
    clear_signer_cache,
    generate_identity,
    verify,
)
from app.forms import Registry
from tests.documents.test_documents import full_case, text_of, written


def organisation_identity(
    *, non_repudiation: bool = True, days: int = 365, start_days_ago: int = 1
) -> Identity:
    """A certificate issued by a fictional organisation CA, as a council would provide."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Council Signing CA")])
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Signer")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=start_days_ago))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=non_repudiation,
                key_encipherment=False, data_encipherment=False, key_agreement=False,
                key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    password = b"fictional p12 password"
    data = pkcs12.serialize_key_and_certificates(
        b"Test Signer", key, cert, None, serialization.BestAvailableEncryption(password)
    )
    return Identity(data, password)


def test_the_same_identity_signs_two_exports_with_one_certificate(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    data = full_case(registry, "derby-cse-2017")
    first = export_case(data, registry, tmp_path / "one", identity)
    second = export_case(data, registry, tmp_path / "two", identity)
    assert first.fingerprint == second.fingerprint == check_identity(identity).fingerprint
    assert first.reference != second.reference
    assert not {p.name for p in first.written} & {p.name for p in second.written}
    pem = identity.certificate_pem()
    for result in (first, second):
        for path in result.written:
            verdict = verify(path.read_bytes(), pem)
            assert verdict.intact and verdict.valid and verdict.trusted
            text = text_of(path.read_bytes())
            assert first.fingerprint in text  # printed under the stamp
            assert "Digitally signed by Test Practitioner Ŵyn" in text
            assert "self-signed" in text


def test_an_organisation_certificate_stamp_names_its_issuer(
    registry: Registry, tmp_path: Path
) -> None:
    identity = organisation_identity()
    result = export_case(full_case(registry, "derby-cre-2020"), registry, tmp_path, identity)
    text = text_of(written(result, "assessment").read_bytes())
    assert "(certificate issued by Test Council Signing CA)" in text


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: organisation_identity(non_repudiation=False), "non-repudiation"),
        (lambda: organisation_identity(days=-1, start_days_ago=30), "expired"),
        (lambda: organisation_identity(start_days_ago=-5), "not valid until"),
        (
            lambda: Identity(organisation_identity().pkcs12, b"the wrong password"),
            "did not open with that password",
        ),
    ],
)
def test_an_unusable_certificate_is_refused_before_anything_is_signed(
    registry: Registry, tmp_path: Path, make: object, words: str
) -> None:
    identity = make()  # type: ignore[operator]
    with pytest.raises(IdentityProblem, match=words):
        export_case(full_case(registry, "derby-cse-2017"), registry, tmp_path, identity)
    assert not list(tmp_path.glob("*.pdf"))


def test_a_name_over_64_characters_and_a_long_post_wrap_without_a_crash(
    registry: Registry, tmp_path: Path
) -> None:
    name = "Test Practitioner " + "Ŵynne-Łukasz " * 8
    identity = generate_identity(name, "Test Agency " * 10)
    data = full_case(registry, "portsmouth-cse-2016")
    data["practitioner"]["name"] = name.strip()
    data["practitioner"]["post"] = "Senior Practitioner, " * 8
    result = export_case(data, registry, tmp_path, identity)
    text = text_of(written(result, "assessment").read_bytes())
    assert f"Signed by: {name.strip()}" in text
    assert verify(written(result, "assessment").read_bytes(), identity.certificate_pem()).valid


def test_clear_signer_cache_drops_opened_keys(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    export_case(full_case(registry, "bedfordshire-cse"), registry, tmp_path, identity)
    assert signing._signer.cache_info().currsize >= 1
    clear_signer_cache()
    assert signing._signer.cache_info().currsize == 0
    assert signing._open.cache_info().currsize == 0


@pytest.mark.parametrize("letter", ["D", "0", "1", "C"])
def test_a_fingerprint_is_never_broken_across_lines(letter: str) -> None:
    """Whether the hex wraps must not depend on which letters a key happens to have."""
    from reportlab.lib.units import mm

    from app.documents.content import fingerprint_line

    fingerprint = ":".join([letter * 2] * 32)
    para = fingerprint_line({"fingerprint": fingerprint}, 120 * mm)
    para.wrap(120 * mm, 1000)
    assert len(para.blPara.lines) == 1
    assert para.style.fontSize >= 5


@pytest.mark.long
def test_a_rsa_4096_certificate_with_its_chain_has_room_for_its_signature(
    registry: Registry, tmp_path: Path
) -> None:
    """The room for the signature is reserved from the certificates' sizes (not measured
    with a dummy signature): the largest usual case, RSA-4096 under a two-level chain of
    RSA-4096 CAs carried in the PKCS#12, still fits and validates."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    now = dt.datetime.now(dt.UTC)
    usage = x509.KeyUsage(
        digital_signature=True, content_commitment=True, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
        encipher_only=False, decipher_only=False,
    )  # fmt: skip

    def issue(subject: str, key: Any, issuer: str, issuer_key: Any) -> x509.Certificate:
        names = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test Council of Fictionshire"),
                 x509.NameAttribute(NameOID.COMMON_NAME, subject)]  # fmt: skip
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name(names))
            .issuer_name(x509.Name([*names[:1], x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365))
        )
        if subject == "Test Signer RSA":
            builder = builder.add_extension(usage, critical=True)
        else:
            builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None),
                                            critical=True)  # fmt: skip
        return builder.sign(issuer_key, hashes.SHA256())

    keys = [rsa.generate_private_key(public_exponent=65537, key_size=4096) for _ in range(3)]
    root = issue("Test Root CA", keys[0], "Test Root CA", keys[0])
    middle = issue("Test Issuing CA", keys[1], "Test Root CA", keys[0])
    leaf = issue("Test Signer RSA", keys[2], "Test Issuing CA", keys[1])
    password = b"fictional p12 password"
    identity = Identity(
        pkcs12.serialize_key_and_certificates(
            b"Test Signer RSA", keys[2], leaf, [middle, root],
            serialization.BestAvailableEncryption(password),
        ),
        password,
    )  # fmt: skip
    result = export_case(full_case(registry, "derby-cre-2020"), registry, tmp_path, identity)
    root_pem = root.public_bytes(serialization.Encoding.PEM)
    for path in result.written:
        verdict = verify(path.read_bytes(), root_pem)
        assert verdict.intact and verdict.valid and verdict.trusted, verdict.summary


def test_too_little_room_for_a_signature_falls_back_to_measuring_it(
    registry: Registry, identity: Identity, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The room reserved from the certificates' sizes is an estimate: if a certificate
    ever needs more, the document is signed with pyHanko's own measurement instead."""
    monkeypatch.setattr(signing, "_room_for_signature", lambda _signer: 64)
    result = export_case(full_case(registry, "derby-cse-2017"), registry, tmp_path, identity)
    pem = identity.certificate_pem()
    for path in result.written:
        verdict = verify(path.read_bytes(), pem)
        assert verdict.intact and verdict.valid and verdict.trusted


def test_a_name_too_long_for_a_certificate_is_cut_with_an_ellipsis() -> None:
    from app.documents.signing import check_identity, generate_identity

    name = "Fictional " + "Verylongname " * 8 + "Practitioner"
    signer = check_identity(generate_identity(name, "Fictional Council")).signer
    assert signer.endswith("…") and len(signer.encode("utf-8")) <= 64
    assert name.startswith(signer[:-1])
