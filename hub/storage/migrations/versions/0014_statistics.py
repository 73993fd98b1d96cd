"""statistics: releases (immutable, withdrawable), their tables, the privacy budget ledger

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString
T = sqlmodel.sql.sqltypes.UTCDateTime
IMMUTABLE = "statistics releases are immutable"

# (name, table, event, condition): a release may only go from PUBLISHED to WITHDRAWN, its
# tables never change, and the ledger only grows.
GUARDS = (
    ("statistics_table_no_update", "statistics_table", "UPDATE", None),
    ("statistics_table_no_delete", "statistics_table", "DELETE", None),
    ("statistics_release_no_delete", "statistics_release", "DELETE", None),
    (
        "statistics_release_only_withdraw",
        "statistics_release",
        "UPDATE",
        "OLD.status <> 'PUBLISHED' OR NEW.status <> 'WITHDRAWN' OR OLD.id <> NEW.id "
        "OR OLD.rules <> NEW.rules OR OLD.meta <> NEW.meta "
        "OR OLD.reference_date <> NEW.reference_date OR OLD.version <> NEW.version "
        "OR OLD.created_at <> NEW.created_at OR OLD.rules_version <> NEW.rules_version",
    ),
    ("statistics_ledger_no_update", "statistics_privacy_ledger", "UPDATE", None),
    ("statistics_ledger_no_delete", "statistics_privacy_ledger", "DELETE", None),
)


def upgrade() -> None:
    op.create_table(
        "statistics_release",
        sa.Column("id", S(length=40), nullable=False),
        sa.Column("reference_date", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", T(), nullable=False),
        sa.Column("rules_version", S(length=40), nullable=False),
        sa.Column("rules", sa.Text(), nullable=False),
        sa.Column("meta", sa.Text(), nullable=False),
        sa.Column("status", S(length=20), nullable=False),
        sa.Column("withdrawn_at", T(), nullable=True),
        sa.Column("withdrawn_reason", S(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("statistics_release", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_statistics_release_reference_date"), ["reference_date"]
        )
    op.create_table(
        "statistics_table",
        sa.Column("release_id", S(length=40), nullable=False),
        sa.Column("name", S(length=60), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["release_id"], ["statistics_release.id"]),
        sa.PrimaryKeyConstraint("release_id", "name"),
    )
    op.create_table(
        "statistics_privacy_ledger",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("client_id", S(length=80), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("rho", sa.Float(), nullable=False),
        sa.Column("release_id", S(length=40), nullable=False),
        sa.Column("query", S(length=200), nullable=False),
        sa.Column("at", T(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    with op.batch_alter_table("statistics_privacy_ledger", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statistics_privacy_ledger_client_id"), ["client_id"])
        batch_op.create_index(batch_op.f("ix_statistics_privacy_ledger_year"), ["year"])
    dialect = op.get_bind().dialect.name
    for name, table, event, condition in GUARDS:
        if dialect == "sqlite":
            when = f" WHEN {condition}" if condition else ""
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW{when} "
                f"BEGIN SELECT RAISE(ABORT, '{IMMUTABLE}'); END"
            )
        elif dialect == "postgresql":
            test = f"IF {condition} THEN " if condition else ""
            end = " END IF;" if condition else ""
            row = "NEW" if event == "UPDATE" else "OLD"
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN {test}"
                f"RAISE EXCEPTION '{IMMUTABLE}';{end} RETURN {row}; END $$ LANGUAGE plpgsql"
            )
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {event} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {name}()"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name, table, _event, _condition in GUARDS:
        if dialect == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_table("statistics_privacy_ledger")
    op.drop_table("statistics_table")
    op.drop_table("statistics_release")
