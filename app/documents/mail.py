"""Email drafts, one per recipient group, that Outlook and Thunderbird open as unsent.

The police unit gets the information reports, Children's Social Care the assessment and
plans, and the letter travels alone. Subjects name no child; the password is never in a
message; attachments are the (normally encrypted) PDFs.
"""

from __future__ import annotations

import datetime as dt
import email.policy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

# Headers are never folded: a folded Subject reads back with a leading space in some clients.
NO_FOLDING = email.policy.default.clone(max_line_length=998)
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
    message = EmailMessage(policy=NO_FOLDING)
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
        if not draft.to:
            lines += ["Where it names one address per area, use the child's area's.", ""]
    lines.append(SECURE)
    message.set_content("\n".join(lines) + "\n")
    for path in draft.files:
        message.add_attachment(
            path.read_bytes(), maintype="application", subtype="pdf", filename=path.name
        )
    return bytes(message)


# Where a toolkit gives one address per local authority area, which recipient serves
# which area (the words that name the area, the most specific first).
AREA_RECIPIENTS: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "csep_referral": [
        ("serac_central_beds", "Central Bedfordshire", ("central bedfordshire",)),
        ("csep_luton_bedford", "Luton or Bedford Borough", ("luton", "bedford")),
    ],
    "operation_liberty": [
        ("county", "Derbyshire (county)", ("derbyshire", "county")),
        ("city", "Derby City", ("derby city", "city", "derby")),
    ],
}


def area_recipient(form: Mapping[str, Any], area: str) -> tuple[str, list[str]]:
    """The address for the child's area ("" when the area is unknown or matches none),
    and the toolkit's other addresses, each said with its area."""
    recipients = {str(r["id"]): r for r in form.get("recipients", ()) if isinstance(r, dict)}
    served = [(rid, label, words) for rid, label, words in AREA_RECIPIENTS.get(
        str(form["id"]), []) if rid in recipients and recipients[rid].get("email")]  # fmt: skip
    if not served:
        emails = [str(r["email"]) for r in recipients.values() if r.get("email")]
        return (emails[0] if emails else ""), emails[1:]
    said = area.casefold()
    chosen = next((rid for rid, _label, words in served if any(w in said for w in words)), "")
    others = [
        f"{recipients[rid]['email']} ({label})" for rid, label, _words in served if rid != chosen
    ]
    rest = [
        str(r["email"])
        for rid, r in recipients.items()
        if r.get("email") and rid not in {x[0] for x in served}
    ]
    return (str(recipients[chosen]["email"]) if chosen else ""), others + rest


def plan_drafts(
    reports: Sequence[tuple[dict[str, object], Path]],
    internal: Sequence[Path],
    letter: Path | None,
    reference: str,
    areas: Sequence[str] = (),
    own: Mapping[str, Any] | None = None,
) -> list[Draft]:
    """Group the documents by who receives them. `reports` pairs each report's form
    definition with its file; `areas` gives each report's child's local authority area,
    which picks the address where the toolkit has one per area; `own` holds the
    practitioner's organisation's addresses (Children's Social Care's front door, their
    MASH) for the drafts the toolkit gives no address for."""
    drafts: list[Draft] = []
    own = own or {}
    by_to: dict[tuple[str, str], list[tuple[dict[str, object], Path, list[str]]]] = {}
    for n, (form, path) in enumerate(reports):
        area = areas[n] if n < len(areas) else ""
        to, also = area_recipient(form, area)
        by_to.setdefault((str(form["id"]), to), []).append((form, path, also))
    for (form_id, to), items in by_to.items():
        form = items[0][0]
        group = f"police-{form_id.replace('_', '-')}"
        if len([k for k in by_to if k[0] == form_id]) > 1:
            group += f"-{len([d for d in drafts if d.group.startswith(group)]) + 1}"
        mash = str(own.get("mash_email") or "")
        drafts.append(
            Draft(
                group=group,
                to=to or mash,
                subject=f"Confidential: OFFICIAL-SENSITIVE information "
                f"{'request' if form.get('purpose') == 'request' else 'report'} {reference}",
                intro=f"Please find attached {len(items)} {form['title']} form(s).",
                files=tuple(path for _form, path, _also in items),
                also=tuple(items[0][2]),
            )
        )
    if internal:
        drafts.append(
            Draft(
                group="social-care",
                to=str(own.get("social_care_email") or ""),
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
