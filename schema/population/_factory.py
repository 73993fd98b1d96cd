"""One deterministic stream of people: the random state, the calendar and the id counters."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from schema.population._embassy import embassy_records
from schema.population._ids import Ids
from schema.population._names import make_name
from schema.population._plan import Plan, plan_person
from schema.population._records import bpjs_records, kemnaker_record, p2mi_records
from schema.population._regions import VILLAGES
from schema.population._tables import Calendar, Weighted

_MOBILE = (
    "811",
    "812",
    "813",
    "821",
    "822",
    "852",
    "853",
    "857",
    "858",
    "877",
    "878",
    "895",
    "896",
    "838",
)
_KIN_FEMALE = Weighted(
    (("husband", 35), ("father", 20), ("mother", 25), ("brother", 10), ("sister", 10))
)
_KIN_MALE = Weighted((("wife", 45), ("father", 15), ("mother", 25), ("brother", 8), ("sister", 7)))


class Factory:
    """Makes person ``i`` after persons ``0..i-1``; the same seed gives the same people."""

    def __init__(self, seed: int, as_of: date, licences: Weighted[str]) -> None:
        self.rng = random.Random(seed)
        self.r = self.rng.random
        self.as_of = as_of.toordinal()
        self.cal = Calendar(date(1940, 1, 1), date(as_of.year + 16, 12, 31))
        self.ids = Ids()
        self.licences = licences
        self.recent: list[Plan] = []
        self._serials: dict[int, int] = {}
        self._iso = self.cal.iso
        self._base = self.cal.base

    def day(self, ordinal: int) -> str:
        return self._iso[ordinal - self._base]

    def swapped_birth_date(self, dob: int, rate: float) -> str | None:
        """The birth date with day and month swapped, at ``rate``, when that is a valid date."""
        if self.r() >= rate:
            return None
        text = self.day(dob)
        day, month = text[8:10], text[5:7]
        if day == month or int(day) > 12:
            return None
        return f"{text[:4]}-{day}-{month}"

    def person(self, index: int) -> dict[str, Any]:
        r = self.r
        p = plan_person(self)
        regency = p.regency
        region = f"{regency.code}{1 + int(r() * regency.districts):02d}"
        born = self.day(p.dob)
        key = (int(region) * 2 + p.female) * 1_000_000 + p.dob
        serial = self._serials.get(key, 0) + 1
        self._serials[key] = serial
        day_of_birth = int(born[8:10]) + (40 if p.female else 0)
        person: dict[str, Any] = {
            "key": f"p{index + 1:07d}",
            "nik": f"{region}{day_of_birth:02d}{born[5:7]}{born[2:4]}{serial:04d}",
            "name": p.name,
            "birthDate": born,
            "sex": "FEMALE" if p.female else "MALE",
        }
        if p.passports:
            day = self.day
            person["passports"] = [
                {"number": number, "issuedOn": day(issued), "expiresOn": day(expires)}
                for number, issued, expires in p.passports
            ]
        if r() < 0.9:
            person["phone"] = f"+62{_MOBILE[int(r() * len(_MOBILE))]}{int(r() * 1e8):08d}"
        if r() < 0.7:
            villages = VILLAGES[regency.culture]
            village = villages[int(r() * len(villages))]
            person["address"] = (
                f"Desa {village} RT {1 + int(r() * 12):03d}/RW "
                f"{1 + int(r() * 8):03d}, {regency.name}"
            )
        if r() < 0.85:
            person["nextOfKin"] = self._next_of_kin(p)
        kemnaker = kemnaker_record(self, p)
        p2mi = p2mi_records(self, p) if p.placements else []
        embassy, cases = embassy_records(self, p)
        bpjs = bpjs_records(self, p, cases)
        if kemnaker is not None:
            person["kemnaker"] = kemnaker
        for name, records in (("p2mi", p2mi), ("bpjs", bpjs), ("embassy", embassy)):
            if records:
                person[name] = records[0] if len(records) == 1 else records
        return person

    def _next_of_kin(self, p: Plan) -> dict[str, Any]:
        r = self.r
        relation = (_KIN_FEMALE if p.female else _KIN_MALE).pick(r())
        if relation == "father":
            name = p.father
        else:
            female = relation in ("wife", "mother", "sister")
            name = " ".join(make_name(p.regency.culture, female, r))
        kin: dict[str, Any] = {"name": name, "relation": relation}
        if r() < 0.9:
            kin["phone"] = f"+62{_MOBILE[int(r() * len(_MOBILE))]}{int(r() * 1e8):08d}"
        return kin
