"""The generator writes a valid, deterministic scenario with real-format identifiers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from schema.identifiers import is_valid_kpj, is_valid_nik, is_valid_passport, nik_matches
from schema.population import build_scenario, generate, iter_people
from schema.population._regions import REGENCIES
from schema.scenario import load_scenario, validate_scenario
from schema.scenario.models import Person
from tests.schema._population import AS_OF, SEED, Population

ID_FORMATS = {
    "jobSeekerId": re.compile(r"^AK1-(19|20)\d\d-\d{6}$"),
    "pmiId": re.compile(r"^PMI-\d{4}-(19|20)\d\d-\d{7}$"),
    "placementId": re.compile(r"^PL-(19|20)\d\d-\d{7}$"),
    "cardNumber": re.compile(r"^(EPMI|KTKLN)-\d{4}-\d{7}$"),
    "recordId": re.compile(r"^[A-Z]{3}-WNI-(19|20)\d\d-\d{6}$"),
    "kpj": re.compile(r"^\d{11}$"),
}


def test_the_same_seed_gives_the_same_bytes_and_another_seed_does_not(tmp_path: Path) -> None:
    # when
    first = generate(tmp_path / "a.json", people=1_500, seed=7, as_of=AS_OF)
    generate(tmp_path / "b.json", people=1_500, seed=7, as_of=AS_OF)
    generate(tmp_path / "c.json", people=1_500, seed=8, as_of=AS_OF)
    # then
    a, b, c = ((tmp_path / n).read_bytes() for n in ("a.json", "b.json", "c.json"))
    assert a == b
    assert a != c
    assert first.bytes_written == len(a)


def test_iter_people_and_build_scenario_match_the_file(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    generate(path, people=300, seed=3, as_of=AS_OF)
    written = orjson.loads(path.read_bytes())
    assert list(iter_people(people=300, seed=3, as_of=AS_OF)) == written["people"]
    assert build_scenario(people=300, seed=3, as_of=AS_OF) == written
    validate_scenario(build_scenario(people=300, seed=3, as_of=AS_OF))


def test_one_person_per_line(population: Population) -> None:
    lines = population.path.read_bytes().split(b"\n")
    people = [line for line in lines if line.startswith(b'{"key":')]
    assert len(people) == 10_000
    assert orjson.loads(people[0].rstrip(b","))["key"] == "p0000001"


def test_ten_thousand_people_load_and_the_stats_count_them(population: Population) -> None:
    scenario, stats = population.scenario, population.stats
    assert scenario.asOf == AS_OF
    assert len(scenario.people) == stats.people == 10_000
    assert stats.placements == sum(len(r.placements) for p in scenario.people for r in p.p2mi)
    assert stats.bpjs_records == sum(len(p.bpjs) for p in scenario.people)
    assert stats.embassy_records == sum(len(p.embassy) for p in scenario.people)
    assert "10,000 people" in str(stats)


def test_niks_are_valid_unique_and_from_real_sending_regions(population: Population) -> None:
    regencies = {r.code: r.districts for r in REGENCIES}
    niks = [p.nik for p in population.scenario.people]
    assert len(set(niks)) == len(niks)
    for person in population.scenario.people:
        nik = person.nik
        assert is_valid_nik(nik)
        assert nik_matches(nik, person.birthDate, person.sex)
        assert 1 <= int(nik[4:6]) <= regencies[nik[:4]]
        assert nik[12:] != "0000"


def _local_ids(person: Person) -> Iterator[tuple[str, str]]:
    for record in person.kemnaker:
        yield "jobSeekerId", record.jobSeekerId
    for record in person.p2mi:
        yield "pmiId", record.pmiId
        for placement in record.placements:
            yield "placementId", placement.placementId
            if placement.cardNumber:
                yield "cardNumber", placement.cardNumber
    for record in person.bpjs:
        yield "kpj", record.kpj
    for record in person.embassy:
        yield "recordId", record.recordId


def test_local_ids_have_their_agency_formats_and_never_repeat(population: Population) -> None:
    seen: dict[str, set[str]] = {kind: set() for kind in ID_FORMATS}
    passports: set[str] = set()
    for person in population.scenario.people:
        for kind, value in _local_ids(person):
            assert ID_FORMATS[kind].match(value), (kind, value)
            assert value not in seen[kind]
            seen[kind].add(value)
        for passport in person.passports:
            assert is_valid_passport(passport.number)
            assert re.match(r"^[A-Z]{1,2}\d{7}$", passport.number)
            assert passport.number not in passports
            passports.add(passport.number)
    assert all(is_valid_kpj(kpj) for kpj in seen["kpj"])
    assert all(len(ids) > 100 for ids in seen.values())


def _past_dates(person: Person) -> Iterator[tuple[str, date]]:
    yield "birthDate", person.birthDate
    for passport in person.passports:
        if passport.issuedOn:
            yield "issuedOn", passport.issuedOn
    for record in person.kemnaker:
        if record.registeredOn:
            yield "registeredOn", record.registeredOn
    for record in person.p2mi:
        for placement in record.placements:
            for name in ("departedOn", "returnedOn"):
                if getattr(placement, name):
                    yield name, getattr(placement, name)
        for complaint in record.complaints:
            yield "filedOn", complaint.filedOn
    for record in person.bpjs:
        for contribution in record.contributions:
            if contribution.paidOn:
                yield "paidOn", contribution.paidOn
        for claim in record.claims:
            yield "submittedOn", claim.submittedOn
    for record in person.embassy:
        for report in record.reports:
            yield "reportedOn", report.reportedOn
            if report.lastContactOn:
                yield "lastContactOn", report.lastContactOn
        for case in record.cases:
            yield "openedAt", case.openedAt.date()


def test_nothing_has_happened_after_as_of(population: Population) -> None:
    late = [
        (person.key, name, day)
        for person in population.scenario.people
        for name, day in _past_dates(person)
        if day > AS_OF
    ]
    assert late == []


def test_as_of_moves_the_whole_population(tmp_path: Path) -> None:
    # given: another evaluation date
    as_of = date(2031, 3, 1)
    path = tmp_path / "later.json"
    # when
    generate(path, people=800, seed=SEED, as_of=as_of)
    scenario = load_scenario(path)
    # then: the file says so, nothing lies after it, and people are working around it
    assert scenario.asOf == as_of
    assert all(day <= as_of for p in scenario.people for _, day in _past_dates(p))
    working = [
        pl for p in scenario.people for r in p.p2mi for pl in r.placements if pl.status == "WORKING"
    ]
    assert working
    assert sum(pl.contractEnd >= as_of for pl in working if pl.contractEnd) > len(working) / 2


def test_an_empty_population_is_a_valid_scenario(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    stats = generate(path, people=0, seed=1, as_of=AS_OF)
    scenario = load_scenario(path)
    assert scenario.people == []
    assert len(scenario.placementAgencies) == 460
    assert stats.people == 0


@pytest.mark.parametrize("people", [-1, 2.5, True])
def test_a_bad_population_size_is_refused(tmp_path: Path, people: Any) -> None:
    with pytest.raises(ValueError, match="people must be a whole number"):
        generate(tmp_path / "x.json", people=people, seed=1, as_of=AS_OF)


def test_case_times_carry_the_missions_utc_offset(population: Population) -> None:
    offsets = {
        case.openedAt.utcoffset()
        for p in population.scenario.people
        for r in p.embassy
        for case in r.cases
    }
    assert {
        datetime.fromisoformat(f"2026-01-01T00:00:00{o}").utcoffset()
        for o in ("+08:00", "+09:00", "+03:00")
    } <= offsets
