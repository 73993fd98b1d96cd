"""One transaction for a change and what records it: ``writing(engine, session)``.

A service method that changes rows takes an optional ``session``: given one, it writes into
the caller's transaction and leaves the commit to the caller (the audit trail's unit of work,
``AuditTrail.unit``, commits the change and its audit entries together); without one, it opens
its own session and commits it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Engine
from sqlmodel import Session


@contextmanager
def writing(engine: Engine, session: Session | None = None) -> Iterator[Session]:
    if session is not None:
        yield session
        session.flush()
        return
    with Session(engine) as own:
        yield own
        own.commit()


__all__ = ["writing"]
