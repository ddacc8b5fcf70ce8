"""Builders for fictional case files, so rule tests read like the toolkit tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from app.forms import Item, Registry, Toolkit
from app.rules import assess, parse_case
from app.rules.results import AssessmentResult

ASSESSED = dt.date(2026, 6, 1)
CSE17, CRE20, PORTS, BEDS = (
    "derby-cse-2017",
    "derby-cre-2020",
    "portsmouth-cse-2016",
    "bedfordshire-cse",
)


def run(registry: Registry, data: dict[str, Any]) -> AssessmentResult:
    parsed = parse_case(data, registry)
    return assess(parsed, registry.get(parsed.toolkit))


def dob_for_age(age: int, on: dt.date = ASSESSED) -> str:
    """The latest date of birth giving exactly `age` whole years on `on`."""
    return on.replace(year=on.year - age).isoformat()


def items(tk: Toolkit, band: str | None) -> list[Item]:
    return [i for i in tk.section1_items if i.band == band and not i.other]


def mark(tk: Toolkit, rating: str = "M") -> dict[str, Any]:
    if tk.marking == "risk_evidenced":
        return {"risk": True, "evidenced": False, "note": ""}
    if tk.marking == "cce_cse_level":
        return {"cce": True, "cse": False, "level": rating, "note": ""}
    return {"ticked": True, "comment": ""}


def case(
    registry: Registry,
    toolkit: str,
    *,
    age: int = 14,
    identified: dict[str, dict[str, Any]] | None = None,
    final: str | None = None,
    override: str | None = None,
    flags: Mapping[str, bool] | None = None,
    **more_flags: bool,
) -> dict[str, Any]:
    registry.get(toolkit)
    child: dict[str, Any] = {
        "name": "Test Child Alpha",
        "date_of_birth": dob_for_age(age),
        "send": False,
        "looked_after": False,
        "care_leaver": False,
        "mental_health": False,
    }
    child.update(flags or {})
    child.update(more_flags)
    return {
        "format": 1,
        "toolkit": toolkit,
        "assessment_date": ASSESSED.isoformat(),
        "child": child,
        "section1": identified or {},
        "section2": {},
        "analysis": {},
        "final_level": final,
        "override_reason": override,
        "practitioner": {"name": "Test Practitioner", "agency": "Test Agency"},
    }


def tick(tk: Toolkit, band: str | None, n: int = 1, rating: str = "M") -> dict[str, Any]:
    chosen = items(tk, band)[:n]
    assert len(chosen) == n, f"{tk.id} has fewer than {n} {band} items"
    return {i.id: mark(tk, rating) for i in chosen}
