"""Clearly fictional demonstration cases, for a newcomer to see a populated app.

Every name begins with "Demo" so no one mistakes a demo case for a real child.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.forms import Registry, Toolkit

DEMO_PASSPHRASE = "demo vault - fictional cases only"
DEMO_SETTING = "demo"  # a vault of fictional cases: every window title says DEMO

# (toolkit, fictional name, age, flags, bands or ratings to tick, final level)
PLAN: list[tuple[str, str, int, dict[str, bool], list[str], str | None]] = [
    ("derby-cse-2017", "Demo Child Ava Example", 14, {}, ["low"], "low"),
    ("derby-cse-2017", "Demo Young Person Zoë Sample", 12, {}, ["low"], "medium"),
    ("derby-cse-2017", "Demo Child Łukasz Test", 15, {}, ["low", "medium", "high"], "high"),
    ("derby-cre-2020", "Demo Child Siobhán Ní Bhriain", 15, {}, ["L", "M"], "medium"),
    ("derby-cre-2020", "Demo Child Ŵyn Example", 16, {"send": True}, ["H"], "high"),
    ("derby-cre-2020", "Demo Child Theo Draft", 13, {}, ["L"], None),
    ("portsmouth-cse-2016", "Demo Child Þórunn Sample", 14, {}, ["low"] * 5, "medium"),
    (
        "portsmouth-cse-2016",
        "Demo Child Omar Example",
        16,
        {"care_leaver": True},
        ["high"],
        "exploited",
    ),
    ("bedfordshire-cse", "Demo Child Priya Test", 15, {"looked_after": True}, ["low"], "medium"),
    ("bedfordshire-cse", "Demo Child Jamie Example", 11, {}, ["medium"], "high"),
    ("bedfordshire-cse", "Demo Child Sam None", 14, {}, [], "none"),
]


def _marks(tk: Toolkit, picks: list[str]) -> dict[str, dict[str, Any]]:
    marks: dict[str, dict[str, Any]] = {}
    for pick in picks:
        if tk.marking == "cce_cse_level":
            free = [i for i in tk.section1_items if i.id not in marks and not i.other]
            marks[free[0].id] = {"cce": True, "cse": pick != "L", "level": pick, "note": ""}
            continue
        free = [i for i in tk.section1_items if i.band == pick and i.id not in marks]
        key = "risk" if tk.marking == "risk_evidenced" else "ticked"
        extra = {"evidenced": True, "note": ""} if key == "risk" else {"comment": ""}
        marks[free[0].id] = {key: True, **extra}
    return marks


def _required_answers(tk: Toolkit, assessed: dt.date) -> dict[str, Any]:
    """The sign-off fields every completed demo assessment needs (names, dates)."""
    answers: dict[str, Any] = {}
    for f in tk.analysis_fields:
        if not f.required or f.type == "computed":
            continue
        if f.type == "date":
            answers[f.id] = assessed.isoformat()
        elif f.type in ("choice", "yes_no"):
            answers[f.id] = f.options[0][0] if f.options else "yes"
        elif f.type == "bool":
            answers[f.id] = True
        else:
            answers[f.id] = "Demo Practitioner, Social Worker, Demo Agency"
    return answers


def demo_cases(registry: Registry, today: dt.date) -> list[dict[str, Any]]:
    cases = []
    for n, (tid, name, age, flags, picks, final) in enumerate(PLAN):
        tk = registry.get(tid)
        assessed = today - dt.timedelta(days=7 * n)
        dob = assessed.replace(year=assessed.year - age) - dt.timedelta(days=30)
        child: dict[str, Any] = {
            "name": name,
            "date_of_birth": dob.isoformat(),
            "send": False,
            "looked_after": False,
            "care_leaver": False,
            "mental_health": False,
            "gender": "female" if n % 2 else "male",
            "source_of_request": "education",
        }
        child.update(flags)
        case: dict[str, Any] = {
            "format": 1,
            "toolkit": tid,
            "assessment_date": assessed.isoformat(),
            "child": child,
            "section1": _marks(tk, picks),
            "section2": {},
            "analysis": _required_answers(tk, assessed),
            "final_level": final,
            "override_reason": None,
            "judgement_reason": "Demo: the practitioner's professional judgement (fictional).",
            "practitioner": {
                "name": "Demo Practitioner",
                "post": "Social Worker",
                "agency": "Demo Agency",
            },
        }
        cases.append(case)
    return cases
