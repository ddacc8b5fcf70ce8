"""The command line: `python -m app <command>`.

Each command lives in its own module exposing `register(subparsers)`; the module's
`register` adds a subparser whose `func(args) -> int` runs the command. Heavy modules
(Qt, reportlab, SQLAlchemy) are imported inside the command functions so that
`python -m app toolkits` stays fast.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib
import sys
from collections.abc import Sequence
from typing import Any

# Modules that contribute commands, in help order.
COMMAND_MODULES = (
    "app.cli.toolkits",
    "app.cli.assess",
    "app.cli.vault",
    "app.cli.demo",
    "app.cli.export",
    "app.cli.stats",
    "app.cli.oversight",
    "app.cli.sar",
)


class CliError(Exception):
    """A problem to report on one stderr line with exit code 2 (bad input, not a crash)."""


class EnvironmentFault(CliError):
    """The machine, not the input: a full disk, a missing folder, no permission (exit 1)."""


def disable_core_dumps() -> None:
    """A crash must not write the unlocked key and case data to a core file."""
    try:
        import resource
    except ImportError:  # Windows: no core files by default
        return
    with contextlib.suppress(OSError, ValueError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def describe_os_error(exc: OSError) -> str:
    """An OSError in words, naming the file but never dumping a traceback."""
    import errno

    where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
    words = {
        errno.ENOSPC: "the disk is full; nothing was changed",
        errno.ENOENT: "no such file or folder",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EISDIR: "that is a folder, not a file",
        errno.EROFS: "the disk is read-only",
        errno.EDQUOT: "the disk quota is used up; nothing was changed",
    }
    return f"{words.get(exc.errno or 0, exc.strerror or str(exc))}{where}"


class _VersionAction(argparse.Action):
    """argparse's version action, but reading the version only when it is asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS) -> None:
        super().__init__(
            option_strings, dest, default=argparse.SUPPRESS, nargs=0,
            help="show program's version number and exit",
        )  # fmt: skip

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        from app import __version__

        print(f"cre-toolkit {__version__}")
        parser.exit()


@functools.cache
def build_parser() -> argparse.ArgumentParser:
    """Built once per process: argparse keeps no state between parse_args calls, and
    in-process callers (the hostile-input sweeps run ~1,000 commands) would otherwise
    spend a third of their time here."""
    parser = argparse.ArgumentParser(
        prog="python -m app",
        description="CRE Toolkit: child exploitation risk assessments, offline.",
    )
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument(
        "--debug", action="store_true", help="show a Python traceback for unexpected errors"
    )
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
    """Run one command. Whatever goes wrong ends as one line on stderr, never a traceback
    (unless --debug): exit 2 for bad input, 1 for the machine or an unexpected fault."""
    disable_core_dumps()
    words = list(argv) if argv is not None else sys.argv[1:]
    debug = "--debug" in words
    try:
        parser = build_parser()
        args = parser.parse_args(words)
        func = getattr(args, "func", None)
        if func is None:
            args = parser.parse_args(["gui", *words])
            func = args.func
        result: int = func(args)
    except EnvironmentFault as exc:
        say(f"error: {exc}")
        return 1
    except CliError as exc:
        say(f"error: {exc}")
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the top-level guarantee: no traceback for a user
        if debug:
            raise
        return _report(exc)
    return result


def say(line: str) -> None:
    """One line on stderr, whatever it quotes: control characters (a line break in a file
    name, a form feed in a child's name) are shown escaped, never obeyed."""
    from app.rules.safe import one_line

    print(one_line(line), file=sys.stderr)


def _report(exc: Exception) -> int:
    from app.storage.errors import VaultError, VaultWriteError

    if isinstance(exc, VaultWriteError):
        say(f"error: {exc}")
        return 1
    if isinstance(exc, VaultError):
        say(f"error: {exc}")
        return 2
    if isinstance(exc, OSError):
        say(f"error: {describe_os_error(exc)}")
        return 1
    text = str(getattr(exc, "orig", None) or exc)
    if "database or disk is full" in text or "disk I/O error" in text:
        print(
            "error: the disk is full or could not be written; the vault keeps its state "
            "from before this command",
            file=sys.stderr,
        )
        return 1
    if "malformed" in text or "not a database" in text or "readonly database" in text:
        print(
            "error: the vault file is damaged; your passphrase may be right; restore a backup "
            "(`vault check` lists the damaged pages); nothing more was written",
            file=sys.stderr,
        )
        return 1
    if isinstance(exc, RecursionError | MemoryError):
        print("error: the input is nested too deeply or is too large", file=sys.stderr)
        return 2
    print(
        f"error: unexpected problem ({exc.__class__.__name__}); nothing more was written. "
        "Run again with --debug to see the details.",
        file=sys.stderr,
    )
    return 1
