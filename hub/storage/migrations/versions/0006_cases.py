"""cases

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 11:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString
T = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "hub_case",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("id", S(length=40), nullable=False),
        sa.Column("worker_id", S(length=40), nullable=False),
        sa.Column("kind", S(length=20), nullable=False),
        sa.Column("status", S(length=20), nullable=False),
        sa.Column("severity", S(length=20), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("mission_code", S(length=10), nullable=True),
        sa.Column("agencies", S(length=200), nullable=False),
        sa.Column("opened_at", T(), nullable=False),
        sa.Column("updated_at", T(), nullable=False),
        sa.Column("opened_by_client", S(length=80), nullable=False),
        sa.Column("opened_by_agency", S(length=40), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    with op.batch_alter_table("hub_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hub_case_id"), ["id"], unique=True)
        batch_op.create_index(batch_op.f("ix_hub_case_worker_id"), ["worker_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_hub_case_mission_code"), ["mission_code"], unique=False
        )

    op.create_table(
        "hub_case_event",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("id", S(length=40), nullable=False),
        sa.Column("case_seq", sa.Integer(), nullable=False),
        sa.Column("event", S(length=30), nullable=False),
        sa.Column("at", T(), nullable=False),
        sa.Column("status", S(length=20), nullable=False),
        sa.Column("previous_status", S(length=20), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("client_id", S(length=80), nullable=False),
        sa.Column("subject", S(length=120), nullable=False),
        sa.Column("agency", S(length=40), nullable=True),
        sa.ForeignKeyConstraint(["case_seq"], ["hub_case.seq"]),
        sa.PrimaryKeyConstraint("seq"),
    )
    with op.batch_alter_table("hub_case_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hub_case_event_id"), ["id"], unique=True)
        batch_op.create_index("ix_hub_case_event_case_seq", ["case_seq", "seq"], unique=False)

    op.create_table(
        "hub_webhook",
        sa.Column("id", S(length=40), nullable=False),
        sa.Column("url", S(length=500), nullable=False),
        sa.Column("mission_code", S(length=10), nullable=True),
        sa.Column("secret", S(length=100), nullable=False),
        sa.Column("client_id", S(length=80), nullable=False),
        sa.Column("subject", S(length=120), nullable=False),
        sa.Column("agency", S(length=40), nullable=True),
        sa.Column("purpose", S(length=40), nullable=True),
        sa.Column("created_at", T(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )

    op.create_table(
        "hub_webhook_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("webhook_id", S(length=40), nullable=False),
        sa.Column("event_id", S(length=40), nullable=False),
        sa.Column("worker_id", S(length=40), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", T(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", T(), nullable=False),
        sa.Column("delivered_at", T(), nullable=True),
        sa.Column("failed_at", T(), nullable=True),
        sa.Column("last_error", S(length=200), nullable=True),
        sa.ForeignKeyConstraint(["webhook_id"], ["hub_webhook.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("hub_webhook_delivery", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hub_webhook_delivery_due", ["delivered_at", "next_attempt_at"], unique=False
        )
        batch_op.create_index(
            "ix_hub_webhook_delivery_webhook", ["webhook_id", "event_id"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("hub_webhook_delivery", schema=None) as batch_op:
        batch_op.drop_index("ix_hub_webhook_delivery_webhook")
        batch_op.drop_index("ix_hub_webhook_delivery_due")
    op.drop_table("hub_webhook_delivery")
    op.drop_table("hub_webhook")
    with op.batch_alter_table("hub_case_event", schema=None) as batch_op:
        batch_op.drop_index("ix_hub_case_event_case_seq")
        batch_op.drop_index(batch_op.f("ix_hub_case_event_id"))
    op.drop_table("hub_case_event")
    with op.batch_alter_table("hub_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hub_case_mission_code"))
        batch_op.drop_index(batch_op.f("ix_hub_case_worker_id"))
        batch_op.drop_index(batch_op.f("ix_hub_case_id"))
    op.drop_table("hub_case")
