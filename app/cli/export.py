"""`python -m app export CASE.json --out DIR [--sign-p12 FILE] [--encrypt [--encrypt-letter]]
[--eml] [--unencrypted-eml] [--draft]`."""

from __future__ import annotations

import argparse
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli import CliError

if TYPE_CHECKING:  # the documents library loads only when an export runs
    from app.documents.export import ExportResult


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("export", help="signed PDFs of a case file, or of a vault case")
    p.add_argument("case", type=Path, nargs="?", help="case file (or use --vault and --case)")
    p.add_argument(
        "--case", dest="case_id", type=int,
        help="with --vault: export this vault case (its latest completed assessment and "
        "completed documents) instead of a case file",
    )  # fmt: skip
    p.add_argument("--out", type=Path, required=True, help="folder for the PDFs")
    p.add_argument(
        "--sign-p12", type=Path, help="PKCS#12 signing identity (password: CRE_P12_PASSWORD)"
    )
    p.add_argument(
        "--vault",
        type=Path,
        help="sign with the vault's own signing identity (the same certificate every time) "
        "and take the letterhead from its profile; with --sign-p12, store that PKCS#12 in "
        "the vault as the signing identity first (passphrase: CRE_VAULT_PASSPHRASE)",
    )
    p.add_argument(
        "--encrypt",
        action="store_true",
        help="AES-256, one password per recipient group: the police's files open with "
        "CRE_PDF_PASSWORD_POLICE, Children's Social Care's with CRE_PDF_PASSWORD_SOCIAL_CARE "
        "(each generated and printed once when not set); the letter is not encrypted",
    )
    p.add_argument(
        "--encrypt-letter",
        action="store_true",
        help="also encrypt the letter, with its own password (CRE_PDF_PASSWORD_LETTER or "
        "generated), never one of the others",
    )
    p.add_argument(
        "--eml",
        action="store_true",
        help="also write one unsent email draft per recipient group (needs --encrypt, or "
        "--unencrypted-eml)",
    )
    p.add_argument(
        "--unencrypted-eml",
        action="store_true",
        help="attach the PDFs to the email drafts unencrypted (not recommended)",
    )
    p.add_argument(
        "--for-agreement",
        action="store_true",
        help="with --vault and --case: only the draft letter's authorisation record, for the "
        "Head of Service to countersign (python -m app countersign) before the letter is "
        "completed; refused while anything else the letter needs is missing",
    )
    p.add_argument(
        "--draft",
        action="store_true",
        help="export an assessment that is not completed, marked DRAFT on every page",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "for_agreement", False) and args.case_id is None:
        raise CliError("--for-agreement goes with --vault PATH --case ID")
    if args.case_id is not None:
        from app.cli.export_vault import run_vault_export

        return run_vault_export(args)
    if args.case is None:
        raise CliError("give a case file, or --vault PATH --case ID")
    from app.cli.vault import guard_outputs

    inputs = (args.case, args.sign_p12)
    guard_outputs({"--out": args.out}, inputs=inputs, vault=args.vault, folders=("--out",))
    guard_outputs({"--out": args.out / "signer-certificate.pem"}, inputs=inputs, vault=args.vault)
    from reportlab.platypus.doctemplate import LayoutError

    from app.cli.assess import read_case_file
    from app.documents.export import SamePassword, UnencryptedEmail, export_case
    from app.documents.signing import Identity, IdentityProblem, generate_identity
    from app.forms import load_registry
    from app.rules import CaseFileError, parse_case

    data = read_case_file(args.case)
    registry = load_registry()
    try:  # the one validation first: a bad file costs no certificate and no vault
        parse_case(data, registry)
    except CaseFileError as exc:
        raise CliError(f"{args.case}: {exc}") from None
    profile = None
    if args.vault:
        identity, profile = _vault_identity(args)
    elif args.sign_p12:
        identity = Identity(
            read_p12(args.sign_p12), os.environ.get("CRE_P12_PASSWORD", "").encode()
        )
    else:
        practitioner = data.get("practitioner") if isinstance(data, dict) else None
        practitioner = practitioner if isinstance(practitioner, dict) else {}
        identity = generate_identity(
            str(practitioner.get("name") or "Practitioner"), str(practitioner.get("agency") or "")
        )
        print(
            "note: no --sign-p12 or --vault given; signed with a new self-signed certificate "
            "(use --vault to sign with the same certificate every time)"
        )
    if args.eml and not (args.encrypt or args.unencrypted_eml):
        raise CliError(
            "--eml attaches the PDFs: add --encrypt (recommended), or --unencrypted-eml to "
            "attach them unencrypted"
        )
    passwords, generated = pdf_passwords(args)
    try:
        result = export_case(
            data,
            registry,
            args.out,
            identity,
            passwords=passwords,
            eml=args.eml,
            draft=args.draft,
            profile=profile,
            unencrypted_email=args.unencrypted_eml,
        )
    except CaseFileError as exc:
        hint = "" if args.draft else " (or add --draft)" if "not completed" in str(exc) else ""
        raise CliError(f"{args.case}: {exc}{hint}") from None
    except IdentityProblem as exc:
        raise CliError(f"signing certificate {args.sign_p12 or ''}: {exc}") from None
    except (UnencryptedEmail, SamePassword) as exc:
        raise CliError(str(exc)) from None
    except LayoutError:
        raise CliError(
            f"{args.case}: a text in it is too long to lay out on a PDF page "
            "(a very long unbroken word or field); shorten it (nothing was written)"
        ) from None
    if not args.sign_p12 or args.vault:
        from app.fileio import atomic_write_bytes

        cert = args.out / "signer-certificate.pem"
        atomic_write_bytes(cert, identity.certificate_pem())  # 0600 like every export
        print(f"wrote {cert} (give it to the receiver so they can trust the signature)")
    for path in result.written:
        print(f"wrote {path}")
    if result.draft:
        print("DRAFT: every page is marked DRAFT and the signature says so")
    print(f"certificate fingerprint (SHA-256): {result.fingerprint}")
    print_outcome(result, generated)
    return 0


PASSWORD_ENV = {
    "police": "CRE_PDF_PASSWORD_POLICE",
    "social_care": "CRE_PDF_PASSWORD_SOCIAL_CARE",
    "letter": "CRE_PDF_PASSWORD_LETTER",
}


def pdf_passwords(args: argparse.Namespace) -> tuple[dict[str, str], dict[str, str]]:
    """One password per recipient group (from the environment, else generated), and the
    generated ones, which are printed once. The letter is encrypted only when asked."""
    if os.environ.get("CRE_PDF_PASSWORD"):
        raise CliError(
            "CRE_PDF_PASSWORD is not used: each recipient group has its own password "
            "(CRE_PDF_PASSWORD_POLICE, CRE_PDF_PASSWORD_SOCIAL_CARE, CRE_PDF_PASSWORD_LETTER)"
        )
    if getattr(args, "encrypt_letter", False) and not args.encrypt:
        raise CliError("--encrypt-letter goes with --encrypt")
    if not args.encrypt:
        return {}, {}
    groups = ["police", "social_care", *(["letter"] if args.encrypt_letter else [])]
    passwords, generated = {}, {}
    for group in groups:
        given = os.environ.get(PASSWORD_ENV[group])
        passwords[group] = given or secrets.token_urlsafe(12)
        if not given:
            generated[group] = passwords[group]
    return passwords, generated


P12_LIMIT = 1024 * 1024  # a PKCS#12 file with a chain of certificates is a few KB


def read_p12(path: Path) -> bytes:
    """The signing identity's file through the same guards as every input: a FIFO does
    not hang, /dev/zero does not fill memory, a folder is named as a folder."""
    from app.fileio import InputFileError, read_input_bytes

    try:
        return read_input_bytes(path, P12_LIMIT)
    except InputFileError as exc:
        raise CliError(f"signing certificate {exc}") from None


GROUP_TITLES = {
    "police": "the police referral unit's files",
    "social_care": "Children's Social Care's files",
    "letter": "the letter",
}


def print_outcome(result: ExportResult, generated: dict[str, str]) -> None:
    """The end of every export's report, whether from a case file or a vault case: each
    generated password once, named by the files it opens (never in any email)."""
    if result.letter_refused:
        print("disruption letter NOT produced:")
        for reason in result.letter_refused:
            print(f"  - {reason}")
    for warning in result.warnings:
        print(f"WARNING: {warning}")
    for group, password in generated.items():
        print(
            f"PDF password for {GROUP_TITLES[group]} (send it by another route, never in "
            f"the same email): {password}"
        )
    print(f"reference {result.reference}")


def _vault_identity(args: argparse.Namespace) -> tuple[Any, dict[str, Any]]:
    """The vault's signing identity (imported from --sign-p12 first if given) and profile."""
    from app.casework import signing_identity
    from app.casework.certificates import import_signing_identity
    from app.casework.settings import profile
    from app.cli.vault import open_vault
    from app.documents.signing import IdentityProblem
    from app.storage import Repository

    with open_vault(args) as vault:
        repo = Repository(vault)
        if args.sign_p12:
            data = read_p12(args.sign_p12)
            try:
                info = import_signing_identity(
                    repo, data, os.environ.get("CRE_P12_PASSWORD", "").encode()
                )
            except IdentityProblem as exc:
                raise CliError(f"signing certificate {args.sign_p12}: {exc}") from None
            print(f"stored {info.signer}'s certificate in the vault as the signing identity")
        try:
            return signing_identity(repo), profile(repo)
        except IdentityProblem as exc:  # e.g. no name in the profile yet
            raise CliError(str(exc)) from None
