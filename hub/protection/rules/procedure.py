"""Procedural placement: on record in SISKOP2MI, to an open destination, after orientation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from hub.protection import labels
from hub.protection.facts import BPJS, EMBASSY, P2MI
from hub.protection.law import HOUSEHOLD_OCCUPATION_WORDS, UU_18_2017, Law
from hub.protection.rule import Context, Hit, rule
from hub.protection.rules.people import age_on, birth_dates, is_crew
from hub.protection.situation import Stage
from hub.protection.text import Text
from hub.protection.verdict import Action, Party
from schema.enums import CaseKind, CaseStatus, EmployerKind, PlacementStatus, Sector, Severity
from schema.records import MissionRecord, PlacementRecord, Provenance

ANY_MISSION = Text("perwakilan RI", "an Indonesian mission")
SPSK_NOTE = Text(
    " Pengecualian hanya melalui SPSK (Kepmenaker 291/2018); data tidak memuat penanda SPSK,"
    " periksa skemanya.",
    " The only exception is the one-channel scheme SPSK (Kepmenaker 291/2018); the records"
    " carry no SPSK flag, verify the scheme.",
)
NO_NOTE = Text("", "")
RISK_CASES = frozenset({CaseKind.UNDOCUMENTED, CaseKind.TRAFFICKING})
TRAVEL_STAGES = (Stage.PRE_PLACEMENT, Stage.PLACEMENT)


def _start(p: PlacementRecord, today: date) -> date:
    return p.departed_on or p.contract_start or today


def risk_markers(ctx: Context) -> tuple[list[Text], tuple[Provenance, ...]]:
    """What turns a stay abroad with no placement on record into a risk (domain-2026 C6): an
    open case or complaint, a mission in a moratorium or closed country, no BPJS membership
    (when BPJS answered), an age under the minimum; and the records that show it (a missing
    BPJS membership has none: the message says it)."""
    found: list[Text] = []
    open_cases = [c for c in ctx.facts.cases if c.status != CaseStatus.CLOSED]
    evidence = tuple(c.provenance for c in open_cases)
    if any(c.kind in RISK_CASES for c in open_cases):
        found.append(Text("kasus nonprosedural/TPPO", "an undocumented or trafficking case"))
    elif open_cases:
        found.append(Text("kasus atau pengaduan terbuka", "an open case or complaint"))
    for r in ctx.facts.reports:
        country = r.mission.country if r.mission else None
        if country and (
            ctx.config.closed_on(country, r.reported_on)
            or ctx.config.moratorium_on(country, r.reported_on)
        ):
            found.append(Text("negara tanpa penempatan resmi", "a country closed to placement"))
            break
    if BPJS in ctx.facts.readable() and not ctx.facts.memberships:
        found.append(Text("tanpa BPJS Ketenagakerjaan", "no BPJS Ketenagakerjaan membership"))
    ages = [age_on(born, ctx.today) for born in birth_dates(ctx)]
    if ages and min(ages) < ctx.config.minimum_age:
        found.append(Text("di bawah umur", "under age"))
        evidence += _born_holders(ctx)
    return found, evidence


@rule(
    code="NOT_IN_SISKOP2MI",
    severity=Severity.MEDIUM,
    law=Law(
        "UU 18/2017 Art. 5 and 13 (procedural placement: registered in SISKOP2MI); Permen "
        "P2MI 27/2025 (registering, pendataan, of PMI already abroad) and 34/2025 (E-KPMI)",
        ("[S28]", "[S32]", "[S50]", "[S52]", "DOMAIN §6.1"),
        since=UU_18_2017,
    ),
    condition="The worker is known to an Indonesian mission (a lapor diri for work or of "
    "unrecorded purpose, a consular case or a mission record) but SISKOP2MI holds no placement "
    "for this stay: none that was not cancelled, or the last one ended with a return before a "
    "later lapor diri. A lapor diri for study, family or another purpose alone is no finding "
    "(every citizen staying over six months reports). MEDIUM: offer registration. HIGH with a "
    "risk marker: an open case or complaint (undocumented or trafficking above all), a lapor "
    "diri in a moratorium or closed country, no BPJS membership (when BPJS answered), or an "
    "age under {c.minimum_age}.",
    message=Text(
        "Tercatat di {where}, tetapi SISKOP2MI tidak memuat penempatan untuk masa tinggal "
        "ini.{risk}",
        "Known to {where}, but SISKOP2MI holds no placement for this stay.{risk}",
    ),
    action=Text(
        "Tawarkan pendataan PMI di luar negeri (Permen P2MI 27/2025) dan kartu E-KPMI, periksa "
        "kepesertaan BPJS Ketenagakerjaan.{check}",
        "Offer registration of a PMI abroad (pendataan, Permen P2MI 27/2025) and the E-KPMI "
        "card, and check BPJS Ketenagakerjaan membership.{check}",
    ),
    actions=(
        Action(
            Party.WORKER,
            Text(
                "Daftarkan pekerjaan Anda di luar negeri ke KP2MI (gratis) melalui perwakilan RI, "
                "agar Anda mendapat kartu E-KPMI dan perlindungan.",
                "Register your work abroad with KP2MI (free) through the Indonesian mission, so "
                "that you get the E-KPMI card and protection.",
            ),
        ),
    ),
    needs=(P2MI, EMBASSY),
    stages=(Stage.PLACEMENT,),
)
def not_in_siskop2mi(ctx: Context) -> Iterator[Hit]:
    seen = ctx.situation.unplaced_abroad
    if ctx.placement is not None or not seen:
        return
    mission = _latest_mission(ctx)
    where = Text(mission.name, mission.name) if mission else ANY_MISSION
    markers, shown = risk_markers(ctx)
    if not markers:
        yield Hit({"where": where, "risk": NO_NOTE, "check": NO_NOTE}, seen)
        return
    risk = Text(
        " Tanda risiko: " + "; ".join(m.id for m in markers) + ".",
        " Risk marker: " + "; ".join(m.en for m in markers) + ".",
    )
    check = Text(
        " Berikan pendampingan pelindungan WNI dan periksa indikasi perdagangan orang (TPPO).",
        " Give consular protection and check for signs of human trafficking.",
    )
    evidence = tuple(dict.fromkeys((*seen, *shown)))
    yield Hit({"where": where, "risk": risk, "check": check}, evidence, Severity.HIGH)


def _latest_mission(ctx: Context) -> MissionRecord | None:
    reports = [r for r in ctx.facts.reports if r.mission is not None]
    if reports:
        return max(reports, key=lambda r: r.reported_on).mission
    return next((c.mission for c in ctx.facts.cases if c.mission is not None), None)


def household(p: PlacementRecord) -> tuple[bool, bool]:
    """Whether the employer is a household, and whether that is read from the records (True)
    or assumed from the job (False): a domestic or care worker's employer, or a family
    driver's, gardener's or cook's, is a household unless the records say otherwise."""
    kind = p.employer.kind if p.employer else None
    if kind is not None:
        return kind is EmployerKind.HOUSEHOLD, True
    job = p.occupation.lower()
    by_job = p.sector in (Sector.DOMESTIC, Sector.CARE) or any(
        w in job for w in HOUSEHOLD_OCCUPATION_WORDS
    )
    return by_job, False


@rule(
    code="MORATORIUM_DESTINATION",
    severity=Severity.HIGH,
    law=Law(
        "Kepmenaker 260/2015 (no placement with household employers, pengguna perseorangan, in "
        "Middle Eastern countries, from 1 July 2015); exception: SPSK, Kepmenaker 291/2018",
        ("DOMAIN [75]-[79]", "[S35]", "[S36]", "[S37]", "[S38]"),
        since=date(2015, 7, 1),
        weak="The country list differs between published sources and no revoking decree was "
        "found after the March 2025 approval to reopen Saudi Arabia; verify before each release.",
    ),
    condition="The current placement's employer is a household (employer kind HOUSEHOLD, or, "
    "when the kind is not recorded, a domestic or care job or a family driver, gardener or "
    "cook) in a country under the moratorium on the placement's start (departure, else "
    "contract start, else today), per the dated list in Configuration. A company employer "
    "(a hospital, a nursing home) is not reported, whatever the sector; nor are crews (PP "
    "22/2022). In an SPSK country, a placement through a company on the entry's approved "
    "list is not reported; any other is, asking to verify the scheme (the records carry no "
    "SPSK flag and the approved list is empty until sourced).",
    message=Text(
        "Penempatan sebagai {sector} pada pengguna perseorangan{assumed} di {country}, negara "
        "yang ditutup bagi pengguna perseorangan (Kepmenaker 260/2015).{spsk}",
        "Placement as a {sector} with a household employer{assumed} in {country}, a destination "
        "closed to household employers (Kepmenaker 260/2015).{spsk}",
    ),
    action=Text(
        "Sebelum berangkat: hentikan proses penempatan dan laporkan ke KP2MI. Sudah di negara "
        "tujuan: hubungi pekerja melalui perwakilan dan periksa indikasi TPPO.",
        "Before departure: stop the placement and report it to KP2MI. Already abroad: contact "
        "the worker through the mission and check for signs of trafficking.",
    ),
    actions=(
        Action(
            Party.P3MI,
            Text(
                "Hentikan penempatan pada pengguna perseorangan di negara ini.",
                "Stop placing workers with household employers in this country.",
            ),
        ),
        Action(
            Party.WORKER,
            Text(
                "Penempatan ini tidak resmi. Hubungi BP3MI atau perwakilan RI sebelum berangkat "
                "atau bila Anda butuh bantuan.",
                "This placement is not allowed. Contact BP3MI or the Indonesian mission before "
                "you leave or whenever you need help.",
            ),
        ),
    ),
    needs=(P2MI,),
    stages=TRAVEL_STAGES,
)
def moratorium_destination(ctx: Context) -> Iterator[Hit]:
    p = ctx.placement
    if p is None or is_crew(p):
        return
    started = _start(p, ctx.today)
    entry = ctx.config.moratorium_on(p.destination_country, started)
    if entry is None:
        return
    is_household, recorded = household(p)
    if not is_household:
        return
    spsk = entry.exception_law is not None and entry.exception_law.in_force(started)
    if spsk and p.agency_license in entry.approved:
        return  # through a company approved for the one-channel scheme
    assumed = (
        NO_NOTE
        if recorded
        else Text(" (jenis pengguna tidak tercatat)", " (employer kind not recorded)")
    )
    params = {
        "sector": labels.sector(p.sector),
        "country": labels.country(p.destination_country),
        "spsk": SPSK_NOTE if spsk else NO_NOTE,
        "assumed": assumed,
    }
    yield Hit(params, ctx.placement_evidence)


@rule(
    code="DESTINATION_NOT_OPEN",
    severity=Severity.HIGH,
    law=Law(
        "UU 18/2017 Art. 31-32 (placement only to countries that protect foreign workers; the "
        "government may stop or ban placement); PP 59/2021 Art. 4(4)(j) (the list of banned "
        "countries)",
        ("[S46]", "[S47]", "[S48]", "[S49]"),
        since=UU_18_2017,
        weak="Article numbers from a secondary summary; the closed list is not a published "
        "decree (see Configuration).",
    ),
    condition="The current placement's destination is closed to placement on its start day "
    "(the dated list in Configuration: online-scam and trafficking hubs with no placement "
    "channel).",
    message=Text(
        "Penempatan ke {country}, negara yang tidak dibuka untuk penempatan PMI.",
        "Placement to {country}, a country not open to the placement of migrant workers.",
    ),
    action=Text(
        "Sebelum berangkat: hentikan proses dan laporkan ke KP2MI. Sudah di sana: hubungi "
        "pekerja melalui perwakilan dan periksa indikasi TPPO dan penipuan daring.",
        "Before departure: stop the process and report it to KP2MI. Already there: contact the "
        "worker through the mission and check for trafficking and online-scam compounds.",
    ),
    actions=(
        Action(
            Party.WORKER,
            Text(
                "Negara ini tidak dibuka untuk penempatan PMI. Jangan berangkat; bila sudah di "
                "sana, hubungi perwakilan RI.",
                "This country is not open to migrant workers. Do not go; if you are already "
                "there, contact the Indonesian mission.",
            ),
        ),
    ),
    needs=(P2MI,),
    stages=TRAVEL_STAGES,
)
def destination_not_open(ctx: Context) -> Iterator[Hit]:
    p = ctx.placement
    if p is not None and ctx.config.closed_on(p.destination_country, _start(p, ctx.today)):
        yield Hit({"country": labels.country(p.destination_country)}, ctx.placement_evidence)


@rule(
    code="UNDERAGE_PLACEMENT",
    severity=Severity.HIGH,
    law=Law(
        "UU 18/2017 Art. 5(a) (a migrant worker is at least 18); PP 22/2022 (crews at least 18)",
        ("[S42]", "[S34]", "DOMAIN [109]"),
        since=UU_18_2017,
    ),
    condition="The worker is under {c.minimum_age} on the current placement's start "
    "(departure, else contract start, else today) by any agency's birth date. Birth dates "
    "that differ between agencies, so that one makes the worker a minor, are a known "
    "falsification pattern and are reported the same way. HIGH before departure, CRITICAL "
    "abroad.",
    message=Text(
        "Berumur {age} tahun saat penempatan ke {country} dimulai{differ}.",
        "Aged {age} when the placement to {country} starts{differ}.",
    ),
    action=Text(
        "Hentikan proses (sebelum berangkat) atau siapkan pemulangan dan pendampingan (sudah "
        "berangkat); periksa pemalsuan dokumen dan indikasi TPPO.",
        "Stop the process (before departure) or arrange return and support (abroad); check "
        "for forged documents and trafficking.",
    ),
    actions=(
        Action(
            Party.WORKER,
            Text(
                "Pekerja migran harus berumur paling sedikit 18 tahun. Bila umur di dokumen Anda "
                "tidak benar, hubungi BP3MI atau perwakilan RI untuk meminta bantuan.",
                "Migrant workers must be at least 18. If the age on your documents is not "
                "right, contact BP3MI or the Indonesian mission for help.",
            ),
        ),
    ),
    needs=(P2MI,),
    stages=TRAVEL_STAGES,
)
def underage_placement(ctx: Context) -> Iterator[Hit]:
    p = ctx.placement
    if p is None:
        return
    born = birth_dates(ctx)
    if not born:
        return
    started = _start(p, ctx.today)
    age = min(age_on(b, started) for b in born)
    if age >= ctx.config.minimum_age:
        return
    differ = (
        Text(" (tanggal lahir berbeda antarinstansi)", " (birth dates differ between agencies)")
        if len(born) > 1
        else NO_NOTE
    )
    abroad = ctx.situation.stage is Stage.PLACEMENT
    evidence = tuple(dict.fromkeys((*ctx.placement_evidence, *_born_holders(ctx))))
    params = {"age": age, "country": labels.country(p.destination_country), "differ": differ}
    yield Hit(params, evidence, Severity.CRITICAL if abroad else None)


def _born_holders(ctx: Context) -> tuple[Provenance, ...]:
    return tuple(p.provenance for p in ctx.facts.persons if p.birth_date is not None)


@rule(
    code="ORIENTATION_MISSING",
    severity=Severity.MEDIUM,
    law=Law(
        "PP 59/2021 (pre-work protection); Peraturan BP2MI 7/2022 (pre-departure process, OPP) "
        "and 2/2023 (G to G)",
        ("[S47]", "[S58]", "[S59]", "[S60]", "[S61]"),
        since=date(2021, 6, 7),
        weak="PP 59/2021's first day is from memory; a dedicated OPP regulation was still being "
        "harmonised in 2023 [S58].",
    ),
    condition="The current placement is READY to depart, or the worker has departed on it, and "
    "SISKOP2MI does not record the orientation as completed (false or not recorded). A "
    "REGISTERED placement is not reported: orientation comes later.",
    message=Text(
        "Orientasi Pra Pemberangkatan (OPP) untuk penempatan ke {country} tidak tercatat selesai.",
        "Pre-departure orientation (OPP) for the placement to {country} is not recorded as "
        "completed.",
    ),
    action=Text(
        "Sebelum berangkat: jadwalkan OPP di BP3MI atau LTSA. Sudah di luar negeri: sampaikan "
        "hak, kewajiban, dan kontak darurat melalui perwakilan.",
        "Before departure: schedule OPP at the BP3MI or the one-stop service (LTSA). Already "
        "abroad: brief the worker on rights, duties and emergency contacts through the mission.",
    ),
    actions=(
        Action(
            Party.P3MI,
            Text(
                "Daftarkan pekerja ke OPP sebelum keberangkatan.",
                "Enrol the worker in OPP before departure.",
            ),
        ),
        Action(
            Party.WORKER,
            Text(
                "Ikuti Orientasi Pra Pemberangkatan (OPP) sebelum berangkat; tanyakan jadwalnya "
                "ke BP3MI. Bila sudah di luar negeri, simpan nomor perwakilan RI.",
                "Attend the pre-departure orientation (OPP) before you leave; ask BP3MI for a "
                "date. If you are already abroad, keep the Indonesian mission's number.",
            ),
        ),
    ),
    needs=(P2MI,),
    stages=TRAVEL_STAGES,
)
def orientation_missing(ctx: Context) -> Iterator[Hit]:
    p = ctx.placement
    if p is None or p.orientation_completed is True or p.status == PlacementStatus.REGISTERED:
        return
    yield Hit({"country": labels.country(p.destination_country)}, ctx.placement_evidence)


RULES = (
    not_in_siskop2mi,
    moratorium_destination,
    destination_not_open,
    underage_placement,
    orientation_missing,
)
