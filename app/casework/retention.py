"""Closing cases and keeping them no longer than the retention period (UK GDPR storage
limitation): the council's case-management system is the record; a laptop's copy of a
closed case leaves once its period after closure has passed (and, when the vault asks
for it, once the case is marked recorded on the council's system).

The case window, the main window's "Due for purge" list and `python -m app vault
close|retention|purge` all call these functions; the purge itself is `app.storage.purge`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from app.casework.settings import profile as saved_profile
from app.forms.shared_files import load_partnership, load_partnership_lists
from app.storage import RecordNotFoundError, Repository
from app.storage import purge as storage_purge
from app.storage.models import AuditRow, CaseRow
from app.storage.status import CLOSED

SETTING = "retention"


class RetentionError(ValueError):
    """A closing, setting or purge the practitioner asked for that cannot be done (in words)."""


@dataclass(frozen=True)
class RetentionSettings:
    days: int
    require_recorded: bool


@dataclass(frozen=True)
class DueCase:
    """A closed case and when its retention period ends."""

    case: int
    reference: str
    closed: str
    due: str
    recorded: str | None
    held_because: str  # "" when it may be purged now

    def as_json(self) -> dict[str, Any]:
        return {"case": self.case, "reference": self.reference, "closed": self.closed,
                "due": self.due}  # fmt: skip


def _partnership_default() -> RetentionSettings:
    data = load_partnership().get("retention") or {}
    return RetentionSettings(
        int(data.get("days_after_closure", 90)), bool(data.get("require_recorded", True))
    )


def retention_settings(repo: Repository) -> RetentionSettings:
    """This vault's settings, else the partnership file's defaults."""
    default = _partnership_default()
    stored = repo.get_setting(SETTING) or {}
    return RetentionSettings(
        int(stored.get("days", default.days)),
        bool(stored.get("require_recorded", default.require_recorded)),
    )


def set_retention(
    repo: Repository, days: int | None = None, require_recorded: bool | None = None
) -> RetentionSettings:
    current = retention_settings(repo)
    if days is not None and not 0 <= days <= 3650:
        raise RetentionError("Days after closure must be a whole number from 0 to 3650.")
    new = RetentionSettings(
        current.days if days is None else days,
        current.require_recorded if require_recorded is None else require_recorded,
    )
    repo.set_setting(SETTING, {"days": new.days, "require_recorded": new.require_recorded})
    return new


def _date(text: str, label: str) -> str:
    try:
        value = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise RetentionError(f"{label}: “{text}” is not a date (YYYY-MM-DD).") from None
    if not 1900 <= value.year <= 2100:
        raise RetentionError(f"{label}: the year must be between 1900 and 2100.")
    return value.isoformat()


def closure_reasons() -> dict[str, str]:
    return dict(load_partnership_lists()["closure_reasons"])


def save_case_details(
    repo: Repository,
    case_id: int,
    *,
    models_of_abuse: list[str] | None,
    closed_on: str | None,
    closure_reason: str | None,
) -> None:
    """Models of abuse and closure, as the case window saves them (no reason: re-opened)."""
    if closure_reason and closure_reason not in closure_reasons():
        raise RetentionError(f"Closure reason: “{closure_reason}” is not one of the reasons.")
    if closure_reason and not closed_on:
        raise RetentionError("Closed on: give the date the case was closed.")
    if closed_on:
        closed_on = _date(closed_on, "Closed on")
    repo.set_case_details(
        case_id,
        models_of_abuse=models_of_abuse,
        closed_on=closed_on if closure_reason else None,
        closure_reason=closure_reason or None,
    )


def close_case(repo: Repository, case_id: int, closed_on: str, reason: str) -> None:
    """Close a case as the case window does. `reason` is a closure reason's id or label."""
    reasons = closure_reasons()
    wanted = reason.strip()
    by_label = {label.casefold(): key for key, label in reasons.items()}
    key = wanted if wanted in reasons else by_label.get(wanted.casefold())
    if key is None:
        raise RetentionError(
            f"Closure reason: “{reason}” is not one of: {', '.join(sorted(reasons))}."
        )
    details = repo.case_details(case_id)
    save_case_details(repo, case_id, models_of_abuse=details["models_of_abuse"],
                      closed_on=closed_on, closure_reason=key)  # fmt: skip


def mark_recorded(repo: Repository, case_id: int, on: str | None = None) -> None:
    """Mark a closed case recorded on the council's system (a precondition of purging)."""
    when = _date(on, "Recorded on") if on else dt.date.today().isoformat()
    with repo.vault.session() as s:
        case = s.get(CaseRow, case_id)
        if case is None:
            raise RetentionError(f"There is no case {case_id}.")
        if case.status != CLOSED:
            raise RetentionError(f"Case {case_id} is open; close it first.")
        case.recorded_on = when
        from app.storage import audit

        audit.append(s, "recorded", "case", case_id, {"recorded_on": when})


def _reference(s: Any, case_id: int) -> str:
    """The newest reference printed on the case's exports, else the vault's case number."""
    rows = s.execute(
        AuditRow.__table__.select()
        .with_only_columns(AuditRow.detail)
        .where(AuditRow.action == "exported", AuditRow.entity == "case",
               AuditRow.entity_id == case_id)
        .order_by(AuditRow.id.desc())
    ).scalars()  # fmt: skip
    for text in rows:
        try:
            ref = json.loads(text).get("reference")
        except (ValueError, AttributeError):
            continue
        if ref:
            return str(ref)
    return f"case-{case_id}"


def closed_cases(repo: Repository, today: dt.date | None = None) -> list[DueCase]:
    """Every closed case with the day its period ends, soonest first."""
    settings = retention_settings(repo)
    today = today or dt.date.today()
    out = []
    with repo.vault.session() as s:
        rows = s.query(CaseRow).filter(CaseRow.status == CLOSED, CaseRow.closed_on.is_not(None))
        for case in rows:
            closed = dt.date.fromisoformat(str(case.closed_on))
            due = closed + dt.timedelta(days=settings.days)
            held = ""
            if due > today:
                held = f"kept until {due:%d/%m/%Y}"
            elif settings.require_recorded and not case.recorded_on:
                held = "not yet marked recorded on the council's system"
            out.append(
                DueCase(
                    case.id,
                    _reference(s, case.id),
                    closed.isoformat(),
                    due.isoformat(),
                    case.recorded_on,
                    held,
                )
            )
    return sorted(out, key=lambda d: (d.due, d.case))


def due_for_purge(repo: Repository, today: dt.date | None = None) -> list[DueCase]:
    return [d for d in closed_cases(repo, today) if not d.held_because]


def purge_case(
    repo: Repository, case_id: int, *, who: str = "", why: str = "", today: dt.date | None = None
) -> storage_purge.Tombstone:
    """Purge one closed case whose period has passed: refused with a reason otherwise."""
    finish_interrupted(repo)
    listed = {d.case: d for d in closed_cases(repo, today)}
    entry = listed.get(case_id)
    if entry is None:
        try:
            repo.get_case(case_id)
        except RecordNotFoundError:
            raise RetentionError(f"There is no case {case_id} in this vault.") from None
        raise RetentionError(f"Case {case_id} is open; close it before it can be purged.")
    if entry.held_because:
        raise RetentionError(f"Case {case_id} cannot be purged yet: {entry.held_because}.")
    profile = saved_profile(repo)
    days = retention_settings(repo).days
    with repo.vault.session() as s:
        case = s.get(CaseRow, case_id)
        assert case is not None
        name = case.child_name
        stone = storage_purge.Tombstone(
            case=case_id, reference=entry.reference, toolkit=case.toolkit,
            created=case.created_at[:10], closed=entry.closed,
            closure_reason=case.closure_reason or "", recorded=case.recorded_on or "",
            purged_by=str(profile.get("name") or "the practitioner"),
            why=why or f"retention period of {days} days after "
            "closure ended",
        )  # fmt: skip
    if who:
        stone = storage_purge.Tombstone(**{**stone.__dict__, "purged_by": who})
    try:
        storage_purge.delete_case(repo.vault, case_id, stone, name)
    except storage_purge.PurgeRefused as exc:
        raise RetentionError(str(exc)) from None
    storage_purge.compact(repo.vault)
    return stone


def finish_interrupted(repo: Repository) -> bool:
    """Finish a purge a kill cut short after its commit (vacuum and empty the -wal)."""
    return storage_purge.finish_pending(repo.vault)


def purge_due(
    repo: Repository, *, who: str = "", today: dt.date | None = None
) -> list[storage_purge.Tombstone]:
    """Purge every case due now (each in its own transaction)."""
    finish_interrupted(repo)
    return [purge_case(repo, d.case, who=who, today=today) for d in due_for_purge(repo, today)]


def stale_backups(repo: Repository) -> list[str]:
    """Backups made before the newest purge that still exist: they hold purged cases."""
    from pathlib import Path

    from sqlalchemy import func, select

    out: list[str] = []
    with repo.vault.session() as s:
        last = s.scalar(select(func.max(AuditRow.id)).where(AuditRow.action == "purged"))
        if last is None:
            return out
        rows = s.scalars(
            select(AuditRow).where(
                AuditRow.action == "exported", AuditRow.entity == "vault", AuditRow.id < last
            )
        )
        for row in rows:
            try:
                detail = json.loads(row.detail)
            except ValueError:
                continue
            where = detail.get("where") if isinstance(detail, dict) else None
            if where and Path(where).exists() and where not in out:
                out.append(str(where))
    return out
