"""What the rest of the app asks of a vault: cases, assessments, documents, settings.

Every change is one transaction that also appends its audit entries. Signed records are
immutable here, at the storage API, not just in the UI: changing one raises
`ImmutableRecordError`, and editing means `new_version()`.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.forms import Toolkit
from app.storage import audit
from app.storage.clock import now
from app.storage.errors import ImmutableRecordError, RecordNotFoundError
from app.storage.models import AssessmentRow, CaseRow
from app.storage.records import CaseRecords
from app.storage.status import CLOSED, Status
from app.storage.vault import Vault

DRAFT, COMPLETED, SIGNED, DISCARDED = (
    Status.DRAFT, Status.COMPLETED, Status.SIGNED, Status.DISCARDED,
)  # fmt: skip


# letters NFKD does not split into base + accent
_FOLD = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe"})


def name_key(name: str) -> str:
    """Search key that ignores case and accents: "zoe" finds "Zoë", "lukasz" "Łukasz"."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c)).translate(_FOLD)
    return " ".join(plain.split())


@dataclass(frozen=True)
class CaseSummary:
    id: int
    child_name: str
    date_of_birth: str | None
    toolkit: str
    level: str | None
    status: str
    review_due: str | None
    updated_at: str


@dataclass(frozen=True)
class AssessmentRecord:
    id: int
    case_id: int
    version: int
    previous_id: int | None
    is_review: bool
    toolkit_id: str
    toolkit_version: str
    definition_hash: str
    status: str
    answers: dict[str, Any]
    page: int
    level: str | None
    review_due: str | None
    created_at: str
    updated_at: str


def _summary(row: CaseRow) -> CaseSummary:
    return CaseSummary(
        row.id, row.child_name, row.date_of_birth, row.toolkit, row.current_level, row.status,
        row.review_due, row.updated_at,
    )  # fmt: skip


def _record(row: AssessmentRow) -> AssessmentRecord:
    return AssessmentRecord(
        row.id, row.case_id, row.version, row.previous_id, bool(row.is_review), row.toolkit_id,
        row.toolkit_version, row.definition_hash, row.status, json.loads(row.answers), row.page,
        row.level, row.review_due, row.created_at, row.updated_at,
    )  # fmt: skip


def _dump(answers: dict[str, Any]) -> str:
    return json.dumps(answers, ensure_ascii=False, sort_keys=True)


class Repository(CaseRecords):
    def __init__(self, vault: Vault) -> None:
        self.vault = vault

    # -- reading ---------------------------------------------------------------------
    def list_cases(
        self,
        search: str = "",
        *,
        level: str | None = None,
        toolkit: str | None = None,
        status: str | None = None,
        review_before: str | None = None,
        limit: int | None = None,
    ) -> list[CaseSummary]:
        """Cases by name; `review_before` (ISO date) lists reviews due by then, soonest first."""
        columns = (
            CaseRow.id, CaseRow.child_name, CaseRow.date_of_birth, CaseRow.toolkit,
            CaseRow.current_level, CaseRow.status, CaseRow.review_due, CaseRow.updated_at,
        )  # fmt: skip
        query = select(*columns)  # plain rows, not ORM objects: 20,000 cases stay fast
        if search.strip():
            query = query.where(CaseRow.name_key.contains(name_key(search), autoescape=True))
        if level:
            query = query.where(CaseRow.current_level == level)
        if toolkit:
            query = query.where(CaseRow.toolkit == toolkit)
        if status:
            query = query.where(CaseRow.status == status)
        else:
            query = query.where(CaseRow.status != DISCARDED)
        if review_before:
            query = query.where(
                CaseRow.review_due.is_not(None), CaseRow.review_due <= review_before
            )
            query = query.where(CaseRow.status != CLOSED).order_by(CaseRow.review_due, CaseRow.id)
        else:
            query = query.order_by(CaseRow.name_key, CaseRow.id)
        if limit:
            query = query.limit(limit)
        with self.vault.session() as s:
            return [CaseSummary(*row) for row in s.execute(query)]

    def refresh_name_keys(self) -> int:
        """Recompute search keys made by an older rule (keys are derived, never audited)."""
        changed = 0
        with self.vault.session() as s:
            for case in s.scalars(select(CaseRow).where(CaseRow.status != DISCARDED)):
                key = name_key(case.child_name or "")
                if case.name_key != key:
                    case.name_key = key
                    changed += 1
        return changed

    def count_cases(self) -> int:
        with self.vault.session() as s:
            query = select(func.count(CaseRow.id)).where(CaseRow.status != DISCARDED)
            return int(s.scalar(query) or 0)

    def get_case(self, case_id: int) -> CaseSummary:
        with self.vault.session() as s:
            return _summary(self._case(s, case_id))

    def assessments(self, case_id: int) -> list[AssessmentRecord]:
        with self.vault.session() as s:
            self._case(s, case_id)
            rows = s.scalars(
                select(AssessmentRow)
                .where(AssessmentRow.case_id == case_id)
                .order_by(AssessmentRow.id)
            )
            return [_record(r) for r in rows]

    def get_assessment(self, assessment_id: int) -> AssessmentRecord:
        with self.vault.session() as s:
            return _record(self._assessment(s, assessment_id))

    def latest_final(self, case_id: int) -> AssessmentRecord | None:
        """The newest completed or signed assessment: what is exported and counted."""
        with self.vault.session() as s:
            self._case(s, case_id)
            row = self._newest(s, case_id, (COMPLETED, SIGNED))
            return _record(row) if row else None

    def open_draft(self, case_id: int) -> AssessmentRecord | None:
        """The case's draft in progress, if it has one (there is at most one)."""
        with self.vault.session() as s:
            self._case(s, case_id)
            row = self._newest(s, case_id, (DRAFT,))
            return _record(row) if row else None

    # -- writing ---------------------------------------------------------------------
    def create_case(self, tk: Toolkit, answers: dict[str, Any], page: int = 0) -> AssessmentRecord:
        """A new case with its first (draft) assessment; answers are a case-file dict."""
        stamp = now()
        with self.vault.session() as s:
            case = CaseRow(toolkit=tk.id, created_at=stamp, updated_at=stamp)
            s.add(case)
            s.flush()
            row = self._insert_assessment(s, case, tk, answers, page, previous=None)
            self._sync_case(s, case)
            audit.append(s, "created", "case", case.id, {"assessment": row.id, "toolkit": tk.id})
            return _record(row)

    def save_draft(
        self, assessment_id: int, answers: dict[str, Any], page: int | None = None
    ) -> AssessmentRecord:
        """Always saves a draft, however incomplete: validation gates completion only."""
        with self.vault.session() as s:
            row = self._assessment(s, assessment_id)
            self._mutable(row)
            old = json.loads(row.answers)
            changes = audit.diff(old, answers)
            row.answers = _dump(answers)
            if page is not None:
                row.page = page
            row.updated_at = now()
            self._sync_case(s, self._case(s, row.case_id))
            for change in changes:
                audit.append(s, "edited", "assessment", row.id, change)
            return _record(row)

    def complete(
        self, assessment_id: int, level: str | None, review_due: str | None
    ) -> AssessmentRecord:
        """Mark complete with the engine's level and review date (validated by the caller)."""
        with self.vault.session() as s:
            row = self._assessment(s, assessment_id)
            self._mutable(row)
            self._complete_row(s, row, level, review_due)
            return _record(row)

    def _complete_row(
        self, s: Session, row: AssessmentRow, level: str | None, review_due: str | None
    ) -> None:
        row.status, row.level, row.review_due = COMPLETED, level, review_due
        row.completed_at = row.updated_at = now()
        self._sync_case(s, self._case(s, row.case_id))
        audit.append(
            s, "completed", "assessment", row.id, {"level": level, "review_due": review_due}
        )

    def discard(self, assessment_id: int) -> AssessmentRecord:
        """Drop a draft's answers and mark it discarded; a case left with nothing is
        discarded too, so it leaves the case list and the statistics."""
        with self.vault.session() as s:
            row = self._assessment(s, assessment_id)
            self._mutable(row)
            row.status, row.answers, row.updated_at = DISCARDED, "{}", now()
            case = self._case(s, row.case_id)
            remaining = self._newest(s, case.id, (DRAFT, COMPLETED, SIGNED))
            if remaining is None:
                case.status, case.child_name, case.name_key = DISCARDED, "", ""
                case.date_of_birth = None
                case.updated_at = now()
            else:
                self._sync_case(s, case)
            audit.append(s, "discarded", "assessment", row.id, {"case": case.id})
            return _record(row)

    def record_export(
        self, case_id: int, assessment_id: int | None, detail: dict[str, Any]
    ) -> None:
        """The audit entry of an export, with each document's reference so that a
        recipient's query about a reference can be traced back to the case."""
        with self.vault.session() as s:
            self._case(s, case_id)
            audit.append(s, "exported", "case", case_id, {"assessment": assessment_id, **detail})

    def sign(self, assessment_id: int) -> AssessmentRecord:
        with self.vault.session() as s:
            row = self._assessment(s, assessment_id)
            if row.status != COMPLETED:
                raise ImmutableRecordError("assessment", row.id, f"{row.status}, not completed,")
            row.status = SIGNED
            row.signed_at = row.updated_at = now()
            self._sync_case(s, self._case(s, row.case_id))
            audit.append(s, "signed", "assessment", row.id, {})
            return _record(row)

    def new_version(self, assessment_id: int) -> AssessmentRecord:
        """Editing a completed or signed assessment: a new draft, the original untouched."""
        return self._copy(assessment_id, is_review=False)

    def start_review(self, case_id: int) -> AssessmentRecord:
        """A review: a new draft pre-filled from the case's latest assessment."""
        with self.vault.session() as s:
            self._case(s, case_id)
            latest = self._newest(s, case_id, (COMPLETED, SIGNED)) or self._newest(
                s, case_id, (DRAFT,)
            )
            if latest is None:
                raise RecordNotFoundError("assessment of case", case_id)
            latest_id = latest.id
        return self._copy(latest_id, is_review=True)

    def _copy(self, assessment_id: int, *, is_review: bool) -> AssessmentRecord:
        with self.vault.session() as s:
            source = self._assessment(s, assessment_id)
            answers = json.loads(source.answers)
            if is_review:
                answers["final_level"] = None
                answers["override_reason"] = None
                answers.pop("judgement_reason", None)
                answers.pop("review_date", None)
            stamp = now()
            row = AssessmentRow(
                case_id=source.case_id,
                version=source.version + 1,
                previous_id=source.id,
                is_review=int(is_review),
                toolkit_id=source.toolkit_id,
                toolkit_version=source.toolkit_version,
                definition_hash=source.definition_hash,
                status=DRAFT,
                answers=_dump(answers),
                page=0,
                created_at=stamp,
                updated_at=stamp,
            )
            s.add(row)
            s.flush()
            self._sync_case(s, self._case(s, row.case_id))
            action = "review started" if is_review else "new version"
            audit.append(s, "created", "assessment", row.id, {"from": source.id, "as": action})
            return _record(row)

    def verify_audit(self) -> audit.BrokenLink | None:
        with self.vault.session() as s:
            return audit.verify(s)

    # -- helpers ---------------------------------------------------------------------
    def _insert_assessment(
        self,
        s: Session,
        case: CaseRow,
        tk: Toolkit,
        answers: dict[str, Any],
        page: int,
        previous: int | None,
    ) -> AssessmentRow:
        stamp = now()
        row = AssessmentRow(
            case_id=case.id,
            version=1,
            previous_id=previous,
            toolkit_id=tk.id,
            toolkit_version=tk.version,
            definition_hash=tk.content_hash,
            status=DRAFT,
            answers=_dump(answers),
            page=page,
            created_at=stamp,
            updated_at=stamp,
        )
        s.add(row)
        s.flush()
        return row

    @staticmethod
    def _newest(s: Session, case_id: int, statuses: tuple[Status, ...]) -> AssessmentRow | None:
        return s.scalars(
            select(AssessmentRow)
            .where(AssessmentRow.case_id == case_id, AssessmentRow.status.in_(statuses))
            .order_by(AssessmentRow.id.desc())
            .limit(1)
        ).first()

    @classmethod
    def _sync_case(cls, s: Session, case: CaseRow) -> None:
        """Keep the case list's columns in step: name and status from the newest
        assessment, level and review date only from the newest completed or signed one
        (a draft's level is never shown or counted)."""
        newest = cls._newest(s, case.id, (DRAFT, COMPLETED, SIGNED))
        if newest is None:
            return
        answers = json.loads(newest.answers)
        child = answers.get("child", {}) if isinstance(answers, dict) else {}
        name = str(child.get("name") or "")
        case.child_name, case.name_key = name, name_key(name)
        case.date_of_birth = child.get("date_of_birth")
        case.toolkit = newest.toolkit_id
        if case.status != CLOSED:
            case.status = newest.status
        final = cls._newest(s, case.id, (COMPLETED, SIGNED))
        case.current_level = final.level if final else None
        from app.storage.meetings import review_due  # a meeting's next date counts too

        case.review_due = review_due(s, case.id, final)
        case.updated_at = now()

    @staticmethod
    def _case(s: Session, case_id: int) -> CaseRow:
        row = s.get(CaseRow, case_id)
        if row is None:
            raise RecordNotFoundError("case", case_id)
        return row

    @staticmethod
    def _assessment(s: Session, assessment_id: int) -> AssessmentRow:
        row = s.get(AssessmentRow, assessment_id)
        if row is None:
            raise RecordNotFoundError("assessment", assessment_id)
        return row

    @staticmethod
    def _mutable(row: AssessmentRow) -> None:
        if row.status != DRAFT:
            raise ImmutableRecordError("assessment", row.id, row.status)
