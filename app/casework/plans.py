"""A case's plans (the disruption plan chosen from the toolkit's strategies, and the
support plan's rows): one document per case, read and saved for the Plans window and
carried by the exports."""

from __future__ import annotations

import copy
from typing import Any

from app.storage import Repository

PLANS = "plans"
EMPTY: dict[str, Any] = {"disruption_plan": {}, "support_plan": {"rows": []}}


def stored_plans(repo: Repository, case_id: int) -> list[tuple[int, dict[str, Any]]]:
    """The case's plans document as (id, plans), [] until one is saved (at most one)."""
    return [(doc_id, data) for doc_id, _kind, data in repo.documents(case_id, PLANS)]


def case_plans(repo: Repository, case_id: int) -> dict[str, Any]:
    """The case's plans as last saved; empty plans (not None) while none are written."""
    stored = stored_plans(repo, case_id)
    return stored[0][1] if stored else copy.deepcopy(EMPTY)


def save_plans(repo: Repository, case_id: int, plans: dict[str, Any]) -> int:
    """Create or replace the case's plans; each changed value is an audit entry."""
    return repo.save_document(case_id, PLANS, plans)
