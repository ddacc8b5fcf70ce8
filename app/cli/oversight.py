"""`verify`, `countersign`, `profile`, `identity`, and `vault handover|receive|import-approval`:
a manager's oversight and a case's continuity, offline.

Every refusal is one line and nothing is written; the work is done by app.casework.oversight.
"""

from __future__ import annotations

import argparse
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli import CliError

MAX_PDF_BYTES = 64 * 1024 * 1024


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    v = sub.add_parser("verify", help="list every signature on a PDF, in order, and check each")
    v.add_argument("pdf", type=Path, metavar="FILE.pdf")
    v.add_argument("--json", action="store_true", help="print the signatures as JSON")
    v.add_argument("--vault", type=Path, help="trust this vault's owner and colleagues")
    v.set_defaults(func=run_verify)
    c = sub.add_parser("countersign", help="add a manager's approval signature to a signed PDF")
    c.add_argument("pdf", type=Path, metavar="FILE.pdf")
    c.add_argument("--vault", type=Path, help="the manager's vault (default: the per-user one)")
    c.add_argument("--out", type=Path, required=True, help="the countersigned copy")
    c.set_defaults(func=run_countersign)
    p = sub.add_parser("profile", help="set the practitioner's name, post and agency")
    p.add_argument("--vault", type=Path)
    for name in PROFILE_KEYS:
        p.add_argument(f"--{name.replace('_', '-')}")
    p.set_defaults(func=run_profile)
    i = sub.add_parser("identity", help="this vault's certificate, and the colleagues it trusts")
    i.add_argument("--vault", type=Path)
    i.add_argument("--export-cert", type=Path, metavar="FILE.pem")
    i.add_argument("--trust", type=Path, metavar="CERT.pem", help="add a colleague's certificate")
    i.set_defaults(func=run_identity)


def register_vault_actions(action: Callable[[str, str], argparse.ArgumentParser]) -> None:
    h = action("handover", "hand a whole case to a colleague, encrypted to their certificate")
    h.add_argument("--case", type=int, required=True)
    h.add_argument("--to", type=Path, required=True, metavar="CERT.pem")
    h.add_argument("--out", type=Path, required=True)
    h.set_defaults(func=run_handover)
    r = action("receive", "import a case handed over to you")
    r.add_argument("file", type=Path)
    r.set_defaults(func=run_receive)
    a = action("import-approval", "record a manager's countersignature on a document you sent")
    a.add_argument("pdf", type=Path, metavar="FILE.pdf")
    a.set_defaults(func=run_import_approval)


def _read(path: Path, what: str, limit: int = MAX_PDF_BYTES) -> bytes:
    """A regular file of sane size (a FIFO or device would hang or never end)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except OSError as exc:
        raise CliError(f"{path}: cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise CliError(f"{path}: {what} must be a regular file")
    if info.st_size > limit:
        raise CliError(f"{path}: too large to be {what}")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CliError(f"{path}: cannot be read ({exc.strerror})") from None


def _guard_out(option: str, out: Path, args: argparse.Namespace, *inputs: Path) -> None:
    """Never write onto an input or the vault (the shared guard: real paths compared)."""
    from app.cli.vault import guard_outputs

    if out.is_symlink():  # a link (even to nowhere) is never written through
        raise CliError(f"{option} {out}: not a plain file (a link); choose another name")
    guard_outputs({option: out}, inputs=inputs, vault=_vault_file(args))


def _vault_file(args: argparse.Namespace) -> Path:
    from app.cli.vault import vault_path

    return vault_path(args)


def _open(args: argparse.Namespace) -> Any:
    from app.cli.vault import open_vault

    return open_vault(args)


def _password() -> str | None:
    return os.environ.get("CRE_PDF_PASSWORD") or None


def run_verify(args: argparse.Namespace) -> int:
    from app.casework.oversight import verify_document
    from app.documents.approvals import ApprovalRefused
    from app.storage import Repository

    pdf = _read(args.pdf, "a PDF")
    try:
        if args.vault:
            with _open(args) as vault:
                reports = verify_document(pdf, Repository(vault), _password())
        else:
            reports = verify_document(pdf, None, _password())
    except ApprovalRefused as exc:
        raise CliError(f"{args.pdf}: {exc}") from None
    if args.json:
        print(json.dumps({"signatures": [r.as_json() for r in reports]}, indent=2))
    elif not reports:
        print(f"{args.pdf.name}: no signature")
    else:
        for n, report in enumerate(reports, 1):
            print(f"{n}. {report.line()}")
            print(f"   changed after it: {report.modification}")
    return 1 if not reports or any(r.broken for r in reports) else 0


def run_countersign(args: argparse.Namespace) -> int:
    from app.casework.oversight import OversightError, countersign_document
    from app.documents.approvals import ApprovalRefused
    from app.documents.signing import IdentityProblem
    from app.fileio import atomic_write_bytes
    from app.storage import Repository

    _guard_out("--out", args.out, args, args.pdf)
    pdf = _read(args.pdf, "a PDF")
    with _open(args) as vault:
        try:
            signed = countersign_document(Repository(vault), pdf, _password())
        except (ApprovalRefused, OversightError, IdentityProblem) as exc:
            raise CliError(f"{args.pdf}: not countersigned: {exc}") from None
        atomic_write_bytes(args.out, signed)
    print(f"countersigned: {args.out}")
    return 0


# what `profile` sets: the letterhead and sign-off, the post printed on letters, the role
# to sign as (a certificate naming no one), the area and the organisation's own addresses
PROFILE_KEYS = (
    "name", "post", "agency", "email", "phone", "post_on_letters", "sign_as_role", "area",
    "social_care_email", "mash_email",
)  # fmt: skip


def run_profile(args: argparse.Namespace) -> int:
    from app.casework.oversight import set_profile
    from app.storage import Repository

    changes = {k: getattr(args, k) for k in PROFILE_KEYS if getattr(args, k) is not None}
    for key, value in changes.items():
        if len(value) > 200 or any(ord(ch) < 32 for ch in value):
            raise CliError(f"--{key.replace('_', '-')}: at most 200 characters on one line")
    with _open(args) as vault:
        profile = set_profile(Repository(vault), **changes)
    for key in PROFILE_KEYS:
        if profile.get(key):
            print(f"{key}: {profile[key]}")
    return 0


def run_identity(args: argparse.Namespace) -> int:
    from app.casework.oversight import (
        OversightError,
        colleagues,
        own_certificate_pem,
        trust_colleague,
    )
    from app.fileio import atomic_write_bytes
    from app.storage import Repository

    if args.export_cert:
        _guard_out("--export-cert", args.export_cert, args)
    trust = _read(args.trust, "a certificate", 1024 * 1024) if args.trust else None
    with _open(args) as vault:
        repo = Repository(vault)
        pem = own_certificate_pem(repo)
        if args.export_cert:
            atomic_write_bytes(args.export_cert, pem)
            print(f"wrote {args.export_cert}")
        if trust is not None:
            try:
                added = trust_colleague(repo, trust)
            except OversightError as exc:
                raise CliError(f"{args.trust}: {exc}") from None
            print(f"trusted: {added.name} ({added.fingerprint})")
        from app.casework.oversight import _cert, _fingerprint, _name

        own = _cert(pem)
        print(f"you: {_name(own)} ({_fingerprint(own)})")
        for colleague in colleagues(repo):
            print(f"colleague: {colleague.name} ({colleague.fingerprint})")
    return 0


def run_handover(args: argparse.Namespace) -> int:
    from app.casework.oversight import OversightError, handover_case
    from app.fileio import atomic_write_bytes
    from app.storage import Repository
    from app.storage.errors import VaultError

    _guard_out("--out", args.out, args, args.to)
    recipient = _read(args.to, "a certificate", 1024 * 1024)
    with _open(args) as vault:
        repo = Repository(vault)
        try:
            handover_case(
                repo, args.case, recipient, lambda data: atomic_write_bytes(args.out, data)
            )
        except OversightError as exc:
            raise CliError(f"case {args.case}: not handed over: {exc}") from None
        except (VaultError, LookupError) as exc:
            raise CliError(f"case {args.case}: not handed over: {exc}") from None
    print(f"handed over: case {args.case} to {args.to.name}, written to {args.out}")
    return 0


def run_receive(args: argparse.Namespace) -> int:
    from app.casework.oversight import (
        OversightError,
        approval_summaries,
        handover_notes,
        receive_handover,
    )
    from app.forms import load_registry
    from app.rules import CaseFileError
    from app.storage import Repository

    data = _read(args.file, "a handover file")
    with _open(args) as vault:
        repo = Repository(vault)
        try:
            case_id = receive_handover(repo, load_registry(), data)
        except OversightError as exc:
            raise CliError(f"{args.file}: {exc}") from None
        except CaseFileError as exc:
            raise CliError(f"{args.file}: the case inside is not valid: {exc}") from None
        shown = approval_summaries(repo, case_id)
        notes = handover_notes(repo, case_id)
    print(f"received: case {case_id}")
    if shown:
        many = "approval came" if len(shown) == 1 else "approvals came"
        print(f"{len(shown)} {many} with it, each kept as received with this handover:")
    for approval in shown:
        print(f"  {approval.sentence}")
    for note in notes:
        print(note)
    return 0


def run_import_approval(args: argparse.Namespace) -> int:
    from app.casework.oversight import OversightError, import_approval
    from app.documents.approvals import ApprovalRefused
    from app.storage import Repository

    pdf = _read(args.pdf, "a PDF")
    with _open(args) as vault:
        try:
            record = import_approval(Repository(vault), pdf, _password())
        except (OversightError, ApprovalRefused) as exc:
            raise CliError(f"{args.pdf}: {exc}") from None
    names = ", ".join(a["signer"] for a in record["approvals"])
    print(f"approval recorded on case {record['case']} ({record['document']}): {names}")
    return 0
