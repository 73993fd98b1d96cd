"""Hand-written scenario people for the engine's table-driven tests.

``worker()`` is a procedural domestic worker in Hong Kong who is fully protected on
2026-11-24 (no finding at all); each test case changes one or two blocks, so that it reads as
"this worker, except ...". Dates near the evaluation day are written as ``day(n)``, n days
from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hub.protection import Verdict, evaluate
from schema.enums import ProtectionLevel, ProtectionPhase, Sex
from schema.identifiers import nik_for
from tests.protection.scenario_facts import facts_for

TODAY = date(2026, 11, 24)
EVALUATED_AT = datetime(2026, 11, 24, 2, 30, tzinfo=UTC)
NAME = "Siti Rahmawati"
NIK = nik_for("350612", date(1990, 8, 5), Sex.FEMALE, 3)
PHONE = "+6281234567890"
PASSPORT = "C1234567"
PLACEMENT_ID = "PL-2025-0000001"
EMPLOYER = "Chan Tai Man"
Json = dict[str, Any]


def day(offset: int) -> str:
    """The ISO date ``offset`` days from the evaluation day (negative: before it)."""
    return (TODAY + timedelta(days=offset)).isoformat()


def placement(**changes: Any) -> Json:
    base: Json = {
        "placementId": PLACEMENT_ID,
        "status": "WORKING",
        "scheme": "PRIVATE_AGENCY",
        "country": "HK",
        "occupation": "Domestic worker",
        "sector": "DOMESTIC",
        "agencyLicense": "KEP.045/2021",
        "employer": {"name": EMPLOYER, "country": "HK", "city": "Kowloon"},
        "contractStart": "2025-06-01",
        "contractEnd": "2027-05-31",
        "orientationCompleted": True,
        "departedOn": "2025-06-01",
        "cardNumber": "EPMI-3506-0000001",
        "sip2mi": "SIP2MI-2025-000001",
        "sip2miCountry": changes.get("country", "HK"),
        "agreementSignedOn": "2025-04-01",
    }
    return base | changes


def p2mi(*placements: Json, complaints: tuple[Json, ...] = ()) -> Json:
    return {
        "pmiId": "PMI-3506-2025-0000001",
        "placements": list(placements),
        "complaints": list(complaints),
    }


def cover(phase: str, start: str, end: str, programs: str = "JKK JKM JHT") -> list[Json]:
    return [
        {"program": program, "phase": phase, "start": start, "end": end}
        for program in programs.split()
    ]


def bpjs(*coverages: list[Json], claims: tuple[Json, ...] = ()) -> Json:
    return {
        "kpj": "25000000001",
        "coverages": [c for group in coverages for c in group],
        "claims": list(claims),
    }


def claim(
    program: str = "JKM", status: str = "PAID", on: str = "2026-10-20", benefit: str | None = None
) -> Json:
    found: Json = {"program": program, "status": status, "submittedOn": on}
    return found | ({"benefit": benefit} if benefit else {})


def report(on: str = "2025-06-10", mission: str = "HKG") -> Json:
    return {"mission": mission, "reportedOn": on, "address": "Kowloon"}


def case(
    kind: str = "WAGE_DISPUTE",
    severity: str = "MEDIUM",
    status: str = "OPEN",
    opened: str = "2026-10-02T09:00:00+08:00",
    number: str = "HKG-2026-0042",
) -> Json:
    return {
        "id": number,
        "kind": kind,
        "status": status,
        "severity": severity,
        "openedAt": opened,
        "summary": f"Majikan {EMPLOYER} menahan gaji {NAME}",
    }


def complaint(status: str = "IN_PROGRESS", severity: str = "MEDIUM") -> Json:
    return {
        "id": "ADU-2026-000311",
        "kind": "WAGE_DISPUTE",
        "status": status,
        "severity": severity,
        "filedOn": "2026-10-05",
        "summary": f"Gaji {NAME} tidak dibayar",
    }


def embassy(
    reports: tuple[Json, ...] = (report(),),
    endorsed: tuple[str, ...] = (PLACEMENT_ID,),
    cases: tuple[Json, ...] = (),
) -> Json:
    return {
        "recordId": "HKG-WNI-2025-000001",
        "nikKnown": False,
        "passportKnown": PASSPORT,
        "reports": list(reports),
        "endorsedContracts": list(endorsed),
        "cases": list(cases),
    }


def worker(**blocks: Any) -> Json:
    """The protected worker; each keyword replaces a block, None removes it."""
    person: Json = {
        "key": "w1",
        "nik": NIK,
        "name": NAME,
        "birthDate": "1990-08-05",
        "sex": "FEMALE",
        "phone": PHONE,
        "passports": [{"number": PASSPORT, "issuedOn": "2024-01-10", "expiresOn": "2034-01-10"}],
        "kemnaker": {"jobSeekerId": "AK1-2025-000001"},
        "p2mi": p2mi(placement()),
        "bpjs": bpjs(cover("PLACEMENT", "2025-06-01", "2027-06-30")),
        "embassy": embassy(),
    }
    for name, block in blocks.items():
        if block is None:
            person.pop(name, None)
        else:
            person[name] = block
    return person


def passports(*expiries: str) -> list[Json]:
    return [
        {"number": f"C{index:07d}", "expiresOn": expires}
        for index, expires in enumerate(expiries, start=1)
    ]


@dataclass(frozen=True)
class Case:
    """One row of a verdict table: a person, and the verdict expected on 2026-11-24."""

    name: str
    person: Json
    level: ProtectionLevel
    codes: tuple[str, ...] = ()
    phase: ProtectionPhase = ProtectionPhase.PLACEMENT
    complete: bool = True
    options: dict[str, Any] = field(default_factory=dict)
    says: str | None = None  # a phrase one English message must contain

    def __str__(self) -> str:
        return self.name


def judge(person: Json, **options: Any) -> Verdict:
    return evaluate(facts_for(person, **options), today=TODAY, evaluated_at=EVALUATED_AT)


def check(case: Case) -> Verdict:
    verdict = judge(case.person, **case.options)
    got = (verdict.level, verdict.phase, verdict.complete, sorted(verdict.codes()))
    assert got == (case.level, case.phase, case.complete, sorted(case.codes)), verdict.findings
    if case.says is not None:
        messages = [f.message_in("EN") for f in verdict.findings]
        assert any(case.says in m for m in messages), messages
    return verdict
