"""The situations of the 2023-2025 law in the 10,000-person population, at the rates of
targets.RATES (docs/scenario.md, "Rates"); shares are checked within a few points."""

from __future__ import annotations

from collections import Counter

from schema.enums import (
    Benefit,
    CaseKind,
    EmployerKind,
    PlacementScheme,
    PlacementStatus,
    Sector,
    StayPurpose,
)
from schema.population.targets import RATES
from schema.scenario.models import Person
from tests.schema._population import AS_OF, Population, latest, placements


def _people(population: Population) -> list[Person]:
    return population.scenario.people


def test_registered_job_seekers_have_an_agreement_at_the_planted_rate(
    population: Population,
) -> None:
    registered = [
        pl
        for p in _people(population)
        if (pl := latest(p)) is not None and pl.status is PlacementStatus.REGISTERED
    ]
    signed = sum(pl.agreementSignedOn is not None for pl in registered)
    assert len(registered) > 200
    assert (
        abs(signed / len(registered) - RATES["placement agreement signed (of REGISTERED)"]) < 0.08
    )
    later = [
        pl
        for p in _people(population)
        for pl in placements(p)
        if pl.status in (PlacementStatus.READY, PlacementStatus.WORKING)
    ]
    assert all(pl.agreementSignedOn is not None for pl in later)


def test_independent_workers_pay_no_pre_work_fee(population: Population) -> None:
    # people placed only as independent workers: one payment, no pre-work fee, no pre cover
    only = [
        p
        for p in _people(population)
        if placements(p) and all(pl.scheme is PlacementScheme.INDEPENDENT for pl in placements(p))
    ]
    contributions = [c for p in only for r in p.bpjs for c in r.contributions]
    coverages = [c for p in only for r in p.bpjs for c in r.coverages]
    assert len(contributions) > 50
    assert all(c.amount % 37_500 != 0 or c.amount > 37_500 * 5 for c in contributions)
    assert all(c.phase.value != "PRE_PLACEMENT" for c in coverages)


def test_employers_are_households_or_companies(population: Population) -> None:
    kinds: dict[Sector, Counter[EmployerKind | None]] = {}
    for person in _people(population):
        for pl in placements(person):
            if pl.employer is not None:
                kinds.setdefault(pl.sector, Counter())[pl.employer.kind] += 1
    assert set(kinds[Sector.DOMESTIC]) <= {EmployerKind.HOUSEHOLD, None}
    care = kinds[Sector.CARE]
    company = care[EmployerKind.COMPANY] / (
        care[EmployerKind.COMPANY] + care[EmployerKind.HOUSEHOLD]
    )
    assert abs(company - RATES["care worker employed by a company (of CARE, kind recorded)"]) < 0.05
    unrecorded = sum(c[None] for c in kinds.values()) / sum(sum(c.values()) for c in kinds.values())
    assert abs(unrecorded - (1 - RATES["employer kind recorded (of employers)"])) < 0.03


def test_minors_carry_an_older_birth_date_at_p2mi(population: Population) -> None:
    minors = [
        p
        for p in _people(population)
        for record in p.p2mi
        if record.birthDateAs is not None
        and (latest(p) is not None)
        and (latest(p).contractStart or p.birthDate).year - p.birthDate.year < 18  # type: ignore[union-attr]
    ]
    assert len(minors) >= 10
    assert all(r.birthDateAs < p.birthDate for p in minors for r in p.p2mi if r.birthDateAs)


def test_closed_destinations_failed_departures_and_new_case_kinds_occur(
    population: Population,
) -> None:
    people = _people(population)
    in_cambodia = [
        p for p in people for r in p.embassy for rep in r.reports if rep.mission == "PNH"
    ]
    assert len(in_cambodia) >= 5
    cancelled = [
        pl for p in people for pl in placements(p) if pl.status is PlacementStatus.CANCELLED
    ]
    assert cancelled and all(pl.cancelledOn is not None for pl in cancelled)
    benefits = {c.benefit for p in people for r in p.bpjs for c in r.claims}
    assert {Benefit.FAILED_DEPARTURE, Benefit.DEATH, Benefit.WORK_ACCIDENT} <= benefits
    kinds = {c.kind for p in people for r in p.embassy for c in r.cases}
    assert {CaseKind.DEATH_PENALTY, CaseKind.SEXUAL_VIOLENCE, CaseKind.DOCUMENT_WITHHELD} <= kinds


def test_extensions_sip2mi_cards_purposes_and_crews(population: Population) -> None:
    people = _people(population)
    # among workers the mission knows (an extension is signed before it)
    extended = [pl for p in people if p.embassy for pl in placements(p) if pl.extensions]
    signed = {e.placementId for p in people for r in p.embassy for e in r.extensions}
    share = sum(pl.placementId in signed for pl in extended) / len(extended)
    assert len(extended) > 100
    assert abs(share - RATES["extension signed at the mission (of extended)"]) < 0.08
    permits = [pl for p in people for pl in placements(p) if pl.sip2mi is not None]
    assert len(permits) > 100 and any(pl.sip2miCountry != pl.country for pl in permits)
    assert any(pl.cardExpiresOn is not None for p in people for pl in placements(p))
    purposes = Counter(rep.purpose for p in people for r in p.embassy for rep in r.reports)
    recorded = purposes[StayPurpose.WORK] / sum(purposes.values())
    assert abs(recorded - RATES["lapor diri purpose recorded (per report)"]) < 0.03
    assert any(pl.sector is Sector.FISHERIES_SEA for p in people for pl in placements(p))


def test_crews_carry_their_book_and_sea_service_agreement(population: Population) -> None:
    # crews bound for or at sea (PP 22/2022): a seafarer's book and a PKL, at RATES
    crews = [
        pl
        for p in _people(population)
        for pl in placements(p)
        if pl.sector is Sector.FISHERIES_SEA
        and pl.status is not PlacementStatus.CANCELLED
        and pl.status is not PlacementStatus.REGISTERED
    ]
    books = [pl.seafarerBook for pl in crews if pl.seafarerBook is not None]
    pkls = [pl.seaServiceAgreement for pl in crews if pl.seaServiceAgreement is not None]
    assert len(crews) > 50
    assert abs(len(books) / len(crews) - RATES["seafarer's book recorded (of crews)"]) < 0.08
    assert abs(len(pkls) / len(crews) - RATES["sea-service agreement recorded (of crews)"]) < 0.08
    expired = [
        pl
        for pl in crews
        if pl.seafarerBook is not None
        and pl.seafarerBook.expiresOn is not None
        and pl.seafarerBook.expiresOn < AS_OF
        and pl.status is not PlacementStatus.RETURNED
    ]
    assert expired  # a situation the rule meets
    unendorsed = [k for k in pkls if k.endorsedOn is None]
    assert 0 < len(unendorsed) < len(pkls) / 3
    assert all(k.endorsedOn is None or k.endorsedOn >= k.signedOn for k in pkls)
    # nobody else carries them
    others = [
        pl
        for p in _people(population)
        for pl in placements(p)
        if pl.sector is not Sector.FISHERIES_SEA
    ]
    assert not any(pl.seafarerBook or pl.seaServiceAgreement for pl in others)
