"""statistics: the exact cell counts the partner query service adds noise to (never served)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString
GUARDS = (
    ("statistics_exact_no_update", "UPDATE"),
    ("statistics_exact_no_delete", "DELETE"),
)


def upgrade() -> None:
    op.create_table(
        "statistics_exact",
        sa.Column("release_id", S(length=40), nullable=False),
        sa.Column("name", S(length=60), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["release_id"], ["statistics_release.id"]),
        sa.PrimaryKeyConstraint("release_id", "name"),
    )
    dialect = op.get_bind().dialect.name
    for name, event in GUARDS:
        if dialect == "sqlite":
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {event} ON statistics_exact FOR EACH ROW "
                "BEGIN SELECT RAISE(ABORT, 'statistics releases are immutable'); END"
            )
        elif dialect == "postgresql":
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'statistics releases are immutable'; END $$ LANGUAGE plpgsql"
            )
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {event} ON statistics_exact "
                f"FOR EACH ROW EXECUTE FUNCTION {name}()"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name, _event in GUARDS:
        if dialect == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON statistics_exact")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_table("statistics_exact")
