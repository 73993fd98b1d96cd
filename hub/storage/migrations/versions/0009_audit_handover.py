"""audit hand-over: a checkpoint may name the next signing key

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 13:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_checkpoint", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("next_public_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_checkpoint", schema=None) as batch_op:
        batch_op.drop_column("next_public_key")
