"""identity

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 11:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "identity_attribute",
        sa.Column("agency", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("local_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("given", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("father", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("sex", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("region", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True),
        sa.Column("has_nik", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("agency", "local_id"),
    )
    with op.batch_alter_table("identity_attribute", schema=None) as batch_op:
        batch_op.create_index(
            "ix_identity_attribute_block", ["birth_date", "has_nik"], unique=False
        )

    op.create_table(
        "match_candidate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("local_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("worker_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("ambiguous", sa.Boolean(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("decided_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("match_candidate", schema=None) as batch_op:
        batch_op.create_index("ix_match_candidate_status", ["status", "id"], unique=False)
        batch_op.create_index("ix_match_candidate_record", ["agency", "local_id"], unique=False)

    op.create_table(
        "identity_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("agency", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("local_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("worker_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=True),
        sa.Column("decided_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("decided_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("identity_decision", schema=None) as batch_op:
        batch_op.create_index("ix_identity_decision_record", ["agency", "local_id"], unique=False)
        batch_op.create_index("ix_identity_decision_worker", ["worker_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("identity_decision", schema=None) as batch_op:
        batch_op.drop_index("ix_identity_decision_worker")
        batch_op.drop_index("ix_identity_decision_record")
    op.drop_table("identity_decision")
    with op.batch_alter_table("match_candidate", schema=None) as batch_op:
        batch_op.drop_index("ix_match_candidate_record")
        batch_op.drop_index("ix_match_candidate_status")
    op.drop_table("match_candidate")
    with op.batch_alter_table("identity_attribute", schema=None) as batch_op:
        batch_op.drop_index("ix_identity_attribute_block")
    op.drop_table("identity_attribute")
