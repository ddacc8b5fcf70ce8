"""Real PDFs: rendered, signed, encrypted, read back and validated."""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
from pathlib import Path
from typing import Any, cast

import pytest
from pypdf import PdfReader

from app.documents.export import ExportResult, export_case
from app.documents.letter import LetterRefused, authority_choices, letter_pdf
from app.documents.signing import Identity, generate_identity, verify
from app.fileio import atomic_write_bytes
from app.forms import Registry
from app.rules import assess, missing_required, parse_case
from tests.rules.cases import case, tick

NAMES = "Zoë Łukasz Siobhán Ní Bhriain Ŵyn Þórunn"
PASSWORD = "fictional pdf password"


def full_case(registry: Registry, toolkit: str, age: int = 14) -> dict[str, Any]:
    tk = registry.get(toolkit)
    band = None if toolkit == "derby-cre-2020" else "high"
    data = case(
        registry, toolkit, age=age, identified={**tick(tk, band, 2, rating="H")}, final="high"
    )
    data["child"]["name"] = f"Test {NAMES}"
    data["practitioner"] = {
        "name": "Test Practitioner Ŵyn",
        "post": "Social Worker",
        "agency": "Test Agency",
        "address": "1 Fictional Street\nTestville TE1 1ST",
        "phone": "01632 960001",  # Ofcom's range for drama: never a real number
        "email": "test.practitioner@example.org",
    }
    for problem in missing_required(tk, data):  # complete: the required answers filled
        f = next(f for f in tk.analysis_fields if f"analysis.{f.id}" == problem.field)
        data["analysis"][f.id] = "2026-06-01" if f.type == "date" else "Test Practitioner Ŵyn"
    form = tk.data["information_forms"][0]
    first_field = form["sections"][-1]["fields"][0]["id"]
    data["information_reports"] = [
        {"form": form["id"], "answers": {first_field: "Fictional detail"}}
    ]
    data["letter"] = {
        "date": "2026-06-02", "la_parental_responsibility": False, "care_order": False,
        "parent_consent": True, "child_consent": True, "legal_advice": True,
        "head_of_service_agreement": True, "perpetrator_name": "Fictional Person One",
        "perpetrator_address": "1 Fictional Road", "police_reference": "FICT/1",
        "pronouns": "she",
    }  # fmt: skip
    choices = authority_choices(tk)
    if choices and not tk.data["disruption_letter"].get("local_authorities"):
        data["letter"]["sending_authority"] = choices[0]
    if toolkit == "portsmouth-cse-2016":
        data["letter"]["police_phone"] = "01632 960002"
    if tk.data["disruption_letter"].get("local_authorities"):
        data["letter"]["local_authority"] = "luton"
    return data


def written(result: ExportResult, kind: str) -> Path:
    """The one file of this kind the export wrote (names carry the reference)."""
    (path,) = [p for p in result.written if p.name.startswith(kind)]
    return path


def text_of(pdf: bytes, password: str | None = None) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    if password:
        reader.decrypt(password)
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.mark.parametrize(
    "toolkit", ["derby-cse-2017", "derby-cre-2020", "portsmouth-cse-2016", "bedfordshire-cse"]
)
def test_three_documents_read_back_with_every_ticked_indicator(
    registry: Registry, identity: Identity, tmp_path: Path, toolkit: str
) -> None:
    data = full_case(registry, toolkit)
    result = export_case(data, registry, tmp_path, identity)
    names = sorted(p.name.split("-")[0] for p in result.written)
    assert names == ["assessment", "authorisation", "information", "letter"]
    tk = registry.get(toolkit)
    parsed = parse_case(data, registry)
    verdict = assess(parsed, tk)
    assessment = text_of(written(result, "assessment").read_bytes())
    for item_id in data["section1"]:
        assert " ".join(tk.item(item_id).text.split()) in assessment
    assert NAMES in assessment
    assert tk.level_label("high") in assessment
    assert " ".join(verdict.reasons[0].text.split()) in assessment
    assert (
        "OFFICIAL-SENSITIVE" in assessment
        and "Page 1 of" in assessment
        and result.reference in assessment
    )
    report = text_of(written(result, "information").read_bytes())
    assert "Fictional detail" in report
    assert " ".join(tk.data["information_forms"][0]["title"].split()) in report
    assert " ".join(tk.data["information_forms"][0]["notices"][0].split()) in report
    letter = text_of(written(result, "letter").read_bytes())
    assert "Fictional Person One" in letter and NAMES in letter and "Yours sincerely" in letter
    assert "Test Practitioner Ŵyn" in letter
    assert "2011" not in letter  # nothing else about the child: no date of birth
    if toolkit == "bedfordshire-cse":
        assert "Luton" in letter


def test_signatures_validate_and_any_flipped_byte_breaks_them(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    result = export_case(full_case(registry, "derby-cre-2020"), registry, tmp_path, identity)
    pdf = written(result, "assessment").read_bytes()
    pem = identity.certificate_pem()
    good = verify(pdf, pem)
    assert (good.intact, good.valid, good.trusted) == (True, True, True)
    stranger = generate_identity("Someone Else", "Elsewhere")
    assert verify(pdf, stranger.certificate_pem()).trusted is False
    reader = PdfReader(io.BytesIO(pdf))
    byte_range = cast(Any, reader.trailer)["/Root"]["/AcroForm"]["/Fields"][0].get_object()["/V"][
        "/ByteRange"
    ]
    a, b, c, d = (int(x) for x in byte_range)
    positions = [a + (b - a) * k // 13 for k in range(1, 13)] + [
        c + d * k // 14 for k in range(1, 14)
    ]
    for position in positions:
        damaged = bytearray(pdf)
        damaged[position] ^= 0x01
        try:
            outcome = verify(bytes(damaged), pem)
        except Exception:
            continue  # a file too damaged to parse is a failed validation too
        assert not (outcome.intact and outcome.valid), f"flip at {position} went unnoticed"


def test_encrypted_pdfs_are_aes256_r6_and_still_validate(
    registry: Registry, identity: Identity, tmp_path: Path
) -> None:
    result = export_case(
        full_case(registry, "portsmouth-cse-2016"),
        registry,
        tmp_path,
        identity,
        passwords={"social_care": PASSWORD},
    )
    pdf = written(result, "assessment").read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.is_encrypted
    encrypt = cast(Any, reader.trailer["/Encrypt"]).get_object()
    assert (encrypt["/V"], encrypt["/R"]) == (5, 6)
    assert encrypt["/CF"]["/StdCF"]["/CFM"] == "/AESV3"
    verdict = verify(pdf, identity.certificate_pem(), password=PASSWORD)
    assert verdict.intact and verdict.valid and verdict.trusted
    assert NAMES in text_of(pdf, PASSWORD)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda d: d["child"].update(date_of_birth="2010-01-01"), "letter.under_16"),
        (lambda d: d["letter"].update(care_order=True), "letter.not_care_order"),
        (lambda d: d["letter"].update(child_consent=False), "letter.child_consent_or_reason"),
        (lambda d: d["letter"].update(parent_consent=False), "letter.parent_consent"),
    ],
)
def test_letter_refused_with_the_unmet_condition(
    registry: Registry, identity: Identity, tmp_path: Path, change: Any, code: str
) -> None:
    data = full_case(registry, "derby-cse-2017")
    change(data)
    parsed = parse_case(data, registry)
    verdict = assess(parsed, registry.get("derby-cse-2017"))
    assert verdict.letter is not None and not verdict.letter.eligible
    assert code in [r.code for r in verdict.letter.unmet]
    with pytest.raises(LetterRefused):
        letter_pdf(registry.get("derby-cse-2017"), parsed, verdict, dt.datetime.now(), {})
    result = export_case(data, registry, tmp_path, identity)
    assert not list(tmp_path.glob("letter*"))
    assert result.letter_refused
    data["letter"]["child_consent"] = False
    data["letter"]["no_child_consent_reason"] = "Fictional risk balance recorded by the team"
    if code == "letter.child_consent_or_reason":
        assert assess(parse_case(data, registry), registry.get("derby-cse-2017")).letter.eligible  # type: ignore[union-attr]


def test_a_full_disk_leaves_the_earlier_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "assessment.pdf"
    atomic_write_bytes(target, b"%PDF-earlier version")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space left"):
        atomic_write_bytes(target, b"%PDF-new version that does not fit")
    assert target.read_bytes() == b"%PDF-earlier version"
    assert [p.name for p in tmp_path.iterdir()] == ["assessment.pdf"]
