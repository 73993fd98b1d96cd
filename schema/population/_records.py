"""What Kemnaker, P2MI and BPJS Ketenagakerjaan know of a planned person, in their own words."""

from __future__ import annotations

import random
from datetime import date
from typing import TYPE_CHECKING, Any

from schema.population._crew import crew_documents
from schema.population._destinations import OCCUPATIONS
from schema.population._employers import employer_name
from schema.population._names import spell
from schema.population._tables import Weighted
from schema.population.targets import (
    BPJS_FOR_PMI_FROM,
    CLAIM_DOCUMENTS_DAYS,
    CLAIM_PAYMENT_WORKING_DAYS,
    DEATH_ABROAD_BENEFIT,
    EXTRA_MONTH_CONTRIBUTION,
    MORATORIUM_COUNTRIES,
    POST_COVERAGE_DAYS,
    PRE_CONTRIBUTION,
    PRE_COVERAGE_MONTHS,
    RATES,
    SIP2MI_DIGITAL_FROM,
    SISKOTKLN_CLOSED,
    placement_contribution,
)

if TYPE_CHECKING:
    from schema.population._factory import Factory
    from schema.population._plan import Placement, Plan

_BPJS_FROM = date.toordinal(BPJS_FOR_PMI_FROM)
_SIP2MI_FROM = date.toordinal(SIP2MI_DIGITAL_FROM)
_SISKOTKLN_CLOSED = date.toordinal(SISKOTKLN_CLOSED)
_COMPLAINT_KINDS = Weighted(
    (
        ("WAGE_DISPUTE", 40),
        ("ABUSE", 10),
        ("REPATRIATION", 15),
        ("OTHER", 25),
        ("TRAFFICKING", 5),
        ("ILLNESS", 5),
        ("DOCUMENT_WITHHELD", 4),
    )
)
_COMPLAINT_SEVERITY = Weighted((("LOW", 3), ("MEDIUM", 5), ("HIGH", 2)))
_COMPLAINTS = {
    "WAGE_DISPUTE": ("Gaji tidak dibayar tiga bulan", "Potongan gaji melebihi perjanjian"),
    "ABUSE": ("Mengalami kekerasan dari majikan", "Tidak diberi hari libur"),
    "REPATRIATION": ("Minta dipulangkan", "Kontrak habis, tiket pulang tidak diberikan"),
    "OTHER": ("Biaya penempatan melebihi ketentuan", "Dokumen ditahan agensi"),
    "TRAFFICKING": ("Diduga korban perdagangan orang", "Direkrut calo tanpa izin"),
    "ILLNESS": ("Sakit dan tidak mendapat pengobatan", "Perlu perawatan, majikan menolak"),
    "DOCUMENT_WITHHELD": ("Paspor ditahan majikan", "Dokumen ditahan agensi"),
    "FAILED_DEPARTURE": ("Gagal berangkat, biaya tidak dikembalikan", "Batal berangkat"),
}
_STATUS = Weighted((("OPEN", 30), ("IN_PROGRESS", 30), ("CLOSED", 40)))
_CLAIM_STATUS = Weighted((("SUBMITTED", 3), ("VERIFIED", 2), ("PAID", 4), ("REJECTED", 1)))
_JHT_AMOUNTS = (50_000, 100_000, 200_000, 300_000, 400_000, 500_000, 600_000)
# Cases whose benefit is claimed, and how often (assumption: BPJS paid 2,368 PMI claims from
# 2017 to May 2024 [S15], few beside the cases the missions record).
_CLAIMED = {"DEATH": 0.85, "ACCIDENT": 0.6, "ILLNESS": 0.4, "SEXUAL_VIOLENCE": 0.3}
_BENEFIT = {"DEATH": "DEATH", "ACCIDENT": "WORK_ACCIDENT", "SEXUAL_VIOLENCE": "SEXUAL_VIOLENCE"}


def kemnaker_record(f: Factory, p: Plan) -> dict[str, Any] | None:
    r = f.r
    if p.kind == "KEMNAKER_ONLY":
        registered = p.anchor
    elif p.kind == "EMBASSY_ONLY":
        if r() >= 0.12:
            return None
        registered = p.anchor - 30 - int(r() * 300)
    else:
        if r() >= 0.93:
            return None
        registered = p.placements[0].reg - int(r() * 60)
    year = f.cal.year(registered)
    record: dict[str, Any] = {"jobSeekerId": f"AK1-{year}-{f.ids.seq('AK1', year):06d}"}
    name = spell(p.tokens, p.father, p.muslim, p.female, "KEMNAKER", r)
    if name != p.name:
        record["nameAs"] = name
    swapped = f.swapped_birth_date(p.dob, 0.01)
    if swapped:
        record["birthDateAs"] = swapped
    record["registeredOn"] = f.day(registered)
    return record


def _placement(f: Factory, p: Plan, pl: Placement) -> dict[str, Any]:
    r, day, ids, dest = f.r, f.day, f.ids, pl.dest
    year = f.cal.year(pl.reg)
    pl.pid = f"PL-{year}-{ids.seq('PL', year):07d}"
    out: dict[str, Any] = {"placementId": pl.pid}
    region = p.regency.code
    if pl.departed is not None or (pl.status == "READY" and r() < 0.5):
        old = pl.departed is not None and pl.departed < _SISKOTKLN_CLOSED
        card = "KTKLN" if old else "EPMI"
        out["cardNumber"] = f"{card}-{region}-{ids.seq(card, region):07d}"
    out["status"] = pl.status
    out["scheme"] = pl.scheme
    out["country"] = dest.country
    out["occupation"] = OCCUPATIONS[pl.sector].pick(r())
    out["sector"] = pl.sector
    if pl.licence is not None:
        out["agencyLicense"] = pl.licence
    if pl.status != "REGISTERED" or r() < 0.7:
        employer = {
            "name": employer_name(dest.country, pl.sector, pl.spsk, r),
            "country": dest.country,
            "city": pl.city,
        }
        if r() < 0.5:
            digits = dest.phone_digits
            employer["phone"] = f"{dest.phone_prefix}{int(r() * 10**digits):0{digits}d}"
        kind = _employer_kind(f, pl, out["occupation"])
        if kind is not None:
            employer["kind"] = kind
        out["employer"] = employer
    out["contractStart"] = day(pl.start)
    out["contractEnd"] = day(pl.end0 if pl.end0 is not None else pl.end)
    if pl.end0 is not None:
        out["extensions"] = [{"contractEnd": day(pl.end), "signedOn": day(pl.end0 - 20)}]
    if pl.agreement is not None:
        out["agreementSignedOn"] = day(pl.agreement)
    if pl.licence is not None and (pl.departed or pl.start) >= _SIP2MI_FROM:
        u = r()
        if u >= RATES["no SIP2MI on record (of private placements since 2025)"]:
            year = f.cal.year(pl.reg)
            out["sip2mi"] = f"SIP2MI-{year}-{ids.seq('SIP2MI', year):06d}"
            wrong = (
                u
                < RATES["no SIP2MI on record (of private placements since 2025)"]
                + RATES["SIP2MI for another country (of private placements since 2025)"]
            )
            out["sip2miCountry"] = "MY" if wrong and dest.country != "MY" else dest.country
    if "cardNumber" in out and out["cardNumber"].startswith("EPMI"):
        out["cardExpiresOn"] = day(pl.end0 if pl.end0 is not None else pl.end)
    if pl.cancelled is not None:
        out["cancelledOn"] = day(pl.cancelled)
    crew_documents(f, pl, out)
    if pl.orientation is not None:
        out["orientationCompleted"] = pl.orientation
    if pl.departed is not None:
        out["departedOn"] = day(pl.departed)
    if pl.returned is not None:
        out["returnedOn"] = day(pl.returned)
    return out


def _employer_kind(f: Factory, pl: Placement, occupation: str) -> str | None:
    """Household or company (Kepmenaker 260/2015's employer types), when SISKOP2MI records it:
    a domestic worker's employer is a household; a caregiver's mostly, some work for hospitals
    and nursing homes; drivers and gardeners in the Middle East are often a family's."""
    r = f.r
    if r() >= RATES["employer kind recorded (of employers)"]:
        return None
    if pl.sector == "DOMESTIC":
        return "HOUSEHOLD"
    if pl.sector == "CARE":
        company = RATES["care worker employed by a company (of CARE, kind recorded)"]
        return "COMPANY" if r() < company else "HOUSEHOLD"
    household = RATES["household driver, gardener or cook (of OTHER in moratorium countries)"]
    if pl.sector == "OTHER" and pl.dest.country in MORATORIUM_COUNTRIES and r() < household:
        return "HOUSEHOLD" if occupation in ("Driver", "Gardener") else "COMPANY"
    return "COMPANY"


def p2mi_records(f: Factory, p: Plan) -> list[dict[str, Any]]:
    """One SISKOP2MI record; sometimes also the old SISKOTKLN one, keyed by the old passport."""
    r, placements = f.r, p.placements
    items = [_placement(f, p, pl) for pl in placements]
    first = placements[0]
    split = (
        len(placements) >= 2
        and first.departed is not None
        and first.departed < _SISKOTKLN_CLOSED
        and r() < RATES["old SISKOTKLN record kept beside the new one (of eligible)"]
    )
    groups = (
        [(placements[:1], items[:1], True), (placements[1:], items[1:], False)]
        if split
        else [(placements, items, False)]
    )
    records = []
    for group, group_items, old in groups:
        year = f.cal.year(group[0].reg)
        record: dict[str, Any] = {
            "pmiId": f"PMI-{p.regency.code}-{year}-{f.ids.seq('PMI', year):07d}"
        }
        name = spell(p.tokens, p.father, p.muslim, p.female, "P2MI", r)
        if name != p.name:
            record["nameAs"] = name
        if not old and p.fake_dob is not None:  # a minor placed as an adult
            record["birthDateAs"] = f.day(p.fake_dob)
        elif not old and r() < 0.005:  # an age "adjusted" by the agency (Ombudsman 2017)
            record["birthDateAs"] = f.day(f.cal.add_years(p.dob, -1 - int(r() * 3)))
        if old:
            record["nikKnown"] = False
            passport = p.passport_at(group[0].reg)
            if passport is not None:
                record["passportKnown"] = passport
        record["placements"] = group_items
        records.append(record)
    latest = placements[-1]
    if latest.departed is not None and r() < RATES["P2MI complaint (of departed)"]:
        records[-1]["complaints"] = [_complaint(f, latest, latest.departed)]
    elif latest.cancelled is not None and r() < RATES["failed-departure complaint (of CANCELLED)"]:
        records[-1]["complaints"] = [_complaint(f, latest, latest.cancelled, "FAILED_DEPARTURE")]
    return records


def _complaint(f: Factory, pl: Placement, departed: int, kind: str | None = None) -> dict[str, Any]:
    r, A = f.r, f.as_of
    stop = min(A, pl.returned + 60 if pl.returned is not None else A)
    filed = departed + int(r() * (stop - departed + 1))
    year = f.cal.year(filed)
    kind = kind or _COMPLAINT_KINDS.pick(r())
    texts = _COMPLAINTS[kind]
    return {
        "id": f"ADU-{year}-{f.ids.seq('ADU', year):06d}",
        "kind": kind,
        "status": _STATUS.pick(r()),
        "severity": _COMPLAINT_SEVERITY.pick(r()),
        "filedOn": f.day(filed),
        "summary": texts[int(r() * len(texts))],
    }


def _bpjs_mode(f: Factory, p: Plan) -> str:
    u, kind = f.r(), p.kind
    if kind in ("WORKING", "DEPARTED"):
        never = RATES["BPJS never enrolled (of abroad)"]  # procedural workers only
        pre = never + RATES["BPJS paid only before departure (of abroad)"]
        return "NONE" if u < never else "PRE_ONLY" if u < pre else "FULL"
    if kind == "RETURNED":
        return "NONE" if u < 0.1 else "FULL"
    limit = {"READY": 0.15, "REGISTERED": 0.5, "CANCELLED": 0.4}.get(kind, 1.0)
    return "NONE" if u < limit else "PRE"


class _Cover:
    """Coverages and contributions of one KPJ."""

    __slots__ = ("claims", "contributions", "coverages")

    def __init__(self) -> None:
        self.coverages: list[dict[str, Any]] = []
        self.contributions: list[dict[str, Any]] = []
        self.claims: list[dict[str, Any]] = []


def bpjs_records(f: Factory, p: Plan, cases: list[tuple[str, int]]) -> list[dict[str, Any]]:
    if not p.placements:
        return []
    r, A, day, months_after = f.r, f.as_of, f.day, f.cal.add_months
    latest = p.placements[-1]
    mode = _bpjs_mode(f, p)
    covers: list[tuple[int, _Cover]] = []  # (first payment, cover) per KPJ

    def cover_for(paid: int, fresh: bool) -> _Cover:
        if fresh or not covers:
            covers.append((paid, _Cover()))
        return covers[-1][1]

    def cover(c: _Cover, phase: str, start: int, end: int, jht: bool = False) -> None:
        s, e = day(start), day(end)
        for program in ("JKK", "JKM", "JHT") if jht else ("JKK", "JKM"):
            c.coverages.append({"program": program, "phase": phase, "start": s, "end": e})

    def pay(c: _Cover, paid: int, amount: int) -> None:
        text = day(paid)
        c.contributions.append({"period": text[:7], "amount": amount, "paidOn": text})

    for pl in p.placements:
        is_latest = pl is latest
        if (is_latest and mode == "NONE") or (not is_latest and r() < 0.1):
            continue
        independent = pl.scheme == "INDEPENDENT"
        if is_latest and mode == "PRE_ONLY" and independent:
            continue  # one payment or none: an independent worker cannot pay "before" only
        if is_latest and mode in ("PRE", "PRE_ONLY") and independent and pl.departed is None:
            # Permenaker 4/2023 Art. 18(2): one payment for placement and after, no pre-work fee
            paid = pl.reg + int(r() * min(20, max(1, A - pl.reg)))
            c = cover_for(paid, bool(covers) and r() < 0.3)
            cover(c, "PLACEMENT", paid, months_after(pl.end, 1))
            pay(c, paid, placement_contribution(pl.months))
            continue
        if is_latest and mode in ("PRE", "PRE_ONLY"):
            paid = pl.reg + int(r() * min(20, max(1, A - pl.reg)))
            if pl.agreement is not None and not independent:
                paid = max(paid, min(A, pl.agreement))  # due after the agreement (Art. 19)
            c = cover_for(paid, bool(covers) and r() < 0.3)
            end = months_after(paid, PRE_COVERAGE_MONTHS) - 1
            if pl.departed is not None:
                end = min(end, pl.departed - 1)
            cover(c, "PRE_PLACEMENT", paid, max(end, paid))
            pay(c, paid, PRE_CONTRIBUTION)
            if pl.status == "CANCELLED" and r() < 0.25:
                c.claims.append(
                    {
                        "program": "JKK",
                        "status": _CLAIM_STATUS.pick(r()),
                        "submittedOn": day(min(A, paid + 60 + int(r() * 90))),
                        "benefit": "FAILED_DEPARTURE",
                    }
                )
            continue
        departed = pl.departed
        if departed is None or departed < _BPJS_FROM:
            continue
        paid = max(pl.reg, departed - 5 - int(r() * 40))
        c = cover_for(
            paid,
            is_latest
            and bool(covers)
            and r() < RATES["two KPJ numbers (of people with two BPJS-era placements)"],
        )
        jht = r() < RATES["JHT enrolled (of covered placements)"]
        if is_latest and departed > paid and not independent:
            cover(c, "PRE_PLACEMENT", paid, departed - 1)
        original_end = pl.end0 if pl.end0 is not None else pl.end
        cover(c, "PLACEMENT", departed, months_after(original_end, 1), jht)
        fee = 0 if independent else PRE_CONTRIBUTION
        pay(c, paid, fee + placement_contribution(pl.months))
        if jht:
            amount = _JHT_AMOUNTS[int(r() * len(_JHT_AMOUNTS))]
            for month in range(3):
                pay(c, min(A, months_after(departed, month) + 5), amount)
        if pl.end0 is not None and pl.ext_paid:
            cover(c, "PLACEMENT", pl.end0 + 1, months_after(pl.end, 1))
            pay(c, min(A, pl.end0 - int(r() * 30)), EXTRA_MONTH_CONTRIBUTION * pl.ext_months)
        kept = RATES["post-placement record kept by BPJS (of returnees)"]
        if pl.returned is not None and is_latest and r() < kept:
            # else only the placement payment, which buys the post-placement cover too
            cover(c, "POST_PLACEMENT", pl.returned, pl.returned + POST_COVERAGE_DAYS - 1)
            if jht and r() < 0.5:
                c.claims.append(
                    {
                        "program": "JHT",
                        "status": _CLAIM_STATUS.pick(r()),
                        "submittedOn": day(min(A, pl.returned + 7 + int(r() * 60))),
                        "amount": amount * pl.months,
                    }
                )
        if is_latest:
            for kind, opened in cases:
                program = "JKM" if kind == "DEATH" else "JKK"
                if kind in _CLAIMED and opened < A and r() < _CLAIMED[kind]:
                    paid_out = (
                        DEATH_ABROAD_BENEFIT
                        if kind == "DEATH"
                        else (1_000_000 * (2 + int(r() * 48)))
                    )
                    claim: dict[str, Any] = {
                        "program": program,
                        "status": _CLAIM_STATUS.pick(r()),
                        "submittedOn": day(opened + 1 + int(r() * (A - opened))),
                        "amount": paid_out,
                    }
                    if kind in _BENEFIT:
                        claim["benefit"] = _BENEFIT[kind]
                    c.claims.append(claim)
    records = []
    for first_paid, c in covers:
        record: dict[str, Any] = {"kpj": f.ids.kpj(f.cal.year(first_paid))}
        name = spell(p.tokens, p.father, p.muslim, p.female, "BPJS", r)
        if name != p.name:
            record["nameAs"] = name
        swapped = f.swapped_birth_date(p.dob, 0.02)
        if swapped:
            record["birthDateAs"] = swapped
        record["coverages"] = c.coverages
        record["contributions"] = c.contributions
        if c.claims:
            record["claims"] = [_paid(claim, record["kpj"], A, f.day) for claim in c.claims]
        records.append(record)
    return records


def _paid(claim: dict[str, Any], kpj: str, as_of: int, day: Any) -> dict[str, Any]:
    """A PAID claim gets the day it was paid: its documents complete some days after it was
    submitted (CLAIM_DOCUMENTS_DAYS, an assumption), then paid within the legal deadline
    (CLAIM_PAYMENT_WORKING_DAYS, in working days: five in seven calendar days), never after
    the scenario's date. Drawn from its own generator so the population stays as it was."""
    if claim["status"] != "PAID":
        return claim
    r = random.Random(f"{kpj}:{claim['program']}:{claim['submittedOn']}").random
    submitted = date.fromisoformat(claim["submittedOn"]).toordinal()
    program = claim["program"]
    complete = int(r() ** 2 * CLAIM_DOCUMENTS_DAYS[program])  # most soon, a few late
    working = 1 + int(r() * CLAIM_PAYMENT_WORKING_DAYS[program])
    paid = submitted + complete + (working * 7 + 4) // 5
    return {**claim, "paidOn": day(min(as_of, paid))}
