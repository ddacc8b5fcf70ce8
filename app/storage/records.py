"""The repository's records beside the assessments: case details and closure, a case's
documents (information reports, letters, plans), settings and certificates.

A base class of `Repository`, kept apart so that neither file grows past a screenful of
concerns; every change is still one transaction with its audit entries.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.storage import audit
from app.storage.clock import now
from app.storage.models import CaseRow, CertificateRow, DocumentRow, SettingRow
from app.storage.status import CLOSED, Status

if TYPE_CHECKING:
    from app.storage.vault import Vault


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


class CaseRecords:
    vault: Vault

    @staticmethod
    def _case(s: Session, case_id: int) -> CaseRow:
        raise NotImplementedError

    @classmethod
    def _sync_case(cls, s: Session, case: CaseRow) -> None:
        raise NotImplementedError

    def case_details(self, case_id: int) -> dict[str, Any]:
        with self.vault.session() as s:
            case = self._case(s, case_id)
            return {
                "models_of_abuse": json.loads(case.models_of_abuse or "[]"),
                "closed_on": case.closed_on,
                "closure_reason": case.closure_reason,
            }

    def set_case_details(
        self,
        case_id: int,
        *,
        models_of_abuse: list[str] | None = None,
        closed_on: str | None = None,
        closure_reason: str | None = None,
    ) -> None:
        with self.vault.session() as s:
            case = self._case(s, case_id)
            if models_of_abuse is not None:
                case.models_of_abuse = json.dumps(models_of_abuse)
            case.closed_on, case.closure_reason = closed_on, closure_reason
            if closed_on:
                case.status = CLOSED
            elif case.status == CLOSED:  # re-opening: back to its newest assessment's status
                case.status = Status.DRAFT
                self._sync_case(s, case)
            detail = {
                "models_of_abuse": models_of_abuse,
                "closed_on": closed_on,
                "closure_reason": closure_reason,
            }
            audit.append(s, "edited", "case", case.id, detail)

    def record_event(
        self, action: str, entity: str, entity_id: int | None, detail: dict[str, Any]
    ) -> None:
        """An audited event that changes no record (a countersignature made, a handover
        refused): the casework layer decides what it is, the audit keeps it."""
        with self.vault.session() as s:
            audit.append(s, action, entity, entity_id, detail)

    # -- documents, settings, certificates -----------------------------------------------
    def add_document(self, case_id: int, kind: str, data: dict[str, Any]) -> int:
        stamp = now()
        with self.vault.session() as s:
            self._case(s, case_id)
            row = DocumentRow(
                case_id=case_id, kind=kind, data=_dump(data), created_at=stamp, updated_at=stamp
            )
            s.add(row)
            s.flush()
            audit.append(s, "created", kind, row.id, {"case": case_id})
            return row.id

    def save_document(self, case_id: int, kind: str, data: dict[str, Any]) -> int:
        """Create or replace the case's one document of this kind (e.g. its plans)."""
        with self.vault.session() as s:
            self._case(s, case_id)
            query = select(DocumentRow).where(
                DocumentRow.case_id == case_id, DocumentRow.kind == kind
            )
            row = s.scalars(query).first()
            if row is None:
                stamp = now()
                row = DocumentRow(
                    case_id=case_id, kind=kind, data="{}", created_at=stamp, updated_at=stamp
                )
                s.add(row)
                s.flush()
                audit.append(s, "created", kind, row.id, {"case": case_id})
            for change in audit.diff(json.loads(row.data), data):
                audit.append(s, "edited", kind, row.id, change)
            row.data, row.updated_at = _dump(data), now()
            return row.id

    def documents(
        self, case_id: int, kind: str | None = None
    ) -> list[tuple[int, str, dict[str, Any]]]:
        with self.vault.session() as s:
            query = select(DocumentRow).where(DocumentRow.case_id == case_id)
            if kind:
                query = query.where(DocumentRow.kind == kind)
            return [
                (r.id, r.kind, json.loads(r.data))
                for r in s.scalars(query.order_by(DocumentRow.id))
            ]

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self.vault.session() as s:
            row = s.get(SettingRow, key)
            return json.loads(row.value) if row else default

    def set_setting(self, key: str, value: Any) -> None:
        with self.vault.session() as s:
            row = s.get(SettingRow, key)
            text = json.dumps(value, ensure_ascii=False)
            if row is None:
                s.add(SettingRow(key=key, value=text))
            else:
                row.value = text
            audit.append(s, "edited", "setting", None, {"field": key})

    def store_certificate(self, label: str, pkcs12: bytes) -> int:
        with self.vault.session() as s:
            row = CertificateRow(label=label, pkcs12=pkcs12, created_at=now())
            s.add(row)
            s.flush()
            audit.append(s, "created", "certificate", row.id, {"label": label})
            return row.id
