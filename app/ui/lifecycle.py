"""The UI's only door to the assessment lifecycle (start, complete, review, discard).

Windows call these functions and never write statuses, levels or audit rows themselves;
each is a thin call into `app.casework`, the one Qt-free lifecycle shared with the CLI.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from app import casework
from app.casework import DraftExistsError, NotCompleteError
from app.forms import Registry
from app.storage import AssessmentRecord, Repository

__all__ = [
    "DraftExistsError",
    "NotCompleteError",
    "complete",
    "discard",
    "open_draft",
    "start_case",
    "start_review",
]


def start_case(
    repo: Repository, registry: Registry, toolkit_id: str, *, today: dt.date | None = None
) -> AssessmentRecord:
    """A new case with its first draft, practitioner fields pre-filled from the profile."""
    return _prefill(repo, registry, casework.start_case(repo, registry, toolkit_id, today=today))


def complete(
    repo: Repository,
    registry: Registry,
    assessment_id: int,
    answers: dict[str, Any],
    page: int | None = None,
) -> AssessmentRecord:
    """Save and complete; NotCompleteError (nothing completed) says what is missing."""
    return casework.complete(repo, registry, assessment_id, answers, page)


def start_review(
    repo: Repository, registry: Registry, case_id: int, *, today: dt.date | None = None
) -> AssessmentRecord:
    """A review dated today; DraftExistsError when the case already has a draft open."""
    return _prefill(repo, registry, casework.start_review(repo, registry, case_id, today=today))


# The toolkits' own "completed by" fields, filled from the profile when empty (the
# practitioner can change them); dates completed start as the assessment date.
BY_PROFILE = {
    "practitioner_name": ("name",),
    "person_completing": ("name",),
    "completed_by": ("name", "post", "agency"),
    "professional_name_service": ("name", "agency"),
    "agency": ("agency",),
    "agency_contact": ("agency", "email", "phone"),
}
DATES = ("date_completed", "practitioner_date", "step4_date", "date_of_assessment")


def _prefill(repo: Repository, registry: Registry, record: AssessmentRecord) -> AssessmentRecord:
    tk = registry.get(record.toolkit_id)
    ids = {f.id for f in tk.analysis_fields}
    profile = repo.get_setting("profile", {}) or {}
    answers = dict(record.answers)
    analysis = dict(answers.get("analysis") or {})
    for field_id, keys in BY_PROFILE.items():
        words = ", ".join(str(profile[k]) for k in keys if profile.get(k))
        if field_id in ids and words and not analysis.get(field_id):
            analysis[field_id] = words
    for field_id in DATES:
        if field_id in ids and not analysis.get(field_id) and answers.get("assessment_date"):
            analysis[field_id] = answers["assessment_date"]
    if analysis == (answers.get("analysis") or {}):
        return record
    answers["analysis"] = analysis
    return casework.save_draft(repo, record.id, answers, record.page)


def discard(repo: Repository, assessment_id: int) -> AssessmentRecord:
    """Discard an abandoned draft (audited); an empty case leaves the list and statistics."""
    return casework.discard_draft(repo, assessment_id)


def open_draft(repo: Repository, case_id: int) -> AssessmentRecord | None:
    """The case's open draft, if it has one (a case has at most one)."""
    return repo.open_draft(case_id)
