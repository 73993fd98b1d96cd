"""``pmihub crosswalk export``: every linked agency record as CSV, for measuring linkage.

One line per agency record: the canonical worker id, the agency, the record's local id (the
key SCENARIO.md names: AK/1 number, ID PMI, KPJ, embassy record id), how it was linked and
with what confidence. Compared with a scenario's ground truth this gives pairwise precision
and recall (bench/linkage.py). No personal data leaves: ids and methods only.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.engine import Engine

from hub.crosswalk.keys import Pseudonymizer
from hub.crosswalk.lookup import CrosswalkReader
from hub.crosswalk.tables import AgencyRecordRow

HEADER = ("worker_id", "agency", "local_id", "method", "confidence")
BATCH = 5000


def linked_records(engine: Engine) -> Iterator[tuple[str, str, str, str, float]]:
    """(canonical worker id, agency, local id, method, confidence), ordered by record."""
    record = AgencyRecordRow.__table__  # type: ignore[attr-defined]
    reader = CrosswalkReader(engine, Pseudonymizer(b""))  # canonical ids need no key
    with engine.connect() as connection:
        result = connection.execution_options(stream_results=True).execute(
            select(
                record.c.worker_id,
                record.c.agency,
                record.c.local_id,
                record.c.method,
                record.c.confidence,
            ).order_by(record.c.agency, record.c.local_id)
        )
        while batch := result.fetchmany(BATCH):
            canonical = reader.canonical(sorted({row[0] for row in batch}))
            for worker, agency, local_id, method, confidence in batch:
                yield canonical.get(worker, worker), agency, local_id, method, confidence


def write_csv(engine: Engine, out: TextIO) -> int:
    """Write the export to ``out``; return the number of records written."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    count = 0
    for worker, agency, local_id, method, confidence in linked_records(engine):
        writer.writerow((worker, agency, local_id, method, f"{confidence:.6g}"))
        count += 1
    return count
