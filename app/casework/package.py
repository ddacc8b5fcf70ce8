"""The export package of a case: which completed documents go to which recipient.

Children's Social Care get the assessment and the plans; the police referral unit the
information report(s); the letter travels on its own. Only completed documents are
offered: drafts are listed with what to do, never exported as final.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.casework import documents, letters
from app.casework.exporting import NothingFinalError, case_file_for_export
from app.casework.identity import NoSigningName
from app.casework.settings import profile as saved_profile
from app.documents import export as export_groups
from app.documents.approvals import export_fingerprints
from app.documents.export import ExportResult
from app.documents.export import export_case as render_and_sign
from app.documents.signing import Identity
from app.fileio import atomic_write_bytes
from app.forms import Registry
from app.storage import Repository
from app.storage.status import Status

SOCIAL_CARE, POLICE, LETTER_RECIPIENT = export_groups.SOCIAL_CARE, export_groups.POLICE, "letter"
RECIPIENTS = (
    (SOCIAL_CARE, "Children's Social Care", "the assessment and the plans"),
    (POLICE, "the police referral unit", "the information report(s)"),
    (LETTER_RECIPIENT, "the letter's recipient", "the disruption letter, on its own"),
)
ASSESSMENT, PLANS = "assessment", "plans"


@dataclass(frozen=True)
class Offer:
    """One document the package could hold; `why` says what to do when it is not ready."""

    kind: str
    id: int
    recipient: str
    title: str
    ready: bool
    why: str = ""


def new_password() -> str:
    """A password for the PDFs, shown once: 16 URL-safe characters (96 bits)."""
    return secrets.token_urlsafe(12)


def new_passwords(letter: bool = False) -> dict[str, str]:
    """One password per recipient group, so the police cannot open Children's Social
    Care's files nor the other way round; the letter gets its own only when asked."""
    groups = [POLICE, SOCIAL_CARE, *([LETTER_RECIPIENT] if letter else [])]
    return {group: new_password() for group in groups}


def offers(repo: Repository, registry: Registry, case_id: int) -> list[Offer]:
    tk = registry.get(repo.get_case(case_id).toolkit)
    out: list[Offer] = []
    a = repo.latest_final(case_id)
    if a is not None:
        when = letters.uk_date(a.answers.get("assessment_date"))
        out.append(Offer(ASSESSMENT, a.id, SOCIAL_CARE, f"Assessment of {when}", True))
    else:
        out.append(
            Offer(
                ASSESSMENT, 0, SOCIAL_CARE, "Assessment", False,
                "not completed yet: complete the assessment first",
            )
        )  # fmt: skip
    for doc_id, _kind, data in repo.documents(case_id, PLANS):
        if data.get("disruption_plan") or (data.get("support_plan") or {}).get("rows"):
            out.append(Offer(PLANS, doc_id, SOCIAL_CARE, "Plans", True))
    titles = {f["id"]: f["title"] for f in documents.forms(tk)}
    for d in documents.case_documents(repo, case_id):
        if d.kind == documents.REPORT:
            answers = d.data.get("answers") or {}
            victim = next((answers[k] for k in documents.CHILD_NAME if answers.get(k)), "")
            title = titles.get(str(d.form_id), "Information report")
            title = f"{title}: {victim}" if victim else title
            recipient = POLICE
        else:
            title = f"Disruption letter dated {letters.uk_date(d.data.get('date'))}"
            recipient = LETTER_RECIPIENT
        ready = d.status == documents.COMPLETED
        why = "" if ready else "a draft: open it and complete it first"
        out.append(Offer(d.kind, d.id, recipient, title, ready, why))
    return out


def case_file(
    repo: Repository, case_id: int, chosen: list[Offer], base: dict[str, Any]
) -> dict[str, Any]:
    """The case file the documents library renders: `base` (the final assessment with
    its practitioner) plus exactly the chosen, completed reports, letter and plans."""
    data = {k: v for k, v in base.items() if k not in ("information_reports", "letter")}
    kinds = {(o.kind, o.id) for o in chosen if o.ready}
    if not any(kind == PLANS for kind, _ in kinds):
        data.pop("disruption_plan", None)
        data.pop("support_plan", None)
    reports = [
        dict(d.data)
        for d in documents.case_documents(repo, case_id, documents.REPORT)
        if (d.kind, d.id) in kinds and d.status == documents.COMPLETED
    ]
    if reports:
        data["information_reports"] = reports
    letters = [
        dict(d.data)
        for d in documents.case_documents(repo, case_id, documents.LETTER)
        if (d.kind, d.id) in kinds and d.status == documents.COMPLETED
    ]
    if letters:
        data["letter"] = letters[-1]
    return data


class NothingToExport(ValueError):
    """No completed document was chosen, or the case has no completed assessment."""


def export_package(
    repo: Repository,
    registry: Registry,
    case_id: int,
    out_dir: Path,
    identity: Identity,
    chosen: list[Offer],
    *,
    passwords: dict[str, str] | None = None,
    eml: bool = False,
    now: dt.datetime | None = None,
    unencrypted_email: bool = False,
    cancelled: Callable[[], bool] | None = None,
) -> ExportResult:
    """Render, sign (and encrypt) the chosen completed documents into `out_dir`; audited.
    `unencrypted_email` is the practitioner's explicit choice to attach plain PDFs.
    `cancelled` may stop it (ExportCancelled) until the first file is written; after that
    it finishes, so what was written is always signed for and audited."""
    ready = [o for o in chosen if o.ready]
    if not ready:
        raise NothingToExport("Choose at least one completed document to export.")
    record = repo.latest_final(case_id)
    if record is None:
        raise NothingToExport(str(NothingFinalError()))
    profile = saved_profile(repo)
    if not str(profile.get("name") or "").strip():
        raise NoSigningName()  # nothing is signed in no one's name
    data = case_file(repo, case_id, ready, case_file_for_export(repo, case_id, record.answers))
    from app.casework.oversight import letter_approvals, record_authorisation

    letter_ids = [o.id for o in ready if o.kind == documents.LETTER]
    approvals = letter_approvals(repo, registry, letter_ids[-1]) if letter_ids else ()
    generated = now or dt.datetime.now()
    result = render_and_sign(
        data, registry, out_dir, identity, passwords=passwords, eml=eml, now=generated,
        profile=profile, unencrypted_email=unencrypted_email,
        assessment=any(o.kind == ASSESSMENT for o in ready), cancelled=cancelled,
        letter_approvals=approvals,
    )  # fmt: skip
    for d in result.documents:  # its countersignature, coming back, is judged against these
        if d.kind == "authorisation" and letter_ids:
            facts = letters.agreement_facts(record.answers, data.get("letter") or {})
            record_authorisation(repo, case_id, letter_ids[-1], d.path.name, facts, generated)
    sent = {(o.kind, o.id) for o in ready}
    for offer in offers(repo, registry, case_id):
        if (offer.kind, offer.id) not in sent:
            why = offer.why or "not chosen for this export"
            result.left_out.append(f"{offer.title}: {why}")
    cert = out_dir / "signer-certificate.pem"
    atomic_write_bytes(cert, identity.certificate_pem())
    result.written.append(cert)
    if record.status == Status.COMPLETED:
        repo.sign(record.id)
    repo.record_export(
        case_id,
        record.id,
        {
            "reference": result.reference,
            "what": [p.name for p in result.written],
            "where": str(out_dir),
            "documents": {d.path.name: d.reference for d in result.documents},
            "sha256": export_fingerprints(
                [(d.path.name, d.path.read_bytes()) for d in result.documents]
            ),
            "chosen": [f"{o.kind}:{o.id}" for o in ready],
            "encrypted": sorted(g for g, v in (passwords or {}).items() if v),
        },
    )
    return result
