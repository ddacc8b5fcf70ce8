"""Opening after a crash: a checkpoint cut short is replayed from the -wal, never "damaged".

The states are built deterministically: M0 (main file) + W (its unmerged -wal) is a crash
image; M1 is the same vault fully checkpointed. A checkpoint copies WAL pages into the
main file in page order, so "pages 1..k of M1 over M0, W kept" is a checkpoint killed
after k pages. Every such state must open with every case, and pass both integrity checks.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.forms import Registry
from app.storage import Repository, Vault, VaultDamagedError, WrongPassphraseError
from tests.storage.conftest import PASSPHRASE, sample

PAGE = 4096


def _crash_image(registry: Registry, tmp: Path) -> tuple[bytes, bytes, bytes, dict[int, str]]:
    """(M0, W, M1, {case id: child name}) for a vault with unmerged writes in its -wal."""
    live = tmp / "live.cre"
    vault = Vault.create(live, PASSPHRASE)
    repo = Repository(vault)
    names: dict[int, str] = {}
    for n in range(30):
        data = sample(registry)
        data["child"]["name"] = f"Test Child {n:02d}"
        data["analysis"] = {"immediate_concerns": f"Fictional concern {n} " * 30}
        rec = repo.create_case(registry.get("derby-cse-2017"), data)
        names[rec.case_id] = data["child"]["name"]
    m0, wal = live.read_bytes(), Path(f"{live}-wal").read_bytes()
    vault.close()  # kill -9 here would leave exactly (m0, wal)
    assert len(wal) > 10 * PAGE
    done = tmp / "done.cre"
    done.write_bytes(m0)
    Path(f"{done}-wal").write_bytes(wal)
    with Vault.open(done, PASSPHRASE):
        pass  # open + close = a whole checkpoint
    assert not Path(f"{done}-wal").exists() or Path(f"{done}-wal").stat().st_size == 0
    return m0, wal, done.read_bytes(), names


def test_every_interrupted_checkpoint_opens_with_every_case(
    registry: Registry, tmp_path: Path
) -> None:
    m0, wal, m1, names = _crash_image(registry, tmp_path)
    pages = max(len(m0), len(m1)) // PAGE
    assert m0[:PAGE] != m1[:PAGE]  # page 1 moves too: the old probe refused these states
    for k in sorted({1, 2, 3, pages // 3, pages // 2, pages - 1, pages}):
        state = tmp_path / f"state{k}"
        state.mkdir()
        path = state / "vault.cre"
        path.write_bytes(m1[: k * PAGE] + m0[k * PAGE :])
        Path(f"{path}-wal").write_bytes(wal)
        with Vault.open(path, PASSPHRASE) as vault:
            assert vault.check() == [], k
            repo = Repository(vault)
            assert {c.id: c.child_name for c in repo.list_cases()} == names, k
            assert repo.verify_audit() is None


def test_wrong_passphrase_on_an_interrupted_checkpoint_changes_nothing(
    registry: Registry, tmp_path: Path
) -> None:
    m0, wal, m1, _ = _crash_image(registry, tmp_path)
    path = tmp_path / "state" / "vault.cre"
    path.parent.mkdir()
    path.write_bytes(m1[: 3 * PAGE] + m0[3 * PAGE :])
    Path(f"{path}-wal").write_bytes(wal)
    before = {p.name: p.read_bytes() for p in path.parent.iterdir()}
    with pytest.raises(WrongPassphraseError):
        Vault.open(path, "not the passphrase at all")
    assert {p.name: p.read_bytes() for p in path.parent.iterdir()} == before


def test_a_damaged_first_page_is_not_called_a_wrong_passphrase(
    registry: Registry, vault_path: Path
) -> None:
    with Vault.create(vault_path, PASSPHRASE) as v:
        Repository(v).create_case(registry.get("derby-cse-2017"), sample(registry))
    raw = bytearray(vault_path.read_bytes())
    raw[200] ^= 0x01  # inside page 1, after the salt
    vault_path.write_bytes(bytes(raw))
    with pytest.raises(VaultDamagedError, match="first page"):
        Vault.open(vault_path, PASSPHRASE)
    with pytest.raises(WrongPassphraseError):
        Vault.open(vault_path, "not the passphrase at all")
    shutil.copy(vault_path, vault_path.with_suffix(".kept"))
    assert vault_path.read_bytes() == bytes(raw)
