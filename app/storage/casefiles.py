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
from app.rules import CaseFileError, check_completion, parse_case
from app.storage import audit
from app.storage.clock import now
from app.storage.models import CaseRow
from app.storage.repository import Repository
from app.storage.status import Status

BUNDLE_FORMAT = "cre-case-export"


def export_cases(repo: Repository, out: Path, case_id: int | None = None) -> int:
    """Write one case or all cases; returns how many were written."""
    from app.storage.meetings import case_records

    def one(cid: int) -> dict[str, Any]:  # the newest assessment, with the case's meetings
        return {**_newest(repo, cid).answers, **case_records(repo, cid)}

    if case_id is not None:
        payload: Any = one(case_id)
        count = 1
    else:
        cases = [one(c.id) for c in repo.list_cases()]
        payload = {"format": BUNDLE_FORMAT, "version": 1, "cases": cases}
        count = len(cases)
    atomic_write_text(out, json.dumps(payload, ensure_ascii=False, indent=1))
    with repo.vault.session() as s:
        audit.append(
            s, "exported", "case", case_id, {"what": "case file", "where": str(out), "count": count}
        )
    return count


def _newest(repo: Repository, case_id: int) -> Any:
    """A case file carries the case's newest assessment, draft or not (never a discarded one)."""
    return [a for a in repo.assessments(case_id) if a.status != Status.DISCARDED][-1]


def read_cases(data: Any) -> list[Any]:
    """The case files inside an import document (a single case or an export bundle)."""
    if isinstance(data, dict) and data.get("format") == BUNDLE_FORMAT:
        cases = data.get("cases")
        if not isinstance(cases, list):
            raise CaseFileError("cases", "must be a list of case files")
        return cases
    return [data]


# other cases' problems spelt out after the first; the rest are counted
MORE_SHOWN = 10


def parse_cases(
    registry: Registry, raw_cases: list[Any]
) -> tuple[list[Any], list[tuple[int, CaseFileError]]]:
    """Every case parsed (the one validation): the parsed cases, and each bad case's
    index with its problem. The command line and the app's import window word them."""
    parsed, problems = [], []
    for index, raw in enumerate(raw_cases):
        try:
            parsed.append(parse_case(raw, registry))
        except CaseFileError as exc:
            problems.append((index, exc))
    return parsed, problems


def check_cases(registry: Registry, data: Any) -> list[Any]:
    """Every case of an import document parsed, or CaseFileError naming the first bad
    field (`cases[2].child.name` in a bundle) and, on the same line, every other case's
    bad field, so one run tells a practitioner all there is to fix (the app's import
    window lists the same); writes nothing."""
    raw_cases = read_cases(data)
    parsed, found = parse_cases(registry, raw_cases)
    if not found:
        return parsed
    if len(raw_cases) == 1:
        raise found[0][1]
    problems = [CaseFileError(f"cases[{i}].{e.field}", e.message, e.label) for i, e in found]
    first, rest = problems[0], problems[1:]
    if not rest:
        raise first
    shown = "; ".join(str(p) for p in rest[:MORE_SHOWN])
    unshown = len(rest) - MORE_SHOWN
    more = f"; and {unshown} more" if unshown > 0 else ""
    cases = "case has" if len(rest) == 1 else "cases have"
    raise CaseFileError(
        first.field,
        f"{first.message} (and {len(rest)} more {cases} a problem: {shown}{more})",
        first.label,
    )


def import_cases(repo: Repository, registry: Registry, data: Any) -> list[int]:
    """Validate all, then write all in one transaction; returns the new case ids.

    Whether an imported assessment is completed is decided by `check_completion`, the
    same function the wizard asks, and written by the same repository step, so a case
    arrives with the status, level and review date it would have had in the wizard.
    """
    raw_cases = read_cases(data)
    checked = []
    for index, raw in enumerate(raw_cases):
        try:
            case = parse_case(raw, registry)
        except CaseFileError as exc:
            if len(raw_cases) > 1:
                raise CaseFileError(f"cases[{index}].{exc.field}", exc.message, exc.label) from None
            raise
        tk = registry.get(case.toolkit)
        answers = case.to_dict()
        per_case = {k: answers.pop(k) for k in ("meetings", "case_facts") if k in answers}
        checked.append((tk, answers, check_completion(tk, answers), per_case))
    from app.storage.meetings import insert_meetings, write_case_facts

    ids: list[int] = []
    with repo.vault.session() as s:
        for tk, answers, completion, per_case in checked:
            stamp = now()
            row_case = CaseRow(toolkit=tk.id, created_at=stamp, updated_at=stamp)
            s.add(row_case)
            s.flush()
            row = repo._insert_assessment(s, row_case, tk, answers, 0, previous=None)
            repo._sync_case(s, row_case)
            audit.append(s, "imported", "case", row_case.id, {"assessment": row.id})
            if completion.ok:
                repo._complete_row(s, row, completion.level, completion.review_due)
            insert_meetings(s, row_case.id, per_case.get("meetings", []))  # kept per case
            if "case_facts" in per_case:
                write_case_facts(s, row_case.id, per_case["case_facts"], "imported")
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
