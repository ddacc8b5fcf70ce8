"""Kills injected into the writes of a real `vault purge --yes` (forked, pre-imported runs
with the kill in SQLite's write call, as in test_fault_injection.py, their writes checked
against strace's count in a fresh process): after a kill at any write the vault opens,
passes both integrity checks, its keyed audit chain and its anchor, and holds either the
whole case (every assessment, document and meeting) or none of it with its tombstone. A
purge cut short after its commit is finished by the next one: no page then holds the
child's name. An even sample of writes by default; CRE_FAULT_SWEEP=all (or the older
CRE_FULL_SWEEP=1) kills at every one.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
from pathlib import Path

import pytest

from app.casework import retention
from app.forms import Registry
from app.storage import Repository, Vault, purge
from tests.casework.retention_support import other_case, rich_case
from tests.casework.test_retention import decrypted_pages
from tests.helpers.forkserver import STRACE, ForkServer, strace_writes
from tests.storage.conftest import PASSPHRASE

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="forks and uses SIGKILL")
ENV = {"CRE_VAULT_PASSPHRASE": PASSPHRASE}


def _argv(vault: Path) -> list[str]:
    return ["vault", "purge", "--yes", "--vault", str(vault)]


def _whole(vault: Path, expected: tuple[int, int, int]) -> bool:
    """True when the case is all there, False when all gone (anything else fails)."""
    from app.storage.meetings import meetings

    with Vault.open(vault, PASSPHRASE) as v:
        assert v.check() == []
        repo = Repository(v)
        assert repo.verify_audit() is None
        assert v.history_problems() == [] and v.warnings == []
        ids = [c.id for c in repo.list_cases()]
        tomb = purge.purged_case(v, 1)
        if 1 in ids:
            assert tomb is None
            held = (len(repo.assessments(1)), len(repo.documents(1)), len(meetings(repo, 1)))
            assert held == expected
            return True
        assert tomb is not None and ids == [2]
        retention.purge_due(repo)  # a purge cut short is finished by the next
        assert purge.finish_pending(v) is False
    return False


@pytest.fixture
def pristine(registry: Registry, tmp_path: Path) -> tuple[Path, tuple[str, ...]]:
    path = tmp_path / "pristine" / "vault.cre"
    with Vault.create(path, PASSPHRASE) as v:
        repo = Repository(v)
        rich = rich_case(repo, registry, meetings=3)
        other_case(repo, registry)
        retention.close_case(repo, rich.case_id, "2020-01-05", "moved")
        retention.mark_recorded(repo, rich.case_id, "2020-01-06")
    return path, rich.sentinels


@pytest.mark.long
def test_a_kill_at_any_write_of_a_purge_leaves_the_whole_case_or_none(
    pristine: tuple[Path, tuple[str, ...]], tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    source, sentinels = pristine
    server = ForkServer(ENV)
    request.addfinalizer(server.close)
    probe = tmp_path / "probe" / "vault.cre"
    probe.parent.mkdir()
    shutil.copy(source, probe)
    done, writes = server.run(_argv(probe))
    assert "Traceback" not in done.stderr and writes is not None and writes > 10, done.stderr
    assert _whole(probe, (2, 2, 3)) is False
    if STRACE:  # the same writes as a fresh process makes, so the same positions
        fresh = tmp_path / "fresh" / "vault.cre"
        fresh.parent.mkdir()
        shutil.copy(source, fresh)
        assert strace_writes(_argv(fresh), ENV, tmp_path / "strace.log") == writes
    every = os.environ.get("CRE_FAULT_SWEEP") == "all" or os.environ.get("CRE_FULL_SWEEP")
    step = 1 if every else max(1, writes // 14)
    seen = set()
    positions = sorted({*range(1, writes + 1, step), writes - 1, writes} - {0})
    for when in positions:
        run = tmp_path / f"kill{when}"
        run.mkdir()
        vault = run / "vault.cre"
        shutil.copy(source, vault)
        killed, _ = server.run(_argv(vault), kill=when)
        assert killed.returncode == -signal.SIGKILL and "Traceback" not in killed.stderr
        kept = _whole(vault, (2, 2, 3))
        seen.add(kept)
        if not kept:
            pages = decrypted_pages(vault)
            assert not any(s.encode() in pages for s in sentinels), when
    assert seen == {True, False}  # kills landed before and after the commit
    print(f"killed at {len(positions)} of {writes} writes")
