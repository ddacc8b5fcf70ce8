"""A case's own details (models of abuse recorded here, closure): read and recorded for the
windows and the command line alike, with the one rule that a closure has a reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.storage import Repository


class ClosureProblem(ValueError):
    """A closure that cannot be recorded as it stands (the message names the field)."""


def case_details(repo: Repository, case_id: int) -> dict[str, Any]:
    return repo.case_details(case_id)


def record_case_details(
    repo: Repository,
    case_id: int,
    *,
    models_of_abuse: list[str],
    closure_reason: str | None,
    closed_on: str | None,
    today: dt.date | None = None,
) -> None:
    """Closing needs a reason; a reason without a date closes the case today; no reason
    means open (any date is dropped)."""
    if closed_on and not closure_reason:
        raise ClosureProblem("Choose the closure reason.")
    if closure_reason and not closed_on:
        closed_on = (today or dt.date.today()).isoformat()
    from app.casework.retention import RetentionError, save_case_details

    try:  # the one closing step, shared with `python -m app vault close`
        save_case_details(
            repo,
            case_id,
            models_of_abuse=models_of_abuse,
            closed_on=closed_on if closure_reason else None,
            closure_reason=closure_reason,
        )
    except RetentionError as exc:
        raise ClosureProblem(str(exc)) from None
