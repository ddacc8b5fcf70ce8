"""Finding an exported document by the reference printed on it.

A referral unit that writes back quoting "CRE-20261125-06AF37-R1" must lead the
practitioner to the case and the export it came from. Every export's audit entry keeps
the base reference and each document's own one, so the trail answers that question.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.storage.models import AuditRow, CaseRow
from app.storage.repository import Repository


@dataclass(frozen=True)
class ExportTrace:
    at: str
    case_id: int
    child_name: str
    files: tuple[str, ...]
    detail: dict[str, Any]


def _references(detail: dict[str, Any]) -> set[str]:
    refs = {str(detail.get("reference") or "")}
    documents = detail.get("documents") or {}
    if isinstance(documents, dict):
        refs |= {str(r) for r in documents.values()}
    return {r for r in refs if r}


def find_reference(repo: Repository, reference: str) -> list[ExportTrace]:
    """Every export whose base or document reference is `reference` (case-insensitive)."""
    wanted = reference.strip().upper()
    if not wanted:
        return []
    found: list[ExportTrace] = []
    with repo.vault.session() as s:
        rows = s.execute(
            select(AuditRow.at, AuditRow.entity_id, AuditRow.detail)
            .where(AuditRow.action == "exported", AuditRow.entity == "case")
            .order_by(AuditRow.id)
        ).all()
        for at, case_id, text in rows:
            try:
                detail = json.loads(text)
            except ValueError:
                continue
            if not isinstance(detail, dict) or case_id is None:
                continue
            if wanted not in {r.upper() for r in _references(detail)}:
                continue
            case = s.get(CaseRow, case_id)
            files = tuple(str(f) for f in detail.get("what") or ())
            found.append(
                ExportTrace(str(at), int(case_id), case.child_name if case else "", files, detail)
            )
    return found


def export_traces(repo: Repository) -> list[dict[str, Any]]:
    """Every export's audit detail with its case id, newest first (for recognising a
    document that comes back countersigned)."""
    out: list[dict[str, Any]] = []
    with repo.vault.session() as s:
        rows = s.execute(
            select(AuditRow.entity_id, AuditRow.detail)
            .where(AuditRow.action == "exported", AuditRow.entity == "case")
            .order_by(AuditRow.id.desc())
        ).all()
    for case_id, text in rows:
        try:
            detail = json.loads(text)
        except ValueError:
            continue
        if isinstance(detail, dict) and case_id is not None:
            out.append({**detail, "case": int(case_id)})
    return out
