"""What a Section 1 mark is in each toolkit: its columns, when it counts, how it reads.

One object per marking scheme, so the rules, the wizard, the PDFs and the statistics agree
on when an indicator is identified and how its mark is written out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

RATING_WORDS = {"L": "Low", "M": "Medium", "H": "High"}


@dataclass(frozen=True)
class MarkingScheme:
    name: str
    columns: tuple[str, ...]
    note_key: str

    def is_identified(self, marks: Mapping[str, Any]) -> bool:
        """Whether a mark counts as identified: any tick, or (2020) a rating."""
        if self.name == "risk_evidenced":
            return bool(marks.get("risk") or marks.get("evidenced"))
        if self.name == "cce_cse_level":
            return bool(marks.get("cce") or marks.get("cse") or marks.get("level"))
        return bool(marks.get("ticked"))

    def note(self, marks: Mapping[str, Any]) -> str:
        """The practitioner's words written against the mark (note or comment)."""
        return str(marks.get(self.note_key) or "").strip()

    def describe(self, marks: Mapping[str, Any]) -> str:
        """The mark as shown and printed, e.g. "R, E", "CCE, rated High" or "✓"."""
        if self.name == "risk_evidenced":
            parts = [k for k, on in (("R", marks.get("risk")), ("E", marks.get("evidenced"))) if on]
            return ", ".join(parts)
        if self.name == "cce_cse_level":
            parts = [k for k, on in (("CCE", marks.get("cce")), ("CSE", marks.get("cse"))) if on]
            rating = RATING_WORDS.get(str(marks.get("level") or ""))
            if rating:
                parts.append(f"rated {rating}")
            return ", ".join(parts)
        return "✓" if marks.get("ticked") else ""

    def empty(self) -> dict[str, Any]:
        """A blank mark for this scheme, as a new case file holds it."""
        if self.name == "risk_evidenced":
            return {"risk": False, "evidenced": False, "note": ""}
        if self.name == "cce_cse_level":
            return {"cce": False, "cse": False, "level": None, "note": ""}
        return {"ticked": False, "comment": ""}


SCHEMES: dict[str, MarkingScheme] = {
    "risk_evidenced": MarkingScheme("risk_evidenced", ("risk", "evidenced", "note"), "note"),
    "cce_cse_level": MarkingScheme("cce_cse_level", ("cce", "cse", "level", "note"), "note"),
    "tick_comment": MarkingScheme("tick_comment", ("ticked", "comment"), "comment"),
}
