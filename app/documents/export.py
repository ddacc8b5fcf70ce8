"""One export routine for the CLI and the app: case → signed (optionally encrypted) PDFs.

The caller says whether the assessment is final (`draft=False`, the default) or a draft
(`draft=True`): a draft is watermarked DRAFT on every page and signed with a reason that
says so, and never produces a letter. A case that is not complete is refused as final.
Files are written atomically (temporary file, fsync, rename), so a failure such as a
full disk leaves any earlier file as it was and is reported.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.documents.authorisation import TITLE as AUTHORISATION_TITLE
from app.documents.authorisation import authorisation_pdf
from app.documents.content import assessment_pdf, plans_pdf
from app.documents.fonts import first_unprintable
from app.documents.layout import long_date
from app.documents.letter import LetterRefused, letter_pdf
from app.documents.mail import draft_message, plan_drafts
from app.documents.reports import information_report_pdf, report_kind
from app.documents.signing import (
    DRAFT_REASON,
    FINAL_REASON,
    CertificateInfo,
    Identity,
    check_identity,
    encrypt,
    sign,
)
from app.fileio import atomic_write_bytes, make_private_dir
from app.forms import Registry
from app.rules import CaseFileError, LetterApproval, assess, check_completion, parse_case


class NotFinal(CaseFileError):
    """Asked for a final export of an assessment that is not complete."""


POLICE, SOCIAL_CARE, LETTER = "police", "social_care", "letter"
GROUP_NAMES = {
    POLICE: "the police referral unit",
    SOCIAL_CARE: "Children's Social Care",
    LETTER: "the letter's recipient",
}


def group_of(kind: str) -> str:
    """Who receives a document of this kind: each group has its own password."""
    if kind.startswith("information"):
        return POLICE
    return LETTER if kind == "letter" else SOCIAL_CARE


class SamePassword(ValueError):
    """Two recipient groups were given one password: either could open the other's files."""


class UnencryptedEmail(ValueError):
    """Email drafts were asked for without a password and without choosing plain PDFs."""


class ExportCancelled(Exception):
    """The practitioner cancelled an export; nothing was written."""


@dataclass(frozen=True)
class ExportedDocument:
    """One file written: what it is, where, and the reference printed on it (the letter
    prints none; its reference is kept here so the audit can still trace it)."""

    kind: str  # assessment, information-report, information-request, plans, letter,
    # authorisation (the letter's authorisation record), email
    path: Path
    reference: str
    title: str


@dataclass
class ExportResult:
    written: list[Path] = field(default_factory=list)
    letter_refused: list[str] = field(default_factory=list)
    reference: str = ""
    documents: list[ExportedDocument] = field(default_factory=list)
    draft: bool = False
    fingerprint: str = ""
    warnings: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # each document not sent, and why


def export_case(
    data: Any,
    registry: Registry,
    out_dir: Path,
    identity: Identity,
    *,
    passwords: Mapping[str, str] | None = None,
    eml: bool = False,
    now: dt.datetime | None = None,
    draft: bool = False,
    profile: Mapping[str, Any] | None = None,
    unencrypted_email: bool = False,
    assessment: bool = True,
    cancelled: Callable[[], bool] | None = None,
    letter_approvals: Sequence[LetterApproval] = (),
    authorisation_only: bool = False,
) -> ExportResult:
    """Validate, assess, render, sign and write.

    `letter_approvals`: managers' countersignatures of the letter's authorisation record
    found in the vault (the rules say whether one meets the Head of Service agreement).
    `authorisation_only`: only the letter's authorisation record, for the manager to
    countersign before the letter is sent (the caller checks nothing else is missing).

    `cancelled` is asked after each document is rendered and once more before the first
    file is written: a cancelled export raises ExportCancelled having written nothing.

    Raises CaseFileError for a bad case, NotFinal when `draft` is False but the case is
    not complete, IdentityProblem for a certificate that must not sign, and
    UnencryptedEmail when `eml` is asked without passwords or `unencrypted_email`.
    `passwords` holds one password per recipient group (`police`, `social_care`, and
    `letter` only when the practitioner asks for the letter to be encrypted): each group's
    PDFs open with its own password only, and the letter never opens with another's.
    `profile` gives the letterhead (organisation, address, telephone) and the sender's
    email; the practitioner's details in the case are used where it is silent.
    """
    generated = now or dt.datetime.now()
    redated = None
    if not draft and isinstance(data, Mapping) and isinstance(data.get("letter"), Mapping):
        signed_on = generated.date().isoformat()  # a letter is dated the day it is signed
        if data["letter"].get("date") != signed_on:
            redated = data["letter"].get("date")
            data = {**data, "letter": {**data["letter"], "date": signed_on}}
    case = parse_case(data, registry)
    tk = registry.get(case.toolkit)
    if not draft:
        problems = list(check_completion(tk, dict(data)).problems)  # the one rule
        if problems:
            raise NotFinal(
                problems[0].field,
                "not completed, so it cannot be exported as final: "
                + "; ".join(pr.message for pr in problems)
                + ". Complete it, or export it as a draft (marked DRAFT).",
            )
    bad = first_unprintable(tk, data)
    if bad:
        raise CaseFileError(*bad)
    passwords = {k: v for k, v in (passwords or {}).items() if v}
    if len(set(passwords.values())) < len(passwords):
        raise SamePassword(
            "Each recipient group needs its own password: one password would let one "
            "group open another's files."
        )
    if eml and not passwords and not unencrypted_email:
        raise UnencryptedEmail(
            "Email drafts attach the PDFs: give a password to encrypt them, or choose "
            "explicitly to attach them unencrypted."
        )
    info = check_identity(identity)
    result = assess(case, tk, letter_approvals)
    base = f"CRE-{generated:%Y%m%d}-{secrets.token_hex(3).upper()}"
    practitioner = dict(case.practitioner)
    export = ExportResult(reference=base, draft=draft, fingerprint=info.fingerprint)
    reason = DRAFT_REASON if draft else FINAL_REASON
    pending: list[tuple[ExportedDocument, bytes, dict[str, Any]]] = []

    signer_name, signer_post = sign_off(practitioner, profile, info)

    def slot() -> dict[str, Any]:
        return _slot(signer_name, signer_post, info, generated, draft)

    def stop_if_cancelled() -> None:
        if cancelled is not None and cancelled():
            raise ExportCancelled("Export cancelled: nothing was written.")

    def add(kind: str, suffix: str, title: str, render: Any) -> None:
        stop_if_cancelled()
        reference = f"{base}-{suffix}"
        where = slot()
        pdf = render(reference, where)
        name = f"{kind}-{reference}{'-DRAFT' if draft else ''}.pdf"  # a draft says so
        pending.append((ExportedDocument(kind, out_dir / name, reference, title), pdf, where))

    if assessment:  # the package export may send, say, only the letter
        add(
            "assessment",
            "A",
            "Risk assessment",
            lambda ref, where: assessment_pdf(tk, case, result, ref, generated, where, draft),
        )
    forms = {f["id"]: f for f in tk.data["information_forms"]}
    reports = list(case.extras.get("information_reports", []))
    for n, report in enumerate(reports, 1):
        form = forms[report["form"]]
        same = [r for r in reports if r["form"] == report["form"]]
        place = (same.index(report) + 1, len(same))
        add(
            report_kind(form),
            f"R{n}",
            str(form["title"]),
            _report(tk, case, result, report, place, generated, draft),
        )
    if case.extras.get("disruption_plan") or case.extras.get("support_plan"):
        add(
            "plans",
            "P",
            "Plans",
            lambda ref, where: plans_pdf(tk, case, ref, generated, where, draft),
        )
    if "letter" in case.extras and authorisation_only:
        add(  # for the Head of Service's agreement, by countersigning it
            "authorisation",
            "LA",
            AUTHORISATION_TITLE,
            lambda ref, where: authorisation_pdf(tk, case, result, ref, generated, where),
        )
    elif "letter" in case.extras:
        if draft:
            export.letter_refused = ["A draft assessment cannot produce the letter."]
        else:
            try:
                where = slot()
                pdf = letter_pdf(tk, case, result, generated, where, profile)
                # neither the name nor the document carries the internal reference
                name = f"letter-{secrets.token_hex(3)}.pdf"
                doc = ExportedDocument("letter", out_dir / name, f"{base}-L", "Letter")
                pending.append((doc, pdf, where))
                add(  # for Children's Social Care: why it could be sent, who agreed, when
                    "authorisation",
                    "LA",
                    AUTHORISATION_TITLE,
                    lambda ref, where: authorisation_pdf(tk, case, result, ref, generated, where),
                )
                if redated:
                    export.warnings.append(
                        f"The letter is dated {long_date(generated.date())}, the day it is "
                        f"signed (its draft was dated {_said_date(redated)}); its conditions "
                        "were checked on that day."
                    )
            except LetterRefused as refused:
                export.letter_refused = refused.unmet
    signer = signer_name
    ready: list[tuple[ExportedDocument, bytes]] = []
    for doc, pdf, where in pending:  # everything signed in memory before anything is written
        stop_if_cancelled()
        password = passwords.get(group_of(doc.kind))
        if password is not None:
            pdf = encrypt(pdf, password)
        signed = sign(pdf, identity, signer_name=signer, slot=where, password=password,
                      reason=reason)  # fmt: skip
        ready.append((doc, signed))
    stop_if_cancelled()
    make_private_dir(out_dir)  # 0700; only now, so a refused export leaves no folder
    for doc, signed in ready:
        atomic_write_bytes(doc.path, signed)
        export.written.append(doc.path)
        export.documents.append(doc)
    if eml:
        _write_emails(export, forms, reports, base, profile, practitioner, generated, case)
        plain = sorted(
            {GROUP_NAMES[group_of(d.kind)] for d in export.documents if d.kind != "email"}
            - {GROUP_NAMES[g] for g in passwords}
            - {GROUP_NAMES[LETTER]}  # the letter discloses nothing and goes on its own
        )
        if plain:
            export.warnings.append(
                "The email drafts attach UNENCRYPTED PDFs (for "
                + " and ".join(plain)
                + "): anyone who sees the email can read them. Send them only through "
                "secure email."
            )
    return export


def _said_date(value: Any) -> str:
    try:
        return long_date(str(value))
    except ValueError:
        return str(value)


def _report(
    tk: Any, case: Any, result: Any, report: dict[str, Any], place: tuple[int, int],
    generated: dt.datetime, draft: bool,
) -> Any:  # fmt: skip
    """The renderer of one information report (a closure per report, not per loop)."""

    def render(reference: str, where: dict[str, Any]) -> bytes:
        number, of = place
        return information_report_pdf(
            tk, case, result, report, number, of, reference, generated, where, draft
        )

    return render


def sign_off(
    practitioner: Mapping[str, Any], profile: Mapping[str, Any] | None, info: CertificateInfo
) -> tuple[str, str]:
    """Who signs, as the sign-off prints it: the person exporting (the vault's profile),
    not the case's practitioner: a colleague's imported case is signed by the current
    user, while "Assessment completed by" keeps the colleague's name. Without a profile
    (a case file signed outside a vault) the case's practitioner is the one signing."""
    me = dict(profile or {})
    if str(me.get("name") or "").strip():
        return str(me["name"]).strip(), str(me.get("post") or "").strip()
    name = str(practitioner.get("name") or info.signer)
    return name, str(practitioner.get("post") or "")


def _slot(
    name: str, post: str, info: CertificateInfo, generated: dt.datetime, draft: bool
) -> dict[str, Any]:
    return {
        "name": name,
        "post": post,
        "date": long_date(generated.date()),
        "signed_at": f"{long_date(generated.date())} {generated:%H:%M}",
        "signer": info.signer,
        "issuer": info.issuer,
        "self_signed": info.self_signed,
        "fingerprint": info.fingerprint,
        "draft": draft,
    }


def report_area(
    report: Mapping[str, Any], child: Mapping[str, Any], letter: Mapping[str, Any]
) -> str:
    """The child's local authority area as the case says it, for the address of the area:
    the report's own "Area of residence", else the child's responsible local authority or
    address, else the authority the letter is sent by."""
    answers = report.get("answers") or {}
    for value in (
        answers.get("area_residence"),
        child.get("responsible_local_authority"),
        child.get("address"),
        str(letter.get("local_authority") or "").replace("_", " "),
        letter.get("sending_authority"),
    ):
        if value:
            return str(value)
    return ""


def _write_emails(
    export: ExportResult,
    forms: Mapping[str, Any],
    reports: list[dict[str, Any]],
    base: str,
    profile: Mapping[str, Any] | None,
    practitioner: Mapping[str, Any],
    generated: dt.datetime,
    case: Any,
) -> None:
    child = dict(case.child)
    letter_data = dict(case.extras.get("letter") or {})
    docs = list(export.documents)
    report_docs = [d for d in docs if d.kind.startswith("information")]
    pairs = [(forms[r["form"]], d.path) for r, d in zip(reports, report_docs, strict=True)]
    internal = [d.path for d in docs if d.kind in ("assessment", "plans", "authorisation")]
    letter = next((d for d in docs if d.kind == "letter"), None)
    sender = str((profile or {}).get("email") or practitioner.get("email") or "")
    areas = [report_area(r, child, letter_data) for r in reports]
    own = dict(profile or {})
    areas = [area or str(own.get("area") or "") for area in areas]
    for draft in plan_drafts(pairs, internal, letter.path if letter else None, base, areas, own):
        if draft.group == "letter" and letter is not None:
            name = f"email-{letter.path.stem}.eml"
        else:
            name = f"email-{draft.group}-{base}.eml"
        target = export.written[0].parent / name
        atomic_write_bytes(target, draft_message(draft, sender, generated))
        export.written.append(target)
        export.documents.append(ExportedDocument("email", target, base, draft.subject))
