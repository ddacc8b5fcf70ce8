"""What the wizard shows that the rules worked out: computed fields and conditional notes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from app.rules import AssessmentResult

NOTE_CONDITIONS: dict[str, Callable[[dict[str, Any], AssessmentResult | None], bool]] = {
    "always": lambda c, r: True,
    "under_13": lambda c, r: r is not None and r.age < 13,
    "under_10": lambda c, r: r is not None and r.age < 10,
    "send": lambda c, r: bool(c.get("send")),
    "under_13_or_send": lambda c, r: bool(c.get("send")) or (r is not None and r.age < 13),
    "looked_after": lambda c, r: bool(c.get("looked_after")),
    "mental_health": lambda c, r: bool(c.get("mental_health")),
}


def computed_values(r: AssessmentResult | None) -> dict[str, Any]:
    """The values a toolkit's computed fields show (age, levels, review date, counts)."""
    if r is None:
        return {}
    values: dict[str, Any] = {
        "age": r.age,
        "suggested_level": r.suggested_level.label if r.suggested_level else None,
        "final_level": r.final_level.label if r.final_level else None,
        "minimum_level": r.minimum_level.label if r.minimum_level else None,
        "review_due": r.review_due.strftime("%d/%m/%Y") if r.review_due else "no fixed date",
        "primary_type": (r.primary_type or "").upper() or None,
    }
    for key, count in r.counts.items():
        values[f"count_{key}"] = count
    return values


def show_notes(root: QWidget, child: dict[str, Any], verdict: AssessmentResult | None) -> None:
    """Show each toolkit note only when its condition holds (e.g. under 13)."""
    for label in root.findChildren(QLabel):
        condition = label.property("applies_when")
        if condition:
            test = NOTE_CONDITIONS.get(condition, NOTE_CONDITIONS["always"])
            label.setVisible(test(child, verdict))
