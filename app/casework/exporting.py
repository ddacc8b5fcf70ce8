"""Exporting a vault case: its latest completed assessment, signed, audited with the reference.

A newer draft (a review in progress) is never exported as final: what a recipient gets is
what the practitioner completed. Exporting marks that assessment signed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from app.documents.export import ExportResult
from app.documents.export import export_case as render_and_sign
from app.documents.signing import Identity
from app.fileio import atomic_write_bytes
from app.forms import Registry
from app.storage import Repository
from app.storage.status import Status

PLANS = "plans"
PRACTITIONER_KEYS = ("name", "post", "agency", "team", "email", "phone", "address")


class NothingFinalError(ValueError):
    """The case has no completed assessment to export."""

    def __init__(self) -> None:
        super().__init__(
            "This case has no completed assessment yet. Complete the assessment first: "
            "drafts are never exported as final."
        )


def case_file_for_export(repo: Repository, case_id: int, answers: dict[str, Any]) -> dict[str, Any]:
    """The assessment's answers plus what travels with it: the case's plans and the
    practitioner's details from the profile where the assessment left them empty."""
    data = dict(answers)
    stored = repo.documents(case_id, PLANS)
    plans = stored[0][2] if stored else {}
    if plans.get("disruption_plan"):
        data["disruption_plan"] = plans["disruption_plan"]
    if (plans.get("support_plan") or {}).get("rows"):
        data["support_plan"] = plans["support_plan"]
    profile = repo.get_setting("profile", {}) or {}
    merged = {**profile, **(data.get("practitioner") or {})}
    data["practitioner"] = {k: v for k, v in merged.items() if k in PRACTITIONER_KEYS and v}
    return data


def export_case(
    repo: Repository,
    registry: Registry,
    case_id: int,
    out_dir: Path,
    identity: Identity,
    *,
    password: str | None = None,
    eml: bool = False,
    now: dt.datetime | None = None,
    unencrypted_email: bool = False,
) -> ExportResult:
    """Signed PDFs of the case's latest completed (or signed) assessment; raises
    NothingFinalError when there is none and CaseFileError for a stored case that no
    longer parses. The signer's certificate is written beside the PDFs for the receiver."""
    record = repo.latest_final(case_id)
    if record is None:
        raise NothingFinalError()
    data = case_file_for_export(repo, case_id, record.answers)
    result = render_and_sign(
        data,
        registry,
        out_dir,
        identity,
        password=password,
        eml=eml,
        now=now,
        profile=repo.get_setting("profile", {}) or {},
        unencrypted_email=unencrypted_email,
    )
    cert = out_dir / "signer-certificate.pem"
    atomic_write_bytes(cert, identity.certificate_pem())
    if record.status == Status.COMPLETED:
        repo.sign(record.id)
    repo.record_export(
        case_id,
        record.id,
        {
            "reference": result.reference,
            "documents": {d.path.name: d.reference for d in result.documents},
            "what": [p.name for p in result.written],
            "where": str(out_dir),
        },
    )
    return result
