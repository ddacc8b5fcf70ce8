"""Email drafts: one per recipient group, unsent, addressed where the toolkit names an
address, nothing identifying in the headers, attachments encrypted, the letter alone."""

from __future__ import annotations

import email
import email.policy
import io
from email.message import EmailMessage
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.documents.export import UnencryptedEmail, export_case
from app.documents.signing import Identity
from app.forms import Registry
from tests.documents.test_documents import full_case

PASSWORDS = {"police": "fictional police password", "social_care": "fictional care password"}

TOOLKITS = ["derby-cse-2017", "derby-cre-2020", "portsmouth-cse-2016", "bedfordshire-cse"]


def messages(folder: Path) -> dict[str, EmailMessage]:
    out = {}
    for path in sorted(folder.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        out[path.name] = message
    return out


def attachments(message: EmailMessage) -> list[tuple[str, bytes]]:
    return [
        (str(part.get_filename()), bytes(part.get_content())) for part in message.iter_attachments()
    ]


@pytest.mark.parametrize("toolkit", TOOLKITS)
def test_one_unsent_draft_per_recipient_group(
    registry: Registry, identity: Identity, tmp_path: Path, toolkit: str
) -> None:
    tk = registry.get(toolkit)
    data = full_case(registry, toolkit)
    data["support_plan"] = {"rows": [{"outcome": "Fictional outcome"}]}
    result = export_case(data, registry, tmp_path, identity, passwords=PASSWORDS, eml=True)
    found = messages(tmp_path)
    assert len(found) == 3, sorted(found)
    for name, message in found.items():
        assert message["X-Unsent"] == "1"
        assert message["Date"] and message["Subject"]
        assert message["From"] == "test.practitioner@example.org"
        headers = "\n".join(f"{k}: {v}" for k, v in message.items())
        assert "Zo" not in headers and "Test " not in headers  # no child in any header
        for password in PASSWORDS.values():
            assert password not in message.as_string()
        assert result.reference in name or name.startswith("email-letter-")
        for filename, content in attachments(message):
            assert "Zo" not in filename
            reader = PdfReader(io.BytesIO(content))
            if filename.startswith("letter"):  # on its own and never under another's password
                assert not reader.is_encrypted
            else:
                own = PASSWORDS["police" if filename.startswith("information") else "social_care"]
                others = [p for p in PASSWORDS.values() if p != own]
                assert reader.is_encrypted
                for other in others:  # another group's password opens nothing here
                    assert not PdfReader(io.BytesIO(content)).decrypt(other)
                assert reader.decrypt(own)
            assert "Page 1 of" in " ".join(page.extract_text() or "" for page in reader.pages)
    (police,) = [m for n, m in found.items() if n.startswith("email-police-")]
    form = tk.data["information_forms"][0]
    emails = [r["email"] for r in form["recipients"] if r.get("email")]
    assert police["To"] == (emails[0] if emails else "")
    assert [f for f, _ in attachments(police)] == [
        p.name for p in result.written if p.name.startswith("information")
    ]
    (care,) = [m for n, m in found.items() if n.startswith("email-social-care")]
    assert sorted(f.split("-")[0] for f, _ in attachments(care)) == [
        "assessment",
        "authorisation",
        "plans",
    ]
    (letter,) = [m for n, m in found.items() if n.startswith("email-letter")]
    assert [f.split("-")[0] for f, _ in attachments(letter)] == ["letter"]
    body = letter.get_body(("plain",))
    assert body is not None
    words = f"{letter['Subject']}\n{body.get_content()}"
    for word in ("CSE", "CRE", "OFFICIAL", "xploitation", "erpetrator", result.reference):
        assert word not in words


def test_unencrypted_attachments_only_when_chosen_and_then_with_a_warning(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    data = full_case(registry, "derby-cre-2020")
    with pytest.raises(UnencryptedEmail):
        export_case(data, registry, tmp_path / "a", identity, eml=True)
    assert not (tmp_path / "a").exists() or not list((tmp_path / "a").iterdir())
    result = export_case(data, registry, tmp_path / "b", identity, eml=True, unencrypted_email=True)
    assert any("UNENCRYPTED" in w for w in result.warnings)
    for message in messages(tmp_path / "b").values():
        for _name, content in attachments(message):
            assert not PdfReader(io.BytesIO(content)).is_encrypted


@pytest.mark.parametrize(
    ("toolkit", "area", "expected"),
    [
        ("bedfordshire-cse", "Central Bedfordshire", "SERAC@centralbedfordshire.gcsx.gov.uk"),
        ("bedfordshire-cse", "Luton", "CSEpanel.bedfordshire@luton.gcsx.gov.uk"),
        ("bedfordshire-cse", "Bedford Borough", "CSEpanel.bedfordshire@luton.gcsx.gov.uk"),
        ("derby-cse-2017", "Derbyshire", "countyreferralunit@derbyshire.pnn.police.uk"),
        ("derby-cse-2017", "Derby City", "cityreferralunit@derbyshire.pnn.police.uk"),
        ("derby-cse-2017", "", ""),  # unknown: no guess; every area's address is listed
    ],
)
def test_police_drafts_go_to_the_childs_areas_unit_and_own_addresses_are_used(
    registry: Registry, identity: Identity, tmp_path: Path, toolkit: str, area: str,
    expected: str,
) -> None:  # fmt: skip
    data = full_case(registry, toolkit)
    data["letter"].pop("local_authority", None)
    data["letter"].pop("sending_authority", None)  # the area is the profile's here
    if toolkit == "bedfordshire-cse":
        data["letter"]["local_authority"] = {
            "Central Bedfordshire": "central_bedfordshire", "Luton": "luton",
            "Bedford Borough": "bedford_borough",
        }[area]  # fmt: skip
    profile = {
        "name": "Test Practitioner Ŵyn", "area": area,
        "social_care_email": "front.door@example.org", "mash_email": "mash@example.org",
    }  # fmt: skip
    export_case(data, registry, tmp_path, identity, passwords=PASSWORDS, eml=True,
                profile=profile)  # fmt: skip
    found = messages(tmp_path)
    (police,) = [m for n, m in found.items() if n.startswith("email-police-")]
    assert police["To"] == (expected or "mash@example.org")
    body = police.get_body(("plain",))
    assert body is not None
    if not expected:  # the other areas' addresses are named with their areas
        assert "(Derby City)" in body.get_content() and "(Derbyshire (county))" in (
            body.get_content()
        )
    (care,) = [m for n, m in found.items() if n.startswith("email-social-care")]
    assert care["To"] == "front.door@example.org"


def test_subjects_are_never_folded_and_a_request_is_titled_a_request(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    import email
    import email.policy

    data = full_case(registry, "bedfordshire-cse")
    data["information_reports"] = [{"form": "police_information_request", "answers": {}}]
    export_case(data, registry, tmp_path, identity, passwords=PASSWORDS, eml=True)
    (path,) = tmp_path.glob("email-police-*.eml")
    for policy in (email.policy.compat32, email.policy.default):
        message = email.message_from_bytes(path.read_bytes(), policy=policy)
        subject = str(message["Subject"])
        assert subject.startswith("Confidential:") and "information request" in subject
