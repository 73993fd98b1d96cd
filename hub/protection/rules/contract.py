"""The employment contract of the current placement: endorsed at a mission, still running."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date

from hub.protection import labels
from hub.protection.facts import EMBASSY, P2MI
from hub.protection.rule import Context, Hit, rule
from hub.protection.situation import Stage
from hub.protection.text import Text, days_since
from schema.enums import Severity


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or that month's last day when it is shorter."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@rule(
    code="CONTRACT_NOT_ENDORSED",
    severity=Severity.MEDIUM,
    basis="UU 18/2017 Art. 10 (the labour attaché verifies employers and partners) and Art. 17 "
    "(extensions are signed before the mission)",
    condition="The worker is abroad on a placement whose contract no mission has endorsed "
    "(no endorsement record names the placement).",
    message=Text(
        "Perjanjian kerja untuk penempatan di {country} belum diverifikasi (endorse) oleh "
        "perwakilan RI.",
        "The employment contract for the placement in {country} has not been endorsed by an "
        "Indonesian mission.",
    ),
    action=Text(
        "Minta atase ketenagakerjaan memverifikasi perjanjian kerja; perpanjangan wajib "
        "ditandatangani di hadapan perwakilan (UU 18/2017 Pasal 17).",
        "Ask the labour attaché to verify the employment contract; an extension must be signed "
        "before the mission (UU 18/2017 Art. 17).",
    ),
    needs=(P2MI, EMBASSY),
    stages=(Stage.PLACEMENT,),
)
def contract_not_endorsed(ctx: Context) -> Iterator[Hit]:
    p = ctx.placement
    if p is None:
        return
    if all(e.placement_id != p.placement_id for e in ctx.facts.endorsements):
        yield Hit({"country": labels.country(p.destination_country)}, ctx.placement_evidence)


@rule(
    code="CONTRACT_EXPIRED_STILL_ABROAD",
    severity=Severity.HIGH,
    basis="UU 18/2017 Art. 17 (extensions signed before the mission) and Art. 25 (returns and "
    "extensions reported to the mission); Permenaker 4/2023 (placement cover runs until the "
    "contract ends plus one month)",
    condition="The current placement is still DEPARTED or WORKING and its contract ended "
    "before today (a contract ending today is still running).",
    message=Text(
        "Perjanjian kerja berakhir {end} ({ago}), tetapi penempatan masih tercatat {status}; "
        "perlindungan BPJS masa penempatan paling lama sampai {cover_end}.",
        "The employment contract ended on {end} ({ago}) but the placement is still recorded as "
        "{status}; placement-phase BPJS cover lasts at most until {cover_end}.",
    ),
    action=Text(
        "Pastikan apakah pekerja sudah pulang atau kontraknya diperpanjang; perpanjangan wajib "
        "ditandatangani di perwakilan dan dilaporkan (UU 18/2017 Pasal 17 dan 25).",
        "Find out whether the worker has come home or the contract was extended; an extension "
        "must be signed at the mission and reported (UU 18/2017 Art. 17 and 25).",
    ),
    needs=(P2MI,),
    stages=(Stage.PLACEMENT,),
)
def contract_expired_still_abroad(ctx: Context) -> Iterator[Hit]:
    p = ctx.placement
    if p is None or p.contract_end is None or p.contract_end >= ctx.today:
        return
    params = {
        "end": p.contract_end,
        "ago": days_since((ctx.today - p.contract_end).days),
        "status": labels.PLACEMENT_STATUSES[p.status],
        "cover_end": add_months(p.contract_end, ctx.config.placement_grace_months),
    }
    yield Hit(params, ctx.placement_evidence)


RULES = (contract_not_endorsed, contract_expired_still_abroad)
