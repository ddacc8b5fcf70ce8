"""`vault restore` only ever reads its backup; a killed `vault create` leaves no vault
behind (only a hidden temporary file that the next create or open removes), and `create`
over the empty stub an older version left is possible."""

from __future__ import annotations

import hashlib
import os
import signal
import stat
import sys
from pathlib import Path

import pytest

from app.forms import Registry
from app.storage import Repository, Vault, VaultExistsError, restore
from tests.helpers.forkserver import STRACE, ForkServer, strace_writes
from tests.storage.conftest import PASSPHRASE, sample


def _listing(folder: Path) -> dict[str, tuple[str, int, int]]:
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mode, p.stat().st_mtime_ns)
        for p in sorted(folder.iterdir())
    }


def test_restore_never_writes_to_its_source(registry: Registry, tmp_path: Path) -> None:
    vault = tmp_path / "v" / "vault.cre"
    with Vault.create(vault, PASSPHRASE) as v:
        Repository(v).create_case(registry.get("derby-cse-2017"), sample(registry))
        backups = tmp_path / "backups"
        backups.mkdir()
        v.backup(backups / "b.cre")
    os.chmod(backups / "b.cre", 0o444)  # as it would be on a read-only stick
    os.chmod(backups, 0o555)
    try:
        before = _listing(backups)
        target = restore(backups / "b.cre", tmp_path / "r" / "restored.cre", PASSPHRASE)
        assert _listing(backups) == before  # no page 1 rewrite, no chmod, no anchor, no lock
        with Vault.open(target, PASSPHRASE) as r:
            assert Repository(r).count_cases() == 1
            assert r.full_check().ok
        with pytest.raises(VaultExistsError):
            restore(backups / "b.cre", backups / "b.cre", PASSPHRASE)
        assert _listing(backups) == before
    finally:
        os.chmod(backups, 0o755)


def test_create_over_an_old_stub_and_never_over_a_vault(tmp_path: Path) -> None:
    path = tmp_path / "vault.cre"
    path.touch(mode=0o600)  # the empty file a killed create used to leave
    Path(f"{path}-wal").write_bytes(b"")
    Vault.create(path, PASSPHRASE).close()
    with Vault.open(path, PASSPHRASE) as v:
        assert v.full_check().ok
    with pytest.raises(VaultExistsError):
        Vault.create(path, PASSPHRASE)
    assert not list(tmp_path.glob(".vault.cre.create*"))


ENV = {"CRE_VAULT_PASSPHRASE": PASSPHRASE}


@pytest.mark.long
@pytest.mark.skipif(sys.platform == "win32", reason="forks and uses SIGKILL")
def test_a_kill_at_any_write_of_create_leaves_no_vault_or_a_whole_one(tmp_path: Path) -> None:
    """`vault create` killed at SQLite's writes, one after another (each run forked from a
    pre-imported server with the kill in SQLite's write call: tests/helpers/faults.py)."""
    with ForkServer(ENV) as server:
        probe = tmp_path / "probe" / "vault.cre"
        done, writes = server.run(["vault", "create", "--vault", str(probe)])
        assert done.returncode == 0 and writes is not None and writes > 3, done.stderr
        if STRACE:  # the same writes as a fresh process makes, so the same positions
            fresh = ["vault", "create", "--vault", str(tmp_path / "fresh" / "vault.cre")]
            assert strace_writes(fresh, ENV, tmp_path / "strace.log") == writes
        every = os.environ.get("CRE_FAULT_SWEEP") == "all"
        step = 1 if every else max(1, writes // 8)
        outcomes = set()
        for when in sorted({*range(1, writes + 1, step), writes}):
            vault = tmp_path / f"kill{when}" / "vault.cre"
            vault.parent.mkdir()
            result, _ = server.run(["vault", "create", "--vault", str(vault)], kill=when)
            assert result.returncode == -signal.SIGKILL and "Traceback" not in result.stderr
            if vault.exists():
                assert stat.S_ISREG(vault.stat().st_mode)
                with Vault.open(vault, PASSPHRASE) as v:  # whole: opens and checks clean
                    assert v.full_check().ok
                outcomes.add("whole")
            else:
                again, _ = server.run(["vault", "create", "--vault", str(vault)])
                assert again.returncode == 0, again.stderr  # nothing in the way of a retry
                assert not list(vault.parent.glob(".vault.cre.create*"))
                outcomes.add("none")
        assert "none" in outcomes
