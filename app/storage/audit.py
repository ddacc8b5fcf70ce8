"""Append-only audit trail, chained by a keyed MAC, with its head anchored outside the file.

Each entry stores the MAC of the previous entry and its own HMAC-SHA256 over a canonical
JSON of its fields. The MAC key is 32 random bytes made with the vault and kept only
inside it (table `vault_meta`, readable only through the vault key), so editing, deleting,
reordering or forging an entry and re-chaining with plain SHA-256 breaks the chain.
Deleting the newest entries, or putting an older copy of the vault (or its -wal) in
place, keeps a valid chain: `app.storage.anchor` catches that with the newest entry's
number and MAC kept beside the vault. Entries live inside the encrypted vault only.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.storage.clock import now
from app.storage.models import AuditRow

GENESIS = "0" * 64
KEY_INFO = "audit_key"


def _canonical(
    prev: str,
    at: str,
    action: str,
    entity: str,
    entity_id: int | None,
    detail: str,
    state: str | None = None,
) -> bytes:
    fields: list[Any] = [prev, at, action, entity, entity_id, detail]
    if state is not None:  # entries before revision 0005 carry no state
        fields.append(state)
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def mac(key: bytes | bytearray, row: AuditRow, prev: str) -> str:
    data = _canonical(prev, row.at, row.action, row.entity, row.entity_id, row.detail, row.state)
    return hmac.new(bytes(key), data, hashlib.sha256).hexdigest()


def legacy_digest(row: AuditRow, prev: str) -> str:
    """The unkeyed SHA-256 of vaults before revision 0003 (read once, to re-chain them)."""
    data = _canonical(prev, row.at, row.action, row.entity, row.entity_id, row.detail)
    return hashlib.sha256(data).hexdigest()


def _key(session: Session) -> bytearray:
    key = session.info.get(KEY_INFO)
    if not isinstance(key, bytearray) or not any(key):
        from app.storage.errors import VaultLockedError

        raise VaultLockedError()
    return key


def append(
    session: Session, action: str, entity: str, entity_id: int | None, detail: dict[str, Any]
) -> AuditRow:
    last = session.scalars(select(AuditRow).order_by(AuditRow.id.desc()).limit(1)).first()
    prev = last.hash if last else GENESIS
    text = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
    row = AuditRow(
        at=now(), action=action, entity=entity, entity_id=entity_id, detail=text, prev_hash=prev
    )
    row.state = None
    row.hash = mac(_key(session), row, prev)
    session.add(row)
    session.flush()
    session.info["audit_head"] = (row.id, row.hash)
    session.info["audit_last"] = row
    return row


def bind_state(session: Session, row: AuditRow, state: dict[str, str]) -> None:
    """Attach the record states a transaction leaves to its newest entry (re-MACed; it is
    the newest, so no later entry's link changes)."""
    row.state = json.dumps(state, sort_keys=True, separators=(",", ":"))
    row.hash = mac(_key(session), row, row.prev_hash)
    session.flush()
    session.info["audit_head"] = (row.id, row.hash)


@dataclass(frozen=True)
class BrokenLink:
    entry_id: int
    reason: str

    def __str__(self) -> str:
        return f"audit entry {self.entry_id}: {self.reason}"


def verify(session: Session) -> BrokenLink | None:
    """The first entry whose chain does not hold, or None when the whole trail is intact."""
    broken = verify_all(session)
    return broken[0] if broken else None


BATCH = 500


def verify_all(session: Session) -> list[BrokenLink]:
    """Every entry whose chain does not hold, reading on past each break (each entry is
    then checked against the one before it as stored). Entries on a damaged page that
    cannot be read are reported by number; the rest are still checked."""
    key = _key(session)
    broken: list[BrokenLink] = []
    prev: str | None = GENESIS
    expected_id: int | None = None
    for entry_id, row in _rows(session):
        if row is None:
            broken.append(BrokenLink(entry_id, "cannot be read (it is on a damaged page)"))
            prev, expected_id = None, entry_id + 1
            continue
        if expected_id is not None and row.id != expected_id:
            broken.append(BrokenLink(row.id, f"entries {expected_id} to {row.id - 1} were removed"))
        elif prev is not None and row.prev_hash != prev:
            broken.append(BrokenLink(row.id, "does not follow the entry before it"))
        if not hmac.compare_digest(row.hash, mac(key, row, row.prev_hash)):
            broken.append(
                BrokenLink(row.id, "its contents were changed or forged after it was written")
            )
        prev, expected_id = row.hash, row.id + 1
    return broken


def _rows(session: Session) -> Iterator[tuple[int, AuditRow | None]]:
    """(id, row) in order, in batches; a batch that meets a damaged page is read row by
    row, and a row that cannot be read comes as (id, None)."""
    from sqlalchemy.exc import DBAPIError

    last, top = 0, None
    while True:
        query = select(AuditRow).where(AuditRow.id > last).order_by(AuditRow.id).limit(BATCH)
        try:
            batch = list(session.scalars(query))
        except DBAPIError:
            session.rollback()
            top = _readable_max(session) if top is None else top
            if last >= top:
                return
            for entry_id in range(last + 1, min(last + BATCH, top) + 1):
                try:
                    row = session.get(AuditRow, entry_id)
                except DBAPIError:
                    session.rollback()
                    yield entry_id, None
                    continue
                if row is not None:
                    yield entry_id, row
            last = min(last + BATCH, top)
            continue
        if not batch:
            return
        for row in batch:
            yield row.id, row
        last = batch[-1].id


def _readable_max(session: Session) -> int:
    from sqlalchemy import func
    from sqlalchemy.exc import DBAPIError

    try:
        return int(session.scalar(select(func.max(AuditRow.id))) or 0)
    except DBAPIError:
        session.rollback()
        return 0


def head(session: Session) -> tuple[int, str] | None:
    last = session.scalars(select(AuditRow).order_by(AuditRow.id.desc()).limit(1)).first()
    return (last.id, last.hash) if last else None


def hash_at(session: Session, entry_id: int) -> str | None:
    row = session.get(AuditRow, entry_id)
    return row.hash if row else None


def recorded(session: Session, action: str) -> list[tuple[str, str]]:
    """(when, problem) of every entry with `action` (the vault's own integrity warnings)."""
    rows = session.scalars(select(AuditRow).where(AuditRow.action == action).order_by(AuditRow.id))
    return [(row.at, str(json.loads(row.detail).get("problem", ""))) for row in rows]


def diff(old: Any, new: Any, path: str = "") -> list[dict[str, Any]]:
    """Field-level changes between two answer documents, as audit details."""
    if isinstance(old, dict) and isinstance(new, dict):
        changes: list[dict[str, Any]] = []
        for key in sorted(set(old) | set(new), key=str):
            sub = f"{path}.{key}" if path else str(key)
            changes += diff(old.get(key), new.get(key), sub)
        return changes
    if old != new:
        return [{"field": path, "old": old, "new": new}]
    return []
