"""The scenario as a sandbox serves it: people by key, and a change sequence for the feed.

Every sandbox holds one ``SandboxData``. People can be added or replaced at run time
(``POST /_sandbox/people``), which moves them to the end of the change sequence so that the
hub's incremental sync sees them again.
"""

from __future__ import annotations

import base64
import binascii
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from schema.scenario.models import Mission, Person, PlacementAgency, Scenario


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"seq:{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """The sequence number in a cursor; 0 for none; None when the cursor is not ours."""
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    prefix, _, number = raw.partition(":")
    if prefix != "seq" or not (number.isascii() and number.isdigit() and len(number) <= 18):
        return None
    return int(number)


@dataclass
class SandboxData:
    scenario: Scenario
    _people: dict[str, Person] = field(default_factory=dict)
    _seq: dict[str, int] = field(default_factory=dict)
    _order: list[str] = field(default_factory=list)  # person keys by seq (stale entries skipped)
    _next: int = 1
    version: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    _agencies: dict[str, PlacementAgency] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for person in self.scenario.people:
            self._put(person)
        self._agencies = {a.licenseNumber: a for a in self.scenario.placementAgencies}

    @property
    def missions(self) -> dict[str, Mission]:
        return {m.code: m for m in self.scenario.missions}

    @property
    def placement_agencies(self) -> dict[str, PlacementAgency]:
        return self._agencies

    def people(self) -> Iterator[Person]:
        return iter(self._people.values())

    def person(self, key: str) -> Person | None:
        return self._people.get(key)

    def upsert(self, people: Iterable[Person]) -> int:
        count = 0
        with self._lock:
            for person in people:
                self._put(person)
                count += 1
            self.version += 1
        return count

    def upsert_agencies(self, agencies: Iterable[PlacementAgency]) -> int:
        """Add or replace placement companies (by licence number): a licence revoked."""
        count = 0
        with self._lock:
            for agency in agencies:
                self._agencies = {**self._agencies, agency.licenseNumber: agency}
                count += 1
            self.version += 1
        return count

    def _put(self, person: Person) -> None:
        self._people[person.key] = person
        self._seq[person.key] = self._next
        self._order.append(person.key)
        self._next += 1

    def changes(
        self, after: int, limit: int, block: str | None = None
    ) -> tuple[list[tuple[int, Person]], int, bool]:
        """People changed after sequence ``after`` (holding ``block`` if given).

        Returns the page, the sequence to resume from, and whether more may follow.
        """
        page: list[tuple[int, Person]] = []
        last = after
        # Every change appends one entry and consumes one sequence number, starting at 1, so
        # entry i has sequence i + 1 and the page starts at index ``after``.
        for index in range(max(after, 0), len(self._order)):
            key = self._order[index]
            seq = last = index + 1
            if self._seq[key] != seq:
                continue  # superseded by a later change of the same person
            person = self._people[key]
            if block is None or getattr(person, block):
                page.append((seq, person))
                if len(page) >= limit:
                    return page, last, index + 1 < len(self._order)
        return page, last, False
