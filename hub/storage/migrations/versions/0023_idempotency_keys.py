"""idempotency keys: a retried mutation finds its first attempt (keyed digests, no answer kept)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString
T = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "idempotency_key",
        sa.Column("key", S(length=64), nullable=False),
        sa.Column("request", S(length=64), nullable=False),
        sa.Column("operation", S(length=40), nullable=False),
        sa.Column("result_id", S(length=80), nullable=False),
        sa.Column("created_at", T(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("idempotency_key", schema=None) as batch_op:
        batch_op.create_index("ix_idempotency_key_created", ["created_at"])


def downgrade() -> None:
    op.drop_table("idempotency_key")
