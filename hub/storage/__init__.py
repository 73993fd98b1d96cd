"""The hub's own database: engine creation and migrations (SQLite by default, PostgreSQL)."""

from hub.storage.db import DEFAULT_DATABASE_URL, database_url, make_engine

__all__ = ["DEFAULT_DATABASE_URL", "database_url", "make_engine"]
