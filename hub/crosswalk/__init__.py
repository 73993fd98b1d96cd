"""The identity crosswalk: which records in which agency are the same person."""

from hub.crosswalk.keys import NIK, PASSPORT, Pseudonymizer
from hub.crosswalk.linker import Link, Linker, LinkOutcome, canonical_id, link_records
from hub.crosswalk.lookup import CrosswalkReader
from hub.crosswalk.tables import AgencyRecordRow, RecordKeyRow, SyncCursorRow, WorkerRow

__all__ = [
    "NIK",
    "PASSPORT",
    "AgencyRecordRow",
    "CrosswalkReader",
    "Link",
    "LinkOutcome",
    "Linker",
    "Pseudonymizer",
    "RecordKeyRow",
    "SyncCursorRow",
    "WorkerRow",
    "canonical_id",
    "link_records",
]
