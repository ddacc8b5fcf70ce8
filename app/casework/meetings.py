"""The lifecycle of a case's multi-agency meetings and the facts a partnership counts.

Qt-free; the meeting editor and the command line call these, never storage directly.
Recording checks the meeting first (`MeetingInvalid` names the fields in the editor's
words, and nothing is written); storage audits every change and keeps "reviews due" on
the latest meeting's next meeting date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.rules.meetings import (
    case_models,
    empty_facts,
    empty_meeting,
    fact_problems,
    meeting_problems,
    models_not_asked,
    section3_models,
)
from app.storage import Repository
from app.storage import meetings as store
from app.storage.meetings import MeetingRecord

__all__ = [
    "MeetingInvalid",
    "MeetingRecord",
    "case_facts",
    "list_meetings",
    "models_from_assessment",
    "models_of_abuse",
    "models_recorded_here",
    "record_meeting",
    "remove_meeting",
    "save_case_facts",
]


class MeetingInvalid(ValueError):
    """A meeting or case facts that cannot be recorded; `problems` are (label, message)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{label}: {message}" for label, message in problems))


def list_meetings(repo: Repository, case_id: int) -> list[MeetingRecord]:
    return store.meetings(repo, case_id)


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    out = empty_meeting() | {k: v for k, v in data.items() if k in empty_meeting()}
    out["chair"] = str(out["chair"] or "").strip()
    out["actions"] = str(out["actions"] or "").strip()
    out["next_meeting"] = out["next_meeting"] or None
    return out


def record_meeting(
    repo: Repository,
    case_id: int,
    data: dict[str, Any],
    *,
    meeting_id: int | None = None,
    today: dt.date | None = None,
) -> int:
    """Add a held meeting (or change one, with `meeting_id`); returns its id."""
    meeting = _clean(data)
    problems = meeting_problems(meeting, today or dt.date.today())
    if problems:
        raise MeetingInvalid(problems)
    if meeting_id is None:
        return store.add_meeting(repo, case_id, meeting)
    store.update_meeting(repo, meeting_id, meeting)
    return meeting_id


def remove_meeting(repo: Repository, meeting_id: int) -> None:
    """A meeting recorded by mistake; the audit trail keeps what it said."""
    store.delete_meeting(repo, meeting_id)


def case_facts(repo: Repository, case_id: int) -> dict[str, Any]:
    return store.case_facts(repo, case_id)


def save_case_facts(repo: Repository, case_id: int, data: dict[str, Any]) -> None:
    facts = empty_facts() | {k: v for k, v in data.items() if k in empty_facts()}
    facts["priority_areas"] = list(facts["priority_areas"] or [])
    problems = fact_problems(facts)
    if problems:
        raise MeetingInvalid(problems)
    store.set_case_facts(repo, case_id, facts)


def models_from_assessment(repo: Repository, case_id: int) -> tuple[str, ...] | None:
    """The models of abuse the case's own toolkit asked for in Section 3 (newest
    assessment), or None when its toolkit has no such question: then the case asks."""
    records = repo.assessments(case_id)
    if not records:
        return None
    latest = records[-1]
    return section3_models(latest.toolkit_id, latest.answers.get("analysis") or {})


def models_recorded_here(repo: Repository, case_id: int) -> tuple[str, ...]:
    """The models of abuse Case details records for this case: all of them when its toolkit
    does not ask, else those its Section 3 list cannot express (2017: "Risk taking",
    "Offline/street grooming", "Organised abuse", "Other")."""
    records = repo.assessments(case_id)
    if not records:
        return models_not_asked("")
    return models_not_asked(records[-1].toolkit_id)


def models_of_abuse(repo: Repository, case_id: int) -> tuple[str, ...]:
    """The case's models as the statistics count them: its toolkit's Section 3 answer where
    it asks, plus those recorded in Case details (app.rules.meetings.case_models)."""
    records = repo.assessments(case_id)
    recorded = repo.case_details(case_id)["models_of_abuse"]
    if not records:
        return case_models("", {}, recorded)
    latest = records[-1]
    return case_models(latest.toolkit_id, latest.answers.get("analysis") or {}, recorded)
