"""Procedural placement: on record in SISKOP2MI, to an open destination, after orientation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from hub.protection import labels
from hub.protection.facts import EMBASSY, P2MI
from hub.protection.rule import Context, Hit, rule
from hub.protection.situation import Stage
from hub.protection.text import Text
from schema.enums import PlacementStatus, Severity
from schema.records import MissionRecord

ANY_MISSION = Text("perwakilan RI", "an Indonesian mission")
SPSK_NOTE = Text(
    " Pengecualian hanya melalui SPSK (Kepmenaker 291/2018); data tidak memuat penanda SPSK,"
    " periksa skemanya.",
    " The only exception is the one-channel scheme SPSK (Kepmenaker 291/2018); the records"
    " carry no SPSK flag, verify the scheme.",
)
NO_NOTE = Text("", "")


@rule(
    code="NOT_IN_SISKOP2MI",
    severity=Severity.HIGH,
    basis="UU 18/2017 Art. 5 and 13 (procedural placement: registered in SIAPkerja and "
    "SISKOP2MI, documents complete); DOMAIN.md §6.1",
    condition="The worker is known to an Indonesian mission (a lapor diri, a consular case or "
    "a mission record) but SISKOP2MI holds no placement for this stay: none that was not "
    "cancelled, or the last one ended with a return before a later lapor diri.",
    message=Text(
        "Tercatat di {where}, tetapi SISKOP2MI tidak memuat penempatan untuk masa tinggal ini: "
        "penempatan nonprosedural.",
        "Known to {where}, but SISKOP2MI holds no placement for this stay: a non-procedural "
        "placement.",
    ),
    action=Text(
        "Verifikasi status pekerja ke KP2MI/BP3MI, berikan pendampingan pelindungan WNI di "
        "perwakilan, dan periksa indikasi perdagangan orang (TPPO).",
        "Verify the worker's status with KP2MI/BP3MI, give consular protection at the mission, "
        "and check for signs of human trafficking.",
    ),
    needs=(P2MI, EMBASSY),
    stages=(Stage.PLACEMENT,),
)
def not_in_siskop2mi(ctx: Context) -> Iterator[Hit]:
    seen = ctx.situation.unplaced_abroad
    if ctx.placement is None and seen:
        mission = _latest_mission(ctx)
        where = Text(mission.name, mission.name) if mission else ANY_MISSION
        yield Hit({"where": where}, seen)


def _latest_mission(ctx: Context) -> MissionRecord | None:
    reports = [r for r in ctx.facts.reports if r.mission is not None]
    if reports:
        return max(reports, key=lambda r: r.reported_on).mission
    return next((c.mission for c in ctx.facts.cases if c.mission is not None), None)


@rule(
    code="MORATORIUM_DESTINATION",
    severity=Severity.HIGH,
    basis="Kepmenaker 260/2015 (placements with household employers in the Middle East "
    "stopped from 1 July 2015); exception: SPSK, Kepmenaker 291/2018",
    condition="The current placement is in a moratorium country ({c.moratorium_countries}) in "
    "a household sector ({c.moratorium_sectors}) and started (departure, else contract start, "
    "else today) on or after {c.moratorium_since}. A placement in an SPSK country "
    "({c.spsk_countries}) is still reported, with a request to verify the scheme, because "
    "the records carry no SPSK flag.",
    message=Text(
        "Penempatan sebagai {sector} di {country}, negara tujuan yang ditutup bagi pengguna "
        "perseorangan (Kepmenaker 260/2015).{spsk}",
        "Placement as a {sector} in {country}, a destination closed to household employers "
        "(Kepmenaker 260/2015).{spsk}",
    ),
    action=Text(
        "Sebelum berangkat: hentikan proses penempatan dan laporkan ke Kemnaker dan KP2MI. "
        "Sudah di negara tujuan: hubungi pekerja melalui perwakilan dan periksa indikasi TPPO.",
        "Before departure: stop the placement and report it to Kemnaker and KP2MI. Already "
        "abroad: contact the worker through the mission and check for signs of trafficking.",
    ),
    needs=(P2MI,),
    stages=(Stage.PRE_PLACEMENT, Stage.PLACEMENT),
)
def moratorium_destination(ctx: Context) -> Iterator[Hit]:
    p, config = ctx.placement, ctx.config
    if p is None or p.destination_country not in config.moratorium_countries:
        return
    started = p.departed_on or p.contract_start or ctx.today
    if p.sector in config.moratorium_sectors and started >= config.moratorium_since:
        spsk = SPSK_NOTE if p.destination_country in config.spsk_countries else NO_NOTE
        params = {
            "sector": labels.sector(p.sector),
            "country": labels.country(p.destination_country),
            "spsk": spsk,
        }
        yield Hit(params, ctx.placement_evidence)


@rule(
    code="ORIENTATION_MISSING",
    severity=Severity.MEDIUM,
    basis="UU 18/2017, procedural placement: pre-departure orientation (OPP) at the BP3MI "
    "before departure (DOMAIN.md §1-2; article number not verified)",
    condition="The current placement is READY to depart, or the worker has departed on it, and "
    "SISKOP2MI does not record the orientation as completed (false or not recorded). A "
    "REGISTERED placement is not reported: orientation comes later.",
    message=Text(
        "Orientasi Pra Pemberangkatan (OPP) untuk penempatan ke {country} tidak tercatat selesai.",
        "Pre-departure orientation (OPP) for the placement to {country} is not recorded as "
        "completed.",
    ),
    action=Text(
        "Sebelum berangkat: jadwalkan OPP di BP3MI. Sudah di luar negeri: sampaikan hak, "
        "kewajiban, dan kontak darurat melalui perwakilan.",
        "Before departure: schedule OPP at the BP3MI office. Already abroad: brief the worker "
        "on rights, duties and emergency contacts through the mission.",
    ),
    needs=(P2MI,),
    stages=(Stage.PRE_PLACEMENT, Stage.PLACEMENT),
)
def orientation_missing(ctx: Context) -> Iterator[Hit]:
    p = ctx.placement
    if p is None or p.orientation_completed is True or p.status == PlacementStatus.REGISTERED:
        return
    yield Hit({"country": labels.country(p.destination_country)}, ctx.placement_evidence)


@rule(
    code="RETURNED_HOME",
    severity=Severity.INFO,
    basis="UU 18/2017 Art. 24 (post-placement protection); Permenaker 4/2023 (post-return cover)",
    condition="The latest placement is RETURNED and more than {c.post_return_days} days have "
    "passed since the return day: the phase is POST_PLACEMENT with no obligation running.",
    message=Text(
        "Kembali ke Indonesia pada {returned}; masa purnapenempatan {days} hari berakhir "
        "{window_end}, tidak ada kewajiban pelindungan yang masih berjalan.",
        "Returned to Indonesia on {returned}; the {days}-day post-placement period ended on "
        "{window_end}, and no protection obligation is still running.",
    ),
    action=None,
    needs=(P2MI,),
    stages=(Stage.HOME,),
)
def returned_home(ctx: Context) -> Iterator[Hit]:
    p = ctx.placement
    if p is not None and p.returned_on is not None:
        days = ctx.config.post_return_days
        window_end = p.returned_on + timedelta(days=days)
        params = {"returned": p.returned_on, "days": days, "window_end": window_end}
        yield Hit(params, ctx.placement_evidence)


RULES = (not_in_siskop2mi, moratorium_destination, orientation_missing, returned_home)
