"""Kill and fault sweeps without a Python start-up or a tracer per write position.

A sweep runs the same command once for every write it injects a fault at. As a fresh
`python -c ...` under strace each run cost ~2.3 s: the interpreter's start-up and
imports, and ptrace stopping the child at every system call SQLite makes. Here one server
process does the imports once and forks a child per run; the child arms the fault in
SQLite's own system-call table (tests/helpers/faults.py) and runs `app.cli.main`. Each
sweep's fixture asserts that a forked child counts exactly the `pwrite64` calls strace
counts in a fresh process of the same command, so the positions are the same writes.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parents[2]
STRACE = shutil.which("strace")

# The server: imports once (PRELUDE), then per request forks a child that arms its fault,
# runs app.cli.main with its output in files, notes SQLite's writes and exits.
_SERVER = r"""
import json, os, sys, traceback
PRELUDE
from app.cli import main
from tests.helpers import faults

def child(request):
    for fd, name in ((1, "out"), (2, "err")):
        target = os.open(request[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, fd)
        os.close(target)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    sys.stdin = open(0, closefd=False)
    sys.stdout = open(1, "w", closefd=False)
    sys.stderr = open(2, "w", closefd=False)
    faults.arm(**request["fault"])
    try:
        code = main(request["argv"])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    sys.stdout.flush()
    sys.stderr.flush()
    with open(request["writes"], "w") as note:
        note.write(str(faults.writes()))
    os._exit(code or 0)

for line in sys.stdin:
    request = json.loads(line)
    pid = os.fork()
    if pid == 0:
        try:
            child(request)
        except BaseException:
            traceback.print_exc()  # into the run's err file: the test shows it
            sys.stderr.flush()
        finally:
            os._exit(70)
    _, status = os.waitpid(pid, 0)
    print(json.dumps({"status": status}), flush=True)
"""

# What the server does once: test vaults' cheap scrypt cost, then every module of app/
# other than the UI and the argument parser, so a child starts at the command itself.
CHEAP_KDF = "from app.storage import keys\nkeys.SCRYPT_N, keys.LEGACY_N = 2**10, (2**11,)\n"
WARM = (
    CHEAP_KDF + "import importlib, pathlib, app.cli, app.forms\n"
    "base = pathlib.Path(app.cli.__file__).parents[1]\n"
    "for f in sorted(base.rglob('*.py')):\n"
    "    name = '.'.join(('app', *f.relative_to(base).with_suffix('').parts))\n"
    "    if not name.startswith(('app.ui', 'app.__main__', 'app.storage.migrations')):\n"
    "        importlib.import_module(name.removesuffix('.__init__'))\n"
    "app.cli.build_parser()\n"
    "import alembic.command, alembic.context, alembic.op, alembic.runtime.migration, zxcvbn\n"
    "app.forms.load_registry(eager=True)  # parsed once, as a long-running app would\n"
)


class ForkServer:
    """`run(argv, kill=N)`: `python -m app ARGV` in a child forked from a pre-imported
    server, with a fault at SQLite's Nth write. Use as a context manager."""

    def __init__(self, env: Mapping[str, str], prelude: str = WARM) -> None:
        self._files = Path(tempfile.mkdtemp(prefix="cre-forkserver-"))
        self._server = subprocess.Popen(
            [sys.executable, "-c", _SERVER.replace("PRELUDE", prelude)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
            env={**os.environ, **env},
        )  # fmt: skip

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._server.stdin:
            self._server.stdin.close()
        try:
            self._server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._server.kill()
            self._server.wait()
        if self._server.stdout:
            self._server.stdout.close()
        shutil.rmtree(self._files, ignore_errors=True)

    def run(
        self, argv: list[str], kill: int | None = None, fail_from: int | None = None
    ) -> tuple[subprocess.CompletedProcess[str], int | None]:
        """`python -m app ARGV` with SIGKILL at SQLite's write `kill` or ENOSPC from write
        `fail_from` on (or neither): the output and exit code as a subprocess gives them
        (a killed child's code is minus the signal), and the writes SQLite made (None
        when the child was killed)."""
        assert self._server.stdin is not None and self._server.stdout is not None
        out, err, note = (self._files / name for name in ("out", "err", "writes"))
        note.unlink(missing_ok=True)
        request = {
            "argv": argv, "out": str(out), "err": str(err),
            "writes": str(note), "fault": {"kill": kill, "fail_from": fail_from},
        }  # fmt: skip
        self._server.stdin.write(json.dumps(request) + "\n")
        self._server.stdin.flush()
        line = self._server.stdout.readline()
        assert line, "the fork server ended"
        status = json.loads(line)["status"]
        code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        done = subprocess.CompletedProcess(
            argv, code, out.read_text("utf-8", "replace"), err.read_text("utf-8", "replace")
        )
        return done, int(note.read_text()) if note.exists() else None


@functools.cache
def _seccomp() -> list[str]:
    """strace's --seccomp-bpf when it has it: only pwrite64 stops the child, not every
    system call of Python's start-up."""
    assert STRACE is not None
    probe = [STRACE, "-f", "-qq", "--seccomp-bpf", "-o", os.devnull, "-e", "trace=pwrite64"]
    done = subprocess.run([*probe, "true"], capture_output=True, timeout=60)
    return ["--seccomp-bpf"] if done.returncode == 0 else []


def strace_writes(argv: list[str], env: Mapping[str, str], log: Path) -> int:
    """The `pwrite64` system calls strace counts in a fresh `python -c` of ARGV (start-up
    included; test vaults' cheap scrypt cost), for comparing with a forked child's."""
    assert STRACE is not None
    child = CHEAP_KDF + f"from app.cli import main\nimport sys\nsys.exit(main({argv!r}))\n"
    done = subprocess.run(
        [STRACE, "-f", "-qq", *_seccomp(), "-o", str(log), "-e", "trace=pwrite64",
         sys.executable, "-c", child],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, **env}, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return sum(1 for line in log.read_text().splitlines() if "pwrite64(" in line)
