"""census: the categories the coverage statistics count, kept with each verdict

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

S = sqlmodel.sql.sqltypes.AutoString
CODES = (
    ("stat_country", 40),
    ("stat_sector", 30),
    ("stat_sex", 10),
    ("stat_age_band", 10),
    ("stat_scheme", 30),
    ("stat_employer", 20),
    ("stat_province", 10),
    ("stat_departure_year", 10),
    ("stat_enrolled", 20),
    ("stat_placed_not_enrolled", 20),
    ("stat_cover_lapsed", 20),
    ("stat_departed_uncovered", 20),
    ("stat_not_in_siskop2mi", 20),
    ("stat_no_lapor_diri", 20),
    ("stat_jht", 10),
)
TEXTS = ("stat_claims", "stat_cases", "stat_sources")


def upgrade() -> None:
    with op.batch_alter_table("census_verdict", schema=None) as batch_op:
        for name, length in CODES:
            batch_op.add_column(sa.Column(name, S(length=length), nullable=True))
        for name in TEXTS:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("census_verdict", schema=None) as batch_op:
        for name in (*TEXTS, *reversed([n for n, _ in CODES])):
            batch_op.drop_column(name)
