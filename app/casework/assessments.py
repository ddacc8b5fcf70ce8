"""An assessment's lifecycle: start, save, complete, review, discard.

"Complete" is decided by `app.rules.check_completion` alone, and the level and review
date a completed assessment records come from its result, so the wizard, an import and
the command line always agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from app.casework.settings import profile as saved_profile
from app.forms import Registry
from app.rules import Problem, check_completion, new_case
from app.storage import AssessmentRecord, Repository
from app.storage.autosave import AutosaveWriter
from app.storage.status import Status

# Child details that record the case's own history: a review answers them from the case
# (there is an earlier assessment), never by copying last time's "No".
HISTORY_FIELDS = ("previous_assessment",)
PROFILE_TO_PRACTITIONER = ("name", "post", "agency", "team", "email", "phone", "address")


class NotCompleteError(ValueError):
    """Completing was refused; nothing was written. `problems` says what is missing."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


class DraftExistsError(ValueError):
    """A case has at most one draft at a time; `assessment_id` is the open one."""

    def __init__(self, assessment_id: int) -> None:
        self.assessment_id = assessment_id
        super().__init__("This case already has an assessment in progress: continue that one.")


class HandedOverError(ValueError):
    """The case was handed to a colleague: it is kept here read-only."""

    def __init__(self) -> None:
        super().__init__("This case was handed over to a colleague; it is kept here read-only.")


def handed_over(repo: Repository, case_id: int) -> bool:
    return any(d.get("direction") == "sent" for _i, _k, d in repo.documents(case_id, "handover"))


def practitioner_from_profile(repo: Repository) -> dict[str, str]:
    profile = saved_profile(repo)
    return {k: str(profile[k]) for k in PROFILE_TO_PRACTITIONER if profile.get(k)}


def start_case(
    repo: Repository,
    registry: Registry,
    toolkit_id: str,
    answers: dict[str, Any] | None = None,
    *,
    today: dt.date | None = None,
) -> AssessmentRecord:
    """A new case and its first draft, dated today, with the practitioner from the profile."""
    tk = registry.get(toolkit_id)
    data = answers if answers is not None else new_case(tk, today or dt.date.today())
    if not data.get("practitioner"):
        data = {**data, "practitioner": practitioner_from_profile(repo)}
    return repo.create_case(tk, data)


def save_draft(
    repo: Repository, assessment_id: int, answers: dict[str, Any], page: int | None = None
) -> AssessmentRecord:
    """Always saves, however incomplete: validation gates completing, never saving."""
    return repo.save_draft(assessment_id, answers, page)


def draft_autosave(
    repo: Repository,
    *,
    on_saved: Callable[[int], None] | None = None,
    on_error: Callable[[int, Exception], None] | None = None,
) -> AutosaveWriter:
    """The wizard's background writer: typing is saved off the UI thread, each draft
    through `save_draft` above, within a second of the last keystroke."""
    return AutosaveWriter(
        repo,
        on_saved=on_saved,
        on_error=on_error,
        save=lambda assessment_id, answers, page: save_draft(repo, assessment_id, answers, page),
    )


def complete(
    repo: Repository,
    registry: Registry,
    assessment_id: int,
    answers: dict[str, Any] | None = None,
    page: int | None = None,
) -> AssessmentRecord:
    """Complete a draft, saving `answers` first if given; raises NotCompleteError with
    every problem (and leaves the draft saved) when the rules say it is not complete."""
    if answers is not None:
        record = repo.save_draft(assessment_id, answers, page)
    else:
        record = repo.get_assessment(assessment_id)
    tk = registry.get(record.toolkit_id)
    verdict = check_completion(tk, record.answers)
    if not verdict.ok:
        raise NotCompleteError(list(verdict.problems))
    return repo.complete(assessment_id, verdict.level, verdict.review_due)


def start_review(
    repo: Repository, registry: Registry, case_id: int, *, today: dt.date | None = None
) -> AssessmentRecord:
    """A review: a new draft dated today, carrying the last assessment's answers forward
    as a starting point (the final level and its reasons are left for the practitioner).
    Refused while the case has a draft open."""
    if handed_over(repo, case_id):
        raise HandedOverError()
    draft = repo.open_draft(case_id)
    if draft is not None:
        raise DraftExistsError(draft.id)
    record = repo.start_review(case_id)
    answers = dict(record.answers)
    answers["assessment_date"] = (today or dt.date.today()).isoformat()
    tk = registry.get(repo.get_case(case_id).toolkit)
    for field_id in HISTORY_FIELDS:  # a review by definition follows an earlier assessment
        if any(f.id == field_id and f.type == "yes_no" for f in tk.child_fields):
            answers["child"] = {**(answers.get("child") or {}), field_id: "yes"}
    if not answers.get("practitioner"):
        answers["practitioner"] = practitioner_from_profile(repo)
    return repo.save_draft(record.id, answers, 0)


def discard_draft(repo: Repository, assessment_id: int) -> AssessmentRecord:
    """Discard an abandoned draft (audited). A case with nothing else leaves the list."""
    return repo.discard(assessment_id)


def latest_final(repo: Repository, case_id: int) -> AssessmentRecord | None:
    return repo.latest_final(case_id)


def discard_if_untouched(repo: Repository, assessment_id: int) -> bool:
    """A new case cancelled before the child's name was typed leaves no '(no name yet)'
    case behind; a named draft, or anything past draft, is kept. True when discarded."""
    record = repo.get_assessment(assessment_id)
    if record.status != Status.DRAFT or (record.answers.get("child") or {}).get("name"):
        return False
    discard_draft(repo, assessment_id)
    return True
