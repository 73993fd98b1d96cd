"""audit: the workers a bulk entry (a cohort) listed, as keyed digests, and its commitment

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04 18:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("members", S(length=64), nullable=True))
    op.create_table(
        "audit_member",
        sa.Column("member", S(length=32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("member", "seq"),
    )


def downgrade() -> None:
    op.drop_table("audit_member")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_column("members")
