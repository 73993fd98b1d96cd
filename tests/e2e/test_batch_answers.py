"""A batch answers exactly what single lookups answer: ``workers(ids: [a, b, ...])`` is, byte
for byte, ``worker(id: a)``, ``worker(id: b)``, ... joined, and records the same audit entries.

The batch path has machinery of its own (records prefetched for the whole batch, sections run
eagerly, plain data completed in one compiled pass, policy checks shared across workers); a
single lookup goes through little of it. Over a generated population (passports expired, cover
lapsed, returnees, workers known to one agency only) and agency batches smaller than the
request, both must answer alike, for a token that reads everything and for one whose verdict is
redacted (it reads no social security, consular or case section).

Only the times differ between two requests (the cache is off here, so every record is fetched
again): ``fetchedAt`` and ``evaluatedAt`` are blanked before comparing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session, col

from hub.audit.tables import AuditEntryRow
from hub.crosswalk import AgencyRecordRow
from hub.storage import make_engine
from schema.graphql.documents import WORKER_FIELDS
from schema.population.generator import build_scenario
from schema.scenario import validate_scenario
from tests.e2e.stack import AGENCIES, Stack, running_stack

pytestmark = pytest.mark.e2e
PEOPLE = 90
TIMES = re.compile(rb'"(fetchedAt|evaluatedAt)":"[^"]*"')
REDACTED = "worker.identity:read worker.nik:read placement:read protection:read emergency"
REDACTED_FIELDS = """
  id
  identity { nik fullName birthDate sex passports { number expiresOn } links { agency localId } }
  placements { placementId status destinationCountry contractEnd contractEndorsed
               agency { name licenseNumber licenseStatus } provenance { agency recordId } }
  protection { level phase complete findings { code severity message action
               messageEn: message(lang: EN) evidence { agency system recordId } } }
  sources { agency state message }
"""


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    population = validate_scenario(build_scenario(people=PEOPLE, seed=16, as_of=date(2026, 11, 24)))
    # batches smaller than the request: a batch of workers spans several agency calls
    env = {f"HUB_AGENCY_{a.upper()}_BATCH_SIZE": "7" for a in AGENCIES}
    with running_stack(population, Path(tmp_path_factory.mktemp("batch")), env) as running:
        yield running


def worker_ids(stack: Stack) -> list[str]:
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    try:
        with Session(engine) as session:
            rows = session.exec(
                select(AgencyRecordRow.worker_id, func.count(func.distinct(AgencyRecordRow.agency)))
                .group_by(col(AgencyRecordRow.worker_id))
                .order_by(col(AgencyRecordRow.worker_id))
            ).all()
    finally:
        engine.dispose()
    return [worker for worker, _ in rows]


def audit_after(stack: Stack, seq: int) -> list[AuditEntryRow]:
    engine = make_engine(stack.environ["HUB_DATABASE_URL"])
    try:
        with Session(engine) as session:
            return list(
                session.exec(select(AuditEntryRow).where(col(AuditEntryRow.seq) > seq)).scalars()
            )
    finally:
        engine.dispose()


def last_seq(stack: Stack) -> int:
    rows = audit_after(stack, -1)
    return max((r.seq for r in rows), default=0)


def read(row: AuditEntryRow) -> tuple[object, ...]:
    """What an audit entry says about the read (not when, nor in which request)."""
    return (row.client_id, row.subject, row.purpose, row.worker_id, row.categories, row.outcome)


def untimed(body: bytes) -> bytes:
    return TIMES.sub(rb'"\1":""', body)


def unwrap(body: bytes, prefix: bytes) -> bytes:
    assert body.startswith(prefix) and body.endswith(b"}}"), body[:200]
    return body[len(prefix) : -2]


@pytest.mark.parametrize(("fields", "scope"), [(WORKER_FIELDS, None), (REDACTED_FIELDS, REDACTED)])
def test_a_batch_answers_byte_for_byte_what_single_lookups_answer(
    stack: Stack, fields: str, scope: str | None
) -> None:
    # given every worker the hub knows, some known to one agency only, in a mixed order
    ids = worker_ids(stack)
    assert len(ids) >= PEOPLE * 0.9
    ids = ids[1::2] + ids[::2]
    before = last_seq(stack)
    # when they are asked for in one batch, then one by one
    batch = stack.graphql(
        f"query($ids: [ID!]!) {{ workers(ids: $ids) {{ {fields} }} }}",
        {"ids": ids},
        scope=scope,
        timeout=600,
    )
    assert batch.status_code == 200, batch.text[:500]
    between = last_seq(stack)
    singles = [
        stack.graphql(
            f"query($id: ID!) {{ worker(id: $id) {{ {fields} }} }}",
            {"id": worker},
            scope=scope,
            timeout=600,
        )
        for worker in ids
    ]
    # then the batch is the single answers joined, byte for byte (times aside)
    joined = b",".join(unwrap(untimed(s.content), b'{"data":{"worker":') for s in singles)
    assert untimed(batch.content) == b'{"data":{"workers":[' + joined + b"]}}"
    assert b'"findings":[{' in joined  # the comparison covers verdicts with findings
    # and the audit trail records the same reads
    batch_reads = Counter(read(r) for r in audit_after(stack, before) if r.seq <= between)
    single_reads = Counter(read(r) for r in audit_after(stack, between))
    assert batch_reads == single_reads
    assert {r[3] for r in batch_reads} == set(ids)
