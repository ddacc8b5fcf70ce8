"""`python -m app sar --vault V --case ID --out DIR`: a subject access export of one case."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli import CliError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("sar", help="subject access: a signed PDF of everything held about a child")
    p.add_argument("--vault", type=Path, help="vault file (default: the per-user location)")
    p.add_argument("--case", type=int, required=True, help="case id")
    p.add_argument("--out", type=Path, required=True, help="folder to write into")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.casework.sar import CasePurged, export_sar
    from app.cli.vault import open_vault
    from app.documents.signing import IdentityProblem
    from app.forms import load_registry
    from app.storage import RecordNotFoundError, Repository

    if args.out.exists() and not args.out.is_dir():
        raise CliError(f"--out: {args.out} is a file; give a folder")
    with open_vault(args) as vault:
        try:
            result = export_sar(Repository(vault), load_registry(), args.case, args.out)
        except CasePurged as exc:
            print(str(exc))
            return 3
        except RecordNotFoundError:
            raise CliError(f"there is no case {args.case} in this vault") from None
        except IdentityProblem as exc:  # e.g. no name in the profile yet: nothing to sign as
            raise CliError(f"not exported: {exc}") from None
    print(f"signed PDF: {result.pdf}")
    print(f"case file: {result.case_file}")
    print(f"left out (review before release): {result.withheld}")
    return 0
