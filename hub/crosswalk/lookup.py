"""Read side of the crosswalk: worker ids to agency records, identifiers to worker ids."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import bindparam, tuple_
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, select

from hub.crosswalk.keys import Pseudonymizer
from hub.crosswalk.linker import Link
from hub.crosswalk.tables import AgencyRecordRow, RecordKeyRow, WorkerRow

MAX_MERGE_HOPS = 32
WORKER = WorkerRow.__table__  # type: ignore[attr-defined]
RECORD = AgencyRecordRow.__table__  # type: ignore[attr-defined]
# Core, not the ORM, and built once: every request's workers are read with these
MERGED_INTO = sa_select(WORKER.c.id, WORKER.c.merged_into).where(
    WORKER.c.id.in_(bindparam("ids", expanding=True))
)
LINKS = (
    sa_select(
        RECORD.c.worker_id, RECORD.c.agency, RECORD.c.local_id, RECORD.c.method, RECORD.c.confidence
    )
    .where(RECORD.c.worker_id.in_(bindparam("ids", expanding=True)))
    .order_by(RECORD.c.agency, RECORD.c.local_id)
)


class CrosswalkReader:
    def __init__(self, engine: Engine, pseudonymizer: Pseudonymizer) -> None:
        self.engine = engine
        self.pseudo = pseudonymizer

    def canonical(self, worker_ids: Sequence[str]) -> dict[str, str]:
        """Each known id mapped to the id that now holds its records; unknown ids absent."""
        with self.engine.connect() as connection:
            return _canonical(connection, worker_ids)

    def canonical_links(
        self, worker_ids: Sequence[str]
    ) -> tuple[dict[str, str], dict[str, list[Link]]]:
        """``canonical`` of the ids, and the agency records (links) of each canonical worker
        they name, by agency and local id: on one connection, a request's workers cost one
        checkout, not two."""
        with self.engine.connect() as connection:
            canonical = _canonical(connection, worker_ids)
            return canonical, _links(connection, list(set(canonical.values())))

    def find(self, kind: str, values: Sequence[str]) -> dict[str, str]:
        """Worker ids of the records holding each identifier value (kind: NIK, PASSPORT,
        ``AGENCY:KEY``); values no record holds are absent."""
        digests = {self.pseudo.digest(kind, value): value for value in values}
        if not digests:
            return {}
        with Session(self.engine) as s:
            rows = s.exec(
                select(RecordKeyRow.digest, AgencyRecordRow.worker_id)
                .join(
                    AgencyRecordRow,
                    tuple_(col(AgencyRecordRow.agency), col(AgencyRecordRow.local_id))
                    == tuple_(col(RecordKeyRow.agency), col(RecordKeyRow.local_id)),
                )
                .where(col(RecordKeyRow.kind) == kind, col(RecordKeyRow.digest).in_(digests))
            ).all()
        return {digests[digest]: worker for digest, worker in rows}


def _canonical(connection: Connection, worker_ids: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    pending = {wid: wid for wid in worker_ids}
    for _ in range(MAX_MERGE_HOPS):
        if not pending:
            break
        rows = connection.execute(MERGED_INTO, {"ids": list(set(pending.values()))})
        by_id = {row[0]: row[1] for row in rows}
        nxt: dict[str, str] = {}
        for original, current in pending.items():
            if current not in by_id:
                continue
            merged_into = by_id[current]
            if merged_into is None:
                out[original] = current
            else:
                nxt[original] = merged_into
        pending = nxt
    return out


def _links(connection: Connection, worker_ids: Sequence[str]) -> dict[str, list[Link]]:
    found: dict[str, list[Link]] = defaultdict(list)
    if not worker_ids:
        return found
    rows = connection.execute(LINKS, {"ids": list(set(worker_ids))})
    for worker_id, agency, local_id, method, confidence in rows:
        found[worker_id].append(Link(agency, local_id, method, confidence))
    return found
