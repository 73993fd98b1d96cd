"""search

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 11:00:00

The search index (hub/search/tables.py). The vocabulary's trigram index is dialect-specific:
SQLite gets an FTS5 table with the trigram tokenizer, kept in step with ``search_vocab`` by
triggers; PostgreSQL gets pg_trgm and a GIN index.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_record",
        sa.Column("agency", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("local_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("given", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("father", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("countries", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.PrimaryKeyConstraint("agency", "local_id"),
    )
    with op.batch_alter_table("search_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_search_record_birth_date"), ["birth_date"], unique=False
        )
    op.create_table(
        "search_term",
        sa.Column("term", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("agency", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("local_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.PrimaryKeyConstraint("term", "size", "agency", "local_id"),
    )
    with op.batch_alter_table("search_term", schema=None) as batch_op:
        batch_op.create_index("ix_search_term_record", ["agency", "local_id"], unique=False)
    op.create_table(
        "search_vocab",
        sa.Column("word", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.PrimaryKeyConstraint("word"),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_vocab_fts USING fts5("
            "word, content='search_vocab', content_rowid='rowid', tokenize='trigram')"
        )
        op.execute(
            "CREATE TRIGGER search_vocab_ai AFTER INSERT ON search_vocab BEGIN "
            "INSERT INTO search_vocab_fts(rowid, word) VALUES (new.rowid, new.word); END"
        )
        op.execute(
            "CREATE TRIGGER search_vocab_ad AFTER DELETE ON search_vocab BEGIN "
            "INSERT INTO search_vocab_fts(search_vocab_fts, rowid, word) "
            "VALUES ('delete', old.rowid, old.word); END"
        )
    elif dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX ix_search_vocab_trgm ON search_vocab USING gin (word gin_trgm_ops)"
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS search_vocab_ad")
        op.execute("DROP TRIGGER IF EXISTS search_vocab_ai")
        op.execute("DROP TABLE IF EXISTS search_vocab_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_search_vocab_trgm")
    op.drop_table("search_vocab")
    with op.batch_alter_table("search_term", schema=None) as batch_op:
        batch_op.drop_index("ix_search_term_record")
    op.drop_table("search_term")
    with op.batch_alter_table("search_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_record_birth_date"))
    op.drop_table("search_record")
