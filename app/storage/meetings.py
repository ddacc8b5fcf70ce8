"""Meetings and case facts in the vault (tables `meetings` and `case_facts`, revision 0004).

Plain repository functions beside `Repository` (which they take as an argument), so the
main repository stays as it is. Every change is one transaction with its audit entries.
Validation is the caller's (app.casework.meetings); storage only keeps what it is given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.storage import audit
from app.storage.errors import RecordNotFoundError
from app.storage.models import AssessmentRow, Base, CaseRow
from app.storage.repository import Repository
from app.storage.vault import now


class MeetingRow(Base):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    kind: Mapped[str] = mapped_column(String)
    held_on: Mapped[str] = mapped_column(String)
    chair: Mapped[str] = mapped_column(Text, default="")
    young_person_attended: Mapped[int] = mapped_column(Integer, default=0)
    parents_attended: Mapped[int] = mapped_column(Integer, default=0)
    views_conveyed: Mapped[int] = mapped_column(Integer, default=0)
    level: Mapped[str | None] = mapped_column(String, nullable=True)
    actions: Mapped[str] = mapped_column(Text, default="")
    next_meeting: Mapped[str | None] = mapped_column(String, nullable=True)
    created_at: Mapped[str] = mapped_column(String)
    updated_at: Mapped[str] = mapped_column(String)


class CaseFactsRow(Base):
    __tablename__ = "case_facts"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    key_worker: Mapped[str | None] = mapped_column(String, nullable=True)
    priority_areas: Mapped[str] = mapped_column(Text, default="[]")
    in_care_due_to_exploitation: Mapped[int] = mapped_column(Integer, default=0)
    from_another_la: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[str] = mapped_column(String)


class RuleCheckRow(Base):
    """Derived, not a record: whether a completed (hence unchangeable) assessment passes
    its toolkit's rules, so statistics check each one once rather than on every count."""

    __tablename__ = "rule_checks"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), primary_key=True)
    definition_hash: Mapped[str] = mapped_column(String)
    passes: Mapped[int] = mapped_column(Integer)


@dataclass(frozen=True)
class MeetingRecord:
    id: int
    case_id: int
    data: dict[str, Any]  # the case-file shape: type, date, chair, ..., next_meeting


_BOOLS = ("young_person_attended", "parents_attended", "views_conveyed")


def _data(row: MeetingRow) -> dict[str, Any]:
    return {
        "type": row.kind,
        "date": row.held_on,
        "chair": row.chair,
        **{k: bool(getattr(row, k)) for k in _BOOLS},
        "level": row.level,
        "actions": row.actions,
        "next_meeting": row.next_meeting,
    }


def _fill(row: MeetingRow, data: dict[str, Any]) -> None:
    row.kind, row.held_on = data["type"], data["date"]
    row.chair, row.actions = data.get("chair") or "", data.get("actions") or ""
    for key in _BOOLS:
        setattr(row, key, int(bool(data.get(key))))
    row.level = data.get("level")
    row.next_meeting = data.get("next_meeting") or None
    row.updated_at = now()


def _case(s: Session, case_id: int) -> CaseRow:
    case = s.get(CaseRow, case_id)
    if case is None:
        raise RecordNotFoundError("case", case_id)
    return case


def meetings(repo: Repository, case_id: int) -> list[MeetingRecord]:
    """A case's meetings, oldest first."""
    with repo.vault.session() as s:
        _case(s, case_id)
        rows = s.scalars(
            select(MeetingRow)
            .where(MeetingRow.case_id == case_id)
            .order_by(MeetingRow.held_on, MeetingRow.id)
        )
        return [MeetingRecord(r.id, r.case_id, _data(r)) for r in rows]


def all_meetings(repo: Repository) -> dict[int, list[dict[str, Any]]]:
    """Every case's meetings (for statistics), oldest first."""
    out: dict[int, list[dict[str, Any]]] = {}
    with repo.vault.session() as s:
        query = select(MeetingRow).order_by(MeetingRow.held_on, MeetingRow.id)
        for row in s.scalars(query):
            out.setdefault(row.case_id, []).append(_data(row))
    return out


def add_meeting(repo: Repository, case_id: int, data: dict[str, Any]) -> int:
    with repo.vault.session() as s:
        case = _case(s, case_id)
        row = MeetingRow(case_id=case_id, created_at=now())
        _fill(row, data)
        s.add(row)
        s.flush()
        audit.append(s, "created", "meeting", row.id, {"case": case_id, "type": row.kind})
        sync_review_due(s, case)
        return row.id


def insert_meetings(s: Session, case_id: int, items: list[dict[str, Any]]) -> None:
    """Meetings arriving in an imported case file, inside the import's transaction."""
    for data in items:
        row = MeetingRow(case_id=case_id, created_at=now())
        _fill(row, data)
        s.add(row)
        s.flush()
        audit.append(s, "imported", "meeting", row.id, {"case": case_id, "type": row.kind})
    if items:
        sync_review_due(s, _case(s, case_id))


def update_meeting(repo: Repository, meeting_id: int, data: dict[str, Any]) -> None:
    with repo.vault.session() as s:
        row = s.get(MeetingRow, meeting_id)
        if row is None:
            raise RecordNotFoundError("meeting", meeting_id)
        for change in audit.diff(_data(row), data):
            audit.append(s, "edited", "meeting", row.id, change)
        _fill(row, data)
        sync_review_due(s, _case(s, row.case_id))


def delete_meeting(repo: Repository, meeting_id: int) -> None:
    with repo.vault.session() as s:
        row = s.get(MeetingRow, meeting_id)
        if row is None:
            raise RecordNotFoundError("meeting", meeting_id)
        case = _case(s, row.case_id)
        audit.append(s, "deleted", "meeting", row.id, {"case": row.case_id, "was": _data(row)})
        s.delete(row)
        s.flush()
        sync_review_due(s, case)


def sync_review_due(s: Session, case: CaseRow) -> None:
    """Recompute the case list's columns, review due included (see `review_due`)."""
    Repository._sync_case(s, case)


def review_due(s: Session, case_id: int, final: AssessmentRow | None) -> str | None:
    """Reviews due: the latest meeting's next meeting date, unless a completed assessment
    dated after that meeting has set a review date of its own since."""
    latest = s.scalars(
        select(MeetingRow)
        .where(MeetingRow.case_id == case_id)
        .order_by(MeetingRow.held_on.desc(), MeetingRow.id.desc())
        .limit(1)
    ).first()
    assessed = json.loads(final.answers).get("assessment_date") if final is not None else None
    own = final.review_due if final is not None else None
    if latest is None or not latest.next_meeting:
        return own
    if own is None or not assessed or latest.held_on >= assessed:
        return latest.next_meeting  # e.g. the 2017 toolkit: reviews at each meeting
    return own


def case_facts(repo: Repository, case_id: int) -> dict[str, Any]:
    """A case's facts (key worker, priority areas, care); defaults when never recorded."""
    with repo.vault.session() as s:
        _case(s, case_id)
        return _facts(s.get(CaseFactsRow, case_id))


def all_case_facts(repo: Repository) -> dict[int, dict[str, Any]]:
    with repo.vault.session() as s:
        return {r.case_id: _facts(r) for r in s.scalars(select(CaseFactsRow))}


def _facts(row: CaseFactsRow | None) -> dict[str, Any]:
    if row is None:
        return {
            "key_worker": None,
            "priority_areas": [],
            "in_care_due_to_exploitation": False,
            "from_another_la": False,
        }
    return {
        "key_worker": row.key_worker,
        "priority_areas": list(json.loads(row.priority_areas or "[]")),
        "in_care_due_to_exploitation": bool(row.in_care_due_to_exploitation),
        "from_another_la": bool(row.from_another_la),
    }


def write_case_facts(s: Session, case_id: int, data: dict[str, Any], action: str) -> None:
    row = s.get(CaseFactsRow, case_id)
    old = _facts(row)
    if row is None:
        row = CaseFactsRow(case_id=case_id, updated_at=now())
        s.add(row)
    row.key_worker = data.get("key_worker")
    row.priority_areas = json.dumps(list(data.get("priority_areas") or []))
    row.in_care_due_to_exploitation = int(bool(data.get("in_care_due_to_exploitation")))
    row.from_another_la = int(bool(data.get("from_another_la")))
    row.updated_at = now()
    s.flush()
    for change in audit.diff(old, _facts(row)):
        audit.append(s, action, "case facts", case_id, change)


def case_records(repo: Repository, case_id: int) -> dict[str, Any]:
    """The optional case-file keys for a case: `meetings` and `case_facts` when recorded."""
    out: dict[str, Any] = {}
    items = [m.data for m in meetings(repo, case_id)]
    if items:
        out["meetings"] = items
    with repo.vault.session() as s:
        row = s.get(CaseFactsRow, case_id)
        if row is not None:
            out["case_facts"] = _facts(row)
    return out


def set_case_facts(repo: Repository, case_id: int, data: dict[str, Any]) -> None:
    with repo.vault.session() as s:
        _case(s, case_id)
        write_case_facts(s, case_id, data, "edited")
