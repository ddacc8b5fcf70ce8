"""`python -m app vault close|recorded|retention|purge`: retention from the command line,
through the same casework functions the app's windows call (app.casework.retention)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

from app.cli import CliError

Action = Callable[[str, str], argparse.ArgumentParser]


def register_vault_actions(action: Action) -> None:
    close = action("close", "close a case (as the case window does)")
    close.add_argument("--case", type=int, required=True, help="case id")
    close.add_argument("--date", required=True, help="closed on, YYYY-MM-DD")
    close.add_argument("--reason", required=True, help="closure reason (id or label)")
    close.add_argument(
        "--recorded", action="store_true", help="also mark it recorded on the council's system"
    )
    close.set_defaults(func=run_close)
    rec = action("recorded", "mark a closed case recorded on the council's system")
    rec.add_argument("--case", type=int, required=True, help="case id")
    rec.add_argument("--date", help="recorded on, YYYY-MM-DD (default: today)")
    rec.set_defaults(func=run_recorded)
    ret = action("retention", "show or set how long closed cases stay in this vault")
    ret.add_argument("--days", type=int, help="days after closure before a case is purged")
    ret.add_argument(
        "--require-recorded",
        choices=("yes", "no"),
        help="must a case be marked recorded on the council's system before purging?",
    )
    ret.set_defaults(func=run_retention)
    pur = action("purge", "list (--dry-run) or purge (--yes) the closed cases that are due")
    mode = pur.add_mutually_exclusive_group(required=True)
    mode.add_argument("--dry-run", action="store_true", help="only list what is due")
    mode.add_argument("--yes", action="store_true", help="purge every case that is due")
    pur.add_argument("--json", action="store_true", help="list as JSON")
    pur.add_argument("--why", default="", help="why (kept in the audit's tombstone)")
    pur.set_defaults(func=run_purge)


def _uk(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


def run_close(args: argparse.Namespace) -> int:
    from app.casework.retention import RetentionError, close_case, mark_recorded
    from app.cli.vault import open_vault
    from app.storage import RecordNotFoundError, Repository

    with open_vault(args) as vault:
        repo = Repository(vault)
        try:
            close_case(repo, args.case, args.date, args.reason)
            if args.recorded:
                mark_recorded(repo, args.case)
        except (RetentionError, RecordNotFoundError) as exc:
            raise CliError(f"{exc} (nothing was changed)") from None
    print(f"closed case {args.case} on {_uk(args.date.strip())}")
    return 0


def run_recorded(args: argparse.Namespace) -> int:
    from app.casework.retention import RetentionError, mark_recorded
    from app.cli.vault import open_vault
    from app.storage import Repository

    with open_vault(args) as vault:
        try:
            mark_recorded(Repository(vault), args.case, args.date)
        except RetentionError as exc:
            raise CliError(str(exc)) from None
    print(f"case {args.case} marked recorded on the council's system")
    return 0


def run_retention(args: argparse.Namespace) -> int:
    from app.casework.retention import RetentionError, retention_settings, set_retention
    from app.cli.vault import open_vault
    from app.storage import Repository

    with open_vault(args) as vault:
        repo = Repository(vault)
        try:
            if args.days is None and args.require_recorded is None:
                current = retention_settings(repo)
            else:
                current = set_retention(
                    repo,
                    args.days,
                    None if args.require_recorded is None else args.require_recorded == "yes",
                )
        except RetentionError as exc:
            raise CliError(str(exc)) from None
    must = "must" if current.require_recorded else "need not"
    print(
        f"closed cases are purged {current.days} days after closure; a case {must} be "
        "marked recorded on the council's system first"
    )
    return 0


def run_purge(args: argparse.Namespace) -> int:
    from app.casework.retention import (
        RetentionError,
        closed_cases,
        finish_interrupted,
        purge_case,
        stale_backups,
    )
    from app.cli.vault import open_vault
    from app.storage import Repository

    with open_vault(args) as vault:
        repo = Repository(vault)
        listed = closed_cases(repo)
        due = [d for d in listed if not d.held_because]
        if args.dry_run:
            if args.json:
                print(json.dumps([d.as_json() for d in due], indent=1))
                return 0
            for d in due:
                print(f"case {d.case} ({d.reference}): closed {_uk(d.closed)}, due {_uk(d.due)}")
            for d in listed:
                if d.held_because:
                    print(f"held: case {d.case} ({d.reference}): {d.held_because}")
            if not due:
                print("no closed case is due for purging")
            return 0
        done = []
        finish_interrupted(repo)
        try:
            for d in due:
                done.append(purge_case(repo, d.case, why=args.why))
        except RetentionError as exc:
            raise CliError(str(exc)) from None
        stale = stale_backups(repo)
    if args.json:
        print(json.dumps([{"case": t.case, "reference": t.reference} for t in done], indent=1))
    else:
        for t in done:
            print(f"purged case {t.case} ({t.reference})")
        if not done:
            print("no closed case is due for purging")
    for path in stale:
        print(f"warning: the backup {Path(path)} was made before this purge and still holds it")
    return 0
