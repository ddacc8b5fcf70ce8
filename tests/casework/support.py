"""Fictional cases that the rules accept as complete, for lifecycle tests."""

from __future__ import annotations

from typing import Any

from app.forms import Registry, Toolkit
from tests.rules.cases import case, tick


def sign_off(tk: Toolkit, when: str = "2026-06-01") -> dict[str, Any]:
    """The required Section 3 answers (who completed it, when)."""
    answers: dict[str, Any] = {}
    for f in tk.analysis_fields:
        if f.required and f.type != "computed":
            answers[f.id] = when if f.type == "date" else "Test Practitioner, Test Agency"
    return answers


def complete_case(
    registry: Registry, toolkit: str, *, final: str = "medium", age: int = 14
) -> dict[str, Any]:
    """One indicator at Medium (Low and "M" rating where the toolkit rates), final as given."""
    tk = registry.get(toolkit)
    band = None if tk.marking == "cce_cse_level" else "medium"
    data = case(registry, toolkit, age=age, identified=tick(tk, band, 1, rating="M"), final=final)
    data["analysis"] = {**data["analysis"], **sign_off(tk, data["assessment_date"])}
    data["practitioner"] = {"name": "Test Practitioner", "post": "Social Worker"}
    return data
