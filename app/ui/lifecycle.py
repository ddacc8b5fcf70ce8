"""The UI's only door to the assessment lifecycle (start, complete, review, discard).

Windows call these functions and never write statuses, levels or audit rows themselves;
each is a thin call into `app.casework`, the one Qt-free lifecycle shared with the CLI.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.casework import (
    DraftExistsError,
    NotCompleteError,
    discard_draft,
)
from app.casework import (
    complete as _complete,
)
from app.casework import (
    start_case as _start_case,
)
from app.casework import (
    start_review as _start_review,
)
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
    return _start_case(repo, registry, toolkit_id, today=today)


def complete(
    repo: Repository,
    registry: Registry,
    assessment_id: int,
    answers: dict[str, Any],
    page: int | None = None,
) -> AssessmentRecord:
    """Save and complete; NotCompleteError (nothing completed) says what is missing."""
    return _complete(repo, registry, assessment_id, answers, page)


def start_review(
    repo: Repository, registry: Registry, case_id: int, *, today: dt.date | None = None
) -> AssessmentRecord:
    """A review dated today; DraftExistsError when the case already has a draft open."""
    return _start_review(repo, registry, case_id, today=today)


def discard(repo: Repository, assessment_id: int) -> AssessmentRecord:
    """Discard an abandoned draft (audited); an empty case leaves the list and statistics."""
    return discard_draft(repo, assessment_id)


def open_draft(repo: Repository, case_id: int) -> AssessmentRecord | None:
    """The case's open draft, if it has one (a case has at most one)."""
    return repo.open_draft(case_id)
