"""One export routine for the CLI and the app: case → signed (optionally encrypted) PDFs.

Files are written atomically (temporary file, fsync, rename), so a failure such as a
full disk leaves any earlier file as it was and is reported.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from app.documents.content import (
    LetterRefused,
    assessment_pdf,
    information_report_pdf,
    letter_pdf,
    plans_pdf,
)
from app.documents.signing import Identity, encrypt, sign
from app.fileio import atomic_write_bytes
from app.forms import Registry
from app.rules import assess, parse_case


@dataclass
class ExportResult:
    written: list[Path] = field(default_factory=list)
    letter_refused: list[str] = field(default_factory=list)
    reference: str = ""


def _finish(
    pdf: bytes,
    identity: Identity,
    slot: dict[str, Any],
    practitioner: dict[str, Any],
    password: str | None,
) -> bytes:
    if password is not None:
        pdf = encrypt(pdf, password)
    return sign(
        pdf,
        identity,
        signer_name=str(practitioner.get("name") or "Practitioner"),
        signer_post=str(practitioner.get("post") or ""),
        slot=slot,
        password=password,
    )


def export_case(
    data: Any,
    registry: Registry,
    out_dir: Path,
    identity: Identity,
    *,
    password: str | None = None,
    eml: bool = False,
    now: dt.datetime | None = None,
) -> ExportResult:
    """Validate, assess, render, sign and write; raises CaseFileError for a bad case."""
    case = parse_case(data, registry)
    tk = registry.get(case.toolkit)
    result = assess(case, tk)
    generated = now or dt.datetime.now()
    reference = f"CRE-{generated:%Y%m%d}-{secrets.token_hex(3).upper()}"
    practitioner = dict(case.practitioner)
    out_dir.mkdir(parents=True, exist_ok=True)
    export = ExportResult(reference=reference)
    documents: list[tuple[str, bytes, dict[str, Any]]] = []

    def new_slot() -> dict[str, Any]:
        return {
            "name": str(practitioner.get("name") or ""),
            "post": str(practitioner.get("post") or ""),
            "date": generated.strftime("%d %B %Y"),
        }

    slot = new_slot()
    documents.append(
        (
            f"assessment-{reference}.pdf",
            assessment_pdf(tk, case, result, reference, generated, slot),
            slot,
        )
    )
    if case.extras.get("information_reports"):
        slot = new_slot()
        documents.append(
            (
                f"information-report-{reference}.pdf",
                information_report_pdf(tk, case, reference, generated, slot),
                slot,
            )
        )
    if case.extras.get("disruption_plan") or case.extras.get("support_plan"):
        slot = new_slot()
        documents.append(
            (f"plans-{reference}.pdf", plans_pdf(tk, case, reference, generated, slot), slot)
        )
    if "letter" in case.extras:
        slot = new_slot()
        try:
            documents.append(
                (
                    # no internal reference in the name the recipient may see
                    f"letter-{secrets.token_hex(3)}.pdf",
                    letter_pdf(tk, case, result, reference, generated, slot),
                    slot,
                )
            )
        except LetterRefused as refused:
            export.letter_refused = refused.unmet
    for name, pdf, where in documents:
        target = out_dir / name
        atomic_write_bytes(target, _finish(pdf, identity, where, practitioner, password))
        export.written.append(target)
    if eml:
        target = out_dir / "send.eml"
        atomic_write_bytes(target, email_package(export.written, reference))
        export.written.append(target)
    return export


def email_package(files: list[Path], reference: str) -> bytes:
    """A covering email with the PDFs attached: no personal data, never the password."""
    message = EmailMessage()
    message["Subject"] = f"OFFICIAL-SENSITIVE: CRE Toolkit documents {reference}"
    message.set_content(
        "Please find attached documents produced with CRE Toolkit "
        f"(reference {reference}).\n\n"
        "Send this only through secure email (CJSM or your organisation's accredited "
        "service). If the documents are password-protected, the password will reach you by "
        "another route; it is never sent in this email.\n"
    )
    for path in files:
        message.add_attachment(
            path.read_bytes(), maintype="application", subtype="pdf", filename=path.name
        )
    return bytes(message)
