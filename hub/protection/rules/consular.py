"""What the missions need to reach the worker abroad: a lapor diri and a valid passport."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from hub.protection.facts import EMBASSY, P2MI
from hub.protection.rule import Context, Hit, rule
from hub.protection.situation import Stage
from hub.protection.text import Text, days_since, days_until
from schema.enums import Severity
from schema.records import Provenance

TRAVEL_STAGES = (Stage.PRE_PLACEMENT, Stage.PLACEMENT)
PASSPORT_BASIS = "UU 18/2017 Art. 13 (a passport is among the documents a placement needs)"


@rule(
    code="NOT_REPORTED_TO_MISSION",
    severity=Severity.MEDIUM,
    basis="UU 23/2006 Art. 18 (citizens abroad report to the mission: lapor diri); UU 18/2017 "
    "Art. 21 (the labour attaché registers workers during placement)",
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
    basis=PASSPORT_BASIS,
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
    basis=PASSPORT_BASIS,
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
