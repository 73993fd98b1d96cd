"""Every situation the protection rules and identity resolution look for is in 10,000 people."""

from __future__ import annotations

from collections import Counter

import pytest

from schema.enums import CaseKind, LicenseStatus, PlacementScheme, PlacementStatus, Sector, Severity
from tests.schema._population import Population, situation_names, situations


@pytest.mark.parametrize("name", situation_names())
def test_each_situation_is_present(population: Population, name: str) -> None:
    check = situations(population.scenario)[name]
    count = sum(1 for person in population.scenario.people if check(person))
    assert count >= 10, f"{name}: only {count} people"


def test_every_case_kind_and_severity_occurs(population: Population) -> None:
    cases = [c for p in population.scenario.people for r in p.embassy for c in r.cases]
    complaints = [c for p in population.scenario.people for r in p.p2mi for c in r.complaints]
    # a failed departure is a complaint at P2MI: the worker never reached a mission
    assert {c.kind for c in cases} == set(CaseKind) - {CaseKind.FAILED_DEPARTURE}
    assert CaseKind.FAILED_DEPARTURE in {c.kind for c in complaints}
    assert {c.severity for c in cases} == set(Severity)
    assert {c.status for c in cases} >= {"OPEN", "IN_PROGRESS", "CLOSED"}


def test_every_status_scheme_sector_and_licence_status_occurs(population: Population) -> None:
    pls = [pl for p in population.scenario.people for r in p.p2mi for pl in r.placements]
    assert {pl.status for pl in pls} == set(PlacementStatus)
    assert {pl.scheme for pl in pls} == set(PlacementScheme) - {PlacementScheme.UNKNOWN}
    assert {pl.sector for pl in pls} == set(Sector)
    statuses = {a.status for a in population.scenario.placementAgencies}
    assert statuses == set(LicenseStatus) - {LicenseStatus.UNKNOWN}


def test_different_people_share_a_name_and_birth_date(population: Population) -> None:
    # hard cases for identity resolution: same name and birth date, different NIK and region
    groups: dict[tuple[str, object], list[str]] = {}
    for person in population.scenario.people:
        groups.setdefault((person.name, person.birthDate), []).append(person.nik)
    shared = [niks for niks in groups.values() if len(niks) > 1]
    # the planted namesakes live in different regencies; a rare chance match of a common
    # one-word name in one regency differs by the NIK's sequence number
    apart = [niks for niks in shared if len({nik[:4] for nik in niks}) == len(niks)]
    assert len(apart) >= 10
    assert all(len(set(niks)) == len(niks) for niks in shared)


def test_agencies_spell_names_their_own_way(population: Population) -> None:
    spellings = Counter()
    for person in population.scenario.people:
        for block in (person.kemnaker, person.bpjs, person.embassy):
            for record in block:
                spellings["upper"] += bool(record.nameAs and record.nameAs.isupper())
        for record in person.p2mi + person.embassy:
            name = (record.nameAs or "").upper()
            spellings["binti"] += " BINTI " in name or " BT " in name
            spellings["bin"] += " BIN " in name or " BN " in name
        names = {r.nameAs or "" for b in (person.p2mi, person.kemnaker) for r in b}
        spellings["muhammad variant"] += any(
            v in n.split() for n in names for v in ("Muhamad", "MUHAMAD", "Mohammad", "MOCH.")
        )
        canonical = person.name.replace(" ", "").upper()
        spellings["joined or split"] += any(
            (r.nameAs or "").replace(" ", "").upper() == canonical
            and (r.nameAs or "").count(" ") != person.name.count(" ")
            for b in (person.kemnaker, person.p2mi, person.bpjs, person.embassy)
            for r in b
        )
    assert min(spellings.values()) >= 10, spellings


def test_moratorium_domestic_workers_go_through_households_or_spsk(population: Population) -> None:
    gulf = [
        pl
        for p in population.scenario.people
        for r in p.p2mi
        for pl in r.placements
        if pl.country == "SA" and pl.sector == "DOMESTIC" and pl.employer
    ]
    spsk = [pl for pl in gulf if pl.employer and pl.employer.name.startswith("Syarikah")]
    assert spsk and len(spsk) < len(gulf)
    assert all(pl.contractStart and pl.contractStart.isoformat() >= "2023-06-25" for pl in spsk)
