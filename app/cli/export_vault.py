"""`python -m app export --vault PATH --case ID --out DIR [--encrypt] [--eml]`.

The same casework function as the app's Export: the case's latest completed assessment
(never a newer draft, such as a review in progress) and its completed documents, signed
with the practitioner's identity kept in the vault.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli import CliError


def run_vault_export(args: argparse.Namespace) -> int:
    from app.casework import package
    from app.casework.identity import signing_identity
    from app.cli.export import pdf_passwords, print_outcome
    from app.cli.vault import open_vault
    from app.forms import load_registry
    from app.rules import CaseFileError
    from app.storage import RecordNotFoundError, Repository

    if args.vault is None or args.case_id is None:
        raise CliError("--vault and --case go together: export --vault PATH --case ID --out DIR")
    if args.case is not None:
        raise CliError("give either a case file or --vault/--case, not both")
    if args.sign_p12:
        raise CliError("--sign-p12 is for case files; a vault signs with its own identity")
    from app.cli.vault import guard_outputs

    guard_outputs({"--out": args.out}, vault=args.vault, folders=("--out",))
    registry = load_registry()
    with open_vault(args) as vault:
        repo = Repository(vault)
        try:
            offers = package.offers(repo, registry, args.case_id)
        except RecordNotFoundError:
            raise CliError(f"--case {args.case_id}: no such case in {args.vault}") from None
        unencrypted = bool(getattr(args, "unencrypted_eml", False))
        if args.eml and not (args.encrypt or unencrypted):
            raise CliError(
                "--eml attaches the PDFs: add --encrypt (recommended), or --unencrypted-eml to "
                "attach them unencrypted"
            )
        passwords, generated = pdf_passwords(args)
        if getattr(args, "for_agreement", False):
            return _for_agreement(repo, registry, args, passwords, generated)
        try:
            result = package.export_package(
                repo, registry, args.case_id, args.out, signing_identity(repo), offers,
                passwords=passwords, eml=args.eml, unencrypted_email=unencrypted,
            )  # fmt: skip
        except package.NothingToExport as exc:
            raise CliError(f"case {args.case_id}: {exc}") from None
        except CaseFileError as exc:
            raise CliError(f"case {args.case_id}: {exc}") from None
        except ValueError as exc:  # e.g. email drafts asked for without encryption
            raise CliError(str(exc)) from None
        agreed = _agreement(repo, registry, args.case_id, result)
    for path in result.written:
        print(f"wrote {path}")
    for line in result.left_out:  # every document of the case that was not sent, and why
        print(f"not exported: {line}")
    if agreed:
        print(f"letter's agreement condition: {agreed}")
    print_outcome(result, generated)
    return 0


def _agreement(repo: Any, registry: Any, case_id: int, result: Any) -> str:
    """How the letter's Head of Service agreement was met (tick or countersignature), as
    the rules said it, when a letter was produced."""
    from app.casework.oversight import case_result

    if not any(d.kind == "letter" for d in result.documents):
        return ""
    try:
        check = case_result(repo, registry, case_id).letter
    except ValueError:  # the files are written and audited; this line is only a summary
        return ""
    found = [
        r.text for r in (check.met if check else ()) if r.code.endswith("of_service_agreement")
    ]
    return found[0] if found else ""


def _for_agreement(
    repo: Any, registry: Any, args: argparse.Namespace, passwords: dict[str, str],
    generated: dict[str, str],
) -> int:  # fmt: skip
    """The letter's authorisation record alone, for the Head of Service's countersignature."""
    from app.casework.documents import LETTER, case_documents
    from app.casework.identity import signing_identity
    from app.casework.oversight import export_for_agreement
    from app.cli.export import print_outcome

    letters = case_documents(repo, args.case_id, LETTER)
    if not letters:
        raise CliError(f"case {args.case_id} has no disruption letter to agree")
    try:
        result = export_for_agreement(
            repo, registry, letters[-1].id, args.out, signing_identity(repo),
            password=passwords.get("social_care"),
        )  # fmt: skip
    except ValueError as exc:  # OversightError, CaseFileError, NotFinal: said in words
        raise CliError(f"case {args.case_id}: {exc}") from None
    for path in result.written:
        print(f"wrote {path}")
    print(
        "for the Head of Service: countersign it (python -m app countersign FILE --vault "
        "THEIRS --out OUT) and send it back; import it here with python -m app vault "
        "import-approval OUT"
    )
    print_outcome(result, {g: p for g, p in generated.items() if g == "social_care"})
    return 0
