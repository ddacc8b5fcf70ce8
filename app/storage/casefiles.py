"""Case import and export in the case-file format (format 1).

Export writes one case (its newest assessment) as a plain case file, or every case as
an export bundle of case files. Import validates every case fully first and then
writes them all in one transaction: on any error nothing is written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.fileio import atomic_write_text
from app.forms import Registry
from app.rules import CaseFileError, assess, parse_case
from app.storage import audit
from app.storage.clock import now
from app.storage.models import AssessmentRow, CaseRow
from app.storage.repository import COMPLETED, Repository

BUNDLE_FORMAT = "cre-case-export"


def export_cases(repo: Repository, out: Path, case_id: int | None = None) -> int:
    """Write one case or all cases; returns how many were written."""
    if case_id is not None:
        latest = repo.assessments(case_id)[-1]
        payload: Any = latest.answers
        count = 1
    else:
        cases = [repo.assessments(c.id)[-1].answers for c in repo.list_cases()]
        payload = {"format": BUNDLE_FORMAT, "version": 1, "cases": cases}
        count = len(cases)
    atomic_write_text(out, json.dumps(payload, ensure_ascii=False, indent=1))
    with repo.vault.session() as s:
        audit.append(
            s, "exported", "case", case_id, {"what": "case file", "where": str(out), "count": count}
        )
    return count


def read_cases(data: Any) -> list[Any]:
    """The case files inside an import document (a single case or an export bundle)."""
    if isinstance(data, dict) and data.get("format") == BUNDLE_FORMAT:
        cases = data.get("cases")
        if not isinstance(cases, list):
            raise CaseFileError("cases", "must be a list of case files")
        return cases
    return [data]


def import_cases(repo: Repository, registry: Registry, data: Any) -> list[int]:
    """Validate all, then write all in one transaction; returns the new case ids."""
    raw_cases = read_cases(data)
    parsed = []
    for index, raw in enumerate(raw_cases):
        try:
            case = parse_case(raw, registry)
        except CaseFileError as exc:
            if len(raw_cases) > 1:
                raise CaseFileError(f"cases[{index}].{exc.field}", exc.message) from None
            raise
        parsed.append(case)
    ids: list[int] = []
    with repo.vault.session() as s:
        for case in parsed:
            tk = registry.get(case.toolkit)
            result = assess(case, tk)
            stamp = now()
            row_case = CaseRow(toolkit=tk.id, created_at=stamp, updated_at=stamp)
            s.add(row_case)
            s.flush()
            level = result.level_for_display.value if result.level_for_display else None
            final_ok = case.final_level is not None and not result.errors
            row = AssessmentRow(
                case_id=row_case.id,
                toolkit_id=tk.id,
                toolkit_version=tk.version,
                definition_hash=tk.content_hash,
                status=COMPLETED if final_ok else "draft",
                answers=json.dumps(case.to_dict(), ensure_ascii=False, sort_keys=True),
                level=level,
                review_due=result.review_due.isoformat() if result.review_due else None,
                created_at=stamp,
                updated_at=stamp,
                completed_at=stamp if final_ok else None,
            )
            s.add(row)
            s.flush()
            Repository._sync_case(row_case, row)
            audit.append(s, "imported", "case", row_case.id, {"assessment": row.id})
            ids.append(row_case.id)
    return ids


def import_file(repo: Repository, registry: Registry, path: Path) -> list[int]:
    """Read (guarded: regular file, size, BOM, nesting, valid text), validate all, write all."""
    from app.fileio import InputFileError, read_json_file

    try:
        data = read_json_file(Path(path))
    except InputFileError as exc:
        raise CaseFileError("(file)", str(exc)) from None
    return import_cases(repo, registry, data)
