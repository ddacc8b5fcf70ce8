"""The one definition of "complete": what must hold before an assessment is completed.

Saving never checks any of this; completing, signing and exporting as final do. The
wizard, the import and the command line all ask `check_completion`, so the same answers
always give the same verdict, level and review date whichever way they arrive.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.forms import Field, Registry, Toolkit
from app.rules.casefile import Case, CaseFileError, parse_case
from app.rules.engine import assess
from app.rules.results import AssessmentResult, Problem


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def missing_required(tk: Toolkit, answers: Mapping[str, Any]) -> list[Problem]:
    problems: list[Problem] = []

    def need(path: str, f: Field, value: Any) -> None:
        if f.required and f.type != "computed" and _empty(value):
            label = f.label.rstrip(":").strip()
            problems.append(Problem(path, f"{label} is required", "required"))

    child = answers.get("child") or {}
    for f in tk.child_fields:
        need(f"child.{f.id}", f, child.get(f.id))
    analysis = answers.get("analysis") or {}
    for f in tk.analysis_fields:
        need(f"analysis.{f.id}", f, analysis.get(f.id))
    if _empty(answers.get("assessment_date")):
        problems.append(Problem("assessment_date", "The assessment date is required", "required"))
    if answers.get("final_level") is None:
        problems.append(Problem("final_level", "Choose the final level", "required"))
    return problems


@dataclass(frozen=True)
class Completion:
    """The verdict on completing: the problems, and when the answers parse, the result."""

    problems: tuple[Problem, ...]
    case: Case | None
    result: AssessmentResult | None

    @property
    def ok(self) -> bool:
        return not self.problems and self.result is not None

    @property
    def level(self) -> str | None:
        """The level a completed assessment records: the practitioner's final level."""
        if self.result is None or self.result.final_level is None:
            return None
        return self.result.final_level.value

    @property
    def review_due(self) -> str | None:
        if self.result is None or self.result.review_due is None:
            return None
        return self.result.review_due.isoformat()


def check_completion(tk: Toolkit, answers: Mapping[str, Any]) -> Completion:
    """Required answers, a case that parses, the engine's errors (floor, unrated
    indicators, override reason) and the judgement reason: everything that gates completing."""
    problems = missing_required(tk, answers)
    seen = {p.field for p in problems}
    try:
        case = parse_case(dict(answers), Registry([tk]))
    except CaseFileError as exc:
        if exc.field not in seen:
            problems.append(Problem(exc.field, exc.message, "invalid"))
        return Completion(tuple(problems), None, None)
    result = assess(case, tk)
    problems += [e for e in result.errors if e.field not in seen]
    reason = case.extras.get("judgement_reason")
    if result.judgement_differs and not (reason or "").strip():
        problems.append(
            Problem(
                "judgement_reason",
                "Record why your final level differs from the suggestion",
                "required",
            )
        )
    return Completion(tuple(problems), case, result)


def completion_problems(tk: Toolkit, answers: Mapping[str, Any]) -> list[Problem]:
    return list(check_completion(tk, answers).problems)
