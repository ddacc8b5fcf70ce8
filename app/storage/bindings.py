"""Records bound to the audit trail: each transaction's newest audit entry carries the
content hash of every case, assessment and document the transaction left changed.

The audit chain proves that entries were not edited; the bound hashes prove that the
records are still what the app last wrote. A case edited or deleted directly in the
database (with the key, outside the app) keeps a valid chain, but its content no longer
matches its last audited state, and `vault check` names it.

Hashes leave out what is derived or only bookkeeping (the search key, `updated_at`, the
wizard's page), so an autosave that changes nothing binds nothing.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from app.storage import audit
from app.storage.models import AssessmentRow, AuditRow, CaseRow, DocumentRow, RecordStateRow

KINDS: dict[type[Any], str] = {
    CaseRow: "case",
    AssessmentRow: "assessment",
    DocumentRow: "document",
}
SKIP = {"name_key", "updated_at", "page"}
DELETED = "deleted"
TOUCHED = "bindings_touched"


def key_of(obj: Any) -> str:
    return f"{KINDS[type(obj)]} {obj.id}"


def state_hash(obj: Any) -> str:
    columns = {
        attr.key: getattr(obj, attr.key)
        for attr in inspect(type(obj)).column_attrs
        if attr.key not in SKIP
    }
    text = json.dumps(columns, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def install(factory: sessionmaker[Session]) -> None:
    """Track the records each flush touches; bind their states just before commit."""

    @event.listens_for(factory, "after_flush")
    def _touched(session: Session, _context: Any) -> None:
        touched = session.info.setdefault(TOUCHED, {})
        for obj in (*session.new, *session.dirty):
            if type(obj) in KINDS and obj.id is not None:
                touched[key_of(obj)] = obj
        for obj in session.deleted:
            if type(obj) in KINDS and obj.id is not None:
                touched[key_of(obj)] = None

    @event.listens_for(factory, "before_commit")
    def _bind(session: Session) -> None:
        session.flush()
        touched = session.info.pop(TOUCHED, None)
        if touched:
            bind(session, touched)
            session.info.pop(TOUCHED, None)
        session.info.pop("audit_last", None)

    @event.listens_for(factory, "after_rollback")
    def _forget(session: Session) -> None:
        session.info.pop(TOUCHED, None)
        session.info.pop("audit_last", None)


def bind(session: Session, touched: dict[str, Any]) -> None:
    """Bind the states that changed since their last binding to the transaction's newest
    audit entry (or to a new "recorded" entry when the transaction wrote none)."""
    states: dict[str, str] = {}
    for key, obj in touched.items():
        alive = obj is not None and inspect(obj).persistent
        states[key] = state_hash(obj) if alive else DELETED
    known = {
        row.key: row
        for row in session.scalars(
            select(RecordStateRow).where(RecordStateRow.key.in_(list(states)))
        )
    }
    changed = {
        k: h
        for k, h in states.items()
        if (known[k].hash if k in known else None) != h and not (h == DELETED and k not in known)
    }
    if not changed:
        return
    last = session.info.get("audit_last")
    if not isinstance(last, AuditRow) or not inspect(last).persistent or last.state:
        last = audit.append(session, "recorded", "vault", None, {"records": len(changed)})
    audit.bind_state(session, last, changed)
    for key, digest in changed.items():
        if key in known:
            known[key].hash, known[key].audit_id = digest, last.id
        else:
            session.add(RecordStateRow(key=key, hash=digest, audit_id=last.id))
    session.flush()


def current_states(session: Session) -> dict[str, str]:
    found: dict[str, str] = {}
    for model in KINDS:
        for obj in session.scalars(select(model)):
            found[key_of(obj)] = state_hash(obj)
    return found


def bind_all_if_needed(session: Session, *, upgraded: bool = False) -> None:
    """Bind every record as it stands: once for a vault from before bindings, and again
    after a schema upgrade (a new column changes every record's hash, not its content)."""
    if not upgraded and session.scalar(select(RecordStateRow.key).limit(1)) is not None:
        return
    states = current_states(session)
    known = {row.key: row for row in session.scalars(select(RecordStateRow))}
    if upgraded:
        states.update({k: DELETED for k in known if k not in states})
        if all(k in known and known[k].hash == h for k, h in states.items()):
            return
    if not states:
        return
    why = "schema upgraded" if upgraded else "records bound"
    row = audit.append(session, "recorded", "vault", None, {"records": len(states), "why": why})
    audit.bind_state(session, row, states)
    for key, digest in states.items():
        if key in known:
            known[key].hash, known[key].audit_id = digest, row.id
        else:
            session.add(RecordStateRow(key=key, hash=digest, audit_id=row.id))
    session.flush()


def record_problems(session: Session) -> list[str]:
    """Every record whose content is not the state its last audit entry bound."""
    bound: dict[str, tuple[str, int]] = {}
    rows = session.execute(
        select(AuditRow.id, AuditRow.state).where(AuditRow.state.is_not(None)).order_by(AuditRow.id)
    )
    for entry_id, state in rows:
        try:
            for key, digest in json.loads(state or "{}").items():
                bound[key] = (str(digest), entry_id)
        except (ValueError, AttributeError):
            continue  # a forged entry: the chain check reports it
    if not bound:
        return []
    problems = []
    current = current_states(session)
    for key, digest in sorted(current.items(), key=_order):
        if key not in bound:
            problems.append(f"{key}: not in the audit trail (added outside the app)")
        elif bound[key][0] != digest:
            problems.append(
                f"{key}: its content does not match its last audited state (audit entry "
                f"{bound[key][1]}): changed outside the app"
            )
    for key, (digest, entry_id) in sorted(bound.items(), key=_order):
        if digest != DELETED and key not in current:
            problems.append(
                f"{key}: missing, though audit entry {entry_id} recorded it: deleted outside "
                "the app"
            )
    return problems


def _order(item: tuple[str, Any]) -> tuple[str, int]:
    kind, _, number = item[0].partition(" ")
    return kind, int(number) if number.isdigit() else 0
