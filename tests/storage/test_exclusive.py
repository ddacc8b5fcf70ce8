"""Exclusive use: one program at a time holds a vault; backups never land on the vault."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.storage import Repository, Vault, VaultError
from app.storage.errors import VaultInUseError
from app.storage.oslock import lock_path
from tests.storage.conftest import PASSPHRASE

HOLDER = textwrap.dedent(
    """
    import sys, time
    from app.storage import keys, Repository, Vault
    keys.SCRYPT_N = 2**10
    v = Vault.open(sys.argv[1], sys.argv[2])
    Repository(v).set_setting("held", "by the other program")
    print("holding", flush=True)
    sys.stdin.readline()
    v.close()
    print("released", flush=True)
    """
)


def _holder(path: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), PASSPHRASE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "holding"
    return proc


def test_a_second_program_is_refused_and_no_save_is_lost(vault_path: Path) -> None:
    Vault.create(vault_path, PASSPHRASE).close()
    other = _holder(vault_path)
    try:
        with pytest.raises(VaultInUseError, match="in use by another program on this computer"):
            Vault.open(vault_path, PASSPHRASE)
    finally:
        assert other.stdin is not None
        other.stdin.write("\n")
        other.stdin.flush()
        assert other.wait(timeout=60) == 0
    with Vault.open(vault_path, PASSPHRASE) as v:
        assert Repository(v).get_setting("held") == "by the other program"
        assert v.check() == []
    assert not lock_path(vault_path).exists()


def test_rekey_and_backup_are_refused_while_another_program_holds_it(
    vault_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.cli import main

    Vault.create(vault_path, PASSPHRASE).close()
    monkeypatch.setenv("CRE_VAULT_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("CRE_VAULT_NEW_PASSPHRASE", "another fictional passphrase entirely")
    other = _holder(vault_path)
    try:
        for argv in (
            ["vault", "rekey", "--vault", str(vault_path)],
            [
                "vault",
                "backup",
                "--out",
                str(vault_path.parent / "b.cre"),
                "--vault",
                str(vault_path),
            ],
        ):
            capsys.readouterr()
            assert main(argv) == 2
            assert "in use by another program on this computer" in capsys.readouterr().err
        assert not (vault_path.parent / "b.cre").exists()
    finally:
        assert other.stdin is not None
        other.stdin.write("\n")
        other.stdin.flush()
        assert other.wait(timeout=60) == 0
    with Vault.open(vault_path, PASSPHRASE) as v:  # the old passphrase still opens it
        assert Repository(v).get_setting("held") == "by the other program"


def test_the_lock_goes_with_a_killed_holder(vault_path: Path) -> None:
    Vault.create(vault_path, PASSPHRASE).close()
    other = _holder(vault_path)
    other.kill()
    other.wait(timeout=60)
    with Vault.open(vault_path, PASSPHRASE) as v:
        assert Repository(v).get_setting("held") == "by the other program"


def test_same_process_second_open_is_refused_until_locked(vault_path: Path) -> None:
    first = Vault.create(vault_path, PASSPHRASE)
    with pytest.raises(VaultInUseError):
        Vault.open(vault_path, PASSPHRASE)
    first.close()
    Vault.open(vault_path, PASSPHRASE).close()


def test_backup_onto_the_vault_or_its_files_is_refused(vault_path: Path) -> None:
    with Vault.create(vault_path, PASSPHRASE) as v:
        Repository(v).set_setting("kept", "yes")
        before = vault_path.read_bytes()
        for target in (
            vault_path,
            Path(f"{vault_path}-wal"),
            Path(f"{vault_path}-shm"),
            lock_path(vault_path),
            vault_path.parent / "." / vault_path.name,
        ):
            with pytest.raises(VaultError, match="the vault itself"):
                v.backup(target)
        link = vault_path.parent / "link.cre"
        os.symlink(vault_path, link)
        with pytest.raises(VaultError, match="the vault itself"):
            v.backup(link)
        with pytest.raises(VaultError, match="no folder"):
            v.backup(vault_path.parent / "missing" / "b.cre")
        assert vault_path.read_bytes()[:4096] == before[:4096]
    with Vault.open(vault_path, PASSPHRASE) as v:
        assert v.check() == []
        assert Repository(v).get_setting("kept") == "yes"


def test_private_file_modes(tmp_path: Path) -> None:
    if sys.platform == "win32":
        pytest.skip("POSIX modes; Windows relies on the per-user profile's ACL")
    folder = tmp_path / "new" / "folder"
    path = folder / "vault.cre"
    with Vault.create(path, PASSPHRASE) as v:
        Repository(v).set_setting("x", 1)
        v.backup(tmp_path / "backup.cre")
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), lock_path(path)):
            assert p.stat().st_mode & 0o777 == 0o600, p
        assert (tmp_path / "backup.cre").stat().st_mode & 0o777 == 0o600
        assert (Path(f"{path}.anchor")).stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "new").stat().st_mode & 0o777 == 0o700


def test_an_old_world_readable_vault_is_made_private_at_unlock(vault_path: Path) -> None:
    if sys.platform == "win32":
        pytest.skip("POSIX modes")
    Vault.create(vault_path, PASSPHRASE).close()
    os.chmod(vault_path, 0o644)
    with Vault.open(vault_path, PASSPHRASE):
        assert vault_path.stat().st_mode & 0o777 == 0o600


@pytest.mark.long
def test_a_busy_vault_is_in_use_never_damaged(vault_path: Path) -> None:
    """A program that ignores the lock (a SQLCipher shell) holds a write transaction."""
    from app.storage import keys
    from app.storage.connection import connect

    Vault.create(vault_path, PASSPHRASE).close()
    shell = connect(vault_path, keys.derive(PASSPHRASE, keys.salt_of(vault_path)), check=False)
    shell.execute("PRAGMA journal_mode = WAL")
    shell.execute("BEGIN IMMEDIATE")
    shell.execute("INSERT INTO settings (key, value) VALUES ('shell', '1')")
    try:
        with pytest.raises(VaultInUseError, match="in use by another program"):
            Vault.open(vault_path, PASSPHRASE)
    finally:
        shell.execute("ROLLBACK")
        shell.close()
    with Vault.open(vault_path, PASSPHRASE) as v:
        assert v.check() == []


def test_a_vault_through_a_link_is_one_vault(tmp_path: Path) -> None:
    """Lock, rekey, backup and atomic replace all work on the real file: a link stays a
    link, the real vault is what changes, and two names for it share one lock."""
    from app.storage import WrongPassphraseError
    from app.storage.errors import VaultInUseError

    real = tmp_path / "real" / "vault.cre"
    with Vault.create(real, PASSPHRASE) as v:
        Repository(v).set_setting("kept", "yes")
    link = tmp_path / "link.cre"
    os.symlink(real, link)
    with Vault.open(link, PASSPHRASE) as v:
        assert v.path == real
        with pytest.raises(VaultInUseError):
            Vault.open(real, PASSPHRASE)  # the lock is keyed by the real path
        v.rekey(PASSPHRASE, "another fictional passphrase for the link")
        v.backup(tmp_path / "b.cre")
    assert link.is_symlink() and os.path.realpath(link) == str(real)
    assert not Path(f"{link}.lock").exists() and not Path(f"{link}.anchor").exists()
    with pytest.raises(WrongPassphraseError):
        Vault.open(real, PASSPHRASE)  # the real file has the new passphrase
    with Vault.open(real, "another fictional passphrase for the link") as v:
        assert Repository(v).get_setting("kept") == "yes" and v.full_check().ok
