"""After the post-return window: the rights that run on (UU 18/2017 Art. 24)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from hub.protection.facts import P2MI
from hub.protection.law import UU_18_2017, Law, in_force
from hub.protection.rule import Context, Hit, rule
from hub.protection.situation import Stage
from hub.protection.text import Text, count
from hub.protection.verdict import Action, Party
from schema.enums import Severity


@rule(
    code="RETURNED_HOME",
    severity=Severity.INFO,
    law=Law(
        "UU 18/2017 Art. 24 (post-work protection with no time limit: getting home, unmet "
        "rights, the sick and the dead, rehabilitation, reintegration, empowerment); Permen "
        "P2MI 32/2025 and 33/2025; Permenaker 4/2023 (post-placement cover; JKK claims within "
        "five years; JHT payable after work ends)",
        ("[S3]", "[S6]", "[S7]", "[S30]", "[S31]", "[S44]"),
        since=UU_18_2017,
    ),
    condition="The latest placement is RETURNED and more than {c.post_return_days} days have "
    "passed since the return day: the BPJS post-placement cover window is over; the rights of "
    "Art. 24 run on.",
    message=Text(
        "Kembali ke Indonesia pada {returned}; masa perlindungan BPJS purnapenempatan berakhir "
        "{window_end}. Hak berdasarkan UU 18/2017 Pasal 24 tetap berjalan: klaim JKK atas "
        "kecelakaan selama penempatan dalam {years}, pencairan JHT, dan layanan reintegrasi.",
        "Returned to Indonesia on {returned}; the BPJS post-placement cover window ended on "
        "{window_end}. Rights under UU 18/2017 Art. 24 continue: JKK claims for accidents during "
        "placement within {years}, the JHT payout, and reintegration services.",
    ),
    action=None,
    actions=(
        Action(
            Party.WORKER,
            Text(
                "Anda masih dapat mengklaim JKK atas kecelakaan selama bekerja (dalam {years}), "
                "mencairkan JHT, dan meminta layanan reintegrasi di BP3MI.",
                "You can still claim JKK for an accident at work (within {years}), draw your "
                "JHT, and ask the BP3MI for reintegration services.",
            ),
        ),
    ),
    needs=(P2MI,),
    stages=(Stage.HOME,),
)
def returned_home(ctx: Context) -> Iterator[Hit]:
    p = ctx.placement
    if p is not None and p.returned_on is not None:
        window_end = p.returned_on + timedelta(days=ctx.config.post_return_days)
        years = in_force(ctx.config.jkk_claim_years, ctx.today) or 0
        params = {
            "returned": p.returned_on,
            "window_end": window_end,
            "years": count(years, "tahun", "year"),
        }
        yield Hit(params, ctx.placement_evidence)


RULES = (returned_home,)
