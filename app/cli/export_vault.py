"""`python -m app export --vault PATH --case ID --out DIR [--encrypt] [--eml]`.

The same casework function as the app's Export: the case's latest completed assessment
(never a newer draft, such as a review in progress) and its completed documents, signed
with the practitioner's identity kept in the vault.
"""

from __future__ import annotations

import argparse

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
    for path in result.written:
        print(f"wrote {path}")
    for line in result.left_out:  # every document of the case that was not sent, and why
        print(f"not exported: {line}")
    print_outcome(result, generated)
    return 0
