"""Write a generated population as a scenario file (SCENARIO.md), one person per line.

The output depends only on ``people``, ``seed`` and ``as_of``: one seeded random stream, tables
walked in a fixed order, dicts built in a fixed key order, so the same arguments give the
same bytes. People are streamed to disk in batches, so a million of them never sit in memory
at once.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import orjson

from schema.missions import MISSIONS
from schema.population._agencies import placement_agencies
from schema.population._factory import Factory

_BATCH = 2_000


@dataclass(frozen=True, slots=True)
class GenerationStats:
    people: int
    placements: int
    kemnaker_records: int
    p2mi_records: int
    bpjs_records: int
    embassy_records: int
    bytes_written: int
    seconds: float

    @property
    def people_per_second(self) -> float:
        return self.people / self.seconds if self.seconds > 0 else float("inf")

    def __str__(self) -> str:
        return (
            f"{self.people:,} people, {self.placements:,} placements; records: kemnaker "
            f"{self.kemnaker_records:,}, p2mi {self.p2mi_records:,}, bpjs {self.bpjs_records:,}, "
            f"embassy {self.embassy_records:,}; {self.bytes_written / 1e6:,.1f} MB in "
            f"{self.seconds:.1f} s"
        )


def _missions() -> list[dict[str, Any]]:
    return [
        {"code": m.code, "name": m.name, "city": m.city, "country": m.country} for m in MISSIONS
    ]


def _check(people: int) -> None:
    if isinstance(people, bool) or not isinstance(people, int) or people < 0:
        raise ValueError(f"people must be a whole number >= 0, got {people!r}")


def iter_people(*, people: int, seed: int, as_of: date) -> Iterator[dict[str, Any]]:
    """The people of ``generate`` as plain dicts, in file order."""
    _check(people)
    _, licences = placement_agencies(seed)
    factory = Factory(seed, as_of, licences)
    for index in range(people):
        yield factory.person(index)


def build_scenario(*, people: int, seed: int, as_of: date) -> dict[str, Any]:
    """The whole scenario in memory (for small populations; ``validate_scenario`` takes it)."""
    agencies, _ = placement_agencies(seed)
    return {
        "asOf": as_of.isoformat(),
        "missions": _missions(),
        "placementAgencies": agencies,
        "people": list(iter_people(people=people, seed=seed, as_of=as_of)),
    }


def _lines(key: str, items: list[dict[str, Any]]) -> bytes:
    body = b",\n".join(orjson.dumps(item) for item in items)
    return b'"' + key.encode() + b'":[\n' + body + (b"\n]" if items else b"]")


def generate(path: str | Path, *, people: int, seed: int, as_of: date) -> GenerationStats:
    """Write ``people`` generated people, as of ``as_of``, to the scenario file ``path``."""
    _check(people)
    started = time.perf_counter()
    agencies, licences = placement_agencies(seed)
    factory = Factory(seed, as_of, licences)
    make, dumps = factory.person, orjson.dumps
    counts = {"kemnaker": 0, "p2mi": 0, "bpjs": 0, "embassy": 0}
    placements = 0
    written = 0
    with Path(path).open("wb", buffering=1 << 20) as out:
        head = b"".join(
            (
                b'{"asOf":"',
                as_of.isoformat().encode(),
                b'",\n',
                _lines("missions", _missions()),
                b",\n",
                _lines("placementAgencies", agencies),
                b",\n",
                b'"people":[',
                b"\n" if people else b"",
            )
        )
        written += out.write(head)
        for start in range(0, people, _BATCH):
            batch = []
            for index in range(start, min(start + _BATCH, people)):
                person = make(index)
                for block in counts:
                    value = person.get(block)
                    if value is not None:
                        many = isinstance(value, list)
                        counts[block] += len(value) if many else 1
                        if block == "p2mi":
                            for record in value if many else (value,):
                                placements += len(record["placements"])
                batch.append(dumps(person))
            chunk = b",\n".join(batch)
            written += out.write(b",\n" + chunk if start else chunk)
        written += out.write(b"\n]}\n" if people else b"]}\n")
    return GenerationStats(
        people=people,
        placements=placements,
        kemnaker_records=counts["kemnaker"],
        p2mi_records=counts["p2mi"],
        bpjs_records=counts["bpjs"],
        embassy_records=counts["embassy"],
        bytes_written=written,
        seconds=time.perf_counter() - started,
    )
