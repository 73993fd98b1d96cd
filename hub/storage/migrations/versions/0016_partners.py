"""partners: accredited organisations, the consent ledger, and the cases and webhooks they
accompany

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString
T = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "partner_org",
        sa.Column("code", S(length=20), nullable=False),
        sa.Column("name", S(length=200), nullable=False),
        sa.Column("contact", S(length=200), nullable=False),
        sa.Column("status", S(length=20), nullable=False),
        sa.Column("created_at", T(), nullable=False),
        sa.Column("suspended_at", T(), nullable=True),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "consent_ledger",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("consent_id", S(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("worker_id", S(length=40), nullable=False),
        sa.Column("organisation", S(length=20), nullable=False),
        sa.Column("purpose", S(length=40), nullable=False),
        sa.Column("categories", S(length=200), nullable=False),
        sa.Column("include_next_of_kin", sa.Boolean(), nullable=False),
        sa.Column("case_id", S(length=40), nullable=True),
        sa.Column("valid_from", T(), nullable=False),
        sa.Column("valid_until", T(), nullable=False),
        sa.Column("status", S(length=20), nullable=False),
        sa.Column("channel", S(length=30), nullable=False),
        sa.Column("officer", S(length=120), nullable=True),
        sa.Column("mission", S(length=10), nullable=True),
        sa.Column("language", S(length=5), nullable=False),
        sa.Column("text_hash", S(length=80), nullable=False),
        sa.Column("changed_by", S(length=120), nullable=False),
        sa.Column("recorded_at", T(), nullable=False),
        sa.Column("artefact", sa.Text(), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.Column("key_id", S(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    with op.batch_alter_table("consent_ledger", schema=None) as batch_op:
        batch_op.create_index(
            "ix_consent_ledger_id_version", ["consent_id", "version"], unique=True
        )
        batch_op.create_index(
            "ix_consent_ledger_org_worker", ["organisation", "worker_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_consent_ledger_worker_id"), ["worker_id"], unique=False
        )
    with op.batch_alter_table("hub_case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("partner_org", S(length=20), nullable=True))
    with op.batch_alter_table("hub_webhook", schema=None) as batch_op:
        batch_op.add_column(sa.Column("partner_org", S(length=20), nullable=True))
        batch_op.create_index(batch_op.f("ix_hub_webhook_partner_org"), ["partner_org"])
    with op.batch_alter_table("hub_webhook_delivery", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consent_id", S(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("hub_webhook_delivery", schema=None) as batch_op:
        batch_op.drop_column("consent_id")
    with op.batch_alter_table("hub_webhook", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hub_webhook_partner_org"))
        batch_op.drop_column("partner_org")
    with op.batch_alter_table("hub_case", schema=None) as batch_op:
        batch_op.drop_column("partner_org")
    op.drop_table("consent_ledger")
    op.drop_table("partner_org")
