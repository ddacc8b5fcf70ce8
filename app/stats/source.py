"""Reading `CaseFacts` out of a vault: only categories, dates and levels leave it.

Only completed (or signed) assessments and recorded meetings count; drafts do not. A
completed assessment's level counts only when its answers still pass the toolkit's
rules (the floor, required reasons): otherwise the case is "not yet assessed/unknown"
on that date, never counted below its floor.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select

from app.forms import Registry, UnknownToolkitError, load_registry
from app.rules import check_completion
from app.rules.facts import conditions_in_answers
from app.rules.meetings import case_models
from app.stats.pseudonyms import pseudonym
from app.stats.report import AssessmentFact, CaseFacts, MeetingFact, Progress
from app.storage.meetings import RuleCheckRow, all_case_facts, all_meetings
from app.storage.models import AssessmentRow, CaseRow
from app.storage.repository import COMPLETED, SIGNED, Repository


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def passing_level(answers: dict[str, Any], stored: str | None, registry: Registry) -> str | None:
    """The stored level if the completed answers still pass `check_completion` (the one
    definition of complete: required answers, floor, reasons), else None."""
    try:
        tk = registry.get(str(answers.get("toolkit")))
    except UnknownToolkitError:
        return None
    completion = check_completion(tk, answers)
    if not completion.ok:
        return None
    return stored or completion.level


def _rules_hash(registry: Registry, toolkit_id: str) -> str:
    """The definition the check was made against: a changed toolkit is checked again."""
    try:
        return registry.get(toolkit_id).content_hash
    except UnknownToolkitError:
        return "unknown"


def _conditions(registry: Registry, answers: dict[str, Any]) -> frozenset[str]:
    """What the rules read as SEND or looked after (flags or the toolkit's own fields), so
    "Disability" and "Children in care" count the children the floors and steps treat so."""
    try:
        tk = registry.get(str(answers.get("toolkit")))
    except UnknownToolkitError:
        child = answers.get("child") or {}
        flags = ("send", "looked_after", "care_leaver", "mental_health")
        return frozenset(f for f in flags if isinstance(child, dict) and child.get(f) is True)
    return conditions_in_answers(tk, answers)


def facts_from_vault(
    repo: Repository,
    registry: Registry | None = None,
    *,
    secret: str | None = None,
    progress: Progress | None = None,
) -> list[CaseFacts]:
    """One CaseFacts per case that has a completed assessment or a recorded meeting; with
    a partnership `secret`, each carries its child's keyed pseudonym (app.stats.pseudonyms).

    The vault is read in short sessions and the rules are checked between them, outside
    the vault's lock: checking thousands of assessments the first time takes seconds, and
    other threads (autosave, the window that asked) must not wait for it. `progress(done,
    cases)` is called per case and may raise `Cancelled`; then nothing is written.
    """
    registry = registry or load_registry()
    meetings = all_meetings(repo)
    facts_by_case = all_case_facts(repo)
    with repo.vault.session() as s:  # expire_on_commit is off: the rows stay readable
        cases = {c.id: c for c in s.scalars(select(CaseRow))}
        checks = {r.assessment_id: r for r in s.scalars(select(RuleCheckRow))}
        by_case: dict[int, list[AssessmentRow]] = {}
        for row in s.scalars(select(AssessmentRow).order_by(AssessmentRow.id)):
            by_case.setdefault(row.case_id, []).append(row)
    out: list[CaseFacts] = []
    checked: list[RuleCheckRow] = []
    for done, (case_id, case) in enumerate(cases.items()):
        if progress is not None:
            progress(done, len(cases))
        assessed = []
        answers: dict[str, Any] = {}
        for row in by_case.get(case_id, []):
            data = json.loads(row.answers)
            if not isinstance(data, dict):
                continue
            when = _date(data.get("assessment_date"))
            if row.status not in (COMPLETED, SIGNED) or when is None:
                answers = answers or data  # a draft's child details, until one completes
                continue
            rules = _rules_hash(registry, row.toolkit_id)
            check = checks.get(row.id)
            if check is None or check.definition_hash != rules:
                passes = passing_level(data, row.level, registry) is not None
                checked.append(
                    RuleCheckRow(assessment_id=row.id, definition_hash=rules, passes=passes)
                )
            else:
                passes = bool(check.passes)
            level = (row.level or data.get("final_level")) if passes else None
            assessed.append(AssessmentFact(when, level, row.toolkit_id))
            answers = data
        held = tuple(
            MeetingFact(
                day,
                m["type"],
                m["level"],
                m["young_person_attended"],
                m["parents_attended"],
                m["views_conveyed"],
            )
            for m in meetings.get(case_id, [])
            if (day := _date(m["date"])) is not None
        )
        if not assessed and not held:
            continue  # drafts only: not yet a case the partnership counts
        child = answers.get("child", {}) or {}
        recorded = json.loads(case.models_of_abuse or "[]")
        models = case_models(case.toolkit, answers.get("analysis") or {}, recorded)
        held_conditions = _conditions(registry, answers)
        extra = facts_by_case.get(case_id, {})
        out.append(
            CaseFacts(
                assessments=tuple(assessed),
                gender=child.get("gender"),
                ethnicity=child.get("ethnicity"),
                sexual_identity=child.get("sexual_identity"),
                source_of_request=child.get("source_of_request"),
                send="send" in held_conditions,
                looked_after="looked_after" in held_conditions,
                models_of_abuse=tuple(models),
                closed=_date(case.closed_on) if case.closed_on else None,
                closure_reason=case.closure_reason,
                meetings=held,
                in_care_due_to_exploitation=bool(extra.get("in_care_due_to_exploitation")),
                from_another_la=bool(extra.get("from_another_la")),
                key_worker=extra.get("key_worker"),
                priority_areas=tuple(extra.get("priority_areas") or ()),
                pseudonym=(
                    pseudonym(secret, case.child_name, case.date_of_birth) if secret else None
                ),
            )
        )
    if progress is not None:
        progress(len(cases), len(cases))
    if checked:  # remembered, so the next count checks only what is new or changed
        with repo.vault.session() as s:
            for check in checked:
                s.merge(check)
    return out
