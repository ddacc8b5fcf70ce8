"""Reading cases and their assessments, for the windows and the command line alike.

The windows list, open and title cases through these functions, never through the
repository, so what a window shows is read the one way the command line reads it, and a
missing record is the repository's named `RecordNotFoundError`, never a `None`.
"""

from __future__ import annotations

from typing import Any

from app.storage import AssessmentRecord, CaseSummary, Repository
from app.storage.status import Status


def find_cases(
    repo: Repository,
    search: str = "",
    *,
    level: str | None = None,
    toolkit: str | None = None,
    status: str | None = None,
    review_before: str | None = None,
    limit: int | None = None,
) -> list[CaseSummary]:
    """Cases by name (accents and case ignored), filtered; `review_before` (ISO date)
    lists the open cases with a review due by then, soonest first. Discarded cases never."""
    return repo.list_cases(
        search,
        level=level,
        toolkit=toolkit,
        status=status,
        review_before=review_before,
        limit=limit,
    )


def prepare_search(repo: Repository) -> int:
    """Bring every case's search key up to today's rule (vaults made before search ignored
    accents); derived data, so not audited. Returns how many keys changed."""
    return repo.refresh_name_keys()


def case_summary(repo: Repository, case_id: int) -> CaseSummary:
    return repo.get_case(case_id)


def child_name(repo: Repository, case_id: int) -> str:
    """The child's name as recorded, "" while none is typed (the caller words the gap)."""
    return repo.get_case(case_id).child_name or ""


def case_assessments(repo: Repository, case_id: int) -> list[AssessmentRecord]:
    """Every assessment and review of the case, oldest first (drafts and discarded too)."""
    return repo.assessments(case_id)


def assessment(repo: Repository, assessment_id: int) -> AssessmentRecord:
    return repo.get_assessment(assessment_id)


def is_draft(repo: Repository, assessment_id: int) -> bool:
    """Still being written: it opens in the wizard, not read-only."""
    return repo.get_assessment(assessment_id).status == Status.DRAFT


def open_draft(repo: Repository, case_id: int) -> AssessmentRecord | None:
    """The case's draft in progress, if it has one (there is at most one)."""
    return repo.open_draft(case_id)


def previous_answers(repo: Repository, record: AssessmentRecord) -> dict[str, Any] | None:
    """The answers of the assessment this one was copied from (a review or new version),
    None for a first assessment."""
    if record.previous_id is None:
        return None
    return repo.get_assessment(record.previous_id).answers
