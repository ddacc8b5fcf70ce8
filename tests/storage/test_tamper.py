"""Roll-back, truncation and forgery are each reported by `vault check`.

The audit chain is keyed (HMAC under a key kept inside the vault) and its head is
anchored beside the vault, so a flipped -wal byte, a deleted last entry, a forged entry
re-chained with plain SHA-256 and an older copy put in place are all noticed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3

from app.cli import main
from app.forms import Registry
from app.storage import Repository, Vault, audit, keys
from app.storage.connection import connect
from app.storage.models import AuditRow
from tests.storage.conftest import PASSPHRASE, sample


def _check(path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CRE_VAULT_PASSPHRASE", PASSPHRASE)
    capsys.readouterr()
    code = main(["vault", "check", "--vault", str(path)])
    out = capsys.readouterr().out
    assert code == 1, out
    return out


def _raw(path: Path) -> sqlcipher3.Connection:
    """A plain keyed connection, as someone with the passphrase and a SQLCipher shell has."""
    return connect(path, keys.derive(PASSPHRASE, keys.salt_of(path)), check=False)


def _filled(registry: Registry, path: Path, n: int = 3) -> None:
    with Vault.create(path, PASSPHRASE) as v:
        repo = Repository(v)
        for i in range(n):
            data = sample(registry)
            data["child"]["name"] = f"Test Child {i}"
            repo.create_case(registry.get("derby-cse-2017"), data)


def test_a_clean_vault_checks_ok(
    registry: Registry, vault_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    _filled(registry, vault_path)
    monkeypatch.setenv("CRE_VAULT_PASSPHRASE", PASSPHRASE)
    assert main(["vault", "check", "--vault", str(vault_path)]) == 0
    assert "anchor all pass" in capsys.readouterr().out


def test_a_flipped_byte_in_the_wal_is_reported(
    registry: Registry, vault_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    _filled(registry, vault_path)
    v = Vault.open(vault_path, PASSPHRASE)
    repo = Repository(v)
    for i in range(3):
        repo.set_setting(f"late{i}", "a committed change")
    main_file, wal = vault_path.read_bytes(), bytearray(Path(f"{vault_path}-wal").read_bytes())
    v.close()
    wal[len(wal) - 200] ^= 0x01  # inside the newest frame: SQLite stops replaying there
    vault_path.write_bytes(main_file)
    Path(f"{vault_path}-wal").write_bytes(bytes(wal))
    with Vault.open(vault_path, PASSPHRASE) as v:
        assert v.warnings and "the last 1 change is missing" in v.warnings[0]
        assert v.check() == []  # SQLite itself sees nothing wrong: that is the point
    out = _check(vault_path, capsys, monkeypatch)
    assert "changes lost" in out and "the last 1 change is missing" in out


def test_a_deleted_last_audit_entry_is_reported(
    registry: Registry, vault_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    _filled(registry, vault_path)
    conn = _raw(vault_path)
    conn.execute("DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)")
    conn.close()
    out = _check(vault_path, capsys, monkeypatch)
    assert "the last 1 change is missing" in out


def test_a_forged_rechained_entry_is_reported(
    registry: Registry, vault_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    _filled(registry, vault_path)
    conn = _raw(vault_path)
    rows = conn.execute(
        "SELECT id, at, action, entity, entity_id, detail FROM audit ORDER BY id"
    ).fetchall()
    prev = audit.GENESIS
    for rid, at, action, entity, entity_id, detail in rows:  # forge entry 2, re-chain all
        if rid == 2:
            action = "viewed"
        row = AuditRow(at=at, action=action, entity=entity, entity_id=entity_id, detail=detail)
        digest = audit.legacy_digest(row, prev)
        conn.execute(
            "UPDATE audit SET action = ?, prev_hash = ?, hash = ? WHERE id = ?",
            (action, prev, digest, rid),
        )
        prev = digest
    conn.close()
    out = _check(vault_path, capsys, monkeypatch)
    assert "audit chain broken at audit entry 1" in out


def test_an_older_copy_put_in_place_is_reported(
    registry: Registry, vault_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    _filled(registry, vault_path)
    old = vault_path.read_bytes()
    with Vault.open(vault_path, PASSPHRASE) as v:
        repo = Repository(v)
        repo.create_case(registry.get("derby-cse-2017"), sample(registry))
        repo.set_setting("newer", "yes")
    vault_path.write_bytes(old)
    out = _check(vault_path, capsys, monkeypatch)
    assert "changes are missing" in out
    assert "went back in time" in out


def test_a_replaced_vault_with_a_longer_history_is_reported(
    registry: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    a, b = tmp_path / "a" / "v.cre", tmp_path / "b" / "v.cre"
    _filled(registry, a, 1)
    _filled(registry, b, 5)
    b_key_salt = b.read_bytes()
    a.write_bytes(b_key_salt)  # another vault (same passphrase) under a's anchor
    out = _check(a, capsys, monkeypatch)
    assert "is not the one recorded" in out


def test_the_vault_check_passes_after_a_legacy_chain_is_rekeyed(
    registry: Registry, vault_path: Path
) -> None:
    _filled(registry, vault_path)
    with Vault.open(vault_path, PASSPHRASE) as v:
        assert Repository(v).verify_audit() is None
        assert v.pragma("SELECT count(*) FROM vault_meta") == [(1,)]


def test_records_changed_outside_the_app_are_reported(
    registry: Registry, vault_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """Each audit entry binds the content hash of the records it leaves: a case renamed,
    an assessment's answers edited, a document deleted or a case added with the key,
    outside the app, keep a valid chain but no longer match their audited state."""
    from app.casework import documents

    _filled(registry, vault_path)
    with Vault.open(vault_path, PASSPHRASE) as v:
        repo = Repository(v)
        letter = documents.new_letter(repo, 1)
        repo.save_draft(2, repo.get_assessment(2).answers)  # an unchanged autosave binds nothing
        assert v.full_check().ok
    conn = _raw(vault_path)
    try:
        conn.execute("UPDATE cases SET child_name = 'Test Child Renamed' WHERE id = 1")
        conn.execute("UPDATE assessments SET answers = '{}' WHERE id = 2")
        conn.execute("DELETE FROM documents WHERE id = ?", (letter.id,))
        conn.execute("DELETE FROM assessments WHERE id = 3")
        conn.execute("DELETE FROM cases WHERE id = 3")
        conn.execute(
            "INSERT INTO cases (id, child_name, name_key, toolkit, status, created_at, "
            "updated_at, models_of_abuse) VALUES (10, 'Test Child Added', '', 'derby-cse-2017', "
            "'draft', "
            "'2026-01-01', '2026-01-01', '[]')"
        )
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    out = _check(vault_path, capsys, monkeypatch)
    assert "audit chain broken" not in out  # the chain itself still holds
    for expected in (
        "case 1: its content does not match its last audited state",
        "assessment 2: its content does not match its last audited state",
        f"document {letter.id}: missing",
        "case 3: missing",
        "assessment 3: missing",
        "case 10: not in the audit trail",
    ):
        assert expected in out, out
    with Vault.open(vault_path, PASSPHRASE) as v:  # the app's own changes keep binding
        assert Repository(v).get_case(2).child_name == "Test Child 1"
