"""Keyed audit chain: a random MAC key kept inside the vault, existing entries re-chained.

Revision ID: 0003
Revises: 0002

An intact SHA-256 chain is re-chained with HMAC-SHA256 under the new key. A chain that is
already broken is left as it is, so `vault check` keeps reporting where it broke.
"""

import os

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from app.storage import audit
    from app.storage.models import AuditRow

    op.create_table(
        "vault_meta",
        sa.Column("name", sa.String, primary_key=True),
        sa.Column("value", sa.LargeBinary, nullable=False),
    )
    key = os.urandom(32)
    bind = op.get_bind()
    bind.execute(
        sa.text("INSERT INTO vault_meta (name, value) VALUES ('audit_key', :v)"), {"v": key}
    )
    rows = bind.execute(
        sa.text(
            "SELECT id, at, action, entity, entity_id, detail, prev_hash, hash "
            "FROM audit ORDER BY id"
        )
    ).all()
    prev = audit.GENESIS
    for r in rows:
        row = AuditRow(
            at=r.at, action=r.action, entity=r.entity, entity_id=r.entity_id, detail=r.detail
        )
        if r.prev_hash != prev or r.hash != audit.legacy_digest(row, prev):
            return  # already broken: keep the evidence
        prev = r.hash
    prev = audit.GENESIS
    for r in rows:
        row = AuditRow(
            at=r.at, action=r.action, entity=r.entity, entity_id=r.entity_id, detail=r.detail
        )
        new = audit.mac(key, row, prev)
        bind.execute(
            sa.text("UPDATE audit SET prev_hash = :p, hash = :h WHERE id = :i"),
            {"p": prev, "h": new, "i": r.id},
        )
        prev = new


def downgrade() -> None:
    op.drop_table("vault_meta")
