"""What must be filled in before an assessment can be completed (never before saving).

Returns problems tied to field paths so the wizard can list them and jump to each one.
"""

from __future__ import annotations

from typing import Any

from app.forms import Field, Toolkit
from app.rules.results import Problem


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def missing_required(tk: Toolkit, answers: dict[str, Any]) -> list[Problem]:
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
