"""Subject access: the signed PDF holds every item of a rich case (read back from the
file), the case file is machine-readable, third parties' details are left out and listed,
and a purged case is answered with when it was purged."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.casework import retention
from app.casework.identity import signing_identity
from app.casework.sar import CasePurged, export_sar, gather
from app.documents.signing import verify
from app.forms import Registry
from app.storage import Repository
from tests.casework.retention_support import rich_case

WHEN = dt.datetime(2026, 12, 1, 9, 30)


def _text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in pages))


def test_the_signed_pdf_holds_every_item_of_a_rich_case(
    registry: Registry, repo: Repository, tmp_path: Path
) -> None:
    rich = rich_case(repo, registry, versions=3, meetings=4)
    newest = repo.assessments(rich.case_id)[-1]
    answers = {
        **newest.answers,
        "information_reports": [
            {"form": "operation_liberty", "answers": {"suspect": "CASEFILE-THIRD-PARTY"}}
        ],
    }
    repo.save_draft(newest.id, answers)
    retention.close_case(repo, rich.case_id, "2026-11-20", "moved")
    result = export_sar(repo, registry, rich.case_id, tmp_path / "out", now=WHEN)
    pdf = result.pdf.read_bytes()
    verdict = verify(pdf, signing_identity(repo).certificate_pem())
    assert verdict.intact and verdict.valid and verdict.trusted, verdict.summary
    text = _text(pdf)
    assert f"Subject access: everything held about {rich.name}" in text
    name, note, analysis, plan, third, meeting = rich.sentinels
    for wanted in (name, note, analysis, plan, "Closed on", "Moved".lower()):
        assert wanted.lower() in text.lower(), wanted
    for version in range(1, rich.versions + 1):
        assert f"Assessment version {version}" in text
    assert f"{analysis} version {rich.versions}" in text  # the newest version's own answer
    for n in range(rich.meetings):
        assert f"{meeting} {n}" in text
    assert text.count("Meeting on ") == rich.meetings
    assert "Case facts" in text and "In care due to exploitation" in text
    assert "Entry " in text and "exported case" in text and "CRE-20260301-ABCQ7" in text
    assert "created meeting" in text and "edited case" in text
    assert third not in text  # a third party's name stays out, and the list says why
    assert "What was left out and why" in text and "Information report" in text
    left_out = result.withheld.read_text("utf-8")
    assert "Information report" in left_out and "third part" in left_out
    case_file = json.loads(result.case_file.read_text("utf-8"))
    assert case_file["child"]["name"] == rich.name
    assert len(case_file["meetings"]) == rich.meetings
    assert third not in result.case_file.read_text("utf-8")
    assert "CASEFILE-THIRD-PARTY" not in text + result.case_file.read_text("utf-8")
    assert "Assessment version 3: information_reports" in left_out


def test_every_part_is_counted_in_the_contents(registry: Registry, repo: Repository) -> None:
    rich = rich_case(repo, registry, versions=2, meetings=3)
    sar = gather(repo, registry, rich.case_id, WHEN)
    counts = {name: len(blocks) for name, blocks in sar.sections}
    assert counts["Assessments (every version)"] == 2
    assert counts["Meetings"] == 3 and counts["Plans"] == 1 and counts["Documents"] == 1
    assert counts["Audit entries about the case"] >= 2 + 3 + 2


def test_a_purged_case_says_it_was_purged_and_when(registry: Registry, repo: Repository) -> None:
    rich = rich_case(repo, registry)
    retention.close_case(repo, rich.case_id, "2026-01-05", "moved")
    retention.mark_recorded(repo, rich.case_id)
    retention.purge_case(repo, rich.case_id, today=dt.date(2027, 6, 1))
    with pytest.raises(CasePurged) as caught:
        gather(repo, registry, rich.case_id)
    message = str(caught.value)
    assert "was purged on " + dt.date.today().isoformat() in message
    assert "CRE-20260301-ABCQ7" in message and rich.name not in message
