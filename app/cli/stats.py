"""`python -m app stats`: partnership statistics from a vault, and merging bundles.

python -m app stats --vault PATH --from DATE --to DATE [--csv FILE] [--bundle FILE]
python -m app stats merge BUNDLE... --csv FILE
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli import CliError

if TYPE_CHECKING:
    from app.stats import CaseFacts, StatsReport


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("stats", help="partnership statistics (Appendix A) and bundles")
    p.add_argument("--vault", type=Path, help="vault file (default: the per-user location)")
    p.add_argument("--from", dest="start", help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="end", help="last day, YYYY-MM-DD")
    p.add_argument("--csv", type=Path, help="write the table as CSV")
    p.add_argument("--bundle", type=Path, help="write an anonymised counts-only bundle")
    p.add_argument("--pdf", type=Path, help="write the tables as a PDF")
    p.add_argument(
        "--pseudonyms",
        action="store_true",
        help="bundle: name each child by a keyed pseudonym (secret from CRE_PARTNERSHIP_SECRET "
        "or asked), so a merge counts a child on two laptops once",
    )
    p.set_defaults(func=run_vault)
    inner = p.add_subparsers(dest="stats_command", metavar="merge")
    merge = inner.add_parser("merge", help="add up bundles from several laptops")
    merge.add_argument("bundles", type=Path, nargs="+")
    merge.add_argument("--csv", type=Path, required=True, help="write the merged table as CSV")
    merge.add_argument("--pdf", type=Path, help="also write the merged tables as a PDF")
    merge.set_defaults(func=run_merge)


def parse_day(value: str | None, flag: str) -> dt.date:
    if value is None:
        raise CliError(f"{flag} is required (YYYY-MM-DD)")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise CliError(f"{flag}: {value!r} is not a date written YYYY-MM-DD") from None
    if not 1900 <= day.year <= 2199:
        raise CliError(f"{flag}: {value} is not a date between 1900 and 2199")
    return day


def print_report_summary(report: StatsReport) -> None:
    width = max(len(r.label) for r in report.rows)
    print(f"Statistics {report.start} to {report.end}")
    for n, period in enumerate(report.periods, 1):
        print(f"  column {n}: {period.label}")
    section = ""
    for row in report.rows:
        if row.section != section:
            section = row.section
            print(f"\n{section}")
        *counts, total = row.cells()
        print(f"  {row.label:<{width}}  {'  '.join(f'{c:>4}' for c in counts)}  total {total}")


def run_merge(args: argparse.Namespace) -> int:
    from app.cli.vault import guard_outputs
    from app.fileio import atomic_write_text
    from app.stats import BundleError, merge_bundles, read_bundle

    guard_outputs({"--csv": args.csv, "--pdf": args.pdf}, inputs=tuple(args.bundles))
    try:
        bundles = [(str(path), read_bundle(path)) for path in args.bundles]
        report = merge_bundles(bundles)
    except BundleError as exc:
        raise CliError(str(exc)) from None
    atomic_write_text(args.csv, report.to_csv())
    print(f"merged {len(bundles)} bundles into {args.csv}")
    if args.pdf:
        from app.documents.statistics import statistics_pdf
        from app.fileio import atomic_write_bytes

        atomic_write_bytes(args.pdf, statistics_pdf(report))
        print(f"wrote {args.pdf}")
    return 0


def run_vault(args: argparse.Namespace) -> int:
    from app.cli.vault import guard_outputs, vault_path
    from app.stats import build_report, to_bundle, write_bundle

    outputs = {"--csv": args.csv, "--pdf": args.pdf, "--bundle": args.bundle}
    guard_outputs(outputs, vault=vault_path(args))
    start, end = parse_day(args.start, "--from"), parse_day(args.end, "--to")
    if end < start:
        raise CliError("--to is before --from")
    secret = _partnership_secret() if args.pseudonyms else None
    facts, source_id = _vault_facts(args, secret)
    try:
        report = build_report(facts, start, end)
    except ValueError as exc:  # the range has not started yet
        raise CliError(f"--from: {exc}") from None
    print_report_summary(report)
    if args.csv:
        from app.fileio import atomic_write_text

        atomic_write_text(args.csv, report.to_csv())
        print(f"\nwrote {args.csv}")
    if args.pdf:
        from app.documents.statistics import statistics_pdf
        from app.fileio import atomic_write_bytes

        atomic_write_bytes(args.pdf, statistics_pdf(report))
        print(f"wrote {args.pdf}")
    if args.bundle:
        from app.stats.pseudonyms import key_check

        check = key_check(secret) if secret else ""
        write_bundle(to_bundle(report, source_id=source_id, key_check=check), args.bundle)
        print(f"wrote anonymised bundle {args.bundle}")
    return 0


def _partnership_secret() -> str:
    import getpass
    import os

    secret = os.environ.get("CRE_PARTNERSHIP_SECRET") or getpass.getpass("Partnership secret: ")
    if len(secret) < 12:
        raise CliError("the partnership secret must be at least 12 characters")
    return secret


def _vault_facts(args: argparse.Namespace, secret: str | None) -> tuple[list[CaseFacts], str]:
    from app.casework.settings import statistics_source_id
    from app.cli.vault import open_vault
    from app.stats.source import facts_from_vault
    from app.storage import Repository

    with open_vault(args) as vault:
        repo = Repository(vault)
        source_id = statistics_source_id(repo)  # the same id the Statistics window sends
        return facts_from_vault(repo, secret=secret), source_id
