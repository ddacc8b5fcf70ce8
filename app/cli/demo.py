"""`python -m app demo --vault PATH`: a vault of clearly fictional cases to explore."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from app.cli import CliError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help="create a demo vault of fictional cases")
    p.add_argument("--vault", type=Path, required=True, help="where to create the demo vault")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from app.casework.importing import make_demo_vault
    from app.demo import DEMO_PASSPHRASE
    from app.forms import load_registry
    from app.storage import Repository, VaultError

    try:
        with make_demo_vault(args.vault, load_registry(), dt.date.today()) as vault:
            count = Repository(vault).count_cases()
    except VaultError as exc:
        raise CliError(str(exc)) from None
    print(f"created demo vault {args.vault} with {count} fictional cases (marked DEMO)")
    print(f"passphrase: {DEMO_PASSPHRASE}")
    return 0
