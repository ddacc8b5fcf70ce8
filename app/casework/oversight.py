"""Oversight and continuity without a server: identities, colleagues, countersignatures,
approvals coming back, and a case handed to a colleague.

Why in casework: the app and the command line call these same functions; the vault only
stores what they decide (settings, documents, audit entries). A handed-over case is
encrypted to the colleague's certificate with HPKE (RFC 9180, from `cryptography`) or, for
an RSA certificate, CMS enveloped data, and signed by the sender, so only the holder of that
certificate's key can read it and the receiver knows who sent it.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.casework import handover_approvals
from app.casework.assessments import handed_over
from app.casework.identity import signing_identity
from app.casework.settings import PROFILE
from app.casework.settings import profile as saved_profile
from app.documents.approvals import (
    SignatureReport,
    approval_reason,
    countersign,
    countersignatures,
    describe_signatures,
)
from app.forms import Registry
from app.storage import Repository

COLLEAGUES = "colleagues"
RECEIVED = "handovers_received"
HANDOVER = "handover"
APPROVAL = handover_approvals.APPROVAL
APPROVAL_COPY = handover_approvals.APPROVAL_COPY
MAX_APPROVAL_PDF_BYTES = handover_approvals.MAX_COPY_BYTES
FORMAT = "cre-handover"
# 1: the case, its reports, newest letter and earlier versions; 2: also its approvals (each
# with its countersigned copy, where kept) and the letter's authorisation records
# (app.casework.handover_approvals). The sealing and the signature are the same in both, so
# a receiver takes either; one that knows only 1 would import a 2 without its approvals,
# which is why the version says what the payload holds.
HANDOVER_VERSION = 2
KNOWN_VERSIONS = (1, 2)
MAX_HANDOVER_BYTES = 64 * 1024 * 1024


class OversightError(ValueError):
    """A refusal said in words; nothing was written."""


@dataclass(frozen=True)
class Colleague:
    name: str
    fingerprint: str
    pem: str


def _cert(pem_or_der: bytes) -> Any:
    from cryptography import x509

    try:
        if b"-----BEGIN" in pem_or_der:
            return x509.load_pem_x509_certificate(pem_or_der)
        return x509.load_der_x509_certificate(pem_or_der)
    except ValueError:
        raise OversightError("that is not a certificate (a .pem file from a colleague)") from None


def _fingerprint(cert: Any) -> str:
    from cryptography.hazmat.primitives import hashes

    digest = cert.fingerprint(hashes.SHA256()).hex().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def _current(cert: Any, now: dt.datetime) -> bool:
    """Whether a certificate is within its validity dates at `now`."""
    return bool(cert.not_valid_before_utc <= now <= cert.not_valid_after_utc)


def _name(cert: Any) -> str:
    from cryptography.x509.oid import NameOID

    for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME):
        found = cert.subject.get_attributes_for_oid(oid)
        if found:
            return str(found[0].value)
    return "an unnamed holder"


def _own(repo: Repository) -> tuple[Any, Any]:
    from cryptography.hazmat.primitives.serialization import pkcs12

    identity = signing_identity(repo)
    key, cert, _ = pkcs12.load_key_and_certificates(identity.pkcs12, identity.password)
    if key is None or cert is None:
        raise OversightError("this vault's signing identity holds no key")
    return key, cert


def own_certificate_pem(repo: Repository) -> bytes:
    """This practitioner's certificate, for colleagues to trust and hand cases to."""
    from cryptography.hazmat.primitives.serialization import Encoding

    return bytes(_own(repo)[1].public_bytes(Encoding.PEM))


def set_profile(repo: Repository, **changes: str) -> dict[str, str]:
    """Change the profile; a personal certificate made for another name is made again, so
    nothing is ever signed in a name the profile no longer holds."""
    from app.casework.identity import certificate_name

    profile = saved_profile(repo)
    before = certificate_name(profile) or None
    profile.update({k: v.strip() for k, v in changes.items() if v is not None})
    repo.set_setting(PROFILE, profile)
    if (certificate_name(profile) or None) != before and repo.get_setting("signing_identity"):
        _key, cert = _own(repo)
        made_here = cert.issuer == cert.subject and _name(cert) in (before, "Practitioner")
        if made_here:  # an organisation's certificate is kept whatever the profile says
            repo.set_setting("signing_identity", None)
    if profile.get("name"):  # made on Save, from the saved profile (or its role)
        signing_identity(repo)
    return profile


def colleagues(repo: Repository) -> list[Colleague]:
    return [Colleague(**c) for c in repo.get_setting(COLLEAGUES, []) or []]


def trust_colleague(repo: Repository, pem: bytes) -> Colleague:
    """Keep a colleague's certificate: their signatures show as trusted, cases can be
    handed to them, and their handovers are accepted."""
    from cryptography.hazmat.primitives.serialization import Encoding

    cert = _cert(pem)
    found = Colleague(_name(cert), _fingerprint(cert), cert.public_bytes(Encoding.PEM).decode())
    kept = [c for c in colleagues(repo) if c.fingerprint != found.fingerprint]
    repo.set_setting(COLLEAGUES, [c.__dict__ for c in [*kept, found]])
    return found


def _trusted_der(repo: Repository | None) -> list[bytes]:
    if repo is None:
        return []
    from cryptography.hazmat.primitives.serialization import Encoding

    from app.casework.identity import stored_identity

    out = []
    if stored_identity(repo) is not None:  # a vault with no name yet has signed nothing
        out.append(bytes(_own(repo)[1].public_bytes(Encoding.DER)))
    for colleague in colleagues(repo):
        out.append(bytes(_cert(colleague.pem.encode()).public_bytes(Encoding.DER)))
    return out


def verify_document(
    pdf: bytes, repo: Repository | None = None, password: str | None = None
) -> list[SignatureReport]:
    """Every signature, in order; trusted when the signer is this vault's owner or a
    colleague whose certificate it keeps."""
    return describe_signatures(pdf, _trusted_der(repo), password)


def countersign_document(repo: Repository, pdf: bytes, password: str | None = None) -> bytes:
    """The manager's approval on a practitioner's signed document (audited here)."""
    profile = saved_profile(repo)
    name = str(profile.get("name") or "").strip()
    if not name:
        raise OversightError("set your name in Profile and settings before countersigning")
    mine = _fingerprint(_own(repo)[1])  # written as the signature reports write it
    before = describe_signatures(pdf, _trusted_der(repo), password)
    if any(r.fingerprint == mine for r in before):
        raise OversightError(
            "you have already signed this document; a countersignature must be someone else's"
        )
    signed = countersign(
        pdf, signing_identity(repo), signer_name=name, password=password,
        trusted=_trusted_der(repo), reason=approval_reason(str(profile.get("post") or "")),
    )  # fmt: skip
    reports = describe_signatures(signed, _trusted_der(repo), password)
    repo.record_event(
        "countersigned",
        "document",
        None,
        {"sha256": hashlib.sha256(pdf).hexdigest(), "signers": [r.signer for r in reports]},
    )
    return signed


def import_approval(repo: Repository, pdf: bytes, password: str | None = None) -> dict[str, Any]:
    """A countersigned document back in the practitioner's vault: matched byte for byte to
    the document this vault exported, its approvals recorded on the case, and the
    countersigned copy kept beside them (in the vault, with the password it was read with)
    so that a colleague it is handed to can check it again."""
    from app.storage.references import export_traces

    if len(pdf) > MAX_APPROVAL_PDF_BYTES:
        raise OversightError("the file is too large to be a countersigned document")
    reports = verify_document(pdf, repo, password)
    if any(r.broken for r in reports):
        raise OversightError("a signature on this document is broken; nothing was recorded")
    others = countersignatures(reports)
    if not others:
        raise OversightError("this document has no countersignature by someone else to record")
    strangers = [r for r in others if not r.trusted]
    if strangers:
        # anyone can make a certificate in a manager's name: only a colleague whose
        # certificate this vault keeps can approve
        raise OversightError(
            f"the countersignature of {strangers[0].signer} (certificate "
            f"{strangers[0].fingerprint[:23]}…) is not from a colleague whose certificate this "
            "vault keeps; add their certificate first if you know it is theirs"
        )
    for trace in export_traces(repo):
        for name, (digest, size) in (trace.get("sha256") or {}).items():
            if size <= len(pdf) and hashlib.sha256(pdf[:size]).hexdigest() == digest:
                approvals = [
                    {"document": name, "signer": r.signer, "time": r.time,
                     "fingerprint": r.fingerprint, "trusted": r.trusted, "post": r.post}
                    for r in others
                ]  # fmt: skip
                record = {"document": name, "reference": trace.get("reference"),
                          "approvals": approvals}  # fmt: skip
                with repo.vault.transaction():  # the record and its copy: both or neither
                    approval_id = repo.add_document(int(trace["case"]), APPROVAL, record)
                    repo.add_document(
                        int(trace["case"]), APPROVAL_COPY,
                        handover_approvals.copy_record(approval_id, pdf, password),
                    )  # fmt: skip
                return {"case": int(trace["case"]), **record}
    raise OversightError(
        "this document was not exported from this vault (or its signed part was changed); "
        "nothing was recorded"
    )


def approvals(repo: Repository, case_id: int) -> list[dict[str, Any]]:
    """The approvals recorded on the case, as kept: one that came with a handed-over case
    holds `received` (the handover, its sender, and who recorded it, where and when)."""
    return [data for _id, _kind, data in repo.documents(case_id, APPROVAL)]


def approval_summaries(repo: Repository, case_id: int) -> list[handover_approvals.ApprovalShown]:
    """Every countersignature on the case for a window or a command to show: what it
    approved, who, when, how it came (recorded here, or received with a handover from
    whom) and whether its signer is trusted here now."""
    from app.casework.identity import stored_identity

    if not repo.documents(case_id, APPROVAL):
        return []
    mine = _fingerprint(_own(repo)[1]) if stored_identity(repo) is not None else ""
    trusted = {c.fingerprint for c in colleagues(repo)}
    return handover_approvals.shown(repo, case_id, mine, trusted)


def handover_notes(repo: Repository, case_id: int) -> list[str]:
    """What a received case's handovers say about its approvals, when they could not carry
    them: a handover made by an earlier version of the app leaves them behind."""
    notes = []
    for _i, _k, data in repo.documents(case_id, HANDOVER):
        if data.get("direction") == "received" and data.get("approvals_carried") is False:
            on = handover_approvals.day_words(data.get("at"))
            notes.append(
                f"The handover from {data.get('from')}{f' on {on}' if on else ''} "
                "was made by an earlier version of the app, which did not carry approvals: "
                f"ask {data.get('from')} whether a manager countersigned anything on this case."
            )
    return notes


# --- the letter's Head of Service agreement, by countersignature ----------------------


def record_authorisation(
    repo: Repository, case_id: int, document_id: int | None, file_name: str,
    facts: dict[str, Any], at: dt.datetime,
) -> None:  # fmt: skip
    """Keep what an exported authorisation record attested, so that its countersignature
    coming back is judged against the letter's facts at that time."""
    from app.casework.letters import AUTHORISATION_RECORD

    record = {"file": file_name, "letter": document_id, "facts": facts,
              "at": at.isoformat(timespec="seconds")}  # fmt: skip
    repo.add_document(case_id, AUTHORISATION_RECORD, record)


def letter_countersignatures(repo: Repository, case_id: int) -> list[Any]:
    """Every approval imported for an authorisation record this vault exported, or received
    with a handed-over case for the record its sender exported, with what the record
    attested, how it came, and whether the signer is this vault's owner or a trusted
    colleague now (a colleague removed since no longer agrees)."""
    from app.casework.identity import stored_identity
    from app.casework.letters import AUTHORISATION_RECORD, Countersignature

    found = approvals(repo, case_id)
    if not found:  # most cases: no key to load, nothing to judge
        return []
    records = {d.get("file"): d for _i, _k, d in repo.documents(case_id, AUTHORISATION_RECORD)}
    mine = _fingerprint(_own(repo)[1]) if stored_identity(repo) is not None else ""
    trusted = {c.fingerprint for c in colleagues(repo)}
    out = []
    for approval in found:
        name = str(approval.get("document") or "")
        record = records.get(name)
        if record is None and not name.startswith("authorisation-"):
            continue  # an approval of the assessment or the plans, not of a letter
        record = record or {}
        for a in approval.get("approvals") or []:
            fingerprint = str(a.get("fingerprint") or "")
            out.append(
                Countersignature(
                    signer=str(a.get("signer") or "an unnamed signer"),
                    post=str(a.get("post") or ""), time=a.get("time"), fingerprint=fingerprint,
                    own=fingerprint == mine, trusted=fingerprint in trusted,
                    exported=str(record.get("at") or ""), letter_id=record.get("letter"),
                    facts=dict(record.get("facts") or {}), unmatched=not record,
                    received=handover_approvals.received_words(approval.get("received")),
                    unchecked=not handover_approvals.copy_checked(approval.get("received")),
                )
            )  # fmt: skip
    return out


def letter_approvals(
    repo: Repository, registry: Registry, document_id: int, letter: dict[str, Any] | None = None
) -> tuple[Any, ...]:
    """The countersignatures of this letter's authorisation record, each judged against
    the letter (`letter`: as typed now; else as saved) for the rules to decide from."""
    from app.casework.documents import assessment_answers, get_document
    from app.casework.letters import judge

    doc = get_document(repo, document_id)
    tk = registry.get(repo.get_case(doc.case_id).toolkit)
    found = letter_countersignatures(repo, doc.case_id)
    if not found:
        return ()
    answers = assessment_answers(repo, doc.case_id)
    return judge(tk, found, answers, doc.data if letter is None else letter, document_id)


def case_result(repo: Repository, registry: Registry, case_id: int) -> Any:
    """The rules' verdict on a vault case as it stands: its latest completed assessment (else
    its draft) with its newest letter, the letter's countersigned agreement included."""
    from app.casework.documents import LETTER, assessment_answers, case_documents
    from app.casework.exporting import case_file_for_export
    from app.rules import assess, parse_case

    data = {
        k: v
        for k, v in case_file_for_export(repo, case_id, assessment_answers(repo, case_id)).items()
        if k != "information_reports"
    }
    letters = case_documents(repo, case_id, LETTER)
    approvals: tuple[Any, ...] = ()
    if letters:
        data["letter"] = dict(letters[-1].data)
        approvals = letter_approvals(repo, registry, letters[-1].id)
    case = parse_case(data, registry)
    return assess(case, registry.get(case.toolkit), approvals)


def export_for_agreement(
    repo: Repository, registry: Registry, document_id: int, out_dir: Any, identity: Any,
    *, password: str | None = None, now: dt.datetime | None = None,
) -> Any:  # fmt: skip
    """The letter's authorisation record on its own, signed, for the Head of Service to
    countersign before the letter is completed: refused while anything but that agreement
    is missing, so the manager agrees to the letter as it will be sent. Audited like any
    export, so the countersigned copy is recognised when it comes back."""
    from app.casework import documents, letters
    from app.casework.exporting import NothingFinalError, case_file_for_export
    from app.casework.identity import NoSigningName
    from app.documents.approvals import export_fingerprints
    from app.documents.export import export_case

    doc = documents.get_document(repo, document_id)
    if doc.kind != documents.LETTER:
        raise OversightError("only a disruption letter has an authorisation record to agree")
    case_id = doc.case_id
    tk = registry.get(repo.get_case(case_id).toolkit)
    codes = {c["id"] for c in tk.data["disruption_letter"]["conditions"]}
    if "head_of_service_agreement" not in codes:
        raise OversightError(f"{tk.short_title} does not ask for a Head of Service agreement")
    record = repo.latest_final(case_id)
    if record is None:
        raise OversightError(str(NothingFinalError()))
    profile = saved_profile(repo)
    if not str(profile.get("name") or "").strip():
        raise NoSigningName()
    letter = dict(doc.data)
    assessment = documents.assessment_answers(repo, case_id)
    judged = letter_approvals(repo, registry, document_id)
    missing = [
        p.message
        for p in letters.letter_problems(tk, assessment, letter, profile, judged)
        if p.field != "letter.head_of_service_agreement"
    ]
    if missing:
        raise OversightError(
            "the letter is not ready for the Head of Service's agreement: " + "; ".join(missing)
        )
    data = {
        k: v
        for k, v in case_file_for_export(repo, case_id, record.answers).items()
        if k not in ("information_reports", "disruption_plan", "support_plan")
    }
    data["letter"] = letter
    generated = now or dt.datetime.now()
    result = export_case(
        data, registry, out_dir, identity, now=generated, profile=profile, assessment=False,
        passwords={"social_care": password} if password else None,
        letter_approvals=judged, authorisation_only=True,
    )  # fmt: skip
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
            "chosen": [f"authorisation:{document_id}"],
            "encrypted": ["social_care"] if password else [],
        },
    )
    for d in result.documents:
        record_authorisation(
            repo, case_id, document_id, d.path.name, letters.agreement_facts(assessment, letter),
            generated,
        )  # fmt: skip
    return result


# --- handover ------------------------------------------------------------------------


def _payload(repo: Repository, case_id: int) -> dict[str, Any]:
    """The case as a case file, its earlier versions, and (version 2) its approvals and the
    carried letter's authorisation records, each saying who recorded it, where and when."""
    from app.casework.documents import LETTER, REPORT
    from app.casework.exporting import case_file_for_export
    from app.storage.meetings import case_records

    records = [a for a in repo.assessments(case_id) if a.status != "discarded"]
    if not records:
        raise OversightError("this case has no assessment to hand over")
    newest = records[-1]
    case = {
        **case_file_for_export(repo, case_id, dict(newest.answers)),
        **case_records(repo, case_id),
    }
    reports = [
        {k: v for k, v in d.items() if k in ("form", "answers", "more")}
        for _i, _k, d in repo.documents(case_id, REPORT)
    ]
    if reports:
        case["information_reports"] = reports
    letters = repo.documents(case_id, LETTER)
    if letters:
        case["letter"] = letters[-1][2]
    history = [
        {"version": a.version, "status": str(a.status), "level": a.level,
         "answers": dict(a.answers)}
        for a in records[:-1]
    ]  # fmt: skip
    cert = _own(repo)[1]
    me = {"name": _name(cert), "fingerprint": _fingerprint(cert)}
    carried = handover_approvals.outgoing(repo, case_id, letters[-1][0] if letters else None, me)
    return {"case": case, "history": history, **carried}


def handover_case(
    repo: Repository,
    case_id: int,
    recipient_pem: bytes,
    write: Callable[[bytes], None],
    now: dt.datetime | None = None,
) -> bytes:
    """The whole case, encrypted to one colleague's certificate and signed by this vault's
    owner, handed to `write`; only once it is written is the case marked handed over here
    (read-only), so a failed write leaves the case as it was."""
    from cryptography.hazmat.primitives.serialization import Encoding

    recipient = _cert(recipient_pem)
    key, cert = _own(repo)
    if _fingerprint(recipient) == _fingerprint(cert):
        raise OversightError("that is your own certificate; hand the case to a colleague's")
    if not _current(recipient, now or dt.datetime.now(dt.UTC)):
        raise OversightError(
            f"the certificate of {_name(recipient)} has expired (or is not valid yet); "
            "ask them for their current one"
        )
    if handed_over(repo, case_id):
        raise OversightError("this case has already been handed over")
    handover_id = secrets.token_hex(16)
    when = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    header = {
        "format": FORMAT,
        "version": HANDOVER_VERSION,
        "id": handover_id,
        "created": when,
        "to": _fingerprint(recipient),
        "from": base64.b64encode(cert.public_bytes(Encoding.DER)).decode(),
    }
    payload = _payload(repo, case_id)
    try:  # what the colleague's app will check, checked before anything is written
        handover_approvals.check_copies(
            handover_approvals.incoming(payload, HANDOVER_VERSION),
            lambda pdf, password: verify_document(pdf, repo, password),
        )
    except (handover_approvals.CarriedInvalid, handover_approvals.CopyRefused) as exc:
        raise OversightError(f"this case's approvals cannot be handed over ({exc})") from None
    try:
        handover_approvals.history(payload)
    except handover_approvals.CarriedInvalid as exc:
        raise OversightError(
            f"this case's earlier versions cannot be handed over ({exc})"
        ) from None
    plain = json.dumps(payload, ensure_ascii=False).encode()
    sealed = _seal(plain, recipient, _info(header))
    body = {**header, "scheme": sealed[0], "payload": base64.b64encode(sealed[1]).decode()}
    body["signature"] = base64.b64encode(_sign(key, _signed_bytes(body))).decode()
    data = json.dumps(body, indent=1).encode()
    if len(data) > MAX_HANDOVER_BYTES:  # the colleague's app would refuse it
        raise OversightError(
            "this case is too large to hand over in one file (its countersigned copies "
            f"with the rest come to more than {MAX_HANDOVER_BYTES // (1024 * 1024)} MB)"
        )
    write(data)
    repo.add_document(
        case_id,
        HANDOVER,
        {"direction": "sent", "id": handover_id, "at": when, "to": _name(recipient),
         "fingerprint": _fingerprint(recipient)},
    )  # fmt: skip
    return data


def _complete_agreed_letters(repo: Repository, registry: Registry, case_id: int) -> None:
    """The received letter was adopted before its agreement was recorded: one that passes
    the completion gate now, with the countersignature that came with it, is completed as
    it would have been had the agreement been a tick (audited with how it was agreed)."""
    from app.casework.documents import (
        DRAFT,
        LETTER,
        DocumentNotComplete,
        case_documents,
        complete_document,
    )

    if not repo.documents(case_id, APPROVAL):
        return
    for letter in case_documents(repo, case_id, LETTER):
        if letter.status == DRAFT:
            # not complete: the letter window says why (an untrusted signer, a missing field)
            with contextlib.suppress(DocumentNotComplete):
                complete_document(repo, registry, letter.id)


def _info(header: dict[str, Any]) -> bytes:
    return f"{FORMAT}/1/{header['id']}/{header['to']}".encode()


def _signed_bytes(body: dict[str, Any]) -> bytes:
    fields = {k: v for k, v in body.items() if k != "signature"}
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def _sign(key: Any, data: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    if isinstance(key, ec.EllipticCurvePrivateKey):
        return bytes(key.sign(data, ec.ECDSA(hashes.SHA256())))
    if isinstance(key, rsa.RSAPrivateKey):
        return bytes(key.sign(data, padding.PKCS1v15(), hashes.SHA256()))
    raise OversightError("this vault's key cannot sign a handover")


def _check_signature(cert: Any, signature: bytes, data: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    key = cert.public_key()
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        elif isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        else:
            return False
    except InvalidSignature:
        return False
    return True


def _seal(plain: bytes, recipient: Any, info: bytes) -> tuple[str, bytes]:
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    key = recipient.public_key()
    if isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1":
        from cryptography.hazmat.primitives import hpke

        suite = hpke.Suite(hpke.KEM.P256, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
        return "hpke-p256-sha256-aes256gcm", bytes(suite.encrypt(plain, key, info))
    if isinstance(key, rsa.RSAPublicKey):
        from cryptography.hazmat.primitives.ciphers import algorithms
        from cryptography.hazmat.primitives.serialization import Encoding, pkcs7

        der = (
            pkcs7.PKCS7EnvelopeBuilder()
            .set_data(plain)
            .add_recipient(recipient)
            .set_content_encryption_algorithm(algorithms.AES256)
            .encrypt(Encoding.DER, [])
        )
        return "cms-enveloped-aes256", bytes(der)
    raise OversightError("a case can be handed only to a P-256 or RSA certificate")


def _open_sealed(scheme: str, sealed: bytes, key: Any, cert: Any, info: bytes) -> bytes:
    if scheme == "hpke-p256-sha256-aes256gcm":
        from cryptography.hazmat.primitives import hpke

        suite = hpke.Suite(hpke.KEM.P256, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
        return bytes(suite.decrypt(sealed, key, info))
    if scheme == "cms-enveloped-aes256":
        from cryptography.hazmat.primitives.serialization import pkcs7

        return bytes(pkcs7.pkcs7_decrypt_der(sealed, cert, key, []))
    raise OversightError("the handover uses a kind of encryption the app does not know")


def receive_handover(repo: Repository, registry: Registry, data: bytes) -> int:
    """Check who sent it and to whom, that it was not received before, then import the
    case with its approvals and record the handover in this vault, all in one transaction.

    The approvals are kept as received with this handover (from whom, recorded by whom,
    where and when). Each countersigned copy that came is verified here first (a broken
    one, or one not countersigned by the certificate its record names, refuses the whole
    handover); an approval counts here only with its copy checked so and while its signer
    is a colleague this vault trusts. One that came without its copy (recorded before
    copies were kept) is kept and shown, saying so, but does not count."""
    from app.casework.importing import import_cases

    if len(data) > MAX_HANDOVER_BYTES:
        raise OversightError("the file is too large to be a handover")
    try:
        body = json.loads(data)
        if not isinstance(body, dict) or body.get("format") != FORMAT:
            raise ValueError
        sender = _cert(base64.b64decode(body["from"], validate=True))
        signature = base64.b64decode(body["signature"], validate=True)
        sealed = base64.b64decode(body["payload"], validate=True)
        handover_id = str(body["id"])
    except (ValueError, KeyError, TypeError, OversightError):
        raise OversightError("this is not a handover file, or it is damaged") from None
    key, cert = _own(repo)
    if body.get("to") != _fingerprint(cert):
        raise OversightError(
            "this handover was made for someone else's certificate, not yours; nothing was imported"
        )
    if not _check_signature(sender, signature, _signed_bytes(body)):
        raise OversightError("the sender's signature does not match: the file was changed")
    trusted = {c.fingerprint: c for c in colleagues(repo)}
    if _fingerprint(sender) not in trusted:
        raise OversightError(
            f"the sender ({_name(sender)}, certificate {_fingerprint(sender)[:23]}…) is not "
            "among your colleagues; add their certificate first if you know it is theirs"
        )
    version = body.get("version")
    if type(version) is not int or version not in KNOWN_VERSIONS:
        raise OversightError(
            "this handover was made by a newer version of the app; update the app to receive "
            "it (nothing was imported)"
        )
    if handover_id in (repo.get_setting(RECEIVED, []) or []):
        raise OversightError("this handover was received before; nothing was imported again")
    try:
        plain = _open_sealed(str(body.get("scheme")), sealed, key, cert, _info(body))
        payload = json.loads(plain)
        case = payload["case"]
    except OversightError:
        raise
    except Exception:  # a decryption or format failure: one sentence, nothing imported
        raise OversightError("the handover could not be opened: it is damaged") from None
    try:
        carried = handover_approvals.incoming(payload, version)
    except handover_approvals.CarriedInvalid as exc:
        raise OversightError(
            f"the approvals in this handover are not valid ({exc}); nothing was imported"
        ) from None
    try:  # each carried countersigned copy, verified again here, before anything is kept
        handover_approvals.check_copies(
            carried, lambda pdf, password: verify_document(pdf, repo, password)
        )
    except handover_approvals.CopyRefused as exc:
        raise OversightError(f"{exc}; nothing was imported") from None
    try:
        earlier = handover_approvals.history(payload)
    except handover_approvals.CarriedInvalid as exc:
        raise OversightError(
            f"the earlier versions in this handover are not valid ({exc}); nothing was imported"
        ) from None
    when = handover_approvals.valid_time(body.get("created"))  # None if not a time
    received = {"handover": handover_id, "from": _name(sender),
                "fingerprint": _fingerprint(sender), "at": when}  # fmt: skip
    repo.vault.require_sound_pages()  # never into a damaged vault
    with repo.vault.transaction():  # the case, its approvals and the record: all or nothing
        ids = import_cases(repo, registry, case)
        if len(ids) != 1:  # rolled back with the transaction
            raise OversightError("the handover does not hold one case; nothing was imported")
        case_id = ids[0]
        try:
            handover_approvals.record_incoming(repo, case_id, carried, received)
        except handover_approvals.CarriedInvalid as exc:
            raise OversightError(
                f"the approvals in this handover are not valid ({exc}); nothing was imported"
            ) from None
        _complete_agreed_letters(repo, registry, case_id)
        repo.add_document(
            case_id,
            HANDOVER,
            {"direction": "received", "id": handover_id, "at": when, "from": _name(sender),
             "fingerprint": _fingerprint(sender), "history": earlier,
             # whether approvals could travel (version 2), and how many came
             "approvals_carried": carried.carried, "approvals": len(carried.approvals)},
        )  # fmt: skip
        repo.set_setting(RECEIVED, [*(repo.get_setting(RECEIVED, []) or []), handover_id])
    return case_id
