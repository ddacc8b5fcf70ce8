"""The rules engine: pure functions from a parsed case and its toolkit to a result.

Each toolkit's parameters (how the level is suggested, floors, scope, review interval)
live in the `rules` block of its definition; this module only knows the kinds of rule.
Every conclusion is returned with the reason that produced it, in the toolkit's terms.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.forms import Item, Toolkit
from app.rules.casefile import Case
from app.rules.facts import CONDITION_TEXT, Facts, age_on, condition_lines, derive_facts
from app.rules.letter import check_letter
from app.rules.levels import BAND_LEVEL, RATING_LEVEL, Level
from app.rules.results import AssessmentResult, LetterApproval, Problem, Reason
from app.rules.steps import level_description, next_steps, review_by, review_date

__all__ = ["CONDITION_TEXT", "age_on", "assess", "case_facts", "is_identified"]


def is_identified(tk: Toolkit, marks: Mapping[str, Any]) -> bool:
    return tk.marking_scheme.is_identified(marks)


def case_facts(tk: Toolkit, case: Case) -> Facts:
    """Age on the assessment date and the child's conditions from flags or form."""
    age = age_on(case.date_of_birth, case.assessment_date)
    return derive_facts(tk, case.child, age, case.section2, case.analysis)


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


def compute_floor(tk: Toolkit, facts: Facts, any_identified: bool) -> Floor | None:
    """The lowest level the toolkit allows for this child, when any indicator is identified."""
    if not any_identified:
        return None
    best: Floor | None = None
    reasons: list[Reason] = []
    for rule in tk.rules.get("floors", ()):
        when = rule["when"]
        if not facts.holds(when):
            continue
        minimum = Level(rule["minimum"])
        if minimum == Level.MEDIUM:
            consequence = "the level cannot be Low"
        else:
            consequence = f"the level must be at least {tk.level_label(minimum.value)}"
        if rule.get("overridable"):
            consequence += " unless a reason citing protective factors is recorded"
        readings = "".join(f" {r}" for r in facts.readings(when))
        reasons.append(
            Reason(
                f"floor.{when}",
                f"Floor: {facts.because(when)}, so {consequence}.{readings}"
                f"{_quote_note(tk, rule.get('note'))}",
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
            reading = tk.rules.get("low_count_reading")
            safer = f" {reading}" if reading and len(lows) == threshold else ""
            return Level.MEDIUM, [
                Reason(
                    "suggest.low_count",
                    f"Suggested Medium: {len(lows)} low level behaviours are identified "
                    f"({threshold} or more count as Medium).{note}{safer}",
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


def scope(tk: Toolkit, facts: Facts) -> tuple[bool, list[Reason], list[Reason]]:
    rules = tk.rules.get("scope", {})
    age = facts.age
    limit, because = int(rules.get("max_age", 17)), ""
    ext = rules.get("extended")
    if ext and any(facts.holds(w) for w in ext["when"]):
        limit = int(ext["max_age"])
        held = [facts.because(w) for w in ext["when"] if facts.holds(w)]
        because = f" because {' and '.join(held)}"
    reading = f" {rules['reading']}" if rules.get("reading") and because else ""
    reasons, warnings = [], []
    in_scope = age <= limit
    if in_scope:
        reasons.append(
            Reason(
                "scope.in",
                f"In scope: the child is {age}; this toolkit covers ages up to "
                f"and including {limit}{because}.{reading}",
            )
        )
    else:
        warnings.append(
            Reason(
                "scope.out",
                f"Out of scope: the child is {age}; this toolkit covers ages up "
                f"to and including {limit}{because}.{reading}{_quote_note(tk, rules.get('note'))}",
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
    if final.value not in tk.final_levels:
        offered = ", ".join(tk.level_label(v) for v in tk.final_levels)
        problems.append(
            Problem(
                "final_level",
                f"Final level: {final.label} is not a level of this toolkit; "
                f"choose one of {offered}",
                "final.not_in_toolkit",
            )
        )
        return None, False
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


def allowed_levels(tk: Toolkit, floor: Floor | None) -> tuple[Level, ...]:
    levels = tuple(Level(v) for v in tk.final_levels)
    if floor is None or floor.overridable:
        return levels
    return tuple(lv for lv in levels if lv >= floor.minimum)


def _other_needs_text(tk: Toolkit, case: Case) -> list[Problem]:
    """An identified "Other" indicator must say what it is (the toolkit asks to expand)."""
    scheme = tk.marking_scheme
    return [
        Problem(
            f"section1.{item.id}.{scheme.note_key}",
            f'"{item.text}" is marked: write what it is',
            "section1.other_unexplained",
        )
        for item in tk.section1_items
        if item.other
        and scheme.is_identified(case.section1.get(item.id, {}))
        and not scheme.note(case.section1.get(item.id, {}))
    ]


def assess(
    case: Case, tk: Toolkit, letter_approvals: Sequence[LetterApproval] = ()
) -> AssessmentResult:
    """Apply the toolkit's rules to one case. Never raises on a parsed case.
    `letter_approvals`: countersignatures of the letter's authorisation record, gathered
    from the vault by casework (a case file alone has none)."""
    if case.toolkit != tk.id:
        raise ValueError(f"case is for {case.toolkit}, not {tk.id}")
    facts = case_facts(tk, case)
    age = facts.age
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
    problems += _other_needs_text(tk, case)
    identified = identified_items(tk, case)
    in_scope, scope_reasons, warnings = scope(tk, facts)
    suggested, reasons = suggest(tk, case, identified)
    floor = compute_floor(tk, facts, bool(identified))
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
    due, review_reason = review_date(
        tk, case.assessment_date, effective, case.extras.get("review_date")
    )
    reasons.append(review_reason)
    counts, primary = count(tk, case, identified)
    steps = next_steps(tk, effective, facts, case.analysis)
    letter = check_letter(tk, case, letter_approvals) if "letter" in case.extras else None
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
        review_by=review_by(tk, effective, case.extras.get("review_date")),
        next_steps=tuple(step.text for step in steps),
        reasons=tuple(reasons),
        warnings=tuple(warnings),
        errors=tuple(problems),
        letter=letter,
        allowed_final_levels=allowed_levels(tk, floor),
        steps=steps,
        conditions=tuple(c for c in facts.conditions if facts.holds(c)),
        condition_sources=tuple(line for _, line in condition_lines(facts)),
        level_description=level_description(tk, effective),
    )
