"""The letter reaches someone outside the partnership: it must reveal nothing about the
assessment, in print, in its metadata, its signature or its file name."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from cryptography import x509
from pypdf import PdfReader

from app.documents.export import export_case
from app.documents.signing import Identity
from app.forms import Registry
from tests.documents.test_documents import full_case, text_of

TOOLKITS = ["derby-cse-2017", "derby-cre-2020", "portsmouth-cse-2016", "bedfordshire-cse"]


def everything_a_recipient_sees(path: Path, pem: bytes) -> str:
    """Printed text, document information, signature dictionary, certificate names, name."""
    pdf = path.read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    parts = [path.name, text_of(pdf)]
    parts += [f"{k} {v}" for k, v in (reader.metadata or {}).items()]
    for field in reader.trailer["/Root"]["/AcroForm"]["/Fields"]:
        sig = field.get_object()["/V"]
        parts += [str(sig.get(k, "")) for k in ("/Name", "/Reason", "/Location", "/ContactInfo")]
    cert = x509.load_pem_x509_certificate(pem)
    parts += [cert.subject.rfc4514_string(), cert.issuer.rfc4514_string()]
    return "\n".join(parts)


@pytest.mark.parametrize("toolkit", TOOLKITS)
def test_the_letter_names_no_toolkit_marking_reference_or_perpetrator(
    registry: Registry, identity: Identity, tmp_path: Path, toolkit: str
) -> None:
    tk = registry.get(toolkit)
    result = export_case(full_case(registry, toolkit), registry, tmp_path, identity)
    letters = [p for p in result.written if p.name.startswith("letter")]
    assert len(letters) == 1
    seen = everything_a_recipient_sees(letters[0], identity.certificate_pem())
    assert "Fictional Person One" in seen  # the letter is really there
    for word in (tk.title, tk.version, "Toolkit", "OFFICIAL", "SENSITIVE", result.reference):
        assert word not in seen, word
    for word in ("CSE", "CRE", "Exploitation"):
        assert word not in seen, word
    for word in ("perpetrator", "risk assessment", "exploitation"):
        assert word not in seen.lower(), word
    assessment = next(p for p in result.written if p.name.startswith("assessment"))
    internal = text_of(assessment.read_bytes())
    assert "OFFICIAL-SENSITIVE" in internal and result.reference in internal
