"""A scriptable fake agency for the resilience tests, and records with provenance."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from connectors.kit.base import ChangesPage, Health, LookupKey
from schema.enums import (
    CaseKind,
    CaseStatus,
    LicenseStatus,
    PlacementScheme,
    PlacementStatus,
    Sector,
    Severity,
    Sex,
)
from schema.records import (
    CaseRecord,
    EmployerRecord,
    LicenseRecord,
    PassportRecord,
    PersonRecord,
    PlacementRecord,
    Provenance,
    RecordKind,
    RecordSet,
)

FETCHED = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)


def provenance(record_id: str, agency: str = "FAKE") -> Provenance:
    return Provenance(agency, "FAKESYS", record_id, FETCHED)


def record_set(local_id: str) -> RecordSet:
    """A person with a placement and a case: three provenances to mark stale."""
    person = PersonRecord(
        agency="FAKE",
        local_id=local_id,
        name="Test Person",
        provenance=provenance(local_id),
        birth_date=date(1990, 8, 5),
        sex=Sex.FEMALE,
        passports=(PassportRecord("C1234567", date(2024, 1, 10), date(2034, 1, 10)),),
    )
    placement = PlacementRecord(
        placement_id=f"PL-{local_id}",
        pmi_id=local_id,
        status=PlacementStatus.WORKING,
        scheme=PlacementScheme.PRIVATE_AGENCY,
        destination_country="HK",
        occupation="Domestic worker",
        sector=Sector.DOMESTIC,
        provenance=provenance(f"PL-{local_id}"),
        employer=EmployerRecord("Employer", "HK", "Kowloon"),
        contract_end=date(2026, 12, 31),
        orientation_completed=True,
    )
    case = CaseRecord(
        id=f"C-{local_id}",
        kind=CaseKind.WAGE_DISPUTE,
        status=CaseStatus.OPEN,
        severity=Severity.MEDIUM,
        opened_at=FETCHED,
        summary="Unpaid wages",
        provenance=provenance(f"C-{local_id}"),
        agencies=("FAKE",),
    )
    return RecordSet(person=person, placements=(placement,), cases=(case,))


def license_record(number: str) -> LicenseRecord:
    return LicenseRecord(number, "PT Test", LicenseStatus.ACTIVE, provenance(number))


@dataclass
class FakeConnector:
    """Answers from ``people``; ``failures`` are raised by the next calls, one per call, then
    ``error`` (if set) on every call; ``delay`` seconds before each answer."""

    people: dict[str, RecordSet] = field(default_factory=dict)
    failures: list[BaseException] = field(default_factory=list)
    error: BaseException | None = None
    delay: float = 0.0
    calls: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    active: int = 0
    max_active: int = 0
    closed: bool = False
    agency: str = "FAKE"
    system: str = "FAKESYS"
    lookup_keys: frozenset[LookupKey] = frozenset({LookupKey.LOCAL_ID, LookupKey.NIK})
    record_kinds: frozenset[RecordKind] = frozenset({RecordKind.PERSON, RecordKind.PLACEMENT})
    batch_size: int = 100

    @classmethod
    def with_people(cls, *ids: str, **kwargs: object) -> FakeConnector:
        return cls(people={i: record_set(i) for i in ids}, **kwargs)  # type: ignore[arg-type]

    def count(self, method: str) -> int:
        return sum(1 for m, _ in self.calls if m == method)

    async def _enter(self, method: str, keys: Sequence[str]) -> None:
        self.calls.append((method, tuple(keys)))
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            if self.failures:
                raise self.failures.pop(0)
            if self.error is not None:
                raise self.error
        finally:
            self.active -= 1

    async def fetch(self, local_ids: Sequence[str]) -> Mapping[str, RecordSet]:
        await self._enter("fetch", local_ids)
        return {i: self.people[i] for i in local_ids if i in self.people}

    async def find(self, key: LookupKey, values: Sequence[str]) -> Mapping[str, Sequence[str]]:
        await self._enter("find", values)
        return {v: [f"ID-{v}"] for v in values if v.startswith("known")}

    async def changes(self, cursor: str | None, limit: int = 500) -> ChangesPage:
        await self._enter("changes", [cursor or ""])
        people = tuple(s.person for s in self.people.values())
        return ChangesPage(records=people, cursor="end", has_more=False)

    async def health(self) -> Health:
        await self._enter("health", [])
        return Health(self.agency, ok=True, latency_ms=1.0)

    async def aclose(self) -> None:
        self.closed = True


@dataclass
class FakeRegistry(FakeConnector):
    """A fake that also answers licences."""

    async def licenses(self, numbers: Sequence[str]) -> Mapping[str, LicenseRecord]:
        await self._enter("licenses", numbers)
        return {n: license_record(n) for n in numbers if n.startswith("KEP")}


class Sleeps:
    """A recording ``sleep`` for the retry tests: no real waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        await asyncio.sleep(0)
