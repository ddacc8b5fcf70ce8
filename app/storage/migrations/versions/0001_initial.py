"""Initial vault schema: cases, assessments, documents, settings, certificates, audit.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("child_name", sa.String, nullable=False, server_default=""),
        sa.Column("name_key", sa.String, nullable=False, server_default=""),
        sa.Column("date_of_birth", sa.String),
        sa.Column("toolkit", sa.String, nullable=False),
        sa.Column("current_level", sa.String),
        sa.Column("status", sa.String, nullable=False, server_default="draft"),
        sa.Column("review_due", sa.String),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
    )
    op.create_index("ix_cases_name_key", "cases", ["name_key"])
    op.create_index("ix_cases_current_level", "cases", ["current_level"])
    op.create_index("ix_cases_status", "cases", ["status"])
    op.create_index("ix_cases_review_due", "cases", ["review_due"])
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("previous_id", sa.Integer, sa.ForeignKey("assessments.id")),
        sa.Column("is_review", sa.Integer, nullable=False, server_default="0"),
        sa.Column("toolkit_id", sa.String, nullable=False),
        sa.Column("toolkit_version", sa.String, nullable=False),
        sa.Column("definition_hash", sa.String, nullable=False),
        sa.Column("status", sa.String, nullable=False, server_default="draft"),
        sa.Column("answers", sa.Text, nullable=False),
        sa.Column("page", sa.Integer, nullable=False, server_default="0"),
        sa.Column("level", sa.String),
        sa.Column("review_due", sa.String),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
        sa.Column("completed_at", sa.String),
        sa.Column("signed_at", sa.String),
    )
    op.create_index("ix_assessments_case", "assessments", ["case_id", "version"])
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("assessment_id", sa.Integer, sa.ForeignKey("assessments.id")),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("status", sa.String, nullable=False, server_default="draft"),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
    )
    op.create_index("ix_documents_case_id", "documents", ["case_id"])
    op.create_table(
        "settings",
        sa.Column("key", sa.String, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "certificates",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("label", sa.String, nullable=False),
        sa.Column("pkcs12", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.String, nullable=False),
        sa.Column("action", sa.String, nullable=False),
        sa.Column("entity", sa.String, nullable=False),
        sa.Column("entity_id", sa.Integer),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String, nullable=False),
        sa.Column("hash", sa.String, nullable=False),
    )


def downgrade() -> None:
    for table in ("audit", "certificates", "settings", "documents", "assessments", "cases"):
        op.drop_table(table)
