"""Audit entries carry the state of the records they leave (`audit.state`: a JSON map of
record to content hash, covered by the entry's MAC); `record_states` indexes the newest
bound hash of each record so a commit can tell what changed without reading the trail.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit") as batch:
        batch.add_column(sa.Column("state", sa.Text, nullable=True))
    op.create_table(
        "record_states",
        sa.Column("key", sa.String, primary_key=True),
        sa.Column("hash", sa.String, nullable=False),
        sa.Column("audit_id", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("record_states")
    with op.batch_alter_table("audit") as batch:
        batch.drop_column("state")
