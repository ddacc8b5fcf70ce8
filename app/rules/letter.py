"""Disruption letter eligibility: every condition is checked, and each unmet one named.

The base conditions apply to every toolkit (they are the law and the templates' shared
"issues to consider"); a toolkit's definition may add its own (2020: legal advice and
Head of Service agreement). The toolkit's own wording is quoted where it has one.

The Head of Service agreement is met by a manager's countersignature of the letter's
authorisation record (casework finds the approvals imported into the vault and says which
count; the rules only read them) or by the practitioner's tick, and the reason says which.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from app.forms import Toolkit
from app.rules.results import LetterApproval, LetterCheck, Reason

if TYPE_CHECKING:
    from app.rules.casefile import Case

BASE_CONDITIONS = (
    "under_16",
    "no_parental_responsibility",
    "not_care_order",
    "parent_consent",
    "child_consent_or_reason",
)


def _age(dob: dt.date, on: dt.date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _long_date(iso: str | None) -> str:
    try:
        day = dt.datetime.fromisoformat(str(iso)).date()
    except ValueError:
        return "at a time not given"
    return f"{day.day} {day:%B %Y}"


def _agreement(
    letter: dict[str, Any], approvals: Sequence[LetterApproval]
) -> tuple[bool, str, str, LetterApproval | None]:
    """Met or not, the reason, how, and the countersignature that counts (None otherwise):
    a countersignature that counts comes first; a tick still counts (a manager's agreement
    given by word); an approval that does not count says why, so nobody takes it for
    agreement. One that came with a handed-over case says so, so nobody takes it for one
    this vault checked itself."""
    counting = [a for a in approvals if not a.problem]
    ticked = bool(letter.get("head_of_service_agreement"))
    if counting:
        a = counting[-1]
        post = f", {a.post}" if a.post else ""
        received = f", {a.received}" if a.received else ""
        why = (
            f"Head of Service agreement is a countersigned authorisation record: agreed by "
            f"{a.signer}{post}, countersigned {_long_date(a.time)}, certificate fingerprint "
            f"starting {a.fingerprint[:23]}{received}"
        )
        also = " (the tick is recorded too)" if ticked else ""
        return True, why + also, "countersigned", a
    if ticked:
        why = "Head of Service agreement is recorded by the practitioner's tick"
    else:
        why = "no Head of Service agreement is recorded (by tick or countersignature)"
    for a in approvals:
        why += f"; the countersignature of {a.signer} does not count: {a.problem}"
    return ticked, why, "ticked" if ticked else "", None


def _evaluate(cond: str, case: Case, letter: dict[str, Any]) -> tuple[bool, str]:
    on = dt.date.fromisoformat(letter["date"]) if letter.get("date") else case.assessment_date
    if cond == "under_16":
        age = _age(case.date_of_birth, on)
        when = f"{on.day} {on:%B %Y}"
        return age < 16, f"the child is {age} on the letter date {when} (must be under 16)"
    if cond == "no_parental_responsibility":
        held = letter.get("la_parental_responsibility")
        if held is None:
            return False, "not recorded whether the local authority holds parental responsibility"
        return (not held), (
            "the local authority holds parental responsibility"
            if held
            else "the local authority does not hold parental responsibility"
        )
    if cond == "not_care_order":
        order = letter.get("care_order")
        if order is None:
            return False, "not recorded whether the child is subject to a Care Order"
        return (not order), (
            "the child is subject to a Care Order: consider Recovery Orders "
            "(Sections 49-50 Children Act) instead"
            if order
            else "the child is not subject to a Care Order"
        )
    if cond == "parent_consent":
        ok = bool(letter.get("parent_consent"))
        return ok, (
            "written consent from those with parental responsibility is recorded"
            if ok
            else "no written consent from those with parental responsibility is recorded"
        )
    if cond == "child_consent_or_reason":
        if letter.get("child_consent"):
            return True, "the child's consent is recorded"
        reason = (letter.get("no_child_consent_reason") or "").strip()
        if reason:
            return True, f"sent without the child's consent; risk balanced: {reason}"
        return False, (
            "neither the child's consent nor a recorded assessment of the risks balanced in "
            "sending the letter without it"
        )
    if cond == "legal_advice":
        ok = bool(letter.get("legal_advice"))
        return ok, "legal advice is recorded" if ok else "no legal advice is recorded"
    raise ValueError(f"unknown letter condition {cond}")


def check_letter(tk: Toolkit, case: Case, approvals: Sequence[LetterApproval] = ()) -> LetterCheck:
    """`approvals`: the countersignatures of this letter's authorisation record that casework
    found, each saying whether it counts."""
    letter: dict[str, Any] = dict(case.extras.get("letter", {}))
    agreement = ""
    counted: LetterApproval | None = None
    stated = {c["id"]: c["text"] for c in tk.data["disruption_letter"]["conditions"]}
    conditions = list(BASE_CONDITIONS) + [c for c in stated if c not in BASE_CONDITIONS]
    met: list[Reason] = []
    unmet: list[Reason] = []
    for cond in conditions:
        if cond == "head_of_service_agreement":
            ok, why, agreement, counted = _agreement(letter, approvals)
        else:
            ok, why = _evaluate(cond, case, letter)
        text = why[0].upper() + why[1:] + "."
        if not ok and cond in stated:
            text += f' The toolkit says: "{stated[cond]}"'
        (met if ok else unmet).append(Reason(f"letter.{cond}", text))
    return LetterCheck(
        eligible=not unmet, unmet=tuple(unmet), met=tuple(met), agreement=agreement,
        approver_fingerprint=counted.fingerprint if counted else "",
        approver_received=counted.received if counted else "",
    )  # fmt: skip
