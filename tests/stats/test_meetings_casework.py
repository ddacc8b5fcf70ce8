"""Meetings and case facts through app.casework: checked, audited, in case files, reviews due."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from app.casework.meetings import (
    MeetingInvalid,
    case_facts,
    list_meetings,
    models_from_assessment,
    record_meeting,
    remove_meeting,
    save_case_facts,
)
from app.forms import Registry
from app.rules import CaseFileError
from app.storage import Repository, Vault
from app.storage.casefiles import export_cases, import_cases
from tests.casework.support import sign_off
from tests.rules.cases import case, tick
from tests.stats.fictional import meeting

TODAY = dt.date(2026, 6, 20)


def _repo(registry: Registry, path: Path) -> tuple[Repository, int]:
    tk = registry.get("derby-cse-2017")
    data = case(registry, tk.id, identified=tick(tk, "medium"), final="medium")
    data["analysis"] = sign_off(tk, data["assessment_date"])
    data["analysis"]["models_of_cse"] = ["peer_on_peer", "party_scene_youth_culture"]
    repo = Repository(Vault.create(path, "fictional meetings passphrase"))
    return repo, import_cases(repo, registry, data)[0]


def test_a_meeting_is_checked_recorded_audited_and_sets_reviews_due(
    registry: Registry, tmp_path: Path
) -> None:
    repo, case_id = _repo(registry, tmp_path / "v.cre")
    with pytest.raises(MeetingInvalid) as bad:
        record_meeting(
            repo,
            case_id,
            {"type": None, "date": "2026-07-01", "next_meeting": "2026-06-30"},
            today=TODAY,
        )
    labels = [label for label, _ in bad.value.problems]
    assert labels == ["Type of meeting", "Date of meeting", "Date of next meeting"]
    assert "in the future" in str(bad.value)
    assert list_meetings(repo, case_id) == []  # nothing half-written
    first = record_meeting(
        repo, case_id, meeting("initial", "2026-06-10", "medium", True, False, True, "2026-07-22"),
        today=TODAY,
    )  # fmt: skip
    assert repo.get_case(case_id).review_due == "2026-07-22"
    assert [c.id for c in repo.list_cases(review_before="2026-07-31")] == [case_id]
    record_meeting(
        repo, case_id,
        meeting("initial", "2026-06-10", "high", True, True, True, "2026-07-08"),
        meeting_id=first, today=TODAY,
    )  # fmt: skip
    assert repo.get_case(case_id).review_due == "2026-07-08"
    assert list_meetings(repo, case_id)[0].data["parents_attended"] is True
    remove_meeting(repo, first)
    assert list_meetings(repo, case_id) == []
    assert repo.get_case(case_id).review_due != "2026-07-08"  # back to the assessment's
    actions = repo.vault.pragma(
        "SELECT action, entity FROM audit WHERE entity IN ('meeting', 'case facts')"
    )
    assert ("created", "meeting") in actions and ("deleted", "meeting") in actions
    assert ("edited", "meeting") in actions
    save_case_facts(repo, case_id, {"key_worker": "mat", "priority_areas": ["gangs"]})
    assert case_facts(repo, case_id)["key_worker"] == "mat"
    with pytest.raises(MeetingInvalid, match="Key worker"):
        save_case_facts(repo, case_id, {"key_worker": "nobody"})
    assert repo.verify_audit() is None
    assert models_from_assessment(repo, case_id) == ("peer_on_peer", "party_model")
    repo.vault.close()


def test_case_files_carry_meetings_and_facts_and_older_files_still_import(
    registry: Registry, tmp_path: Path
) -> None:
    repo, case_id = _repo(registry, tmp_path / "v.cre")  # an older file: no meetings key
    record_meeting(
        repo, case_id, meeting("professionals", "2026-05-01", "low", False, True, False),
        today=TODAY,
    )  # fmt: skip
    save_case_facts(repo, case_id, {"key_worker": "social_care", "from_another_la": True})
    export_cases(repo, tmp_path / "case.json", case_id)
    repo.vault.close()
    data = json.loads((tmp_path / "case.json").read_text("utf-8"))
    assert data["format"] == 1 and data["meetings"][0]["type"] == "professionals"
    assert data["case_facts"]["from_another_la"] is True
    schema = json.loads((Path(__file__).parents[2] / "docs" / "casefile.schema.json").read_text())
    jsonschema.validate(data, schema)  # the published format knows the new keys
    other = Repository(Vault.create(tmp_path / "w.cre", "fictional meetings passphrase"))
    new_id = import_cases(other, registry, data)[0]
    assert [m.data for m in list_meetings(other, new_id)] == data["meetings"]
    assert case_facts(other, new_id)["key_worker"] == "social_care"
    assert "meetings" not in other.assessments(new_id)[-1].answers  # kept per case
    data["meetings"][0]["date"] = "2026-02-31"
    with pytest.raises(CaseFileError, match=r"meetings\[0\]\.date"):
        import_cases(other, registry, data)
    data["meetings"][0]["date"] = "2026-02-03"
    data["meetings"][0]["type"] = "coffee"
    with pytest.raises(CaseFileError, match=r"meetings\[0\]\.type"):
        import_cases(other, registry, data)
    assert len(other.list_cases()) == 1  # nothing written on either error
    other.vault.close()
