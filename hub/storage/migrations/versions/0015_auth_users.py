"""hub users: the demo-only user table becomes auth_user, with mission and TOTP columns

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.rename_table("auth_demo_user", "auth_user")
    with op.batch_alter_table("auth_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("mission", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True)
        )
        batch_op.add_column(sa.Column("totp_sealed", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("totp_pending_sealed", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
        batch_op.create_index("ix_auth_user_worker_id", ["worker_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("auth_user", schema=None) as batch_op:
        batch_op.drop_index("ix_auth_user_worker_id")
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_pending_sealed")
        batch_op.drop_column("totp_sealed")
        batch_op.drop_column("mission")
    op.rename_table("auth_user", "auth_demo_user")
