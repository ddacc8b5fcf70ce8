"""The rules engine: pure functions from a parsed case and its toolkit to a result.

Each toolkit's parameters (how the level is suggested, floors, scope, review interval)
live in the `rules` block of its definition; this module only knows the kinds of rule.
Every conclusion is returned with the reason that produced it, in the toolkit's terms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.forms import Item, Toolkit
from app.rules.casefile import Case
from app.rules.letter import check_letter
from app.rules.levels import BAND_LEVEL, RATING_LEVEL, Level
from app.rules.results import AssessmentResult, Problem, Reason

CONDITION_TEXT = {
    "under_13": "under 13",
    "send": "has special educational needs and disabilities (SEND)",
    "mental_health": "has a mental-health concern",
    "looked_after": "is looked after",
    "care_leaver": "is a care leaver",
}


def age_on(dob: dt.date, on: dt.date) -> int:
    """Whole years: the birthday counts from the day itself (29 Feb: from 1 March)."""
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def is_identified(tk: Toolkit, marks: Mapping[str, Any]) -> bool:
    if tk.marking == "risk_evidenced":
        return bool(marks.get("risk") or marks.get("evidenced"))
    if tk.marking == "cce_cse_level":
        return bool(marks.get("cce") or marks.get("cse") or marks.get("level"))
    return bool(marks.get("ticked"))


def identified_items(tk: Toolkit, case: Case) -> list[Item]:
    """Identified Section 1 items in the toolkit's order (not the file's)."""
    return [i for i in tk.section1_items if is_identified(tk, case.section1.get(i.id, {}))]


@dataclass(frozen=True)
class Floor:
    minimum: Level
    overridable: bool
    reasons: tuple[Reason, ...]


def _quote_note(tk: Toolkit, note_id: str | None) -> str:
    if not note_id:
        return ""
    for note in tk.data.get("notes", ()):
        if note["id"] == note_id:
            return f' The toolkit says: "{note["text"]}"'
    return ""


def _condition_holds(when: str, case: Case, age: int) -> bool:
    if when == "under_13":
        return age < 13
    return case.flag(when)


def compute_floor(tk: Toolkit, case: Case, age: int, any_identified: bool) -> Floor | None:
    """The lowest level the toolkit allows for this child, when any indicator is identified."""
    if not any_identified:
        return None
    best: Floor | None = None
    reasons: list[Reason] = []
    for rule in tk.rules.get("floors", ()):
        if not _condition_holds(rule["when"], case, age):
            continue
        minimum = Level(rule["minimum"])
        who = (
            f"the child is {age} (under 13)"
            if rule["when"] == "under_13"
            else (f"the child {CONDITION_TEXT[rule['when']]}")
        )
        if minimum == Level.MEDIUM:
            consequence = "the level cannot be Low"
        else:
            consequence = f"the level must be at least {minimum.label}"
        if rule.get("overridable"):
            consequence += " unless a reason citing protective factors is recorded"
        reasons.append(
            Reason(
                f"floor.{rule['when']}",
                f"Floor: {who}, so {consequence}.{_quote_note(tk, rule.get('note'))}",
            )
        )
        overridable = bool(rule.get("overridable"))
        if best is None or minimum > best.minimum:
            best = Floor(minimum, overridable, ())
        elif minimum == best.minimum and not overridable:
            best = Floor(minimum, False, ())
    if best is None:
        return None
    return Floor(best.minimum, best.overridable, tuple(reasons))


def suggest(tk: Toolkit, case: Case, identified: list[Item]) -> tuple[Level, list[Reason]]:
    """The toolkit's own mapping from identified indicators to a level."""
    kind = tk.rules.get("suggestion", "highest_band")
    if not identified:
        return Level.NONE, [Reason("suggest.none", "Suggested None: no indicator is identified.")]
    if kind == "highest_rating":
        rated = [
            (RATING_LEVEL[case.section1[i.id]["level"]], i)
            for i in identified
            if case.section1[i.id].get("level") in RATING_LEVEL
        ]
        if not rated:
            return Level.NONE, [
                Reason(
                    "suggest.unrated",
                    "No suggestion yet: identified indicators need a Low, Medium or High rating.",
                )
            ]
        top = max(level for level, _ in rated)
        named = [i for level, i in rated if level == top]
        return top, [
            Reason(
                "suggest.rating",
                f'Suggested {top.label}: "{i.text}" is rated {top.label}.',
            )
            for i in named
        ]
    banded = [(BAND_LEVEL[i.band], i) for i in identified if i.band]
    top = max(level for level, _ in banded) if banded else Level.NONE
    if kind == "banded_low_count" and top == Level.LOW:
        threshold = int(tk.rules["low_count_for_medium"])
        lows = [i for level, i in banded if level == Level.LOW]
        if len(lows) >= threshold:
            note = _quote_note(tk, tk.rules.get("low_count_note"))
            return Level.MEDIUM, [
                Reason(
                    "suggest.low_count",
                    f"Suggested Medium: {len(lows)} low level behaviours are identified "
                    f"({threshold} or more count as Medium).{note}",
                )
            ]
    if top == Level.NONE:
        return Level.NONE, [Reason("suggest.none", "Suggested None: no indicator is identified.")]
    band = {Level.LOW: "low", Level.MEDIUM: "medium", Level.HIGH: "high"}[top]
    return top, [
        Reason("suggest.band", f'Suggested {top.label}: "{i.text}" is a {band} level indicator.')
        for level, i in banded
        if level == top
    ]


def count(tk: Toolkit, case: Case, identified: list[Item]) -> tuple[dict[str, int], str | None]:
    counts: dict[str, int] = {"identified": len(identified)}
    primary: str | None = None
    if tk.marking == "risk_evidenced":
        counts["risk"] = sum(1 for m in case.section1.values() if m.get("risk"))
        counts["evidenced"] = sum(1 for m in case.section1.values() if m.get("evidenced"))
    if tk.marking == "cce_cse_level":
        marks = [case.section1[i.id] for i in identified]
        counts["cce"] = sum(1 for m in marks if m.get("cce"))
        counts["cse"] = sum(1 for m in marks if m.get("cse"))
        for rating in ("L", "M", "H"):
            counts[f"rated_{rating}"] = sum(1 for m in marks if m.get("level") == rating)
        if counts["cce"] and counts["cse"]:
            primary = "both"
        elif counts["cce"]:
            primary = "cce"
        elif counts["cse"]:
            primary = "cse"
    if tk.has_bands:
        for band in ("low", "medium", "high"):
            counts[band] = sum(1 for i in identified if i.band == band)
    bool_columns = [c["id"] for c in tk.section2_columns if c["type"] == "bool"]
    if bool_columns:
        counts["vulnerability_factors"] = sum(
            1 for a in case.section2.values() if any(a.get(c) for c in bool_columns)
        )
    return counts, primary


def scope(tk: Toolkit, case: Case, age: int) -> tuple[bool, list[Reason], list[Reason]]:
    rules = tk.rules.get("scope", {})
    max_age = int(rules.get("max_age", 17))
    limit, because = max_age, ""
    ext = rules.get("extended")
    if ext and any(case.flag(w) for w in ext["when"]):
        limit = int(ext["max_age"])
        held = [CONDITION_TEXT[w] for w in ext["when"] if case.flag(w)]
        because = f" because the child {' and '.join(held)}"
    reasons, warnings = [], []
    in_scope = age <= limit
    if in_scope:
        reasons.append(
            Reason(
                "scope.in",
                f"In scope: the child is {age}; this toolkit covers ages up to "
                f"and including {limit}{because}.",
            )
        )
    else:
        warnings.append(
            Reason(
                "scope.out",
                f"Out of scope: the child is {age}; this toolkit covers ages up "
                f"to and including {limit}{because}.{_quote_note(tk, rules.get('note'))}",
            )
        )
    minimum = rules.get("full_matrix_min_age")
    if minimum is not None and age < int(minimum):
        warnings.append(
            Reason(
                "scope.young",
                f"The child is {age}: the full matrix is for children of "
                f"{minimum} and over; use professional judgement.",
            )
        )
    return in_scope, reasons, warnings


def review_date(tk: Toolkit, case: Case, level: Level | None) -> tuple[dt.date | None, Reason]:
    review = tk.rules.get("review", {})
    set_by_practitioner = case.extras.get("review_date")
    if set_by_practitioner:
        return dt.date.fromisoformat(set_by_practitioner), Reason(
            "review.set", f"Review on {set_by_practitioner}: the date the practitioner set."
        )
    intervals = review.get("weeks", {})
    weeks = intervals.get(level.value) if level else None
    if level == Level.EXPLOITED and weeks is None:
        weeks = intervals.get(Level.HIGH.value)  # actual abuse is reviewed at least as often
    note = _quote_note(tk, review.get("note"))
    if weeks:
        due = case.assessment_date + dt.timedelta(weeks=int(weeks))
        return due, Reason(
            "review.interval",
            f"Review due {due.isoformat()}: {level.label if level else ''} is reviewed every "
            f"{weeks} weeks.{note}",
        )
    return None, Reason("review.none", f"No fixed review date at this level.{note}")


def _reportable(tk: Toolkit, case: Case) -> bool:
    for field_id in tk.rules.get("information_report", {}).get("when_fields", ()):
        value = case.analysis.get(field_id)
        if isinstance(value, str) and value.strip():
            return True
        if isinstance(value, list) and any(value):
            return True
    return False


def next_steps(tk: Toolkit, case: Case, level: Level | None) -> tuple[str, ...]:
    steps: list[str] = []
    levels = tk.data["levels"]
    if level is not None and level.value in levels:
        steps.extend(levels[level.value]["next_steps"])
    elif level == Level.EXPLOITED and "high" in levels:
        steps.extend(levels["high"]["next_steps"])
    report = tk.rules.get("information_report", {})
    if report and _reportable(tk, case):
        steps.append(report["step"])
    return tuple(steps)


def _final(
    tk: Toolkit,
    case: Case,
    suggested: Level,
    floor: Floor | None,
    problems: list[Problem],
    reasons: list[Reason],
) -> tuple[Level | None, bool]:
    if case.final_level is None:
        return None, False
    final = Level(case.final_level)
    if floor and final < floor.minimum:
        if floor.overridable and (case.override_reason or "").strip():
            reasons.append(
                Reason(
                    "final.override",
                    f"Final {final.label} is below the floor of {floor.minimum.label}; "
                    f'allowed after thorough assessment: "{case.override_reason}"',
                )
            )
        elif floor.overridable:
            problems.append(
                Problem(
                    "override_reason",
                    f"{final.label} is below the floor of {floor.minimum.label}: record the "
                    "protective factors that justify it",
                    "final.override_needed",
                )
            )
        else:
            problems.append(
                Problem(
                    "final_level",
                    f"{final.label} is below the floor of {floor.minimum.label}: "
                    + "; ".join(r.text for r in floor.reasons),
                    "final.below_floor",
                )
            )
    differs = final != suggested
    if differs:
        reasons.append(
            Reason(
                "final.judgement",
                f"Final {final.label} differs from the suggested {suggested.label}: "
                "a professional-judgement decision.",
            )
        )
    return final, differs


def allowed_levels(floor: Floor | None) -> tuple[Level, ...]:
    levels = tuple(Level)
    if floor is None or floor.overridable:
        return levels
    return tuple(lv for lv in levels if lv >= floor.minimum)


def assess(case: Case, tk: Toolkit) -> AssessmentResult:
    """Apply the toolkit's rules to one case. Never raises on a parsed case."""
    if case.toolkit != tk.id:
        raise ValueError(f"case is for {case.toolkit}, not {tk.id}")
    age = age_on(case.date_of_birth, case.assessment_date)
    problems: list[Problem] = []
    if tk.marking == "cce_cse_level":
        for item in tk.section1_items:
            marks = case.section1.get(item.id, {})
            if is_identified(tk, marks) and not marks.get("level"):
                problems.append(
                    Problem(
                        f"section1.{item.id}.level",
                        f'"{item.text}" is identified but has no Low, Medium or High rating',
                        "section1.unrated",
                    )
                )
    identified = identified_items(tk, case)
    in_scope, scope_reasons, warnings = scope(tk, case, age)
    suggested, reasons = suggest(tk, case, identified)
    floor = compute_floor(tk, case, age, bool(identified))
    if floor:
        reasons.extend(floor.reasons)
        if suggested < floor.minimum:
            reasons.append(
                Reason(
                    "floor.raised",
                    f"The indicators alone suggest {suggested.label}; the floor makes it "
                    f"{floor.minimum.label}"
                    + (" unless protective factors are recorded." if floor.overridable else "."),
                )
            )
            suggested = floor.minimum
    reasons.extend(scope_reasons)
    final, differs = _final(tk, case, suggested, floor, problems, reasons)
    effective = final or (suggested if identified else None)
    due, review_reason = review_date(tk, case, effective)
    reasons.append(review_reason)
    counts, primary = count(tk, case, identified)
    letter = check_letter(tk, case) if "letter" in case.extras else None
    return AssessmentResult(
        toolkit=tk.id,
        age=age,
        in_scope=in_scope,
        suggested_level=suggested,
        minimum_level=floor.minimum if floor else None,
        floor_overridable=bool(floor and floor.overridable),
        final_level=final,
        judgement_differs=differs,
        counts=counts,
        primary_type=primary,
        review_due=due,
        next_steps=next_steps(tk, case, effective),
        reasons=tuple(reasons),
        warnings=tuple(warnings),
        errors=tuple(problems),
        letter=letter,
        allowed_final_levels=allowed_levels(floor),
    )
