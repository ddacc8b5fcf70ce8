"""The letter reaches someone outside the partnership: it must reveal nothing about the
assessment, in print, in its metadata, its signature or its file name."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, cast

import pytest
from cryptography import x509
from pypdf import PdfReader

from app.documents.export import export_case
from app.documents.signing import Identity
from app.forms import Registry
from tests.documents.test_documents import full_case, text_of, written

TOOLKITS = ["derby-cse-2017", "derby-cre-2020", "portsmouth-cse-2016", "bedfordshire-cse"]


def everything_a_recipient_sees(path: Path, pem: bytes) -> str:
    """Printed text, document information, signature dictionary, certificate names, name."""
    pdf = path.read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    parts = [path.name, text_of(pdf)]
    parts += [f"{k} {v}" for k, v in (reader.metadata or {}).items()]
    for field in cast(Any, reader.trailer)["/Root"]["/AcroForm"]["/Fields"]:
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


@pytest.mark.parametrize("toolkit", TOOLKITS)
def test_the_letter_is_a_letter_with_every_placeholder_filled(
    registry: Registry, identity: Identity, tmp_path: Path, toolkit: str
) -> None:
    data = full_case(registry, toolkit)
    data["letter"]["pronouns"] = "they"
    result = export_case(data, registry, tmp_path, identity)
    letter = text_of(written(result, "letter").read_bytes())
    for part in ("Test Agency", "1 Fictional Street", "Telephone: 01632 960001", "2 June 2026"):
        assert part in letter  # letterhead and the date written the UK way
    assert "Fictional Person One 1 Fictional Road" in letter  # the recipient block
    assert "Social Worker" in letter and "Test Practitioner Ŵyn" in letter  # the sign-off
    for left_open in ("s/he", "S/he", "him/her", "His/her", "xxxx", "{", "}", " /"):
        assert left_open not in letter, left_open
    assert "If they turn up" in letter and "if they refuse" in letter and "Their parent" in letter
    assert "supported by  " not in letter
    if toolkit == "portsmouth-cse-2016":
        assert "call the Police on 01632 960002" in letter
    if toolkit.startswith("derby"):
        assert "Derbyshire Childrens Services" not in letter  # the other authority chosen


@pytest.mark.parametrize(
    ("toolkit", "change", "named"),
    [
        ("portsmouth-cse-2016", lambda d: d["letter"].pop("police_phone"), "Police telephone"),
        ("derby-cse-2017", lambda d: d["letter"].pop("sending_authority"), "Sending authority"),
        ("bedfordshire-cse", lambda d: d["letter"].pop("local_authority"), "Sending authority"),
        ("derby-cre-2020", lambda d: d["letter"].pop("pronouns"), "he, she or they"),
        ("derby-cre-2020", lambda d: d["practitioner"].pop("address"), "Organisation address"),
        ("derby-cre-2020", lambda d: d["letter"].pop("perpetrator_address"), "Recipient's address"),
    ],
)
def test_a_letter_with_an_empty_field_is_refused_naming_it(
    registry: Registry, identity: Identity, tmp_path: Path, toolkit: str, change: Any, named: str
) -> None:
    data = full_case(registry, toolkit)
    change(data)
    result = export_case(data, registry, tmp_path, identity)
    assert not [p for p in result.written if p.name.startswith("letter")]
    assert any(named in reason for reason in result.letter_refused), result.letter_refused


def test_he_and_she_read_naturally(registry: Registry, identity: Identity, tmp_path: Path) -> None:
    for pronouns, expected in (("he", "If he turns up"), ("she", "if she refuses")):
        data = full_case(registry, "bedfordshire-cse")
        data["letter"]["pronouns"] = pronouns
        result = export_case(data, registry, tmp_path / pronouns, identity)
        letter = text_of(written(result, "letter").read_bytes())
        assert expected in letter and "Luton Children Social Care" in letter
