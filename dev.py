#!/usr/bin/env python3
"""Set-up and run entry point: `python3 dev.py run` or `python3 dev.py test`.

Why a script: a newcomer needs only Python 3.11+ and pip. It creates `.venv` beside this
file, installs the project into it when pyproject.toml changed (so it is idempotent and
fast the second time), then runs the app or the full test suite inside it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".cre-installed"


def _venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def _wanted_stamp() -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    return f"{digest} {sys.version_info[:2]}"


def ensure_env() -> Path:
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py may be run by an older Python)
        sys.exit("CRE Toolkit needs Python 3.11 or newer; this is " + sys.version.split()[0])
    py = _venv_python()
    if not py.exists():
        print("Creating virtual environment in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if not STAMP.exists() or STAMP.read_text() != _wanted_stamp():
        print("Installing CRE Toolkit and its dependencies into .venv ...", flush=True)
        pip = [str(py), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "-e", f"{ROOT}[test,bench]"], check=True)
        STAMP.write_text(_wanted_stamp())
    return py


# Coverage of app/ other than app/ui (the UI is measured, not gated): CI fails below this.
# Calibrated 2026-12-03: 93 % measured on the whole suite; the floor sits two points below.
COVERAGE_FLOOR = 91


def run_tests(py: Path, rest: list[str]) -> int:
    """pytest, spread over the machine's cores (pytest-xdist) when the whole suite runs;
    `--cov` adds coverage and checks the floor. Prints how long the run took."""
    import time

    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    args = list(rest)
    coverage = "--cov" in args
    if coverage:
        args.remove("--cov")
        args += ["--cov=app", "--cov-report=term:skip-covered", "--cov-report=xml"]
    paths = [a for a in args if not a.startswith("-") and (ROOT / a.split("::")[0]).exists()]
    if not paths and not any(a == "-n" or a.startswith(("-n", "--numprocesses")) for a in args):
        cores = os.cpu_count() or 1
        # one worker more than the cores: about a tenth of the suite waits (real processes,
        # the kill loops' sleeps, Qt's event loop), and the extra worker fills it (232 s
        # against 250 s on two cores); work stealing hands tests from busy to idle workers
        workers = 1 if cores < 2 else min(cores + 1, 5)
        if workers > 1:
            args = ["-n", str(workers), "--dist=worksteal", *args]
    started = time.monotonic()
    code = subprocess.call([str(py), "-m", "pytest", *args], cwd=ROOT, env=env)
    print(f"dev.py test: {time.monotonic() - started:.0f} s", flush=True)
    if coverage and code == 0:
        gate = [str(py), "-m", "coverage", "report", "--omit=app/ui/*",
                f"--fail-under={COVERAGE_FLOOR}", "--format=total"]  # fmt: skip
        total = subprocess.run(gate, cwd=ROOT, capture_output=True, text=True)
        print(f"coverage of app/ outside app/ui: {total.stdout.strip()}% "
              f"(floor {COVERAGE_FLOOR}%)")  # fmt: skip
        code = total.returncode
    return code


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "lint", "setup", "bench", "shell"}:
        print(__doc__)
        print(
            "usage: python3 dev.py run [app args...] | test [pytest args...] | lint | setup | bench"
        )
        return 2
    py = ensure_env()
    cmd, rest = argv[0], argv[1:]
    if cmd == "run":
        return subprocess.call([str(py), "-m", "app", *rest], cwd=ROOT)
    if cmd == "test":
        return run_tests(py, rest)
    if cmd == "bench":
        env = dict(os.environ)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        return subprocess.call([str(py), "benchmarks/run.py", *rest], cwd=ROOT, env=env)
    if cmd == "setup":
        print(f"ready: {py}")
        return 0
    if cmd == "lint":
        # the whole repository, not just app/: tests, benchmarks and tools rot otherwise
        where = ["app", "tests", "benchmarks", "tools", "dev.py"]
        lint_imports = VENV / ("Scripts" if os.name == "nt" else "bin") / "lint-imports"
        steps = [
            [str(py), "-m", "ruff", "check", *where],
            [str(py), "-m", "ruff", "format", "--check", *where],
            [str(py), "-m", "mypy"],
            [str(lint_imports)],
        ]
        return max(subprocess.call(step, cwd=ROOT) for step in steps)
    return subprocess.call([str(py)], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
