"""Kills and full-disk errors injected into the writes of a real `vault import`.

The import runs once per write position in a child forked from a pre-imported server
(tests/helpers/forkserver.py), with SQLite's write system call wrapped
(tests/helpers/faults.py): a SIGKILL at write N, or ENOSPC from write N on. The fixture
first checks that the forked child makes exactly the `pwrite64` calls strace counts in a
fresh `python -c` of the import (every write SQLite makes to the vault and its -wal,
including the checkpoint at close). After each run the vault opens, passes both
integrity checks, its keyed audit chain and its anchor, and holds all of the import
(every case with every one of its documents) or none of it, in which case the vault file
and its anchor are byte-for-byte those of before (read before the vault is opened again,
and after it has been opened, checked and closed) and so are its records and audit
trail; a full disk ends in one clean line that says nothing was imported only when
nothing was.

The sweeps take a sample of the writes; CRE_FAULT_SWEEP=all injects at every write.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.forms import Registry
from app.storage import Repository, Vault, keys
from tests.documents.test_documents import full_case
from tests.helpers.forkserver import STRACE, ForkServer, strace_writes
from tests.storage.conftest import PASSPHRASE, sample

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="forks and uses SIGKILL")
CASES = 6
DOCUMENTS = 3 * (CASES // 2)  # two reports and a letter in every other case
ENV = {"CRE_VAULT_PASSPHRASE": PASSPHRASE}


def _argv(case_file: Path, vault: Path) -> list[str]:
    return ["vault", "import", str(case_file), "--vault", str(vault)]


def _bytes(vault: Path) -> tuple[str, str]:
    """The vault file and its anchor, as hashes of their bytes (a -wal beside them holds
    only what was never committed and is discarded when the vault is next opened)."""
    return tuple(  # type: ignore[return-value]
        hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in (vault, f"{vault}.anchor")
    )


def _records(vault: Path) -> tuple[int, int, list[tuple[object, ...]]]:
    """(cases, documents, every record row and audit entry): what "as before" compares."""
    with Vault.open(vault, PASSPHRASE) as v:
        assert v.check() == []
        assert Repository(v).verify_audit() is None
        assert v.history_problems() == []
        assert v.full_check().records == []  # every record as its audit entries bound it
        cases = Repository(v).count_cases()
        documents = v.pragma("SELECT count(*) FROM documents")[0][0]
        rows = [
            *v.pragma("SELECT * FROM cases ORDER BY id"),
            *v.pragma("SELECT * FROM assessments ORDER BY id"),
            *v.pragma("SELECT * FROM documents ORDER BY id"),
            *v.pragma("SELECT id, action, hash FROM audit ORDER BY id"),
        ]
        return cases, documents, rows


Setup = tuple[ForkServer, Path, Path, int]


@pytest.fixture(scope="module")
def setup(registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    """The vault before the import, the case file, the import's write count and the
    server that forks the runs (one for both sweeps)."""
    tmp_path = tmp_path_factory.mktemp("import")
    with pytest.MonkeyPatch.context() as patch:  # the cheap cost of tests/conftest.py
        patch.setattr(keys, "SCRYPT_N", 2**10)
        patch.setattr(keys, "LEGACY_N", (2**11,))
        pristine = tmp_path / "pristine" / "vault.cre"
        with Vault.create(pristine, PASSPHRASE) as v:
            Repository(v).create_case(registry.get("derby-cse-2017"), sample(registry))
        cases = []
        for n in range(CASES):
            if n % 2:  # with an information report and a letter: documents in one import
                data = full_case(registry, "derby-cre-2020")
                data["information_reports"] *= 2
            else:
                data = sample(registry)
                data["analysis"] = {"immediate_concerns": f"Fictional concern {n} " * 200}
            data["child"]["name"] = f"Test Child Import {n}"
            cases.append(data)
        case_file = tmp_path / "import.json"
        case_file.write_text(
            json.dumps({"format": "cre-case-export", "version": 1, "cases": cases}), "utf-8"
        )
        with ForkServer(ENV) as server:
            probe = _copy(pristine, tmp_path / "forked")
            done, writes = server.run(_argv(case_file, probe))
            assert done.returncode == 0 and writes, done.stderr
            assert _records(probe)[:2] == (1 + CASES, DOCUMENTS)
            assert writes > 10, writes
            if STRACE:  # the same writes as a fresh process makes, so the same positions
                fresh = _copy(pristine, tmp_path / "fresh")
                log = tmp_path / "strace.log"
                assert strace_writes(_argv(case_file, fresh), ENV, log) == writes
            yield server, pristine, case_file, writes


def _copy(pristine: Path, folder: Path) -> Path:
    """A copy of the vault and its anchor in a folder of its own."""
    folder.mkdir()
    vault = folder / "vault.cre"
    shutil.copy(pristine, vault)
    shutil.copy(f"{pristine}.anchor", f"{vault}.anchor")
    return vault


def _positions(writes: int, many: int) -> list[int]:
    if os.environ.get("CRE_FAULT_SWEEP") == "all":
        return list(range(1, writes + 1))
    step = max(1, writes // many)
    return sorted({*range(1, writes + 1, step), writes - 2, writes - 1, writes} - {0})


@pytest.mark.long
def test_a_kill_at_any_write_keeps_all_or_none(setup: Setup, tmp_path: Path) -> None:
    server, pristine, case_file, writes = setup
    before = _records(pristine)
    untouched = _bytes(pristine)
    seen = set()
    for when in _positions(writes, 20):
        vault = _copy(pristine, tmp_path / f"kill{when}")
        result, _ = server.run(_argv(case_file, vault), kill=when)
        assert result.returncode == -signal.SIGKILL, (when, result.stderr)
        assert "Traceback" not in result.stderr, result.stderr
        killed = _bytes(vault)
        after = _records(vault)
        if after[0] == 1:
            assert after == before, when  # nothing of it: the same records and trail
            assert killed == _bytes(vault) == untouched, when  # and the very same bytes
        else:
            assert after[:2] == (1 + CASES, DOCUMENTS), (when, after[:2])
        seen.add(after[0])
    assert seen == {1, 1 + CASES}  # kills landed both before and after the commit


@pytest.mark.long
def test_a_full_disk_at_any_write_is_one_clean_line(setup: Setup, tmp_path: Path) -> None:
    server, pristine, case_file, writes = setup
    before = _records(pristine)
    untouched = _bytes(pristine)
    refused = 0
    for when in _positions(writes, 12):
        vault = _copy(pristine, tmp_path / f"enospc{when}")
        result, _ = server.run(_argv(case_file, vault), fail_from=when)
        assert "Traceback" not in result.stderr, result.stderr
        refused_bytes = _bytes(vault)
        after = _records(vault)
        if result.returncode == 0:
            assert after[:2] == (1 + CASES, DOCUMENTS), when  # acknowledged: all of it
        else:
            assert result.returncode == 1, (when, result.stderr)
            assert len(result.stderr.strip().splitlines()) == 1, result.stderr
            assert "disk is full" in result.stderr, result.stderr
            assert "nothing was imported" in result.stderr, result.stderr
            assert after == before, when
            assert refused_bytes == _bytes(vault) == untouched, when  # byte-for-byte
            refused += 1
    assert refused > 0
