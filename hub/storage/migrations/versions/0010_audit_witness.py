"""audit witnesses: webhooks that receive every signed checkpoint

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_audit_witness",
        sa.Column("webhook_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("client_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["webhook_id"], ["hub_webhook.id"]),
        sa.PrimaryKeyConstraint("webhook_id"),
    )


def downgrade() -> None:
    op.drop_table("hub_audit_witness")
