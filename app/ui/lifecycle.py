"""The UI's only door to the assessment lifecycle (start, complete, review, discard).

Windows call these functions and never write statuses, levels or audit rows themselves;
each body is the one place to switch to `app.casework` once it is merged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.forms import Registry
from app.rules import assess, parse_case
from app.rules.casefile import new_case
from app.storage import AssessmentRecord, Repository


def start_case(
    repo: Repository, registry: Registry, toolkit_id: str, *, today: dt.date | None = None
) -> AssessmentRecord:
    """A new case with its first draft, practitioner fields pre-filled from the profile."""
    tk = registry.get(toolkit_id)
    data = new_case(tk, today or dt.date.today())
    profile = repo.get_setting("profile", {}) or {}
    data["practitioner"] = {k: v for k, v in profile.items() if v}
    return repo.create_case(tk, data)


def complete(
    repo: Repository, registry: Registry, assessment_id: int, answers: dict[str, Any]
) -> AssessmentRecord:
    """Store the answers and mark complete with the engine's level and review date."""
    record = repo.save_draft(assessment_id, answers)
    result = assess(parse_case(answers, registry), registry.get(record.toolkit_id))
    level = result.final_level.value if result.final_level else None
    review = result.review_due.isoformat() if result.review_due else None
    return repo.complete(assessment_id, level, review)


def open_draft(repo: Repository, case_id: int) -> AssessmentRecord | None:
    """The case's open draft, if it has one (a case has at most one)."""
    drafts = [a for a in repo.assessments(case_id) if a.status == "draft"]
    return drafts[-1] if drafts else None
