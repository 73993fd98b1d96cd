"""A person's life as the generator plans it, before any agency writes it down.

``plan_person`` decides who someone is and what happened to them (placements with their
dates, passports, the gaps the protection rules look for); ``_records`` and ``_embassy``
then write what each agency knows of that plan, in its own spelling.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from schema.population._destinations import (
    FEMALE_SHARE,
    PLACEMENT_DESTINATIONS,
    UNDOCUMENTED_DESTINATIONS,
    Destination,
)
from schema.population._names import MUSLIM_CULTURES, father_name, make_name
from schema.population._regions import PROVINCE_SHARES, REGENCIES, Regency
from schema.population._tables import Weighted
from schema.population.targets import PASSPORT_TEN_YEARS_FROM, RATES, SPSK_FROM, TARGETS

if TYPE_CHECKING:
    from schema.population._factory import Factory

LIFECYCLE: Weighted[str] = Weighted(tuple(TARGETS["lifecycle"].shares.items()))
REGENCY_TABLE: Weighted[Regency] = Weighted(
    tuple(
        (
            regency,
            PROVINCE_SHARES[regency.code[:2]][1]
            * regency.weight
            / sum(r.weight for r in REGENCIES if r.code[:2] == regency.code[:2]),
        )
        for regency in REGENCIES
    )
)
PLACED = frozenset({"REGISTERED", "READY", "DEPARTED", "WORKING", "RETURNED", "CANCELLED"})
ABROAD = frozenset({"DEPARTED", "WORKING", "EMBASSY_ONLY"})
_EMPLOYER_DIRECT = 0.016
_SPSK = date.toordinal(SPSK_FROM)
_TEN_YEARS = date.toordinal(PASSPORT_TEN_YEARS_FROM)
_PASSPORT_PREFIX = Weighted(
    (("A", 3), ("B", 3), ("C", 3), ("E", 2), ("X", 2), ("AR", 1), ("AT", 1))
)
_YEAR = 365.25


class Placement:
    """One placement as planned; ``end0`` is the original end when extended abroad."""

    __slots__ = (
        "agreement",
        "cancelled",
        "city",
        "departed",
        "dest",
        "end",
        "end0",
        "ext_months",
        "ext_paid",
        "ext_signed",
        "licence",
        "mission",
        "months",
        "orientation",
        "pid",
        "reg",
        "returned",
        "scheme",
        "sector",
        "spsk",
        "start",
        "status",
    )

    def __init__(self, dest: Destination, sector: str, months: int) -> None:
        self.dest, self.sector, self.months = dest, sector, months
        self.scheme, self.licence = "PRIVATE_AGENCY", None
        self.reg = self.start = self.end = 0
        self.departed: int | None = None
        self.returned: int | None = None
        self.end0: int | None = None  # original contract end, when extended abroad
        self.ext_months = 0
        self.ext_paid = True
        self.ext_signed = True  # an extension signed before the mission
        self.agreement: int | None = None  # placement agreement signed (day)
        self.cancelled: int | None = None  # cancellation day
        self.status = "WORKING"
        self.orientation: bool | None = True
        self.spsk = False
        self.pid = ""
        self.city, self.mission = dest.cities.values[0]


class Plan:
    __slots__ = (
        "anchor",
        "dest",
        "dob",
        "fake_dob",
        "father",
        "female",
        "kind",
        "muslim",
        "name",
        "passports",
        "placements",
        "regency",
        "sector",
        "tokens",
    )

    def __init__(self) -> None:
        self.fake_dob: int | None = None  # an older birth date on the placement documents
        self.placements: list[Placement] = []
        self.passports: list[tuple[str, int, int]] = []  # (number, issued, expires)

    def passport_at(self, day: int) -> str | None:
        held = None
        for number, issued, _ in self.passports:
            if issued <= day or held is None:
                held = number
        return held


def plan_person(f: Factory) -> Plan:
    r, A = f.r, f.as_of
    p = Plan()
    p.kind = kind = LIFECYCLE.pick(r())
    dest = (UNDOCUMENTED_DESTINATIONS if kind == "EMBASSY_ONLY" else PLACEMENT_DESTINATIONS).pick(
        r()
    )
    p.dest, p.sector = dest, dest.sectors.pick(r())
    p.female = r() < FEMALE_SHARE[p.sector]
    p.regency = REGENCY_TABLE.pick(r())
    if kind in PLACED:
        latest = _latest(f, kind, dest, p.sector)
        p.placements.append(latest)
        p.anchor = latest.reg
    elif kind == "KEMNAKER_ONLY":
        p.anchor = A - int(r() * 700)
    else:
        p.anchor = A - 30 - int(r() * 2500)
    p.dob = p.anchor - int((19 + 26 * r() ** 1.6) * _YEAR)
    if kind in PLACED and r() < RATES["minor through a falsified birth date (of placed)"]:
        # Ombudsman 2017 (DOMAIN [109]): a minor placed with an "adjusted" birth date
        p.fake_dob = p.anchor - int((20 + 3 * r()) * _YEAR)
        p.dob = p.anchor - int((16 + 1.9 * r()) * _YEAR)
    _identity(f, p)
    if kind in PLACED:
        u = r()
        for _ in range(0 if u < 0.7 else 1 if u < 0.92 else 2):
            previous = _previous(f, p.placements[0], p.female, p.dob)
            if previous is None:
                break
            p.placements.insert(0, previous)
    _passports(f, p)
    return p


def _identity(f: Factory, p: Plan) -> None:
    r = f.r
    recent = f.recent
    if recent and r() < RATES["same name and birth date as another person"]:
        twin = recent[int(r() * len(recent))]
        if twin.dob <= p.anchor - int(18.2 * _YEAR):
            p.tokens, p.father, p.dob, p.female = twin.tokens, twin.father, twin.dob, twin.female
            if p.regency.code[:4] == twin.regency.code[:4]:  # another regency, as NIKs differ
                at = REGENCIES.index(twin.regency)
                while REGENCIES[at].code[:4] == twin.regency.code[:4]:
                    at = (at + 1) % len(REGENCIES)
                p.regency = REGENCIES[at]
            p.muslim, p.name = twin.muslim, twin.name
            return
    culture = p.regency.culture
    p.tokens = make_name(culture, p.female, r)
    p.name = " ".join(p.tokens)
    p.father = father_name(culture, r)
    p.muslim = culture in MUSLIM_CULTURES
    if len(recent) < 64:
        recent.append(p)
    else:
        recent[int(r() * 64)] = p


def _scheme(f: Factory, pl: Placement) -> None:
    r, dest = f.r, pl.dest
    if r() < dest.g2g:
        pl.scheme = "G_TO_G"
        return
    u = r()
    if u < dest.independent:
        pl.scheme = "INDEPENDENT"
    elif u < dest.independent + _EMPLOYER_DIRECT:
        pl.scheme = "EMPLOYER_DIRECT"
    else:
        pl.licence = f.licences.pick(r())


def _new(f: Factory, dest: Destination, sector: str) -> Placement:
    pl = Placement(dest, sector, dest.months.pick(f.r()))
    pl.city, pl.mission = dest.cities.pick(f.r())
    _scheme(f, pl)
    return pl


def _latest(f: Factory, kind: str, dest: Destination, sector: str) -> Placement:
    r, A, months_after = f.r, f.as_of, f.cal.add_months
    pl = _new(f, dest, sector)
    months = pl.months
    pl.status = kind
    if kind == "WORKING":
        u = r()
        if u < RATES["contract expired, still WORKING"]:
            pl.end = A - 1 - int(r() * 365)
            pl.start = months_after(pl.end + 1, -months)
        elif u < 0.05 + RATES["contract extended abroad (of WORKING)"]:
            ext = 24 if r() < 0.7 else 12
            v = r()
            unpaid = RATES["extension not paid to BPJS (of extended)"]
            if v >= unpaid:
                end0 = A - int(r() * ext * 28)
            elif v < unpaid * 0.67:
                end0 = A - 35 - int(r() * 280)  # coverage of the original term has ended
            else:
                end0 = months_after(A + 1 + int(r() * 28), -1)  # and ends within 30 days
            pl.end0, pl.ext_months, pl.ext_paid = end0, ext, v >= unpaid
            pl.ext_signed = r() < RATES["extension signed at the mission (of extended)"]
            pl.start = months_after(end0 + 1, -months)
            pl.end = months_after(end0 + 1, ext) - 1
        else:
            low = months_after(A, -months) + 1
            pl.start = low + int(r() * max(1, A - 14 - low))
            pl.end = months_after(pl.start, months) - 1
        pl.departed = min(pl.start + int(r() * 3), A)
    elif kind == "DEPARTED":
        pl.departed = pl.start = A - int(r() * 14)
        pl.end = months_after(pl.start, months) - 1
    elif kind == "RETURNED":
        returned = A - int(r() * 30) if r() < 0.15 else A - 30 - int(r() * 1800)
        if r() < 0.1:  # came home before the contract ended
            pl.end = returned + 1 + int(r() * months * 15)
        else:
            pl.end = returned - int(r() * 15)
        pl.start = months_after(pl.end + 1, -months)
        pl.departed, pl.returned = pl.start, returned
    else:  # REGISTERED, READY, CANCELLED: never left
        ahead = {"REGISTERED": (0, 90, 30), "READY": (30, 170, 5), "CANCELLED": (60, 400, -200)}
        back, spread, lead = ahead[kind]
        pl.reg = A - back - int(r() * spread)
        pl.start = max(pl.reg + 30, A + lead + int(r() * 120))
        pl.end = months_after(pl.start, months) - 1
        pl.orientation = {"REGISTERED": False, "READY": r() < 0.85, "CANCELLED": r() < 0.5}[kind]
        signed = kind != "REGISTERED" or r() < RATES["placement agreement signed (of REGISTERED)"]
        if signed:
            pl.agreement = min(A, pl.reg + 7 + int(r() * 30))
        if kind == "CANCELLED":
            pl.cancelled = min(A, max(pl.reg + 20, A - int(r() * 200)))
    if pl.departed is not None:
        pl.reg = pl.departed - 30 - int(r() * 150)
        pl.orientation = r() >= RATES["orientation not completed (of departed)"]
        pl.agreement = pl.reg + 7 + int(r() * min(20, pl.departed - pl.reg - 8))
    pl.spsk = dest.country == "SA" and sector == "DOMESTIC" and pl.start >= _SPSK and r() < 0.4
    return pl


def _previous(f: Factory, after: Placement, female: bool, dob: int) -> Placement | None:
    r = f.r
    if r() < 0.6:
        dest, sector = after.dest, after.sector
    else:
        dest = PLACEMENT_DESTINATIONS.pick(r())
        sector = dest.sectors.pick(r())
        if (FEMALE_SHARE[sector] < 0.1) if female else (FEMALE_SHARE[sector] > 0.85):
            sector = dest.sectors.pick(r())
    pl = _new(f, dest, sector)
    pl.status = "RETURNED"
    pl.returned = after.reg - 20 - int(r() * 500)
    pl.end = pl.returned - int(r() * 10)
    pl.start = pl.departed = f.cal.add_months(pl.end + 1, -pl.months)
    pl.reg = pl.start - 30 - int(r() * 120)
    if pl.reg < dob + int(18.2 * _YEAR):
        return None
    pl.agreement = pl.reg + 7 + int(r() * 20)
    pl.spsk = dest.country == "SA" and sector == "DOMESTIC" and pl.start >= _SPSK and r() < 0.4
    return pl


def _issued_for(f: Factory, expires: int) -> int:
    ten = f.cal.add_years(expires, -10)
    return ten if ten >= _TEN_YEARS else f.cal.add_years(expires, -5)


def _expiry(f: Factory, issued: int) -> int:
    return f.cal.add_years(issued, 10 if issued >= _TEN_YEARS else 5)


def _passports(f: Factory, p: Plan) -> None:
    r, A = f.r, f.as_of
    kind = p.kind
    if (kind == "KEMNAKER_ONLY" and r() < 0.8) or (kind == "EMBASSY_ONLY" and r() < 0.2):
        return
    earliest = (p.placements[0].reg if p.placements else p.anchor) - int(r() * 60)
    u = r()
    expired = RATES["passport expired (of abroad)"] if kind != "EMBASSY_ONLY" else 0.25
    if kind in ABROAD and u < expired:
        issued = _issued_for(f, A - 1 - int(r() * 400))
    elif kind in ABROAD and u < expired + RATES["passport expires within 6 months (of abroad)"]:
        issued = _issued_for(f, A + 1 + int(r() * 180))
    else:
        issued = A - int(r() * 3650)
        if _expiry(f, issued) <= A:
            issued = A - int(r() * 1800)
    adult = (p.fake_dob if p.fake_dob is not None else p.dob) + int(17 * _YEAR)
    chain = [max(issued, adult)]
    while chain[0] > earliest and chain[0] > adult and len(chain) < 4:
        chain.insert(0, max(_issued_for(f, chain[0] + int(r() * 150)), adult))
    ids, prefix = f.ids, _PASSPORT_PREFIX
    for issued_on in chain:
        number = ids.passport(prefix.pick(r()))
        p.passports.append((number, issued_on, _expiry(f, issued_on)))
