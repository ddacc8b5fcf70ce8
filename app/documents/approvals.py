"""Every signature on a document, in order, and a manager's countersignature.

Why: the toolkits make a manager part of the process (Derby 2020: medium or high outcomes
"referred immediately to a manager"; a letter only with Head of Service agreement). A
manager countersigns the practitioner's signed PDF in their own vault, offline, as a
second approval signature added in an incremental update: the practitioner's bytes stay
exactly as signed, and pyHanko's difference analysis tells a later signature (allowed)
from any other change (refused). The countersignature locks every form field.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from app.documents.pyhanko_offline import defer_network_clients
from app.documents.signing import Identity, _signer

APPROVAL_REASON = "Approved by the manager named in this signature"
POST_MARK = ". Post: "  # the approver's post, in the signed /Reason after APPROVAL_REASON


class ApprovalRefused(ValueError):
    """A document that must not be countersigned, said in words."""


@dataclass(frozen=True)
class SignatureReport:
    """One signature as a reader of the document needs it."""

    field: str
    signer: str
    time: str | None  # as the signer's clock claimed (offline signatures have no timestamp)
    intact: bool
    valid: bool
    trusted: bool
    self_signed: bool
    fingerprint: str
    modification: str  # what changed in the file after this signature
    post: str = ""  # an approver's post, as their countersignature states it

    @property
    def broken(self) -> bool:
        return not (self.intact and self.valid) or self.modification == "other changes"

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("field")
        data.pop("post")  # the --json contract lists what every signature has
        return data

    def line(self) -> str:
        state = "intact and valid" if not self.broken else "BROKEN"
        if self.modification == "other changes":
            state = "BROKEN: the document was changed after this signature"
        elif not self.intact:
            state = "BROKEN: the signed bytes were changed"
        elif not self.valid:
            state = "BROKEN: the signature does not validate"
        trust = "trusted" if self.trusted else ("self-signed" if self.self_signed else "untrusted")
        when = self.time or "no time given"
        who = f"{self.signer}, {self.post}" if self.post else self.signer
        return f"{who}, signed {when}: {state}; {trust}, certificate {self.fingerprint}"


def countersignatures(reports: Sequence[SignatureReport]) -> list[SignatureReport]:
    """The approvals on a document: every signature after the first by someone other than
    its first signer (a practitioner re-signing their own document does not approve it).
    One rule for recording an approval and for checking a copy that came with a handover."""
    if not reports:
        return []
    first = reports[0].fingerprint
    return [r for r in reports[1:] if r.fingerprint != first]


_MODIFICATIONS = {
    "NONE": "none",
    "LTA_UPDATES": "none",
    "FORM_FILLING": "later signatures or form filling only",
    "ANNOTATIONS": "annotations only",
    "OTHER": "other changes",
}


def _fingerprint(cert: Any) -> str:
    digest = cert.sha256.hex().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def _reader(pdf: bytes, password: str | None) -> Any:
    defer_network_clients()
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    except Exception as exc:  # pyHanko raises several kinds for a damaged file
        why = exc.__class__.__name__
        raise ApprovalRefused(f"this is not a PDF the app can read ({why})") from None
    if reader.encrypted:
        if password is None:
            raise ApprovalRefused("the PDF is encrypted; give its password (CRE_PDF_PASSWORD)")
        result = reader.decrypt(password)
        if getattr(result, "status", None) is not None and result.status.name == "FAILED":
            raise ApprovalRefused("the PDF's password is not right")
    return reader


def describe_signatures(
    pdf: bytes, trusted: Iterable[bytes] = (), password: str | None = None
) -> list[SignatureReport]:
    """Each embedded signature in the order it was applied, checked by pyHanko.

    `trusted`: DER certificates the reader trusts (colleagues' certificates kept in the
    vault); any other signer is checked against its own certificate and reported as
    self-signed (or untrusted), never silently as trusted.
    """
    from pyhanko.pdf_utils.misc import PdfError

    try:
        return _describe(pdf, trusted, password)
    except PdfError as exc:  # read lazily: damage or a decoding bomb shows up only here
        raise ApprovalRefused(_unreadable(exc)) from None


def _unreadable(exc: BaseException) -> str:
    if exc.__class__.__name__ == "PdfDecodeLimitError":
        return "the PDF holds more data than a document can; it was not read further"
    return f"the PDF is damaged and cannot be read ({exc.__class__.__name__})"


def _describe(pdf: bytes, trusted: Iterable[bytes], password: str | None) -> list[SignatureReport]:
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    roots = [asn1_x509.Certificate.load(der) for der in trusted]
    known = {c.sha256 for c in roots}
    reader = _reader(pdf, password)
    reports = []
    for embedded in reader.embedded_signatures:
        cert = embedded.signer_cert
        self_signed = cert.self_signed in ("maybe", "yes")
        context = ValidationContext(trust_roots=[*roots, cert], allow_fetching=False)
        try:
            status = validate_pdf_signature(embedded, context)
        except Exception:  # a signature pyHanko cannot even parse is broken, not a crash
            reports.append(
                SignatureReport(
                    embedded.field_name,
                    _signer_name(cert),
                    None,
                    False,
                    False,
                    False,
                    self_signed,
                    _fingerprint(cert),
                    "other changes",
                )
            )
            continue
        when = embedded.self_reported_timestamp
        level = getattr(status.modification_level, "name", "OTHER")
        if not status.docmdp_ok:
            level = "OTHER"
        reports.append(
            SignatureReport(
                field=embedded.field_name,
                signer=_signer_name(cert),
                time=when.isoformat(timespec="seconds") if when else None,
                intact=bool(status.intact),
                valid=bool(status.valid),
                trusted=cert.sha256 in known,
                self_signed=self_signed,
                fingerprint=_fingerprint(cert),
                modification=_MODIFICATIONS.get(level, "other changes"),
                post=_post(embedded),
            )
        )
    return reports


def _post(embedded: Any) -> str:
    """The post an approval signature states (inside the signed signature dictionary, so
    it is the manager's own statement, not something added later)."""
    try:  # indexing resolves the value (and decrypts it in an encrypted PDF)
        reason = str(embedded.sig_object["/Reason"])
    except KeyError:
        return ""
    if not reason.startswith(APPROVAL_REASON) or POST_MARK not in reason:
        return ""
    return reason.split(POST_MARK, 1)[1].strip()[:200]


def approval_reason(post: str) -> str:
    """The /Reason of a countersignature: that it approves, and the approver's post."""
    post = " ".join(post.split())[:200]
    return f"{APPROVAL_REASON}{POST_MARK}{post}" if post else APPROVAL_REASON


def _signer_name(cert: Any) -> str:
    subject = cert.subject.native
    name = subject.get("common_name") or subject.get("organization_name") or "unnamed signer"
    agency = subject.get("organization_name")
    return f"{name} ({agency})" if agency and agency != name else str(name)


def countersign(
    pdf: bytes,
    identity: Identity,
    *,
    signer_name: str,
    password: str | None = None,
    trusted: Iterable[bytes] = (),
    reason: str = APPROVAL_REASON,
) -> bytes:
    """Add the manager's approval signature; refuse a document with no signature, a broken
    one, or any change since its last signature."""
    reports = describe_signatures(pdf, trusted, password)
    if not reports:
        raise ApprovalRefused("the document has no signature to countersign")
    for report in reports:
        if report.broken:
            raise ApprovalRefused(
                f"the signature of {report.signer} is broken or the document was changed "
                "after it was signed; ask for the document again as it was sent"
            )
    from pyhanko.pdf_utils.misc import PdfError

    try:
        return _countersign(pdf, identity, reports, signer_name, password, reason)
    except PdfError as exc:
        raise ApprovalRefused(_unreadable(exc)) from None


def _countersign(
    pdf: bytes,
    identity: Identity,
    reports: list[SignatureReport],
    signer_name: str,
    password: str | None,
    reason: str,
) -> bytes:
    if _changed_after_last_signature(pdf, password):
        raise ApprovalRefused(
            "the document was changed after its last signature; ask for it again as it was sent"
        )
    defer_network_clients()
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import NoOpStampStyle

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    if password is not None:
        writer.encrypt(password)
    taken = {r.field for r in reports}
    name = next(f"Approval{n}" for n in range(1, 100) if f"Approval{n}" not in taken)
    fields.append_signature_field(
        writer,
        fields.SigFieldSpec(
            sig_field_name=name,
            field_mdp_spec=fields.FieldMDPSpec(fields.FieldMDPAction.ALL),
        ),
    )
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        name=signer_name[:200],
        reason=reason,
    )
    out = io.BytesIO()
    signers.PdfSigner(meta, signer=_signer(identity), stamp_style=NoOpStampStyle()).sign_pdf(
        writer, output=out
    )
    return out.getvalue()


def _changed_after_last_signature(pdf: bytes, password: str | None) -> bool:
    """Bytes appended after the last signature (another incremental update) are a change
    the signatures' own checks may call harmless; a countersignature must cover the
    document exactly as its last signer left it."""
    reader = _reader(pdf, password)
    last = reader.embedded_signatures[-1]
    start, length = last.byte_range[2], last.byte_range[3]
    return bool(start + length < len(pdf.rstrip(b"\r\n\0 ")))


def export_fingerprints(files: list[tuple[str, bytes]]) -> dict[str, list[Any]]:
    """What an export records of each document (SHA-256 and size), so that a copy coming
    back countersigned is recognised: a countersignature only appends to the file."""
    return {name: [hashlib.sha256(data).hexdigest(), len(data)] for name, data in files}
