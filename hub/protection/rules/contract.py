"""The employment contract of the current placement: endorsed, still running, extended
before a mission."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date

from hub.protection import labels
from hub.protection.facts import EMBASSY, P2MI
from hub.protection.law import UU_18_2017, Law
from hub.protection.rule import Context, Hit, rule
from hub.protection.rules.people import is_crew
from hub.protection.situation import Stage
from hub.protection.text import Text, days_since
from hub.protection.verdict import Action, Party
from schema.enums import PlacementScheme, PlacementStatus, Severity
from schema.records import Provenance

ENDED_LAW = Law(
    "UU 18/2017 Art. 25(1)-(3) (the company reports returns and extensions to the mission, "
    "on pain of sanction); Permenaker 4/2023 and the BPJS manual (placement cover runs until "
    "the contract ends plus one month)",
    ("[S6]", "[S44]", "[S46]", "DOMAIN [82]"),
    since=UU_18_2017,
)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or that month's last day when it is shorter."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@rule(
    code="CONTRACT_NOT_ENDORSED",
    severity=Severity.MEDIUM,
    law=Law(
        "UU 18/2017 Art. 59(4) (the SIP2MI needs the draft employment contract) and Art. 21-22 "
        "(the labour attaché); PP 59/2021 (during-work duties)",
        ("[S44]", "[S54]", "[S55]"),
        since=UU_18_2017,
        weak="Endorsement is a mission service (KDEI Taipei publishes it [S54]); not every "
        "mission runs one, and the records do not say which do.",
    ),
    condition="A PRIVATE_AGENCY placement (not G to G, whose standard contract goes through "
    "the partner government, nor a crew's) is READY to depart or abroad and no mission has "
    "endorsed its contract (no endorsement record names the placement).",
    message=Text(
        "Perjanjian kerja untuk penempatan di {country} belum diverifikasi (endorse) oleh "
        "perwakilan RI.",
        "The employment contract for the placement in {country} has not been endorsed by an "
        "Indonesian mission.",
    ),
    action=Text(
        "Minta atase ketenagakerjaan memverifikasi perjanjian kerja sebelum keberangkatan.",
        "Ask the labour attaché to verify the employment contract before departure.",
    ),
    actions=(
        Action(
            Party.P3MI,
            Text(
                "Ajukan legalisasi perjanjian kerja ke perwakilan RI di negara tujuan.",
                "Submit the employment contract to the mission for endorsement.",
            ),
        ),
        Action(
            Party.WORKER,
            Text(
                "Minta salinan perjanjian kerja Anda yang sudah disahkan perwakilan RI, dan "
                "simpan sendiri salinannya.",
                "Ask for a copy of your employment contract endorsed by the Indonesian mission, "
                "and keep the copy yourself.",
            ),
        ),
    ),
    needs=(P2MI, EMBASSY),
    stages=(Stage.PRE_PLACEMENT, Stage.PLACEMENT),
)
def contract_not_endorsed(ctx: Context) -> Iterator[Hit]:
    p = ctx.placement
    if p is None or p.scheme is not PlacementScheme.PRIVATE_AGENCY or is_crew(p):
        return
    if p.status is PlacementStatus.REGISTERED:
        return
    if all(e.placement_id != p.placement_id for e in ctx.facts.endorsements):
        yield Hit({"country": labels.country(p.destination_country)}, ctx.placement_evidence)


def contract_end(ctx: Context) -> tuple[date | None, tuple[Provenance, ...]]:
    """The current contract's last day, extensions (reported by the company or signed at a
    mission) included, and the records that say so."""
    p = ctx.placement
    if p is None or p.contract_end is None:
        return None, ()
    end, evidence = p.contract_end, [p.provenance]
    for e in p.extensions:
        end = max(end, e.contract_end)
    for signed in ctx.facts.endorsements:
        extension = signed.extension if signed.placement_id == p.placement_id else None
        if extension is not None and extension.contract_end > end:
            end = extension.contract_end
            evidence.append(signed.provenance)
    return end, tuple(dict.fromkeys(evidence))


def _ended(ctx: Context, within_grace: bool) -> Iterator[Hit]:
    p = ctx.placement
    end, evidence = contract_end(ctx)
    if p is None or end is None or end >= ctx.today:
        return
    cover_end = add_months(end, ctx.config.placement_grace_months)
    if (ctx.today <= cover_end) != within_grace:
        return
    params = {
        "end": end,
        "ago": days_since((ctx.today - end).days),
        "status": labels.PLACEMENT_STATUSES[p.status],
        "cover_end": cover_end,
    }
    yield Hit(params, evidence)


REPORT_ACTION = Action(
    Party.P3MI,
    Text(
        "Laporkan kepulangan atau perpanjangan kontrak pekerja ke perwakilan RI (UU 18/2017 "
        "Pasal 25).",
        "Report the worker's return or contract extension to the mission (UU 18/2017 Art. 25).",
    ),
)
WORKER_ACTION = Action(
    Party.WORKER,
    Text(
        "Kontrak Anda sudah berakhir. Bila diperpanjang, tandatangani perpanjangan di perwakilan "
        "RI; bila tidak, bersiaplah pulang.",
        "Your contract has ended. If it is extended, sign the extension at the Indonesian "
        "mission; if not, prepare to go home.",
    ),
)


@rule(
    code="CONTRACT_ENDED_NOT_REPORTED",
    severity=Severity.MEDIUM,
    law=ENDED_LAW,
    condition="The current placement is still DEPARTED or WORKING, its contract (with every "
    "extension on record, from SISKOP2MI or signed at a mission) ended before today, and today "
    "is within {c.placement_grace_months} month(s) of that end: placement cover still runs, "
    "and the company must report the return or the extension.",
    message=Text(
        "Perjanjian kerja berakhir {end} ({ago}); kepulangan atau perpanjangan belum dilaporkan. "
        "Perlindungan BPJS masa penempatan berlaku sampai {cover_end}.",
        "The employment contract ended on {end} ({ago}); no return or extension has been "
        "reported. Placement-phase BPJS cover lasts until {cover_end}.",
    ),
    action=Text(
        "Minta P3MI melaporkan kepulangan atau perpanjangan sebelum {cover_end}.",
        "Ask the placement company to report the return or the extension before {cover_end}.",
    ),
    actions=(REPORT_ACTION, WORKER_ACTION),
    needs=(P2MI,),
    stages=(Stage.PLACEMENT,),
)
def contract_ended_not_reported(ctx: Context) -> Iterator[Hit]:
    yield from _ended(ctx, within_grace=True)


@rule(
    code="CONTRACT_EXPIRED_STILL_ABROAD",
    severity=Severity.HIGH,
    law=ENDED_LAW,
    condition="The current placement is still DEPARTED or WORKING and its contract (with every "
    "extension on record) ended more than {c.placement_grace_months} month(s) before today: "
    "placement cover has lapsed and no return or extension is on record.",
    message=Text(
        "Perjanjian kerja berakhir {end} ({ago}), tetapi penempatan masih tercatat {status}; "
        "perlindungan BPJS masa penempatan berakhir {cover_end}.",
        "The employment contract ended on {end} ({ago}) but the placement is still recorded as "
        "{status}; placement-phase BPJS cover ended on {cover_end}.",
    ),
    action=Text(
        "Pastikan apakah pekerja sudah pulang atau kontraknya diperpanjang; perpanjangan wajib "
        "ditandatangani di perwakilan dan dilaporkan (UU 18/2017 Pasal 25).",
        "Find out whether the worker has come home or the contract was extended; an extension "
        "must be signed at the mission and reported (UU 18/2017 Art. 25).",
    ),
    actions=(REPORT_ACTION, WORKER_ACTION),
    needs=(P2MI,),
    stages=(Stage.PLACEMENT,),
)
def contract_expired_still_abroad(ctx: Context) -> Iterator[Hit]:
    yield from _ended(ctx, within_grace=False)


@rule(
    code="EXTENSION_NOT_SIGNED_AT_MISSION",
    severity=Severity.MEDIUM,
    law=Law(
        "UU 18/2017 (an extension is signed before the mission, the labour attaché or an "
        "appointed officer) and Art. 25 (reported to it)",
        ("[S44]", "[S46]"),
        since=UU_18_2017,
        weak="The article on signing before the mission is from a secondary summary [S46].",
    ),
    condition="SISKOP2MI records an extension of the current placement's contract (not a "
    "crew's) and no mission holds a signed extension of that placement reaching the same end.",
    message=Text(
        "Perpanjangan kontrak sampai {end} tercatat di SISKOP2MI, tetapi tidak ditandatangani di "
        "perwakilan RI.",
        "A contract extension to {end} is recorded in SISKOP2MI but was not signed at an "
        "Indonesian mission.",
    ),
    action=Text(
        "Minta pekerja dan pemberi kerja menandatangani perpanjangan di hadapan atase "
        "ketenagakerjaan.",
        "Have the worker and employer sign the extension before the labour attaché.",
    ),
    actions=(
        Action(
            Party.WORKER,
            Text(
                "Tandatangani perpanjangan kontrak Anda di perwakilan RI agar tetap terlindungi.",
                "Sign your contract extension at the Indonesian mission so that you stay "
                "protected.",
            ),
        ),
        REPORT_ACTION,
    ),
    needs=(P2MI, EMBASSY),
    stages=(Stage.PLACEMENT,),
)
def extension_not_signed_at_mission(ctx: Context) -> Iterator[Hit]:
    p = ctx.placement
    if p is None or not p.extensions or is_crew(p):
        return
    signed = [
        e.extension.contract_end
        for e in ctx.facts.endorsements
        if e.placement_id == p.placement_id and e.extension is not None
    ]
    latest = max(e.contract_end for e in p.extensions)
    if not any(end >= latest for end in signed):
        yield Hit({"end": latest}, ctx.placement_evidence)


RULES = (
    contract_not_endorsed,
    contract_ended_not_reported,
    contract_expired_still_abroad,
    extension_not_signed_at_mission,
)
