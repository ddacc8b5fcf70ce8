"""`vault restore` only ever reads its backup; a killed `vault create` leaves no vault
behind (only a hidden temporary file that the next create or open removes), and `create`
over the empty stub an older version left is possible."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app.forms import Registry
from app.storage import Repository, Vault, VaultExistsError, restore
from tests.storage.conftest import PASSPHRASE, sample

ROOT = Path(__file__).resolve().parents[2]


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


STRACE = shutil.which("strace")
CHILD = (
    "import sys\n"
    "from app.storage import keys\n"
    "keys.SCRYPT_N, keys.LEGACY_N = 2**10, (2**11,)\n"
    "from app.cli import main\n"
    "sys.exit(main(['vault', 'create', '--vault', sys.argv[1]]))\n"
)


def _create(vault: Path, log: str, inject: str | None) -> subprocess.CompletedProcess[str]:
    assert STRACE is not None
    trace = [STRACE, "-f", "-qq", "-o", log, "-e", "trace=pwrite64,write,rename,link"]
    if inject:
        trace += ["-e", f"inject=pwrite64:{inject}"]
    env = {**os.environ, "CRE_VAULT_PASSPHRASE": PASSPHRASE}
    return subprocess.run(
        [*trace, sys.executable, "-c", CHILD, str(vault)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=300,
    )  # fmt: skip


@pytest.mark.skipif(sys.platform != "linux" or STRACE is None, reason="strace (Linux) needed")
def test_a_kill_at_any_write_of_create_leaves_no_vault_or_a_whole_one(tmp_path: Path) -> None:
    probe = tmp_path / "probe" / "vault.cre"
    probe.parent.mkdir()
    log = tmp_path / "strace.log"
    assert _create(probe, str(log), None).returncode == 0
    writes = sum(1 for line in log.read_text().splitlines() if "pwrite64(" in line)
    assert writes > 3
    every = os.environ.get("CRE_FAULT_SWEEP") == "all"
    step = 1 if every else max(1, writes // 8)
    outcomes = set()
    for when in sorted({*range(1, writes + 1, step), writes}):
        vault = tmp_path / f"kill{when}" / "vault.cre"
        vault.parent.mkdir()
        result = _create(vault, os.devnull, f"signal=SIGKILL:when={when}")
        assert result.returncode != 0 and "Traceback" not in result.stderr
        if vault.exists():
            assert stat.S_ISREG(vault.stat().st_mode)
            with Vault.open(vault, PASSPHRASE) as v:  # whole: opens and checks clean
                assert v.full_check().ok
            outcomes.add("whole")
        else:
            again = _create(vault, os.devnull, None)  # nothing in the way of a retry
            assert again.returncode == 0, again.stderr
            assert not list(vault.parent.glob(".vault.cre.create*"))
            outcomes.add("none")
    assert "none" in outcomes
