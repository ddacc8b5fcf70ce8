"""The command line as a user runs it, in this process or as a real `python -m app`.

Most command-line tests call `app.cli.main` in the test process (`in_process`): a
subprocess costs an interpreter start, the imports and the real scrypt key on every call
(most of the command-line folder's time). A few smoke tests per command group keep
running the real process (`subprocess_cli`) so the exit code and the "no traceback"
guarantee are still checked end to end.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def _environment(env: Mapping[str, str | None]) -> Iterator[None]:
    """os.environ with `env` applied (None removes a name), put back afterwards."""
    saved = {name: os.environ.get(name) for name in env}
    try:
        for name, value in env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def in_process(
    *args: str, env: Mapping[str, str | None] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """`python -m app ARGS` through `app.cli.main` here: stdout, stderr and the exit code
    as a subprocess would give them (argparse's own exits included), stdin empty and not
    a terminal, the environment changed only for the call."""
    from app.cli import main

    out, err = io.StringIO(), io.StringIO()
    with (
        _environment(env or {}),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        _stdin(stdin),
    ):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's --help, --version and usage errors
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    stderr = err.getvalue()
    assert "Traceback" not in stderr, stderr
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), stderr)


@contextlib.contextmanager
def _stdin(text: str) -> Iterator[None]:
    saved = sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        yield
    finally:
        sys.stdin = saved


def subprocess_cli(
    *args: str, env: Mapping[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """A real `python -m app ARGS` process (real scrypt cost), stdin closed."""
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL, timeout=timeout,
    )  # fmt: skip
