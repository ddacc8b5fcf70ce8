"""Cases record models of abuse and closure (what partnerships count every year).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("models_of_abuse", sa.Text, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("closed_on", sa.String))
        batch.add_column(sa.Column("closure_reason", sa.String))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("closure_reason")
        batch.drop_column("closed_on")
        batch.drop_column("models_of_abuse")
