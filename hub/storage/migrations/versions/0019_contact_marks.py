"""contact marks: a crisis roll call's "reached" or "not reached", apart from cases

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString
T = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "contact_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", S(length=40), nullable=False),
        sa.Column("reached", sa.Boolean(), nullable=False),
        sa.Column("mission_code", S(length=10), nullable=True),
        sa.Column("marked_at", T(), nullable=False),
        sa.Column("marked_by", S(length=120), nullable=False),
        sa.Column("client_id", S(length=80), nullable=False),
        sa.Column("purpose", S(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contact_mark", schema=None) as batch_op:
        batch_op.create_index("ix_contact_mark_worker", ["worker_id", "id"])


def downgrade() -> None:
    op.drop_table("contact_mark")
