"""Append-only, hash-chained audit trail.

Each entry stores the SHA-256 of the previous entry and its own hash over a canonical
JSON of its fields, so editing, deleting or reordering any row breaks the chain at
that row. Entries live inside the encrypted vault; nothing goes to a log file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.storage.models import AuditRow

GENESIS = "0" * 64


def _digest(
    prev: str, at: str, action: str, entity: str, entity_id: int | None, detail: str
) -> str:
    canonical = json.dumps(
        [prev, at, action, entity, entity_id, detail], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def append(
    session: Session, action: str, entity: str, entity_id: int | None, detail: dict[str, Any]
) -> AuditRow:
    from app.storage.vault import now

    last = session.scalars(select(AuditRow).order_by(AuditRow.id.desc()).limit(1)).first()
    prev = last.hash if last else GENESIS
    at = now()
    text = json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
    row = AuditRow(
        at=at,
        action=action,
        entity=entity,
        entity_id=entity_id,
        detail=text,
        prev_hash=prev,
        hash=_digest(prev, at, action, entity, entity_id, text),
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class BrokenLink:
    entry_id: int
    reason: str

    def __str__(self) -> str:
        return f"audit entry {self.entry_id}: {self.reason}"


def verify(session: Session) -> BrokenLink | None:
    """The first entry whose chain does not hold, or None when the whole trail is intact."""
    prev = GENESIS
    for row in session.scalars(select(AuditRow).order_by(AuditRow.id)):
        if row.prev_hash != prev:
            return BrokenLink(row.id, "does not follow the entry before it")
        expected = _digest(prev, row.at, row.action, row.entity, row.entity_id, row.detail)
        if row.hash != expected:
            return BrokenLink(row.id, "its contents were changed after it was written")
        prev = row.hash
    return None


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
