"""What the engine returns: frozen results that carry the reasons that produced them.

The wizard's live summary, the PDFs and the CLI all render these objects; none of them
recomputes a level.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from app.rules.levels import Level


@dataclass(frozen=True)
class Reason:
    """One sentence a practitioner can read, with a stable code for tests and filters."""

    code: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "text": self.text}


@dataclass(frozen=True)
class Problem:
    """A validation or rule problem tied to a field path (e.g. `section1.getting_into_cars`)."""

    field: str
    message: str
    code: str

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message, "code": self.code}


@dataclass(frozen=True)
class Step:
    """One instruction the toolkit attaches to a level, with a stable id for tests."""

    id: str
    text: str


@dataclass(frozen=True)
class LetterApproval:
    """A manager's countersignature of the letter's authorisation record, as casework found
    it in the vault: the rules decide from it and never look for it. `problem` says why it
    does not count ("" when it does): the practitioner's own signature, a certificate no
    longer trusted, or facts changed since the record it approved. `received` says how it
    came, when it was not recorded in this vault from the countersigned copy but arrived
    with a handed-over case ("received with the handover from …"; "" otherwise)."""

    signer: str
    post: str
    time: str | None  # as the manager's clock claimed it (ISO 8601)
    fingerprint: str
    problem: str = ""
    received: str = ""


@dataclass(frozen=True)
class LetterCheck:
    eligible: bool
    unmet: tuple[Reason, ...]
    met: tuple[Reason, ...]
    # how the Head of Service agreement is met: "countersigned" (an imported approval of
    # the authorisation record), "ticked" (the practitioner's tick) or "" (not met, or not
    # a condition of this toolkit)
    agreement: str = ""
    approver_fingerprint: str = ""  # the countersigning certificate's, when "countersigned"
    # how that countersignature came, when it arrived with a handover ("" when it was
    # recorded in this vault from the countersigned copy)
    approver_received: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "eligible": self.eligible,
            "unmet": [r.to_dict() for r in self.unmet],
            "met": [r.to_dict() for r in self.met],
            "agreement": self.agreement,
        }


@dataclass(frozen=True)
class AssessmentResult:
    toolkit: str
    age: int
    in_scope: bool
    suggested_level: Level | None
    minimum_level: Level | None
    floor_overridable: bool
    final_level: Level | None
    judgement_differs: bool
    counts: dict[str, int]
    primary_type: str | None
    review_due: dt.date | None
    next_steps: tuple[str, ...]
    reasons: tuple[Reason, ...]
    warnings: tuple[Reason, ...]
    errors: tuple[Problem, ...]
    letter: LetterCheck | None = None
    allowed_final_levels: tuple[Level, ...] = field(default=())
    steps: tuple[Step, ...] = field(default=())
    conditions: tuple[str, ...] = field(default=())
    condition_sources: tuple[str, ...] = field(default=())
    level_description: tuple[str, ...] = field(default=())
    review_by: str | None = None  # who the toolkit says reviews at this level

    @property
    def level_for_display(self) -> Level | None:
        """The level a case list shows: the practitioner's choice, else the suggestion."""
        return self.final_level or self.suggested_level

    def to_dict(self) -> dict[str, Any]:
        def lv(level: Level | None) -> str | None:
            return level.value if level else None

        out: dict[str, Any] = {
            "toolkit": self.toolkit,
            "age": self.age,
            "in_scope": self.in_scope,
            "suggested_level": lv(self.suggested_level),
            "minimum_level": lv(self.minimum_level),
            "floor_overridable": self.floor_overridable,
            "final_level": lv(self.final_level),
            "judgement_differs": self.judgement_differs,
            "counts": dict(self.counts),
            "primary_type": self.primary_type,
            "review_due": self.review_due.isoformat() if self.review_due else None,
            "review_by": self.review_by,
            "level_description": list(self.level_description),
            "next_steps": list(self.next_steps),
            "reasons": [r.text for r in self.reasons],
            "warnings": [w.text for w in self.warnings],
            "errors": [e.to_dict() for e in self.errors],
            "allowed_final_levels": [lv(x) for x in self.allowed_final_levels],
            "step_ids": [s.id for s in self.steps],
            "conditions": list(self.conditions),
            "condition_sources": list(self.condition_sources),
        }
        if self.letter is not None:
            out["letter"] = self.letter.to_dict()
        return out
