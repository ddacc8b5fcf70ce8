"""Purging a closed case: every row about it gone in one transaction, then the file rebuilt.

A deleted row's bytes stay in SQLite's free pages (and in the -wal) until they are
reused, so a purge is three steps: (1) one transaction deletes the case, its
assessments, documents, meetings, facts and rule checks, redacts every audit entry about
it (the entry stays, its detail becomes `{"purged": true}`), re-chains the audit MACs from
the first redacted entry and appends a tombstone; (2) VACUUM rewrites the database
without the free pages; (3) a TRUNCATE checkpoint empties the -wal. A kill before (1)
commits leaves the whole case; after it, the case is gone and a flag in the same
transaction makes the next purge (or `finish_pending`) redo (2) and (3).

Re-chaining changes the MAC of the entry the anchor file names. The transaction records
that change (`REMAP`), so an unlock after a kill between the commit and the anchor write
accepts the old anchor as this vault's own history rather than a replaced file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.storage import anchor, audit
from app.storage.clock import now
from app.storage.meetings import CaseFactsRow, MeetingRow, RuleCheckRow
from app.storage.models import AssessmentRow, AuditRow, CaseRow, DocumentRow, SettingRow
from app.storage.status import CLOSED
from app.storage.vault import Vault

PENDING = "purge.vacuum_pending"
PURGES = "purge.history"
REMAP = "purge.audit_remap"
REDACTED = json.dumps({"purged": True})


class PurgeRefused(ValueError):
    """The case may not be purged (it is open, or not yet marked recorded)."""


@dataclass(frozen=True)
class Tombstone:
    """What the audit keeps of a purged case: no name, no date of birth, no notes."""

    case: int
    reference: str
    toolkit: str
    created: str
    closed: str
    closure_reason: str
    recorded: str
    purged_by: str
    why: str

    def detail(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "toolkit": self.toolkit,
            "created": self.created,
            "closed": self.closed,
            "closure_reason": self.closure_reason,
            "recorded_on_council_system": self.recorded,
            "purged_by": self.purged_by,
            "why": self.why,
        }


def _setting(s: Session, key: str, default: Any) -> Any:
    row = s.get(SettingRow, key)
    return json.loads(row.value) if row else default


def _put(s: Session, key: str, value: Any) -> None:
    row = s.get(SettingRow, key)
    text = json.dumps(value, ensure_ascii=False)
    if row is None:
        s.add(SettingRow(key=key, value=text))
    else:
        row.value = text


def about(row: AuditRow, case_id: int, ids: dict[str, set[int]], name: str) -> bool:
    """Whether an audit entry is about the case (by record, by its detail, or by name)."""
    if row.entity == "case" and row.entity_id == case_id:
        return True
    if row.entity == "case facts" and row.entity_id == case_id:
        return True
    if row.entity == "assessment" and row.entity_id in ids["assessment"]:
        return True
    if row.entity == "meeting" and row.entity_id in ids["meeting"]:
        return True
    if row.entity_id in ids["document"] and row.entity not in ("case", "assessment", "meeting"):
        return True
    try:
        detail = json.loads(row.detail)
    except ValueError:
        detail = None
    if isinstance(detail, dict) and detail.get("case") == case_id:
        return True
    name = name.strip()  # a name too short to be told from other words matches nothing
    return len(name) >= 3 and name.casefold() in row.detail.casefold()


def _rechain(s: Session, case_id: int, ids: dict[str, set[int]], name: str) -> int:
    """Redact the entries about the case and re-MAC the chain from the first of them."""
    key = s.info[audit.KEY_INFO]
    rows = list(s.scalars(select(AuditRow).order_by(AuditRow.id)))
    old_head = (rows[-1].id, rows[-1].hash) if rows else None
    prev, changed, redacted = audit.GENESIS, False, 0
    for row in rows:
        if row.detail != REDACTED and about(row, case_id, ids, name):
            row.detail = REDACTED
            changed = True
            redacted += 1
        if changed:
            row.prev_hash = prev
            row.hash = audit.mac(key, row, prev)
        prev = row.hash
    if changed and old_head is not None:
        new = next(r.hash for r in rows if r.id == old_head[0])
        _put(s, REMAP, {"seq": old_head[0], "old": old_head[1], "new": new})
    return redacted


def delete_case(vault: Vault, case_id: int, tombstone: Tombstone, name: str) -> int:
    """Step (1): the one transaction. Returns how many audit entries were redacted."""
    with vault.session() as s:
        case = s.get(CaseRow, case_id)
        if case is None:
            raise PurgeRefused(f"there is no case {case_id}")
        if case.status != CLOSED or not case.closed_on:
            raise PurgeRefused(f"case {case_id} is open; close it before it can be purged")
        ids = {
            "assessment": set(
                s.scalars(select(AssessmentRow.id).where(AssessmentRow.case_id == case_id))
            ),
            "document": set(
                s.scalars(select(DocumentRow.id).where(DocumentRow.case_id == case_id))
            ),
            "meeting": set(s.scalars(select(MeetingRow.id).where(MeetingRow.case_id == case_id))),
        }
        s.execute(delete(RuleCheckRow).where(RuleCheckRow.assessment_id.in_(ids["assessment"])))
        s.execute(delete(DocumentRow).where(DocumentRow.case_id == case_id))
        s.execute(delete(MeetingRow).where(MeetingRow.case_id == case_id))
        s.execute(delete(CaseFactsRow).where(CaseFactsRow.case_id == case_id))
        s.execute(
            update(AssessmentRow).where(AssessmentRow.case_id == case_id).values(previous_id=None)
        )
        s.execute(delete(AssessmentRow).where(AssessmentRow.case_id == case_id))
        s.execute(delete(CaseRow).where(CaseRow.id == case_id))
        s.expunge_all()
        # bulk deletes pass by the ORM's events: tell the audit bindings what went, so the
        # check knows these records were purged here, not deleted outside the app
        from app.storage import bindings

        gone = s.info.setdefault(bindings.TOUCHED, {})
        gone[f"case {case_id}"] = None
        gone.update({f"assessment {i}": None for i in ids["assessment"]})
        gone.update({f"document {i}": None for i in ids["document"]})
        redacted = _rechain(s, case_id, ids, name)
        audit.append(s, "purged", "case", case_id, tombstone.detail())
        history = _setting(s, PURGES, [])
        history.append({"case": case_id, "at": now(), "reference": tombstone.reference})
        _put(s, PURGES, history)
        _put(s, PENDING, True)
    return redacted


def compact(vault: Vault) -> None:
    """Steps (2) and (3): rebuild the file without free pages, then empty the -wal."""
    vault.pragma("PRAGMA wal_checkpoint(TRUNCATE)")
    vault.pragma("VACUUM")
    with vault.session() as s:
        row = s.get(SettingRow, PENDING)
        if row is not None:
            s.delete(row)
    vault.pragma("PRAGMA wal_checkpoint(TRUNCATE)")


def finish_pending(vault: Vault) -> bool:
    """Redo the compaction a kill interrupted; True when there was one to finish."""
    with vault.session() as s:
        pending = bool(_setting(s, PENDING, False))
    if pending:
        compact(vault)
    return pending


def purge_history(vault: Vault) -> list[dict[str, Any]]:
    """Every purge made in this vault: case number, reference and when (no personal data)."""
    with vault.session() as s:
        return list(_setting(s, PURGES, []))


def remapped(s: Session, anchored: anchor.Head) -> str | None:
    """The MAC the anchored entry has now, when a purge re-chained it (else None)."""
    remap = _setting(s, REMAP, None)
    if (
        isinstance(remap, dict)
        and remap.get("seq") == anchored.seq
        and remap.get("old") == anchored.mac
    ):
        return str(remap.get("new"))
    return None


def purged_case(vault: Vault, case_id: int) -> dict[str, Any] | None:
    """The tombstone of a purged case (with when it was purged), or None."""
    with vault.session() as s:
        rows = s.scalars(
            select(AuditRow).where(
                AuditRow.action == "purged",
                AuditRow.entity == "case",
                AuditRow.entity_id == case_id,
            )
        )
        for row in rows:
            return {"purged_at": row.at, **json.loads(row.detail)}
    return None
