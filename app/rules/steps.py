"""Next steps and review dates per level, spelt out as each toolkit states them.

"As above and;" expands to the steps of the level it points at, in the toolkit's words; steps
that apply only to some children (looked after) are listed only for them; each review
interval quotes the toolkit's own sentence for that level.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from app.forms import Toolkit
from app.rules.facts import Facts
from app.rules.levels import Level
from app.rules.results import Reason, Step

INFORMATION_REPORT_STEP = "information_report"


def _expand(tk: Toolkit, level: str, facts: Facts | None, out: list[Step], seen: set[str]) -> None:
    for raw in tk.data["levels"][level]["next_steps"]:
        if "as_above" in raw:
            _expand(tk, raw["as_above"], facts, out, seen)
            continue
        when = raw.get("applies_when")
        if when is not None and (facts is None or not facts.applies(when)):
            continue
        if raw["id"] not in seen:
            seen.add(raw["id"])
            out.append(Step(raw["id"], raw["text"]))


def level_steps(tk: Toolkit, level: Level | None, facts: Facts | None = None) -> tuple[Step, ...]:
    """Every instruction the toolkit attaches to a level, "as above" spelt out."""
    if level is None or level.value not in tk.data["levels"]:
        return ()
    out: list[Step] = []
    _expand(tk, level.value, facts, out, set())
    return tuple(out)


def level_description(tk: Toolkit, level: Level | None) -> tuple[str, ...]:
    """What the toolkit says about a level beside its procedure, in its words.

    A description that points "above" to another level's work (Portsmouth Medium: "the
    interventions outlined above for Low Risk") lists that level's description first, named in
    the definition's `description_refers_to`, so the words it points at are on the same page.
    """
    if level is None or level.value not in tk.data["levels"]:
        return ()
    out: list[str] = []
    row = tk.data["levels"][level.value]
    for other in row.get("description_refers_to", ()):
        for text in tk.data["levels"].get(other, {}).get("description", ()):
            if text not in out:
                out.append(text)
    for text in row.get("description", ()):
        if text not in out:
            out.append(text)
    return tuple(out)


def _reportable(tk: Toolkit, analysis: Mapping[str, Any]) -> bool:
    for field_id in tk.rules.get("information_report", {}).get("when_fields", ()):
        value = analysis.get(field_id)
        if isinstance(value, str) and value.strip():
            return True
        if isinstance(value, list) and any(value):
            return True
    return False


def next_steps(
    tk: Toolkit, level: Level | None, facts: Facts | None, analysis: Mapping[str, Any]
) -> tuple[Step, ...]:
    """The level's steps, plus the information report when people or places are named."""
    steps = list(level_steps(tk, level, facts))
    report = tk.rules.get("information_report", {})
    if report and _reportable(tk, analysis) and all(s.text != report["step"] for s in steps):
        steps.append(Step(INFORMATION_REPORT_STEP, report["step"]))
    return tuple(steps)


def _quote_note(tk: Toolkit, note_id: str | None) -> str:
    for note in tk.data.get("notes", ()):
        if note_id and note["id"] == note_id:
            return f' The toolkit says: "{note["text"]}"'
    return ""


def review_date(
    tk: Toolkit,
    assessed: dt.date,
    level: Level | None,
    set_by_practitioner: str | None = None,
) -> tuple[dt.date | None, Reason]:
    """The review date for a level, quoting the toolkit's sentence for that level."""
    if set_by_practitioner:
        return dt.date.fromisoformat(set_by_practitioner), Reason(
            "review.set", f"Review on {set_by_practitioner}: the date the practitioner set."
        )
    review = tk.rules.get("review", {})
    row = review.get("levels", {}).get(level.value) if level else None
    label = tk.level_label(level.value) if level else ""
    if row and row.get("weeks"):
        weeks = int(row["weeks"])
        due = assessed + dt.timedelta(weeks=weeks)
        reading = f" {row['reading']}" if row.get("reading") else ""
        by = (
            f' Undertaken by {row["by"]}: the toolkit says "{row["by_quote"]}"'
            if row.get("by")
            else ""
        )
        return due, Reason(
            "review.interval",
            f"Review due {due.day} {due:%B %Y}: "
            f'for {label} the toolkit says "{row["quote"]}"{reading}{by}',
        )
    note = _quote_note(tk, review.get("note"))
    if level is None:
        return None, Reason("review.none", f"No review date until a level is set.{note}")
    return None, Reason(
        "review.none", f"No fixed review date: the toolkit sets no interval for {label}.{note}"
    )


def review_by(
    tk: Toolkit, level: Level | None, set_by_practitioner: str | None = None
) -> str | None:
    """Who the toolkit says undertakes the review at this level ("a Team Manager"), if it says."""
    if level is None or set_by_practitioner:
        return None
    row = tk.rules.get("review", {}).get("levels", {}).get(level.value) or {}
    return str(row["by"]) if row.get("by") else None
