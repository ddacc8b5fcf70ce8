"""Cases record multi-agency meetings and the facts a partnership counts (Appendix A);
statistics remember which completed assessments pass the rules.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("held_on", sa.String, nullable=False),
        sa.Column("chair", sa.Text, nullable=False, server_default=""),
        sa.Column("young_person_attended", sa.Integer, nullable=False, server_default="0"),
        sa.Column("parents_attended", sa.Integer, nullable=False, server_default="0"),
        sa.Column("views_conveyed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("level", sa.String),
        sa.Column("actions", sa.Text, nullable=False, server_default=""),
        sa.Column("next_meeting", sa.String),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
    )
    op.create_index("ix_meetings_case", "meetings", ["case_id", "held_on"])
    op.create_table(
        "case_facts",
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), primary_key=True),
        sa.Column("key_worker", sa.String),
        sa.Column("priority_areas", sa.Text, nullable=False, server_default="[]"),
        sa.Column("in_care_due_to_exploitation", sa.Integer, nullable=False, server_default="0"),
        sa.Column("from_another_la", sa.Integer, nullable=False, server_default="0"),
        sa.Column("updated_at", sa.String, nullable=False),
    )
    op.create_table(  # derived: whether a completed assessment passes the rules (statistics)
        "rule_checks",
        sa.Column("assessment_id", sa.Integer, sa.ForeignKey("assessments.id"), primary_key=True),
        sa.Column("definition_hash", sa.String, nullable=False),
        sa.Column("passes", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("rule_checks")
    op.drop_table("case_facts")
    op.drop_index("ix_meetings_case", "meetings")
    op.drop_table("meetings")
