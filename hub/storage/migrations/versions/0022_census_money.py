"""census: each worker's contributions and benefits paid, summed per year (the claims ratio)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04 18:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("census_verdict", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stat_money", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("census_verdict", schema=None) as batch_op:
        batch_op.drop_column("stat_money")
