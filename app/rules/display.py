"""One way to turn a rules result into the words and numbers people see.

The wizard's computed fields, the PDFs and the command line all call these, so a level reads
the same everywhere (Portsmouth's "Low Risk", never "Low" in one place and "Low Risk" in
another).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from app.forms import Toolkit
from app.rules.facts import Facts, Source
from app.rules.levels import Level
from app.rules.results import AssessmentResult


def level_label(tk: Toolkit, level: Level | str | None, empty: str = "") -> str:
    """The toolkit's own name for a level; `empty` when there is none yet."""
    if level is None:
        return empty
    return tk.level_label(level.value if isinstance(level, Level) else level)


def uk_date(day: dt.date) -> str:
    """Dates as UK readers write them ("14 September 2013"), never ISO, on screen and paper."""
    return f"{day.day} {day:%B %Y}"


def display_values(tk: Toolkit, result: AssessmentResult | None) -> dict[str, Any]:
    """Display values keyed like the definitions' `computed:` names (plus steps and scope)."""
    if result is None:
        return {}
    values: dict[str, Any] = {
        "age": result.age,
        "in_scope": result.in_scope,
        "suggested_level": level_label(tk, result.suggested_level) or None,
        "final_level": level_label(tk, result.final_level) or None,
        "minimum_level": level_label(tk, result.minimum_level) or None,
        "review_due": uk_date(result.review_due) if result.review_due else "no fixed date",
        "primary_type": (result.primary_type or "").upper() or None,
        "level_description": list(result.level_description),
        "next_steps": list(result.next_steps),
    }
    for key, count in result.counts.items():
        values[f"count_{key}"] = count
    return values


def note_shown(when: str | Sequence[str] | None, result: AssessmentResult | None) -> bool:
    """Whether a note with this `applies_when` is shown for the assessed child.

    Uses the conditions the rules derived (flags or form); before a result exists only
    unconditional notes show. An unknown condition raises a DefinitionError.
    """
    if result is None:
        return when in (None, "always")
    held = {name: (Source(name),) for name in result.conditions}
    return Facts(result.age, held).applies(when)


def summary_checklist(
    tk: Toolkit, section1: Mapping[str, Mapping[str, Any]]
) -> list[tuple[str, list[tuple[str, bool]]]]:
    """A summary form's own indicator list (Portsmouth Step 4), ticked from the Section 1
    marks: [(group title, [(entry text, ticked)])]; empty for toolkits without one."""
    scheme = tk.marking_scheme
    return [
        (
            group["title"],
            [
                (entry["text"], scheme.is_identified(section1.get(entry["item"], {})))
                for entry in group["entries"]
            ],
        )
        for group in tk.data["section3"].get("checklist", ())
    ]
