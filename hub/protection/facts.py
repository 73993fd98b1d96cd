"""What the hub assembled about one worker from the agencies: the engine's only input."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from schema.enums import Agency, SourceState
from schema.records import (
    CaseRecord,
    ConsularReportRecord,
    EndorsementRecord,
    LicenseRecord,
    MembershipRecord,
    PersonRecord,
    PlacementRecord,
    RecordSet,
)

KEMNAKER = Agency.KEMNAKER.value
P2MI = Agency.P2MI.value
BPJS = Agency.BPJS_KETENAGAKERJAAN.value
EMBASSY = Agency.EMBASSY.value

# States whose data the rules can rely on: NOT_FOUND means the agency answered that it holds
# no record of this worker, which is information (not enrolled, not placed), not a failure.
READABLE = frozenset({SourceState.OK, SourceState.STALE, SourceState.NOT_FOUND})


@dataclass(frozen=True, slots=True)
class WorkerFacts:
    """One worker's records from every agency, and how each agency answered.

    ``sources`` maps an agency code (``KEMNAKER``, ``P2MI``, ``BPJS_KETENAGAKERJAAN``,
    ``EMBASSY``) to its state. An agency missing from it counts as not read, like UNAVAILABLE.
    ``KEMNAKER`` covers both the SIAPkerja record and the licence registry: report it
    UNAVAILABLE (or DENIED) when either could not be read. ``licenses`` maps licence numbers
    to Kemnaker's record of them; a number absent while Kemnaker answered is unknown to the
    registry.
    """

    persons: tuple[PersonRecord, ...] = ()
    placements: tuple[PlacementRecord, ...] = ()
    licenses: Mapping[str, LicenseRecord] = field(default_factory=dict)
    memberships: tuple[MembershipRecord, ...] = ()
    reports: tuple[ConsularReportRecord, ...] = ()
    endorsements: tuple[EndorsementRecord, ...] = ()
    cases: tuple[CaseRecord, ...] = ()
    sources: Mapping[str, SourceState] = field(default_factory=dict)

    @classmethod
    def assemble(
        cls,
        record_sets: Iterable[RecordSet],
        licenses: Mapping[str, LicenseRecord],
        sources: Mapping[str, SourceState],
        hub_cases: Iterable[CaseRecord] = (),
    ) -> WorkerFacts:
        """Flatten what the connectors returned (one RecordSet per linked agency record),
        with the cases opened through the hub beside the missions' own."""
        sets = tuple(record_sets)
        return cls(
            persons=tuple(s.person for s in sets),
            placements=tuple(p for s in sets for p in s.placements),
            licenses=dict(licenses),
            memberships=tuple(m for s in sets for m in s.memberships),
            reports=tuple(r for s in sets for r in s.reports),
            endorsements=tuple(e for s in sets for e in s.endorsements),
            cases=(*(c for s in sets for c in s.cases), *hub_cases),
            sources=dict(sources),
        )

    def readable(self) -> frozenset[str]:
        """Agencies whose answer the rules can rely on."""
        return frozenset(code for code, state in self.sources.items() if state in READABLE)
