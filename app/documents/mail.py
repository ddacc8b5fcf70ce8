"""Email drafts, one per recipient group, that Outlook and Thunderbird open as unsent.

The police unit gets the information reports, Children's Social Care the assessment and
plans, and the letter travels alone. Subjects name no child; the password is never in a
message; attachments are the (normally encrypted) PDFs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

SECURE = (
    "Send this only through secure email (CJSM or your organisation's accredited service). "
    "If the documents are password-protected, the password will reach you by another "
    "route; it is never sent in this email."
)


@dataclass(frozen=True)
class Draft:
    """One message to write: who it is for, the address the toolkit names (if any)."""

    group: str  # file-name kind: police-<form id>, social-care, letter
    to: str  # "" where the toolkit names no address: the practitioner fills it in
    subject: str
    intro: str
    files: tuple[Path, ...]
    also: tuple[str, ...] = ()  # other addresses the toolkit names for this form


def draft_message(draft: Draft, sender: str, when: dt.datetime) -> bytes:
    """An unsent draft (X-Unsent: 1) with To, From, Date and the PDFs attached."""
    message = EmailMessage()
    message["X-Unsent"] = "1"
    message["To"] = draft.to
    message["From"] = sender
    message["Date"] = format_datetime(when if when.tzinfo else when.astimezone())
    message["Subject"] = draft.subject
    lines = [draft.intro, ""]
    if not draft.to:
        lines += ["Add the recipient's secure address before sending.", ""]
    if draft.also:
        lines += ["The form also names: " + ", ".join(draft.also) + ".", ""]
    lines.append(SECURE)
    message.set_content("\n".join(lines) + "\n")
    for path in draft.files:
        message.add_attachment(
            path.read_bytes(), maintype="application", subtype="pdf", filename=path.name
        )
    return bytes(message)


def plan_drafts(
    reports: Sequence[tuple[dict[str, object], Path]],
    internal: Sequence[Path],
    letter: Path | None,
    reference: str,
) -> list[Draft]:
    """Group the documents by who receives them. `reports` pairs each report's form
    definition with its file."""
    drafts: list[Draft] = []
    by_form: dict[str, list[tuple[dict[str, object], Path]]] = {}
    for form, path in reports:
        by_form.setdefault(str(form["id"]), []).append((form, path))
    for form_id, items in by_form.items():
        form = items[0][0]
        recipients = [r for r in form["recipients"] if isinstance(r, dict)]  # type: ignore[attr-defined]
        emails = [str(r["email"]) for r in recipients if r.get("email")]
        drafts.append(
            Draft(
                group=f"police-{form_id.replace('_', '-')}",
                to=emails[0] if emails else "",
                subject=f"Confidential: OFFICIAL-SENSITIVE information report {reference}",
                intro=f"Please find attached {len(items)} {form['title']} form(s).",
                files=tuple(path for _form, path in items),
                also=tuple(emails[1:]),
            )
        )
    if internal:
        drafts.append(
            Draft(
                group="social-care",
                to="",
                subject=f"Confidential: OFFICIAL-SENSITIVE assessment documents {reference}",
                intro="Please find attached the documents for the child named in them "
                "(the risk assessment, and the plans and the letter's authorisation record "
                "where they were made).",
                files=tuple(internal),
            )
        )
    if letter is not None:
        drafts.append(Draft(group="letter", to="", subject="Letter", intro="Letter attached.",
                            files=(letter,)))  # fmt: skip
    return drafts
