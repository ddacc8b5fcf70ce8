"""The vault's tables (SQLAlchemy 2 typed mappings). The schema itself is Alembic's.

Answers are stored as JSON text in the case-file shape; a case row keeps denormalised
display columns (name, toolkit, level, status, review date) so that the case list and
search stay fast at 20,000 assessments without decoding JSON.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class CaseRow(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_name: Mapped[str] = mapped_column(String, default="")
    name_key: Mapped[str] = mapped_column(String, default="", index=True)
    date_of_birth: Mapped[str | None] = mapped_column(String, nullable=True)
    toolkit: Mapped[str] = mapped_column(String)
    current_level: Mapped[str | None] = mapped_column(String, nullable=True, index=True)
    status: Mapped[str] = mapped_column(String, default="draft", index=True)
    review_due: Mapped[str | None] = mapped_column(String, nullable=True, index=True)
    created_at: Mapped[str] = mapped_column(String)
    updated_at: Mapped[str] = mapped_column(String)
    models_of_abuse: Mapped[str] = mapped_column(Text, default="[]")
    closed_on: Mapped[str | None] = mapped_column(String, nullable=True)
    closure_reason: Mapped[str | None] = mapped_column(String, nullable=True)
    recorded_on: Mapped[str | None] = mapped_column(String, nullable=True)  # council's system


class AssessmentRow(Base):
    __tablename__ = "assessments"
    __table_args__ = (Index("ix_assessments_case", "case_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"), nullable=True)
    is_review: Mapped[int] = mapped_column(Integer, default=0)
    toolkit_id: Mapped[str] = mapped_column(String)
    toolkit_version: Mapped[str] = mapped_column(String)
    definition_hash: Mapped[str] = mapped_column(String)
    status: Mapped[str] = mapped_column(String, default="draft")
    answers: Mapped[str] = mapped_column(Text)
    page: Mapped[int] = mapped_column(Integer, default=0)
    level: Mapped[str | None] = mapped_column(String, nullable=True)
    review_due: Mapped[str | None] = mapped_column(String, nullable=True)
    created_at: Mapped[str] = mapped_column(String)
    updated_at: Mapped[str] = mapped_column(String)
    completed_at: Mapped[str | None] = mapped_column(String, nullable=True)
    signed_at: Mapped[str | None] = mapped_column(String, nullable=True)


class DocumentRow(Base):
    """Information reports (one per victim), disruption letters and plans of a case."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String)
    status: Mapped[str] = mapped_column(String, default="draft")
    data: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String)
    updated_at: Mapped[str] = mapped_column(String)


class SettingRow(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CertificateRow(Base):
    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String)
    pkcs12: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[str] = mapped_column(String)


class AuditRow(Base):
    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[str] = mapped_column(String)
    action: Mapped[str] = mapped_column(String)
    entity: Mapped[str] = mapped_column(String)
    entity_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String)
    hash: Mapped[str] = mapped_column(String)
    state: Mapped[str | None] = mapped_column(Text, nullable=True, default=None)


class RecordStateRow(Base):
    """Index of each record's newest audited content hash (the audit entries are the
    record of truth; this only saves reading the trail on every commit)."""

    __tablename__ = "record_states"

    key: Mapped[str] = mapped_column(String, primary_key=True)
    hash: Mapped[str] = mapped_column(String)
    audit_id: Mapped[int] = mapped_column(Integer)
