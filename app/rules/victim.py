"""A per-victim form describes its own victim, never the assessed child.

A toolkit's information form is filled once per victim ("one form for each victim"), and
its "Level of risk identified" must be that victim's level. The definition marks it as
computed from the assessment's final level; on a per-victim form it becomes a field the
practitioner chooses from the toolkit's levels, and when left blank it is derived for
that victim only: the assessed child's final level when the form is about the assessed
child, the toolkit's floor for a victim under 13, otherwise blank (unknown).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.forms import Toolkit
from app.rules.facts import age_on

# The form fields that name, date and age the victim (the toolkits word them differently).
VICTIM_NAME = ("victim", "child_young_person_name", "name_child_young_person")
VICTIM_DOB = ("victim_dob", "child_young_person_dob")
VICTIM_AGE = ("age", "child_age")
LEVEL_KEYS = ("final_level", "suggested_level", "minimum_level")
UNDER_13 = ("under_13", "under_13_or_send")


@dataclass(frozen=True)
class VictimLevel:
    """The level a per-victim form prints, and how it was reached (said beside it)."""

    text: str
    how: str  # "entered", "assessed child", "under 13", or "" when unknown


def is_victim_level(form_def: Mapping[str, Any], raw_field: Mapping[str, Any]) -> bool:
    return bool(
        form_def.get("one_per_victim")
        and raw_field.get("type") == "computed"
        and raw_field.get("computed") in LEVEL_KEYS
    )


def per_victim_form(tk: Toolkit, form_def: Mapping[str, Any]) -> dict[str, Any]:
    """The form as the practitioner fills it: on a per-victim form, a level computed from
    the assessment becomes a choice of the toolkit's levels for this victim."""
    options = [{"id": level, "label": tk.level_label(level)} for level in tk.final_levels if level]
    out = dict(form_def)
    sections = []
    for section in form_def.get("sections", ()):
        fields = []
        for raw in section.get("fields", ()):
            if is_victim_level(form_def, raw):
                raw = {k: v for k, v in raw.items() if k not in ("computed", "type", "options")}
                raw.update(
                    type="choice",
                    options=options,
                    help="This victim's own level: left blank, the form shows the assessed "
                    "child's level only when it is about that child.",
                )
            fields.append(raw)
        sections.append({**section, "fields": fields})
    out["sections"] = sections
    return out


def _same(a: Any, b: Any) -> bool:
    return " ".join(str(a or "").split()).casefold() == " ".join(str(b or "").split()).casefold()


def _first(answers: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    return next((answers[k] for k in keys if answers.get(k) not in (None, "")), None)


def victim_age(answers: Mapping[str, Any], on: dt.date) -> int | None:
    """The victim's age from the form's own date of birth, else its typed age."""
    dob = _first(answers, VICTIM_DOB)
    if dob:
        try:
            return age_on(dt.date.fromisoformat(str(dob)[:10]), on)
        except ValueError:
            pass
    age = _first(answers, VICTIM_AGE)
    try:
        return int(age) if age is not None else None
    except (TypeError, ValueError):
        return None


def is_assessed_child(answers: Mapping[str, Any], child: Mapping[str, Any]) -> bool:
    """The form names the assessed child: same name, and the same date of birth when
    the form gives one."""
    name = _first(answers, VICTIM_NAME)
    if not name or not _same(name, child.get("name")):
        return False
    dob = _first(answers, VICTIM_DOB)
    return not dob or not child.get("date_of_birth") or _same(dob, child["date_of_birth"])


def victim_level(
    tk: Toolkit,
    field_id: str,
    answers: Mapping[str, Any],
    child: Mapping[str, Any],
    final_level: str | None,
    on: dt.date,
) -> VictimLevel:
    """This victim's level: entered, else derived for this victim, else blank."""
    entered = answers.get(field_id)
    if entered not in (None, ""):
        text = str(entered)
        return VictimLevel(tk.level_label(text) if text in tk.data["levels"] else text, "entered")
    if final_level and is_assessed_child(answers, child):
        return VictimLevel(tk.level_label(final_level), "assessed child")
    age = victim_age(answers, on)
    if age is not None and age < 13:
        floors = [r for r in tk.rules.get("floors", ()) if r["when"] in UNDER_13]
        if floors:
            level = floors[0]["minimum"]
            return VictimLevel(
                f"{tk.level_label(level)} (under 13: the toolkit's minimum)", "under 13"
            )
    return VictimLevel("", "")
