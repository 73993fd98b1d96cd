"""census: one verdict record per worker, the workers waiting for one, protection alerts

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString
T = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "census_verdict",
        sa.Column("worker_id", S(length=40), nullable=False),
        sa.Column("level", S(length=20), nullable=False),
        sa.Column("level_rank", sa.Integer(), nullable=False),
        sa.Column("phase", S(length=20), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("grave", sa.Text(), nullable=False),
        sa.Column("rules_version", S(length=40), nullable=False),
        sa.Column("evaluated_at", T(), nullable=False),
        sa.Column("evaluated_on", sa.Date(), nullable=False),
        sa.Column("country", S(length=2), nullable=True),
        sa.Column("mission_code", S(length=10), nullable=True),
        sa.Column("city", S(length=80), nullable=True),
        sa.Column("region", S(length=80), nullable=True),
        sa.Column("last_contact_on", sa.Date(), nullable=True),
        sa.Column("licence", S(length=60), nullable=True),
        sa.Column("licence_status", S(length=20), nullable=True),
        sa.Column("abroad", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("worker_id"),
    )
    with op.batch_alter_table("census_verdict", schema=None) as batch_op:
        batch_op.create_index("ix_census_verdict_urgency", ["level_rank", "last_contact_on"])
        batch_op.create_index("ix_census_verdict_mission", ["mission_code", "level_rank"])
        batch_op.create_index("ix_census_verdict_country", ["country", "level_rank"])
        batch_op.create_index("ix_census_verdict_licence", ["licence", "abroad"])
        batch_op.create_index("ix_census_verdict_city", ["city"])
        batch_op.create_index("ix_census_verdict_region", ["region"])
        batch_op.create_index("ix_census_verdict_day", ["evaluated_on"])

    op.create_table(
        "census_pending",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", S(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("census_pending", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_census_pending_worker_id"), ["worker_id"])

    op.create_table(
        "protection_alert",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("id", S(length=40), nullable=False),
        sa.Column("change_key", S(length=64), nullable=False),
        sa.Column("worker_id", S(length=40), nullable=False),
        sa.Column("mission_code", S(length=10), nullable=True),
        sa.Column("previous_level", S(length=20), nullable=True),
        sa.Column("level", S(length=20), nullable=False),
        sa.Column("new_findings", sa.Text(), nullable=False),
        sa.Column("cause", S(length=20), nullable=False),
        sa.Column("raised_at", T(), nullable=False),
        sa.Column("acknowledged_at", T(), nullable=True),
        sa.Column("acknowledged_by", S(length=120), nullable=True),
        sa.Column("acknowledged_client", S(length=80), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("change_key"),
    )
    with op.batch_alter_table("protection_alert", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_protection_alert_id"), ["id"], unique=True)
        batch_op.create_index(batch_op.f("ix_protection_alert_worker_id"), ["worker_id"])
        batch_op.create_index("ix_protection_alert_mission", ["mission_code", "seq"])


def downgrade() -> None:
    op.drop_table("protection_alert")
    op.drop_table("census_pending")
    op.drop_table("census_verdict")
