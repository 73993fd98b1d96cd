"""What the missions know: self-reports (lapor diri), endorsed contracts and consular cases.

A worker reports to the mission serving the employer's city; a renewed passport sometimes
opens a second record instead of updating the first, and many records carry no NIK, only a
passport number (DOMAIN.md §1, Kemlu). Workers known only to a mission (undocumented) come
with more cases, above all immigration ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from schema.population._destinations import MISSION_OFFSET
from schema.population._names import spell
from schema.population._tables import Weighted
from schema.population.targets import RATES

if TYPE_CHECKING:
    from schema.population._factory import Factory
    from schema.population._plan import Placement, Plan

CASE_KINDS = Weighted(
    (
        ("WAGE_DISPUTE", 25),
        ("ILLNESS", 12),
        ("ABUSE", 10),
        ("REPATRIATION", 10),
        ("ACCIDENT", 8),
        ("DETENTION", 6),
        ("TRAFFICKING", 5),
        ("DEATH", 3),
        ("MISSING", 3),
        ("UNDOCUMENTED", 8),
        ("OTHER", 10),
        ("SEXUAL_VIOLENCE", 3),
        ("DOCUMENT_WITHHELD", 4),
        ("DEATH_PENALTY", 0.5),
    )
)
UNDOCUMENTED_CASE_KINDS = Weighted(
    (
        ("UNDOCUMENTED", 35),
        ("DETENTION", 20),
        ("TRAFFICKING", 10),
        ("WAGE_DISPUTE", 10),
        ("ABUSE", 8),
        ("ILLNESS", 5),
        ("REPATRIATION", 6),
        ("MISSING", 2),
        ("DEATH", 2),
        ("ACCIDENT", 1),
        ("OTHER", 1),
        ("DEATH_PENALTY", 1),
        ("DOCUMENT_WITHHELD", 3),
        ("SEXUAL_VIOLENCE", 2),
    )
)
SEVERITY: dict[str, Weighted[str]] = {
    kind: Weighted(pairs)
    for kind, pairs in {
        "DEATH": (("CRITICAL", 6), ("HIGH", 4)),
        "TRAFFICKING": (("CRITICAL", 5), ("HIGH", 5)),
        "MISSING": (("CRITICAL", 6), ("HIGH", 4)),
        "DETENTION": (("CRITICAL", 3), ("HIGH", 5), ("MEDIUM", 2)),
        "ABUSE": (("CRITICAL", 3), ("HIGH", 5), ("MEDIUM", 2)),
        "ILLNESS": (("HIGH", 3), ("MEDIUM", 5), ("LOW", 2)),
        "ACCIDENT": (("CRITICAL", 1), ("HIGH", 4), ("MEDIUM", 4), ("LOW", 1)),
        "WAGE_DISPUTE": (("HIGH", 1), ("MEDIUM", 5), ("LOW", 3), ("INFO", 1)),
        "UNDOCUMENTED": (("HIGH", 2), ("MEDIUM", 5), ("LOW", 3)),
        "REPATRIATION": (("MEDIUM", 5), ("LOW", 3), ("INFO", 2)),
        "OTHER": (("MEDIUM", 3), ("LOW", 4), ("INFO", 3)),
        "DEATH_PENALTY": (("CRITICAL", 8), ("HIGH", 2)),
        "SEXUAL_VIOLENCE": (("CRITICAL", 5), ("HIGH", 5)),
        "DOCUMENT_WITHHELD": (("HIGH", 2), ("MEDIUM", 6), ("LOW", 2)),
    }.items()
}
SUMMARIES: dict[str, tuple[str, ...]] = {
    "WAGE_DISPUTE": (
        "Unpaid wages for three months",
        "Salary below the contract",
        "Employer withholds wages and rest days",
    ),
    "ILLNESS": (
        "Hospitalised, employer not paying treatment",
        "Chronic illness, asks to go home",
        "Needs medical treatment",
    ),
    "ABUSE": (
        "Physical abuse by employer",
        "Verbal abuse and no rest day",
        "Ran away from employer after abuse",
    ),
    "REPATRIATION": (
        "Requests repatriation",
        "Contract ended, ticket home not provided",
        "Stranded after termination",
    ),
    "ACCIDENT": (
        "Work accident, hand injured",
        "Fell at the work site",
        "Traffic accident on the way to work",
    ),
    "DETENTION": (
        "Held by immigration, no work permit",
        "Detained by police",
        "In immigration depot awaiting deportation",
    ),
    "TRAFFICKING": (
        "Suspected trafficking: passport held, forced work",
        "Recruited through an unlicensed broker, not the job promised",
        "Online-scam compound, asks for rescue",
    ),
    "DEATH": (
        "Died at the workplace; repatriation of remains",
        "Died in hospital; family informed",
        "Death in an accident",
    ),
    "MISSING": (
        "Family lost contact for months",
        "Left employer, whereabouts unknown",
        "Seafarer missing at sea",
    ),
    "UNDOCUMENTED": (
        "Overstayed visa, asks for travel document",
        "No passport, asks for a travel document (SPLP)",
        "Entered without documents, wants to return",
    ),
    "DEATH_PENALTY": (
        "Charged with a capital offence; lawyer appointed",
        "Sentenced to death, appeal pending",
    ),
    "SEXUAL_VIOLENCE": (
        "Raped by the employer's relative; in the shelter",
        "Sexual harassment at work, asks for protection",
    ),
    "DOCUMENT_WITHHELD": (
        "Passport held by the employer",
        "Agency keeps the passport and contract",
    ),
    "OTHER": (
        "Asks for legal advice",
        "Dispute over contract terms",
        "Lost passport, needs a replacement",
    ),
}
_STATUS = Weighted((("OPEN", 35), ("IN_PROGRESS", 25), ("CLOSED", 40)))
_STATUS_PAST = Weighted((("OPEN", 5), ("IN_PROGRESS", 10), ("CLOSED", 85)))
CASE_RATE = {
    "WORKING": RATES["embassy case (WORKING)"],
    "DEPARTED": 0.01,
    "RETURNED": 0.04,
    "EMBASSY_ONLY": RATES["embassy case (embassy only)"],
}


def embassy_records(f: Factory, p: Plan) -> tuple[list[dict[str, Any]], list[tuple[str, int]]]:
    """The person's mission records, and the (kind, day) of each case opened for them."""
    r, A = f.r, f.as_of
    stays: list[tuple[str, str, int, int, Placement | None]] = []  # mission, city, from, to, pl
    if p.kind == "EMBASSY_ONLY":
        city, mission = p.dest.cities.pick(r())
        stays.append((mission, city, p.anchor + int(r() * (A - p.anchor)), A, None))
    else:
        departed = [(pl, pl.departed) for pl in p.placements if pl.departed is not None][-2:]
        for pl, left in departed:
            latest = pl is p.placements[-1]
            if latest and pl.status == "WORKING":
                rate = (
                    0.95
                    if pl.scheme == "G_TO_G"
                    else RATES["reported to the mission (WORKING, G to G / other)"]
                )
            else:
                rate = {"DEPARTED": 0.25, "RETURNED": 0.65}.get(pl.status, 0.6) if latest else 0.6
            reported = left + 3 + int(r() * 50)
            if r() < rate and reported <= A:
                stop = min(A, pl.returned if pl.returned is not None else A)
                stays.append((pl.mission, pl.city, min(reported, stop), stop, pl))
    records: list[dict[str, Any]] = []
    cases: list[tuple[str, int]] = []
    previous: tuple[str, str | None] | None = None
    for mission, city, reported, stop, pl in stays:
        passport = p.passport_at(reported)
        if (
            records
            and previous is not None
            and previous[0] == mission
            and (previous[1] == passport or r() < 0.5)
        ):
            record = records[-1]  # the same record, updated with the new stay
            if passport is not None:
                record["passportKnown"] = passport
        else:
            record = _new_record(f, p, mission, reported, passport)
            records.append(record)
        previous = (mission, passport)
        contact = reported + int(r() * (stop - reported + 1))
        report = {
            "mission": mission,
            "reportedOn": f.day(reported),
            "address": city,
            "lastContactOn": f.day(contact),
        }
        if r() < RATES["lapor diri purpose recorded (per report)"]:
            report["purpose"] = "WORK"  # the generated people are workers
        record["reports"].append(report)
        if pl is not None and r() < (0.85 if pl.end0 is not None else 0.8):
            record.setdefault("endorsedContracts", []).append(pl.pid)
        if pl is not None and pl.end0 is not None and pl.ext_signed and pl.end0 - 20 <= A:
            record.setdefault("extensions", []).append(
                {
                    "placementId": pl.pid,
                    "contractEnd": f.day(pl.end),
                    "signedOn": f.day(pl.end0 - 20),
                }
            )
    ready = p.placements[-1] if p.kind == "READY" else None
    endorse = RATES["contract endorsed before departure (of READY private placements)"]
    # the destination's mission endorses the contract before departure (KDEI Taipei's
    # "Legalisasi Dokumen"): a record holding the endorsement and no lapor diri yet
    if (
        ready is not None
        and ready.licence is not None
        and ready.sector != "FISHERIES_SEA"
        and r() < endorse
    ):
        endorsed = min(A, ready.reg + 40 + int(r() * 60))
        record = _new_record(f, p, ready.mission, endorsed, p.passport_at(endorsed))
        record["endorsedContracts"] = [ready.pid]
        records.append(record)
    if records and stays:
        mission, _, reported, stop, _ = stays[-1]
        if r() < CASE_RATE.get(p.kind, 0.0):
            record = records[-1]
            for _ in range(1 if r() < 0.85 else 2):
                cases.append(_case(f, p, record, mission, reported, stop))
    return records, cases


def _new_record(
    f: Factory, p: Plan, mission: str, reported: int, passport: str | None
) -> dict[str, Any]:
    r = f.r
    year = f.cal.year(reported)
    record: dict[str, Any] = {
        "recordId": f"{mission}-WNI-{year}-{f.ids.seq('WNI', f'{mission}{year}'):06d}"
    }
    name = spell(p.tokens, p.father, p.muslim, p.female, "EMBASSY", r)
    if name != p.name:
        record["nameAs"] = name
    swapped = f.swapped_birth_date(
        p.dob, RATES["birth date with day and month swapped (per embassy record)"]
    )
    if swapped:
        record["birthDateAs"] = swapped
    if r() < (0.65 if p.kind == "EMBASSY_ONLY" else 0.55):
        record["nikKnown"] = False
    if passport is not None:
        record["passportKnown"] = passport
    record["reports"] = []
    return record


def _case(
    f: Factory, p: Plan, record: dict[str, Any], mission: str, start: int, stop: int
) -> tuple[str, int]:
    r = f.r
    kind = (UNDOCUMENTED_CASE_KINDS if p.kind == "EMBASSY_ONLY" else CASE_KINDS).pick(r())
    day = stop - int(r() ** 2 * min(730, stop - start))
    year = f.cal.year(day)
    status = (_STATUS_PAST if p.kind == "RETURNED" else _STATUS).pick(r())
    if kind == "DEATH" and status == "OPEN":
        status = "IN_PROGRESS"
    summaries = SUMMARIES[kind]
    record.setdefault("cases", []).append(
        {
            "id": f"{mission}-{year}-{f.ids.seq('CASE', f'{mission}{year}'):04d}",
            "kind": kind,
            "status": status,
            "severity": SEVERITY[kind].pick(r()),
            "openedAt": f"{f.day(day)}T{7 + int(r() * 11):02d}:{int(r() * 60):02d}:00"
            f"{MISSION_OFFSET[mission]}",
            "summary": summaries[int(r() * len(summaries))],
        }
    )
    return kind, day
