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
    from app.casework import import_cases
    from app.demo import DEMO_PASSPHRASE, demo_cases
    from app.forms import load_registry
    from app.storage import Repository, Vault, VaultError

    registry = load_registry()
    try:
        with Vault.create(args.vault, DEMO_PASSPHRASE) as vault:
            cases = demo_cases(registry, dt.date.today())
            ids = import_cases(
                Repository(vault),
                registry,
                {"format": "cre-case-export", "version": 1, "cases": cases},
            )
    except VaultError as exc:
        raise CliError(str(exc)) from None
    print(f"created demo vault {args.vault} with {len(ids)} fictional cases")
    print(f"passphrase: {DEMO_PASSPHRASE}")
    return 0
