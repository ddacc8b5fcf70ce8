"""The letter reaches someone outside the partnership: it must reveal nothing about the
assessment, in print, in its metadata, its signature or its file name."""

from __future__ import annotations

import datetime as dt
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
    result = export_case(data, registry, tmp_path, identity, now=dt.datetime(2026, 6, 2, 10))
    letter = text_of(written(result, "letter").read_bytes())
    for part in ("Test Agency", "1 Fictional Street", "Telephone: 01632 960001", "2 June 2026"):
        assert part in letter  # letterhead and the date written the UK way
    assert "Signed 2 June 2026" in letter and not result.warnings  # signed on its date
    assert "Dear Fictional Person One," in letter and "To Whom" not in letter
    assert "they and their family" in letter
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
    for pronouns, family in (("he", "he and his family"), ("she", "she and her family")):
        data = full_case(registry, "derby-cre-2020")
        data["letter"]["pronouns"] = pronouns
        result = export_case(data, registry, tmp_path / f"agree-{pronouns}", identity)
        letter = text_of(written(result, "letter").read_bytes())
        assert family in letter and "their family" not in letter  # pronouns agree
    for pronouns, expected in (("he", "If he turns up"), ("she", "if she refuses")):
        data = full_case(registry, "bedfordshire-cse")
        data["letter"]["pronouns"] = pronouns
        result = export_case(data, registry, tmp_path / pronouns, identity)
        letter = text_of(written(result, "letter").read_bytes())
        assert expected in letter and "Luton Children Social Care" in letter


def test_a_letter_is_dated_the_day_it_is_signed_and_says_so(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    data = full_case(registry, "derby-cse-2017")  # the draft is dated 2 June 2026
    result = export_case(data, registry, tmp_path, identity, now=dt.datetime(2026, 6, 3, 9))
    letter = text_of(written(result, "letter").read_bytes())
    assert "3 June 2026" in letter and "2 June 2026" not in letter
    assert "Signed 3 June 2026" in letter
    assert any("dated 3 June 2026, the day it is signed" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ("post", "Senior Social Worker (Exploitation)"),
        ("agency", "Fictional Council Child Exploitation Team"),
        ("address", "CSE Hub, 1 Fictional Street"),
    ],
)
def test_a_letter_that_would_say_what_it_is_about_is_flagged_before_it_is_made(
    registry: Registry, identity: Identity, tmp_path: Path, where: str, text: str
) -> None:
    from app.casework.letters import letter_problems

    data = full_case(registry, "derby-cre-2020")
    data["practitioner"][where] = text
    result = export_case(data, registry, tmp_path, identity)
    assert not [p for p in result.written if p.name.startswith("letter")]
    assert any(text in reason for reason in result.letter_refused), result.letter_refused
    found = letter_problems(registry.get("derby-cre-2020"), data, data["letter"])
    assert any(p.code == "discloses" and text in p.message for p in found)
    if where == "post":  # the post shown on letters says nothing about the subject
        profile = {"name": "Test Practitioner Ŵyn", "post_on_letters": "Social Worker"}
        again = export_case(data, registry, tmp_path / "again", identity, profile=profile)
        letter = text_of(written(again, "letter").read_bytes())
        assert "Social Worker" in letter and "Exploitation" not in letter
        assessment = text_of(written(again, "assessment").read_bytes())
        assert text in assessment  # the real post stays on the internal documents


def test_a_letterhead_of_another_authority_is_refused(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    data = full_case(registry, "bedfordshire-cse")  # sent by Luton
    data["practitioner"]["agency"] = "Central Bedfordshire Council"
    result = export_case(data, registry, tmp_path, identity)
    assert any("names Central Bedfordshire" in r for r in result.letter_refused)
    data["practitioner"]["agency"] = "Luton Borough Council"
    result = export_case(data, registry, tmp_path / "luton", identity)
    assert [p for p in result.written if p.name.startswith("letter")]


def test_the_letters_authorisation_record_goes_to_social_care_signed_never_in_the_letter(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    from app.documents.signing import verify

    data = full_case(registry, "derby-cre-2020")
    data["letter"].update(
        child_consent=False,
        no_child_consent_reason="Fictional reason: the risk of contact outweighs it",
        head_of_service_name="Fictional Head Of Service",
        head_of_service_date="2026-06-01",
        legal_advice_by="Fictional Legal Adviser",
        legal_advice_date="2026-05-30",
    )
    care, police = "fictional care password", "fictional police password"
    result = export_case(
        data, registry, tmp_path, identity, now=dt.datetime(2026, 6, 2, 10), eml=True,
        passwords={"social_care": care, "police": police},
    )  # fmt: skip
    record = written(result, "authorisation")
    blob = record.read_bytes()
    assert verify(blob, identity.certificate_pem(), password=care).trusted  # signed, care's
    text = text_of(blob, care)
    for fact in (
        "Fictional Head Of Service", "1 June 2026", "Fictional Legal Adviser", "30 May 2026",
        "Fictional reason: the risk of contact outweighs it", "Head of Service agreement",
        "under 16", "Disruption letter: authorisation record",
    ):  # fmt: skip
        assert fact in text, fact
    letter = text_of(written(result, "letter").read_bytes())
    for fact in ("Fictional Head Of Service", "Fictional Legal Adviser", "Fictional reason"):
        assert fact not in letter  # never in the letter
    import email
    import email.policy

    [care_mail] = tmp_path.glob("email-social-care*.eml")
    message = email.message_from_bytes(care_mail.read_bytes(), policy=email.policy.default)
    assert record.name in [a.get_filename() for a in message.iter_attachments()]


def test_the_preview_before_a_sending_authority_is_chosen_shows_a_readable_blank(
    registry: Registry,
) -> None:
    """Bedfordshire's letter names its sending authority in the body: until one is chosen
    the preview reads "[sending authority]", never the template's {local_authority}."""
    from app.casework.letters import letter_preview

    data = full_case(registry, "bedfordshire-cse")
    tk = registry.get("bedfordshire-cse")
    letter = {k: v for k, v in data["letter"].items() if k != "local_authority"}
    preview = " ".join(letter_preview(tk, data, letter))
    assert "[sending authority]" in preview
    assert "{" not in preview and "}" not in preview
    chosen = " ".join(letter_preview(tk, data, data["letter"]))
    assert "[sending authority]" not in chosen and "{" not in chosen
