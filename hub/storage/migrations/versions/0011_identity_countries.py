"""identity attributes: the countries of a record's placements or lapor diri missions

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    columns = sa.inspect(op.get_bind()).get_columns("identity_attribute")
    if any(c["name"] == "countries" for c in columns):
        return  # already there (a database filled by the current linker before upgrading)
    with op.batch_alter_table("identity_attribute", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("countries", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("identity_attribute", schema=None) as batch_op:
        batch_op.drop_column("countries")
