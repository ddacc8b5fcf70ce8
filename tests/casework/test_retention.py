"""Closing, retention and purging on real encrypted vaults.

After a purge no byte of the child's name, notes, plans or meetings is left in the vault:
every page of the file and every frame of its -wal is decrypted with the vault's key
(AES-256-CBC, SQLCipher 4's page layout) and searched, beside the raw bytes, while the
case that stays is found there (so the search would have seen the purged one)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from app.casework import retention
from app.forms import Registry
from app.storage import Repository, Vault, anchor, purge
from app.storage.models import AuditRow
from app.storage.pages import FRAME_HEADER, HMAC_BYTES, PAGE_SIZE, WAL_HEADER
from app.storage.repository import name_key
from tests.casework.retention_support import other_case, rich_case
from tests.conftest import PASSPHRASE

RESERVE = 16 + HMAC_BYTES  # IV + HMAC at the end of every page
LATER = dt.date(2027, 6, 1)


def _decrypt_page(page: bytes, first: bool, key: bytes) -> bytes:
    start = 16 if first else 0  # page 1 begins with the salt
    iv = page[PAGE_SIZE - RESERVE : PAGE_SIZE - RESERVE + 16]
    body = page[start : PAGE_SIZE - RESERVE]
    dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return dec.update(body) + dec.finalize()


def decrypted_pages(path: Path) -> bytes:
    """Every page of the vault and every frame of its -wal, decrypted."""
    key, _ = Vault._find_key(path, PASSPHRASE)
    raw_key = bytes(key.key)
    out = []
    data = path.read_bytes()
    for n in range(len(data) // PAGE_SIZE):
        out.append(_decrypt_page(data[n * PAGE_SIZE : (n + 1) * PAGE_SIZE], n == 0, raw_key))
    wal = Path(f"{path}-wal")
    if wal.exists():
        frames = wal.read_bytes()[WAL_HEADER:]
        step = FRAME_HEADER + PAGE_SIZE
        for n in range(len(frames) // step):
            frame = frames[n * step : (n + 1) * step]
            pgno = int.from_bytes(frame[:4], "big")
            out.append(_decrypt_page(frame[FRAME_HEADER:], pgno == 1, raw_key))
    return b"".join(out)


def _close_due(repo: Repository, case_id: int) -> None:
    retention.close_case(repo, case_id, "2026-01-05", "Moved")
    retention.mark_recorded(repo, case_id, "2026-01-06")


def test_a_closed_case_past_its_period_is_listed_purged_and_leaves_no_byte(
    registry: Registry, vault_path: Path
) -> None:
    vault = Vault.create(vault_path, PASSPHRASE)
    repo = Repository(vault)
    rich = rich_case(repo, registry)
    keep = other_case(repo, registry)
    blind = name_key(rich.name)
    before = decrypted_pages(vault_path)
    assert rich.name.encode() in before and blind.encode() in before  # the search sees it
    _close_due(repo, rich.case_id)
    assert retention.due_for_purge(repo, dt.date(2026, 2, 1)) == []  # within its 90 days
    listed = retention.due_for_purge(repo, LATER)
    assert [(d.case, d.closed, d.due) for d in listed] == [
        (rich.case_id, "2026-01-05", "2026-04-05")
    ]
    assert listed[0].reference == "CRE-20260301-ABCQ7"
    retention.purge_case(repo, rich.case_id, today=LATER, why="retention period ended")
    assert vault.check() == [] and repo.verify_audit() is None
    assert [c.id for c in repo.list_cases()] == [keep]
    after = decrypted_pages(vault_path)
    assert b"Keeper Stays-Here" in after  # the decryption works: the kept case is there
    raw = vault_path.read_bytes() + Path(f"{vault_path}-wal").read_bytes()
    for text in (*rich.sentinels, blind):
        for encoded in (text.encode("utf-8"), text.encode("utf-16-le")):
            assert encoded not in after, text
            assert encoded not in raw, text
    assert Path(f"{vault_path}-wal").stat().st_size == 0  # the -wal was emptied
    vault.close()
    with Vault.open(vault_path, PASSPHRASE) as again:
        assert again.warnings == [] and again.history_problems() == []
        assert Repository(again).verify_audit() is None
        assert again.check() == []


def test_the_tombstone_keeps_no_personal_data(registry: Registry, repo: Repository) -> None:
    rich = rich_case(repo, registry)
    _close_due(repo, rich.case_id)
    repo.set_setting("profile", {"name": "Fictional Practitioner"})
    stone = retention.purge_case(repo, rich.case_id, today=LATER, why="retention ended")
    with repo.vault.session() as s:
        rows = list(s.query(AuditRow).order_by(AuditRow.id))
    tomb = [r for r in rows if r.action == "purged"]
    assert len(tomb) == 1 and tomb[0].entity_id == rich.case_id
    detail = json.loads(tomb[0].detail)
    assert detail == stone.detail()
    assert detail["reference"] == "CRE-20260301-ABCQ7"
    assert detail["toolkit"] == "derby-cse-2017" and detail["closed"] == "2026-01-05"
    assert detail["purged_by"] == "Fictional Practitioner" and detail["why"] == "retention ended"
    everything = "\n".join(r.detail for r in rows)
    for text in (*rich.sentinels, rich.dob, name_key(rich.name)):
        assert text not in everything, text
    found = purge.purged_case(repo.vault, rich.case_id)
    assert found is not None and found["reference"] == "CRE-20260301-ABCQ7"


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        ("open", "is open"),
        ("recent", "kept until"),
        ("unrecorded", "not yet marked recorded"),
    ],
)
def test_a_purge_that_may_not_happen_is_refused_and_changes_nothing(
    registry: Registry, repo: Repository, setup: str, words: str
) -> None:
    rich = rich_case(repo, registry)
    if setup == "recent":
        _close_due(repo, rich.case_id)
    elif setup == "unrecorded":
        retention.close_case(repo, rich.case_id, "2026-01-05", "moved")
    today = dt.date(2026, 2, 1) if setup == "recent" else LATER
    with pytest.raises(retention.RetentionError, match=words):
        retention.purge_case(repo, rich.case_id, today=today)
    assert len(repo.assessments(rich.case_id)) == rich.versions
    assert repo.verify_audit() is None


def test_settings_come_from_the_partnership_file_and_the_vault(
    registry: Registry, repo: Repository
) -> None:
    assert retention.retention_settings(repo) == retention.RetentionSettings(90, True)
    retention.set_retention(repo, 30, False)
    assert retention.retention_settings(repo) == retention.RetentionSettings(30, False)
    with pytest.raises(retention.RetentionError, match="Days after closure"):
        retention.set_retention(repo, -1)
    rich = rich_case(repo, registry)
    retention.close_case(repo, rich.case_id, "2026-01-05", "moved")  # not marked recorded
    assert [d.due for d in retention.due_for_purge(repo, dt.date(2026, 2, 4))] == ["2026-02-04"]


def test_closing_names_the_field_in_words(registry: Registry, repo: Repository) -> None:
    rich = rich_case(repo, registry)
    with pytest.raises(retention.RetentionError, match="Closed on: “5/1/26” is not a date"):
        retention.close_case(repo, rich.case_id, "5/1/26", "moved")
    with pytest.raises(retention.RetentionError, match="Closure reason"):
        retention.close_case(repo, rich.case_id, "2026-01-05", "bored")
    assert repo.case_details(rich.case_id)["closed_on"] is None


def test_an_old_anchor_after_a_kill_before_its_write_is_not_a_replaced_vault(
    registry: Registry, vault_path: Path
) -> None:
    """The purge re-chains the audit; a kill after the commit but before the anchor file
    moves leaves the old anchor, which the next unlock accepts as this vault's history."""
    with Vault.create(vault_path, PASSPHRASE) as vault:
        repo = Repository(vault)
        rich = rich_case(repo, registry)
        _close_due(repo, rich.case_id)
        old_anchor = anchor.anchor_path(vault_path).read_bytes()
        retention.purge_case(repo, rich.case_id, today=LATER)
    anchor.anchor_path(vault_path).write_bytes(old_anchor)
    with Vault.open(vault_path, PASSPHRASE) as again:
        assert again.warnings == [] and again.history_problems() == []


def test_a_purge_interrupted_before_the_vacuum_is_finished_later(
    registry: Registry, vault_path: Path
) -> None:
    with Vault.create(vault_path, PASSPHRASE) as vault:
        repo = Repository(vault)
        rich = rich_case(repo, registry)
        other_case(repo, registry)
        _close_due(repo, rich.case_id)
        stone = retention.purge_case(repo, rich.case_id, today=LATER)
    with Vault.open(vault_path, PASSPHRASE) as vault:
        with vault.session() as s:  # as if killed after the delete committed
            s.merge(purge.SettingRow(key=purge.PENDING, value="true"))
        assert purge.finish_pending(vault) is True
        assert purge.finish_pending(vault) is False
        assert stone.reference in json.dumps(purge.purge_history(vault))


def test_an_unknown_case_is_named(repo: Repository) -> None:
    with pytest.raises(retention.RetentionError, match="There is no case 99"):
        retention.purge_case(repo, 99, today=LATER)
