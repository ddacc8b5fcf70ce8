"""The generated hostile corpus (tests/hostile_corpus.py, over 800 files) through all four
entry points: `assess`, `export`, `vault import` and the app's import (`import_path`).

For every file and entry point: no traceback and no "unexpected problem", no run over
TIMEOUT_S, and a refusal is one line naming its field (a path such as
`meetings[0].date`, or for damage to the file as a whole, the file); after a refusal the
vault's files hash the same and the export folder was not created. The commands run in
this process through `app.cli.main` (a subprocess per file would cost minutes; the parser
is built once and each definition parsed once per process), with one
vault for the command line and one held open for the app, as on a practitioner's laptop.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import app.cli
from app.forms import Registry
from app.storage import Repository, Vault
from tests.hostile_corpus import Sample, generate

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="uses SIGALRM and FIFOs")
SECRET = "a fictional hostile-corpus passphrase"
TIMEOUT_S = 20
# A refusal names a field: `error: FILE: <path>[ (label)]: message`, the path as the
# case file spells it (`cases[1].child.name` in a bundle, `(case file)` for the whole).
FIELD = re.compile(r"^(\(case file\)|[A-Za-z0-9_]+(\[\d+\]|\.[^\s:(\[]+)*)( \(|: )")


class Hang(Exception):
    pass


@contextlib.contextmanager
def deadline(seconds: int) -> Iterator[None]:
    def _alarm(signum: int, frame: Any) -> None:
        raise Hang()

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def run(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with deadline(TIMEOUT_S), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = app.cli.main(list(argv))
    text = err.getvalue()
    assert code in (0, 2), (argv, code, text)
    assert "Traceback" not in text and "unexpected problem" not in text, (argv, text)
    if code:
        assert text.endswith("\n") and text.count("\n") == 1, (argv, text)  # one line
        assert text.startswith("error: "), (argv, text)
    return code, text.strip()


def names_field(sample: Sample, line: str) -> bool:
    """The refusal names the field (after the file's name), or the file itself when the
    damage is to the file as a whole (not JSON, too large, a FIFO...)."""
    from app.rules.safe import one_line

    shown = one_line(str(sample.path))
    if shown not in line:
        return False
    rest = line.split(shown, 1)[1].lstrip(": ")
    if sample.kind in ("raw", "special"):
        return bool(rest)
    return bool(FIELD.match(rest))


def fingerprint(vault: Path) -> dict[str, str]:
    """A hash of each of the vault's files (the database, its WAL, anchor and lock; not
    the -shm WAL index, which SQLite rewrites on reads and which holds no data)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(vault.parent.iterdir())
        if p.name.startswith(vault.name) and p.is_file() and not p.name.endswith("-shm")
    }


@pytest.mark.long
def test_hostile_corpus_through_every_entry_point(
    registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.rules.safe import one_line
    from app.ui.referral_hooks import import_path

    monkeypatch.setenv("CRE_VAULT_PASSPHRASE", SECRET)
    samples = generate(registry, tmp_path / "corpus")
    assert len(samples) >= 800
    cli_vault = tmp_path / "cli" / "v.cre"
    cli_vault.parent.mkdir()
    Vault.create(cli_vault, SECRET).close()
    app_vault = Vault.create(tmp_path / "app" / "v.cre", SECRET)
    repo = Repository(app_vault)
    out_root = tmp_path / "out"
    out_root.mkdir()
    refused = accepted = 0
    try:
        for n, sample in enumerate(samples):
            where = str(sample.path)
            code, line = run("assess", where)
            if code:
                assert names_field(sample, line), (sample, line)
            before = fingerprint(cli_vault)
            code, line = run("vault", "import", where, "--vault", str(cli_vault))
            if code:
                refused += 1
                assert names_field(sample, line), (sample, line)
                assert fingerprint(cli_vault) == before, sample
            else:
                accepted += 1
            out = out_root / f"{n:04d}"
            code, line = run("export", where, "--out", str(out))
            if code:
                assert names_field(sample, line), (sample, line)
                assert not out.exists(), (sample, line)
            app_before = fingerprint(app_vault.path), repo.count_cases()
            with deadline(TIMEOUT_S):
                result = import_path(repo, registry, sample.path)
            if result.problems:
                assert not result.case_ids
                assert (fingerprint(app_vault.path), repo.count_cases()) == app_before, sample
                for problem in result.problems:
                    assert "\n" not in problem and "Traceback" not in problem, problem
                    named = re.sub(r"^Case \d+: ", "", problem)  # which case of a bundle
                    if not named.startswith(one_line(str(sample.path))):  # a field's problem
                        named = f"{one_line(str(sample.path))}: {named}"
                    assert names_field(sample, named), (sample, problem)
    finally:
        app_vault.close()
    assert refused > 700 and accepted > 10  # hostile, yet not only refusals
    with Vault.open(cli_vault, SECRET) as v:
        assert v.check() == [] and Repository(v).verify_audit() is None
