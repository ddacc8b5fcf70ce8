"""Retention: a closed case remembers when it was marked recorded on the council's system.

Revision ID: 0005_h28_retention
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_h28_retention"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("recorded_on", sa.String, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("recorded_on")
