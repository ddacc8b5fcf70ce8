"""Opening, keying, wrong passphrases, damage, backup, restore and rekey on real files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.forms import Registry
from app.storage import (
    Repository,
    Vault,
    VaultDamagedError,
    VaultExistsError,
    VaultNotFoundError,
    WeakPassphraseError,
    WrongPassphraseError,
    restore,
)
from tests.storage.conftest import PASSPHRASE, sample


def test_create_then_open_round_trips(registry: Registry, vault_path: Path) -> None:
    with Vault.create(vault_path, PASSPHRASE) as v:
        rec = Repository(v).create_case(registry.get("derby-cse-2017"), sample(registry))
    assert vault_path.read_bytes()[:15] != b"SQLite format 3"
    with Vault.open(vault_path, PASSPHRASE) as v:
        again = Repository(v).get_assessment(rec.id)
        assert again.answers["child"]["name"] == "Test Child Alpha"
        assert v.check() == []
        assert v.pragma("PRAGMA journal_mode") == [("wal",)]
        assert v.pragma("PRAGMA synchronous") == [(2,)]
        assert v.pragma("PRAGMA temp_store") == [(2,)]
        assert v.pragma("PRAGMA cipher_memory_security") == [("1",)]


@pytest.mark.parametrize(
    "secret",
    [
        'it\'s a "quoted" passphrase',
        "back\\slash\\and 'single' quotes",
        "emoji 🦊🔐 and accents Zoë Łukasz",
        "a long fictional passphrase of many words " * 25,  # about 1 KB
        "x'00' ; DROP TABLE cases; --",
    ],
)
def test_any_passphrase_characters_round_trip(vault_path: Path, secret: str) -> None:
    Vault.create(vault_path, secret).close()
    with Vault.open(vault_path, secret) as v:
        assert v.check() == []
    with pytest.raises(WrongPassphraseError):
        Vault.open(vault_path, secret + "!")


def test_wrong_passphrase_changes_nothing(registry: Registry, tmp_path: Path) -> None:
    live = tmp_path / "live.cre"
    v = Vault.create(live, PASSPHRASE)
    repo = Repository(v)
    rec = repo.create_case(registry.get("derby-cse-2017"), sample(registry))
    for n in range(5):
        data = sample(registry)
        data["child"]["name"] = f"Test Child {n}"
        repo.save_draft(rec.id, data)
    copy = tmp_path / "copy.cre"  # a crash image: the main file and its unmerged -wal
    shutil.copy(live, copy)
    shutil.copy(f"{live}-wal", f"{copy}-wal")
    v.close()
    before = {p.name: p.read_bytes() for p in tmp_path.glob("copy.cre*")}
    assert "copy.cre-wal" in before and len(before["copy.cre-wal"]) > 0
    with pytest.raises(WrongPassphraseError, match="Wrong passphrase"):
        Vault.open(copy, "not the passphrase at all")
    after = {p.name: p.read_bytes() for p in tmp_path.glob("copy.cre*")}
    assert after == before
    with Vault.open(copy, PASSPHRASE) as v2:
        assert Repository(v2).get_assessment(rec.id).answers["child"]["name"] == "Test Child 4"


def test_missing_file_is_never_created(tmp_path: Path) -> None:
    with pytest.raises(VaultNotFoundError):
        Vault.open(tmp_path / "nope.cre", PASSPHRASE)
    assert list(tmp_path.iterdir()) == []


def test_create_refuses_weak_passphrase_and_existing_file(vault_path: Path) -> None:
    with pytest.raises(WeakPassphraseError, match="at least 12 characters"):
        Vault.create(vault_path, "short")
    with pytest.raises(WeakPassphraseError):
        Vault.create(vault_path, "aaaaaaaaaaaaaaaa")
    assert not vault_path.exists()
    Vault.create(vault_path, PASSPHRASE).close()
    with pytest.raises(VaultExistsError):
        Vault.create(vault_path, PASSPHRASE)


def test_truncated_file_is_reported_and_kept(registry: Registry, vault_path: Path) -> None:
    Vault.create(vault_path, PASSPHRASE).close()
    data = vault_path.read_bytes()
    vault_path.write_bytes(data[: len(data) - 1000])
    with pytest.raises(VaultDamagedError, match="damaged"):
        Vault.open(vault_path, PASSPHRASE)
    assert vault_path.exists() and len(vault_path.read_bytes()) == len(data) - 1000


def test_damaged_page_is_found_by_the_integrity_check(registry: Registry, vault_path: Path) -> None:
    with Vault.create(vault_path, PASSPHRASE) as v:
        repo = Repository(v)
        for n in range(40):
            data = sample(registry)
            data["analysis"] = {"immediate_concerns": f"Fictional concern {n} " * 40}
            repo.create_case(registry.get("derby-cse-2017"), data)
    raw = bytearray(vault_path.read_bytes())
    assert len(raw) > 8 * 4096
    raw[6 * 4096 + 100] ^= 0xFF
    vault_path.write_bytes(bytes(raw))
    try:
        v = Vault.open(vault_path, PASSPHRASE)
    except VaultDamagedError:
        return  # damage met while migrating is reported the same way
    with v:
        assert v.check() != []


def test_backup_restores_elsewhere_with_the_passphrase(registry: Registry, tmp_path: Path) -> None:
    live = tmp_path / "live.cre"
    with Vault.create(live, PASSPHRASE) as v:
        Repository(v).create_case(
            registry.get("bedfordshire-cse"), sample(registry, "bedfordshire-cse")
        )
        v.backup(tmp_path / "backup.cre")
    assert (tmp_path / "backup.cre").read_bytes()[:15] != b"SQLite format 3"
    other_machine = tmp_path / "elsewhere"
    other_machine.mkdir()
    restore(tmp_path / "backup.cre", other_machine / "restored.cre", PASSPHRASE)
    with Vault.open(other_machine / "restored.cre", PASSPHRASE) as v:
        assert Repository(v).count_cases() == 1
        assert Repository(v).verify_audit() is None
    with pytest.raises(WrongPassphraseError):
        restore(tmp_path / "backup.cre", other_machine / "again.cre", "wrong passphrase here")
    assert not (other_machine / "again.cre").exists()


def test_rekey_new_works_old_fails(registry: Registry, vault_path: Path) -> None:
    v = Vault.create(vault_path, PASSPHRASE)
    Repository(v).create_case(registry.get("derby-cre-2020"), sample(registry, "derby-cre-2020"))
    with pytest.raises(WrongPassphraseError):
        v.rekey("not the old one", "a brand new passphrase")
    v.rekey(PASSPHRASE, "a brand new passphrase")
    assert Repository(v).count_cases() == 1
    v.close()
    with pytest.raises(WrongPassphraseError):
        Vault.open(vault_path, PASSPHRASE)
    with Vault.open(vault_path, "a brand new passphrase") as v2:
        assert v2.check() == []
        actions = [r[0] for r in v2.pragma("SELECT action FROM audit ORDER BY id")]
        assert "passphrase changed" in actions
    assert sorted(p.name for p in vault_path.parent.iterdir() if p.name.startswith(".")) == []


def test_confirm_checks_the_open_vaults_passphrase(tmp_path: Path) -> None:
    """Asked again before signing: the right passphrase (however its accents are typed)
    confirms, any other does not, and a locked vault confirms nothing."""
    import unicodedata

    from app.storage import Vault

    passphrase = "fictional café passphrase for confirm"
    vault = Vault.create(tmp_path / "confirm.cre", passphrase)
    assert vault.confirm(passphrase)
    assert vault.confirm(unicodedata.normalize("NFD", passphrase))
    assert not vault.confirm(passphrase + " ")
    assert not vault.confirm("")
    vault.close()
    from app.storage.errors import VaultLockedError

    with pytest.raises(VaultLockedError):
        vault.confirm(passphrase)


def test_a_transaction_makes_many_repository_steps_one(
    registry: Registry, vault: Vault, repo: Repository
) -> None:
    """Steps inside `transaction()` join it (savepoints): an error after them undoes all,
    an error inside one step undoes only that step."""
    from app.storage import RecordNotFoundError

    tk = registry.get("derby-cse-2017")
    audit_before = vault.pragma("SELECT count(*) FROM audit")[0][0]
    with pytest.raises(RuntimeError), vault.transaction():
        repo.create_case(tk, sample(registry))
        repo.create_case(tk, sample(registry))
        raise RuntimeError("a kill or a full disk")
    assert repo.count_cases() == 0
    assert vault.pragma("SELECT count(*) FROM audit")[0][0] == audit_before
    with vault.transaction():
        kept = repo.create_case(tk, sample(registry))
        with pytest.raises(RecordNotFoundError):
            repo.add_document(9999, "letter", {})
    assert [c.id for c in repo.list_cases()] == [kept.case_id]
    assert repo.verify_audit() is None and vault.check() == []
    assert vault.full_check().ok  # the kept case is bound although a savepoint rolled back
