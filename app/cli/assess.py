"""`python -m app assess CASE.json [--json]`: the engine's verdict on a case file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from app.cli import CliError
from app.forms import Registry, load_registry
from app.rules import AssessmentResult, CaseFileError, assess, parse_case


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("assess", help="apply a toolkit's rules to a case file or a vault case")
    p.add_argument("case", type=Path, nargs="?", help="case file (JSON, format 1)")
    p.add_argument(
        "--case", dest="case_id", type=int,
        help="with --vault: this vault case as it stands, its letter's countersigned "
        "Head of Service agreement included (passphrase: CRE_VAULT_PASSPHRASE)",
    )  # fmt: skip
    p.add_argument("--vault", type=Path, help="vault file (with --case)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def read_case_file(path: Path) -> Any:
    """Decode a case file (size, type, BOM, nesting guarded in app.fileio) or one-line error."""
    from app.fileio import InputFileError, read_json_file

    try:
        return read_json_file(path)
    except InputFileError as exc:
        raise CliError(str(exc)) from None


def evaluate(path: Path, registry: Registry) -> AssessmentResult:
    data = read_case_file(path)
    try:
        case = parse_case(data, registry)
    except CaseFileError as exc:
        raise CliError(f"{path}: {exc}") from None
    return assess(case, registry.get(case.toolkit))


def render_text(result: AssessmentResult, registry: Registry) -> str:
    tk = registry.get(result.toolkit)

    def label(level: Any) -> str:
        return tk.level_label(level.value) if level else "not chosen"

    lines = [
        f"Toolkit:          {tk.short_title} ({tk.version})",
        f"Age:              {result.age} ({'in scope' if result.in_scope else 'OUT OF SCOPE'})",
        f"Suggested level:  {label(result.suggested_level)}",
        f"Minimum level:    {label(result.minimum_level) if result.minimum_level else 'none'}",
        f"Final level:      {label(result.final_level)}",
        f"Review due:       {result.review_due.isoformat() if result.review_due else 'no date'}"
        + (f", by {result.review_by}" if result.review_by and result.review_due else ""),
        "Counts:           " + ", ".join(f"{k} {v}" for k, v in result.counts.items()),
    ]
    if result.primary_type:
        lines.append(f"Primary type:     {result.primary_type.upper()}")
    for title, rows in (
        ("Reasons", [r.text for r in result.reasons]),
        ("What the toolkit says for this level", list(result.level_description)),
        ("Next steps", list(result.next_steps)),
        ("Warnings", [w.text for w in result.warnings]),
        ("Errors", [f"{e.field}: {e.message}" for e in result.errors]),
    ):
        if rows:
            lines.append(f"{title}:")
            lines.extend(f"  - {row}" for row in rows)
    if result.letter is not None:
        verdict = "eligible" if result.letter.eligible else "NOT eligible"
        lines.append(f"Disruption letter: {verdict}")
        lines.extend(f"  - {r.text}" for r in result.letter.unmet)
        lines.extend(  # met or not, how the Head of Service agreed: tick or countersignature
            f"  - {r.text}"
            for r in result.letter.met
            if r.code == "letter.head_of_service_agreement"
        )
    return "\n".join(lines)


def evaluate_vault_case(args: argparse.Namespace, registry: Registry) -> AssessmentResult:
    from app.casework.oversight import case_result
    from app.cli.vault import open_vault
    from app.storage import RecordNotFoundError, Repository

    if args.case is not None:
        raise CliError("give either a case file or --vault/--case, not both")
    with open_vault(args) as vault:
        try:
            return case_result(Repository(vault), registry, args.case_id)
        except RecordNotFoundError:
            raise CliError(f"--case {args.case_id}: no such case in the vault") from None
        except CaseFileError as exc:
            raise CliError(f"case {args.case_id}: {exc}") from None


def run(args: argparse.Namespace) -> int:
    registry = load_registry()
    if args.case_id is not None:
        result = evaluate_vault_case(args, registry)
    elif args.case is None:
        raise CliError("give a case file, or --vault PATH --case ID")
    else:
        result = evaluate(args.case, registry)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(render_text(result, registry))
    if result.errors:
        first = result.errors[0]
        from app.cli import say

        where = args.case if args.case is not None else f"case {args.case_id}"
        say(f"error: {where}: {first.field}: {first.message}")
        return 2
    return 0
