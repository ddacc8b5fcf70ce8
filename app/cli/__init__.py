"""The command line: `python -m app <command>`.

Each command lives in its own module exposing `register(subparsers)`; the module's
`register` adds a subparser whose `func(args) -> int` runs the command. Heavy modules
(Qt, reportlab, SQLAlchemy) are imported inside the command functions so that
`python -m app toolkits` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from app import __version__

# Modules that contribute commands, in help order.
COMMAND_MODULES = (
    "app.cli.toolkits",
    "app.cli.assess",
    "app.cli.vault",
    "app.cli.demo",
    "app.cli.export",
    "app.cli.stats",
)


class CliError(Exception):
    """A problem to report on one stderr line with exit code 2 (bad input, not a crash)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m app",
        description="CRE Toolkit: child exploitation risk assessments, offline.",
    )
    parser.add_argument("--version", action="version", version=f"cre-toolkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    gui = sub.add_parser("gui", help="open the app (the default with no command)")
    gui.add_argument("--vault", help="vault file to open (default: the per-user location)")
    gui.set_defaults(func=_run_gui)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # command not built yet
            raise
        module.register(sub)
    return parser


def _run_gui(args: argparse.Namespace) -> int:
    from app.ui.main import run_gui

    return run_gui(vault=args.vault)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    func = getattr(args, "func", None)
    if func is None:
        args = parser.parse_args(["gui", *(list(argv) if argv is not None else sys.argv[1:])])
        func = args.func
    try:
        result: int = func(args)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return result
