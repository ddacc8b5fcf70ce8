"""The letter's authorisation record, for Children's Social Care: why the letter could be
sent (each eligibility fact as the rules found it), the consents, the reason for sending
without the child's consent, the legal advice and the Head of Service agreement, and who
agreed when. It is an ordinary signed PDF in the social-care package, so a manager can
countersign it (`python -m app countersign`); none of it is ever printed in the letter.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.documents.content import internal_frame, signature_block
from app.documents.layout import content_width, field_rows, long_date, p, spacer, table
from app.documents.layout import render as render_pdf
from app.forms import Toolkit
from app.rules import AssessmentResult, Case, age_on

TITLE = "Disruption letter: authorisation record"


def _yes(value: Any) -> str:
    if value is None:
        return "not recorded"
    return "Yes" if value else "No"


def _when(value: Any) -> str:
    return long_date(str(value)) if value else "not recorded"


def _agreement(check: Any, ticked: Any) -> str:
    """Which way the Head of Service agreed, as the rules found it (never redone here)."""
    codes = {r.code for r in (*check.met, *check.unmet)} if check is not None else set()
    if "letter.head_of_service_agreement" not in codes:
        return _yes(ticked)  # not a condition of this toolkit
    if check.agreement == "countersigned" and check.approver_received:
        return (
            "Yes, by a manager's countersignature of this record as exported for agreement "
            "before the case was handed over; the approval came with the handover, and its "
            "countersigned copy was checked again by this practitioner's vault (see the "
            "conditions above)"
        )
    if check.agreement == "countersigned":
        return (
            "Yes, by a manager's countersignature of this record as exported for agreement "
            "(see the conditions above)"
        )
    if check.agreement == "ticked":
        return "Yes, ticked by the practitioner (not countersigned)"
    return "Not yet: the Head of Service agrees by countersigning this record"


def authorisation_pdf(
    tk: Toolkit, case: Case, result: AssessmentResult, reference: str, generated: dt.datetime,
    signature: dict[str, Any], draft: bool = False,
) -> bytes:  # fmt: skip
    """The record of one letter's authorisation; the rules' findings printed, never redone."""
    width = content_width()
    letter = dict(case.extras.get("letter") or {})
    on = dt.date.fromisoformat(str(letter.get("date") or generated.date().isoformat())[:10])
    story: list[Any] = [
        p(TITLE, "h1"),
        p(
            "For Children's Social Care and the manager who checks the letter's authorisation. "
            "It is never sent with the letter, and the letter prints none of it.",
            "small",
        ),
        spacer(),
        p("The letter", "h2"),
    ]
    story += field_rows(
        [
            ("Child", case.child_name),
            ("Date of birth", long_date(case.date_of_birth)),
            ("Age on the letter's date", str(age_on(case.date_of_birth, on))),
            ("Letter dated", long_date(on)),
            ("Sent to", str(letter.get("perpetrator_name") or "")),
            ("Police reference", str(letter.get("police_reference") or "")),
        ],
        width,
    )
    story.append(p("Eligibility: the toolkit's conditions", "h2"))
    check = result.letter
    rows: list[list[Any]] = [[p("Met", "head"), p("What the rules found", "head")]]
    if check is not None:
        rows += [["Yes", r.text] for r in check.met]
        rows += [["No", r.text] for r in check.unmet]
    story.append(table(rows, [width * 0.12, width * 0.88]))
    story.append(p("Consents and agreement", "h2"))
    said = letter.get
    countersigned = check is not None and check.agreement == "countersigned"
    unsaid = (
        "in the countersignature (see the conditions above)" if countersigned else "not recorded"
    )
    facts = [
        ("Written consent of those with parental responsibility", _yes(said("parent_consent"))),
        ("The child's consent", _yes(said("child_consent"))),
        ("Why it was sent without the child's consent", str(said("no_child_consent_reason") or "")),
        ("Legal advice taken", _yes(said("legal_advice"))),
        ("Legal advice given by", str(said("legal_advice_by") or "not recorded")),
        ("Legal advice given on", _when(said("legal_advice_date"))),
        ("Head of Service agreement", _agreement(check, said("head_of_service_agreement"))),
        ("Head of Service who agreed", str(said("head_of_service_name") or unsaid)),
        (
            "Agreed on",
            _when(said("head_of_service_date")) if said("head_of_service_date") else unsaid,
        ),
        ("Local authority holds parental responsibility", _yes(said("la_parental_responsibility"))),
        ("Subject to a Care Order", _yes(said("care_order"))),
    ]
    story += field_rows(facts, width)
    story += [
        spacer(),
        p(
            "Recorded and signed by the practitioner below. A manager checks it by "
            "countersigning this PDF (Countersign in the app, or python -m app countersign).",
            "small",
        ),
    ]
    signature_block(story, signature)
    return render_pdf(internal_frame(tk, TITLE, reference, generated, draft), story)
