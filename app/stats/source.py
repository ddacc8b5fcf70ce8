"""Reading `CaseFacts` out of a vault: only categories, dates and levels leave it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select

from app.stats.report import AssessmentFact, CaseFacts
from app.storage.models import AssessmentRow, CaseRow
from app.storage.repository import Repository


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def facts_from_vault(repo: Repository) -> list[CaseFacts]:
    """One CaseFacts per case; drafts count as assessments on their assessment date."""
    out: list[CaseFacts] = []
    with repo.vault.session() as s:
        cases = {c.id: c for c in s.scalars(select(CaseRow))}
        by_case: dict[int, list[AssessmentRow]] = {}
        for row in s.scalars(select(AssessmentRow).order_by(AssessmentRow.id)):
            by_case.setdefault(row.case_id, []).append(row)
        for case_id, case in cases.items():
            rows = by_case.get(case_id, [])
            facts = []
            child: dict[str, Any] = {}
            for row in rows:
                answers = json.loads(row.answers)
                when = _date(answers.get("assessment_date")) if isinstance(answers, dict) else None
                if when is None:
                    continue
                facts.append(AssessmentFact(when, row.level, row.toolkit_id))
                child = answers.get("child", {}) or {}
            out.append(
                CaseFacts(
                    assessments=tuple(facts),
                    gender=child.get("gender"),
                    ethnicity=child.get("ethnicity"),
                    sexual_identity=child.get("sexual_identity"),
                    source_of_request=child.get("source_of_request"),
                    send=bool(child.get("send")),
                    looked_after=bool(child.get("looked_after")),
                    models_of_abuse=tuple(json.loads(case.models_of_abuse or "[]")),
                    closed=_date(case.closed_on) if case.closed_on else None,
                    closure_reason=case.closure_reason,
                )
            )
    return out
