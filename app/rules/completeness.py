"""The one definition of "complete": what must hold before an assessment is completed.

Saving never checks any of this; completing, signing and exporting as final do. The
wizard, the import and the command line all ask `check_completion` (or its list form
`completion_problems`), so the same answers always give the same verdict, level and review
date whichever way they arrive. Each problem names the field in the words the user sees.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.forms import Field, Registry, Toolkit
from app.rules.casefile import Case, CaseFileError, parse_case
from app.rules.engine import assess
from app.rules.levels import Level
from app.rules.results import AssessmentResult, Problem

TOP_LABELS = {
    "assessment_date": "Assessment date",
    "final_level": "Final level",
    "override_reason": "Protective factors that justify a level below the minimum",
    "judgement_reason": "Why your final level differs from the suggestion",
    "review_date": "Review date",
}


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _clean(label: str) -> str:
    return label.rstrip(":").strip()


def field_label(tk: Toolkit, path: str) -> str:
    """The visible label for a dotted field path (`child.name`, `section1.x.note`)."""
    head, _, rest = path.partition(".")
    key = rest.split(".")[0].split("[")[0]
    if head == "child":
        return next((_clean(f.label) for f in tk.child_fields if f.id == key), key)
    if head == "analysis":
        return next((_clean(f.label) for f in tk.analysis_fields if f.id == key), key)
    if head in ("section1", "section2") and key:
        try:
            return f'"{tk.item(key).text}"'
        except KeyError:
            return key
    return TOP_LABELS.get(head, head)


def missing_required(tk: Toolkit, answers: Mapping[str, Any]) -> list[Problem]:
    problems: list[Problem] = []

    def need(path: str, f: Field, value: Any) -> None:
        if f.required and f.type != "computed" and _empty(value):
            problems.append(Problem(path, f"{_clean(f.label)} is required", "required"))

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


def _labelled(tk: Toolkit, problem: Problem) -> Problem:
    label = field_label(tk, problem.field)
    if problem.message.startswith(label) or label.strip('"') in problem.message:
        return problem
    return Problem(problem.field, f"{label}: {problem.message}", problem.code)


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


def check_completion(tk: Toolkit, case_or_answers: Case | Mapping[str, Any]) -> Completion:
    """Required answers, a case that parses, the engine's errors (toolkit levels, floor,
    unrated or unexplained indicators, override reason) and the judgement reason."""
    answers = case_or_answers.to_dict() if isinstance(case_or_answers, Case) else case_or_answers
    problems = missing_required(tk, answers)
    seen = {p.field for p in problems}
    try:
        case = parse_case(dict(answers), Registry([tk]))
    except CaseFileError as exc:
        if exc.field not in seen:
            problems.append(_labelled(tk, Problem(exc.field, exc.message, "invalid")))
        return Completion(tuple(problems), None, None)
    result = assess(case, tk)
    problems += [_labelled(tk, e) for e in result.errors if e.field not in seen]
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


def completion_problems(tk: Toolkit, case_or_answers: Case | Mapping[str, Any]) -> list[Problem]:
    """Everything that stops an assessment being completed; empty means it may complete."""
    return list(check_completion(tk, case_or_answers).problems)


def recordable_level(result: AssessmentResult) -> Level | None:
    """The level statistics and the case list may count: a final level that passes the rules.

    Call it only for completed (or signed) assessments; a draft has no recordable level.
    """
    if result.final_level is None or result.errors:
        return None
    return result.final_level
