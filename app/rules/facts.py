"""Facts about the child the rules use: age, and conditions from the flags or the form.

A condition (SEND, looked after, care leaver, mental-health concern) holds when the child's
details flag it or when the toolkit's own form records it (a ticked factor, a circled status)
as the definition's `implies:` says. Each source is kept in words so every reason can name
where the fact came from. Notes' and steps' `applies_when` are evaluated here too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.forms import DefinitionError, ErrorCode, Field, Toolkit

CONDITIONS = ("send", "looked_after", "care_leaver", "mental_health")
CONDITION_TEXT = {
    "under_13": "is under 13",
    "send": "has special educational needs and disabilities (SEND)",
    "mental_health": "has a mental-health concern",
    "looked_after": "is looked after",
    "care_leaver": "is a care leaver",
}


def age_on(dob: dt.date, on: dt.date) -> int:
    """Whole years: the birthday counts from the day itself (29 Feb: from 1 March)."""
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


@dataclass(frozen=True)
class Source:
    """Where a condition was recorded, in words ("'X' is ticked in Y")."""

    text: str
    reading: str | None = None
    from_flag: bool = False


@dataclass(frozen=True)
class Facts:
    age: int
    conditions: Mapping[str, tuple[Source, ...]]

    def holds(self, name: str) -> bool:
        """One named condition; an unknown name is a definition error, never "always"."""
        if name == "always":
            return True
        if name == "under_13":
            return self.age < 13
        if name == "under_10":
            return self.age < 10
        if name == "under_13_or_send":
            return self.age < 13 or bool(self.conditions.get("send"))
        if name in CONDITIONS:
            return bool(self.conditions.get(name))
        raise DefinitionError(ErrorCode.DANGLING_REFERENCE, "", name, "unknown condition")

    def applies(self, when: str | Sequence[str] | None) -> bool:
        """A note's or step's `applies_when`: one condition, or a list of which any holds."""
        if when is None:
            return True
        if isinstance(when, str):
            return self.holds(when)
        return any(self.holds(w) for w in when)

    def because(self, name: str) -> str:
        """Why a condition holds, naming the field or factor it came from."""
        if name == "under_13":
            return f"the child is {self.age} (under 13)"
        sources = self.conditions.get(name, ())
        return " and ".join(s.text for s in sources) or f"the child {CONDITION_TEXT[name]}"

    def readings(self, name: str) -> list[str]:
        return [s.reading for s in self.conditions.get(name, ()) if s.reading]


CONDITION_TITLE = {
    "send": "SEND",
    "looked_after": "Looked after",
    "care_leaver": "Care leaver",
    "mental_health": "Mental-health concern",
}


def condition_lines(facts: Facts) -> tuple[tuple[str, str], ...]:
    """(condition, "Looked after: <where the form records it>") for conditions the form
    establishes beyond the child's flags, so the wizard can show them instead of asking twice."""
    out = []
    for name in CONDITIONS:
        form = [s.text for s in facts.conditions.get(name, ()) if not s.from_flag]
        if form:
            out.append((name, f"{CONDITION_TITLE[name]}: {' and '.join(form)}"))
    return tuple(out)


def _label(text: str) -> str:
    return text.rstrip(":").strip()


def _field_sources(
    fields: Sequence[Field], answers: Mapping[str, Any], where: str
) -> list[tuple[str, Source]]:
    out: list[tuple[str, Source]] = []
    for f in fields:
        value = answers.get(f.id)
        if f.implies and value is True:
            for cond in f.implies:
                out.append((cond, Source(f'"{_label(f.label)}" is recorded in {where}')))
        chosen = value if isinstance(value, list) else [value] if isinstance(value, str) else []
        for option_id, implied in f.option_implies:
            if option_id in chosen:
                label = _label(f.label)
                text = f'"{f.option_label(option_id)}" is chosen for "{label}" in {where}'
                out.extend((cond, Source(text)) for cond in implied)
    return out


def factor_recorded(tk: Toolkit, answers: Mapping[str, Any], column: str | None = None) -> bool:
    """A Section 2 factor counts as recorded when ticked (or, with no tick column, written)."""
    bools = [c["id"] for c in tk.section2_columns if c["type"] == "bool"]
    if column is not None:
        return bool(answers.get(column))
    if bools:
        return any(answers.get(c) for c in bools)
    return any(isinstance(v, str) and v.strip() for v in answers.values())


def derive_facts(
    tk: Toolkit,
    child: Mapping[str, Any],
    age: int,
    section2: Mapping[str, Mapping[str, Any]],
    analysis: Mapping[str, Any],
) -> Facts:
    """The child's conditions from the flags or from the form, each with its source."""
    found: dict[str, list[Source]] = {c: [] for c in CONDITIONS}
    monitoring = {f.id: f for f in tk.child_fields if f.monitoring}
    for cond in CONDITIONS:
        if child.get(cond) is True:
            label = _label(monitoring[cond].label) if cond in monitoring else cond
            text = f'"{label}" is ticked in the child\'s details'
            found[cond].append(Source(text, from_flag=True))
    own_child = [f for f in tk.child_fields if not f.monitoring]
    pairs = _field_sources(own_child, child, "the child's details")
    pairs += _field_sources(tk.analysis_fields, analysis, "the form")
    title = str(tk.data["section2"]["title"])
    for item in tk.section2_items:
        answers = section2.get(item.id, {})
        if item.implies and factor_recorded(tk, answers, item.implies_column):
            how = "ticked" if any(c["type"] == "bool" for c in tk.section2_columns) else "recorded"
            column = f" ({item.implies_column})" if item.implies_column else ""
            text = f'"{item.text}" is {how}{column} in {title}'
            pairs.extend((cond, Source(text, item.implies_reading)) for cond in item.implies)
    for cond, source in pairs:
        found[cond].append(source)
    return Facts(age, {k: tuple(v) for k, v in found.items()})


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def conditions_in_answers(tk: Toolkit, answers: Mapping[str, Any]) -> frozenset[str]:
    """The conditions (SEND, looked after, care leaver, mental health) the rules find in a
    stored assessment's answers: the child's flags or the toolkit's own fields, exactly as
    `derive_facts` reads them for floors and scope, so statistics count what the rules use."""
    section2 = {
        k: v for k, v in _mapping(answers.get("section2")).items() if isinstance(v, Mapping)
    }
    facts = derive_facts(
        tk, _mapping(answers.get("child")), 0, section2, _mapping(answers.get("analysis"))
    )
    return frozenset(c for c in CONDITIONS if facts.holds(c))


def note_applies(note: Mapping[str, Any], facts: Facts | None) -> bool:
    """Whether a toolkit note is shown for this child (unknown facts: only unconditional notes)."""
    when = note.get("applies_when", "always")
    if facts is None:
        return when == "always"
    return facts.applies(when)
