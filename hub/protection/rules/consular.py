"""What the missions need to reach the worker abroad: a lapor diri and a valid passport."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from hub.protection.facts import EMBASSY, P2MI
from hub.protection.law import UU_18_2017, Law
from hub.protection.rule import Context, Hit, rule
from hub.protection.situation import Stage
from hub.protection.text import Text, days_since, days_until
from hub.protection.verdict import Action, Party
from schema.enums import Severity
from schema.records import Provenance

TRAVEL_STAGES = (Stage.PRE_PLACEMENT, Stage.PLACEMENT)
PASSPORT_LAW = Law(
    "UU 18/2017 Art. 13 (a passport is among the documents a placement needs); Peduli WNI "
    "warns six months before a passport expires",
    ("[S50]",),
    since=UU_18_2017,
)


@rule(
    code="NOT_REPORTED_TO_MISSION",
    severity=Severity.MEDIUM,
    law=Law(
        "UU 23/2006 Art. 18 (citizens abroad report to the mission: lapor diri); UU 18/2017 "
        "Art. 6(2) (the worker reports arrival, presence and return) and Art. 21 (the labour "
        "attaché registers workers); Permenaker 9/2019 Art. 23-24 (the company informs the "
        "attaché of each departure; the employer presents the worker); PP 22/2022 (crews "
        "placed as individuals report through Peduli WNI)",
        ("[S34]", "[S46]", "[S50]", "[S51]", "[S56]", "[S57]"),
        since=UU_18_2017,
        weak="Art. 6(2)'s number is from a secondary summary; the 30 days are the missions' "
        "reading of UU 23/2006 Art. 18 (secondary sources). Lapor diri is not integrated with "
        "SISKOP2MI [S57]: a missing report is often a data-exchange gap.",
    ),
    condition="The worker is abroad and no mission holds a lapor diri made on or after the "
    "departure of the current placement (any lapor diri counts when the departure date is "
    "unknown). The first {c.mission_report_grace_days} days after departure are not reported.",
    message=Text(
        "Belum ada lapor diri ke perwakilan RI{since}.",
        "No self-report (lapor diri) at an Indonesian mission{since}.",
    ),
    action=Text(
        "Minta pekerja melapor diri melalui Portal Peduli WNI atau langsung ke perwakilan RI "
        "terdekat, agar perwakilan dapat menjangkaunya saat darurat.",
        "Ask the worker to self-report through the Peduli WNI portal or at the nearest mission, "
        "so that the mission can reach them in an emergency.",
    ),
    actions=(
        Action(
            Party.P3MI,
            Text(
                "Laporkan keberangkatan pekerja ke atase ketenagakerjaan (Permenaker 9/2019 "
                "Pasal 23-24).",
                "Report the worker's departure to the labour attaché (Permenaker 9/2019 Art. "
                "23-24).",
            ),
        ),
        Action(
            Party.WORKER,
            Text(
                "Lapor diri ke perwakilan RI melalui Portal Peduli WNI, agar kami dapat "
                "menghubungi Anda saat darurat.",
                "Report yourself to the Indonesian mission through the Peduli WNI portal, so "
                "that we can reach you in an emergency.",
            ),
        ),
    ),
    needs=(EMBASSY,),
    stages=(Stage.PLACEMENT,),
)
def not_reported_to_mission(ctx: Context) -> Iterator[Hit]:
    p = ctx.placement
    departed = p.departed_on if p is not None else None
    if departed is not None and (ctx.today - departed).days <= ctx.config.mission_report_grace_days:
        return
    if any(departed is None or r.reported_on >= departed for r in ctx.facts.reports):
        return
    since = (
        Text(f" sejak berangkat {departed}", f" since departure on {departed}")
        if departed
        else Text("", "")
    )
    evidence = ctx.placement_evidence + ctx.situation.unplaced_abroad
    yield Hit({"since": since}, evidence)


def latest_passport(ctx: Context) -> tuple[date | None, tuple[Provenance, ...]]:
    """The latest expiry date of any passport on record, and the records that hold it."""
    found = ctx.memo.get("passport")
    if found is None:
        found = ctx.memo["passport"] = _latest_passport(ctx)
    return found


def _latest_passport(ctx: Context) -> tuple[date | None, tuple[Provenance, ...]]:
    latest: date | None = None
    holders: list[Provenance] = []
    for person in ctx.facts.persons:
        for passport in person.passports:
            expires = passport.expires_on
            if expires is None or (latest is not None and expires < latest):
                continue
            if expires != latest:
                latest, holders = expires, []
            holders.append(person.provenance)
    return latest, tuple(dict.fromkeys(holders))


@rule(
    code="PASSPORT_EXPIRED",
    severity=Severity.HIGH,
    law=PASSPORT_LAW,
    condition="In pre-placement or placement, the passport with the latest expiry date in any "
    "agency's records expired before today (one expiring today is still valid). Passports "
    "without an expiry date are not judged.",
    message=Text(
        "Paspor terakhir yang tercatat sudah berakhir {expires} ({ago}).",
        "The latest passport on record expired on {expires} ({ago}).",
    ),
    action=Text(
        "Bantu penggantian paspor: di luar negeri melalui perwakilan RI, sebelum berangkat "
        "melalui kantor imigrasi.",
        "Help replace the passport: abroad through the mission, before departure through an "
        "immigration office.",
    ),
    actions=(
        Action(
            Party.WORKER,
            Text(
                "Paspor Anda sudah habis berlaku: ajukan paspor baru di perwakilan RI atau "
                "kantor imigrasi.",
                "Your passport has expired: apply for a new one at the Indonesian mission or an "
                "immigration office.",
            ),
        ),
    ),
    needs=(P2MI,),
    stages=TRAVEL_STAGES,
)
def passport_expired(ctx: Context) -> Iterator[Hit]:
    expires, holders = latest_passport(ctx)
    if expires is not None and expires < ctx.today:
        yield Hit({"expires": expires, "ago": days_since((ctx.today - expires).days)}, holders)


@rule(
    code="PASSPORT_EXPIRES_SOON",
    severity=Severity.LOW,
    law=PASSPORT_LAW,
    condition="In pre-placement or placement, the passport with the latest expiry date expires "
    "within {c.passport_warning_days} days (today counts as 0 and is included).",
    message=Text(
        "Paspor terakhir yang tercatat berakhir {expires}, {when}.",
        "The latest passport on record expires on {expires}, {when}.",
    ),
    action=Text(
        "Ajukan penggantian paspor sebelum {expires}: di luar negeri melalui perwakilan RI, "
        "sebelum berangkat melalui kantor imigrasi.",
        "Apply for a new passport before {expires}: abroad through the mission, before "
        "departure through an immigration office.",
    ),
    actions=(
        Action(
            Party.WORKER,
            Text(
                "Paspor Anda berakhir {expires}: perpanjang sebelum itu di perwakilan RI (atau "
                "kantor imigrasi bila belum berangkat). Simpan paspor Anda sendiri.",
                "Your passport expires on {expires}: renew it before then at the Indonesian "
                "mission (or an immigration office before you leave). Keep your passport "
                "yourself.",
            ),
        ),
    ),
    needs=(P2MI,),
    stages=TRAVEL_STAGES,
)
def passport_expires_soon(ctx: Context) -> Iterator[Hit]:
    expires, holders = latest_passport(ctx)
    if expires is None:
        return
    days = (expires - ctx.today).days
    if 0 <= days <= ctx.config.passport_warning_days:
        yield Hit({"expires": expires, "when": days_until(days)}, holders)


RULES = (not_reported_to_mission, passport_expired, passport_expires_soon)
