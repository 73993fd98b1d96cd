"""The worker's card (E-PMI, now E-KPMI): the formal mark of a procedural placement."""

from __future__ import annotations

from collections.abc import Iterator

from hub.protection.facts import P2MI
from hub.protection.law import PERMEN_P2MI_34_2025, WEAK_2025_DATE, Law, in_force
from hub.protection.rule import Context, Hit, rule
from hub.protection.rules.contract import add_months
from hub.protection.situation import Stage
from hub.protection.text import Text
from hub.protection.verdict import Action, Party
from schema.enums import PlacementStatus, Severity


@rule(
    code="PMI_CARD_MISSING_OR_EXPIRED",
    severity=Severity.LOW,
    law=Law(
        "Permen P2MI 34/2025 Art. 14 (an expired E-PMI is replaced by an E-KPMI through Sisko "
        "P2MI within one year; old cards stay valid until they expire) and 27/2025 Art. 1(7) "
        "(the card proves the procedure was followed)",
        ("[S28]", "[S32]", "[S61]"),
        since=PERMEN_P2MI_34_2025,
        weak=WEAK_2025_DATE,
    ),
    condition="The worker is abroad on the current placement and SISKOP2MI records no card "
    "number for it (INFO: absent data, verify), or a card whose expiry date is past: INFO "
    "within the transition ({c.card_transition_months} months after expiry), LOW after it. A "
    "card without a recorded expiry date is not judged.",
    message=Text(
        "{problem}",
        "{problem}",
    ),
    action=Text(
        "Bantu pekerja mendaftar kartu E-KPMI melalui Sisko P2MI atau perwakilan RI.",
        "Help the worker register for the E-KPMI card through Sisko P2MI or the mission.",
    ),
    actions=(
        Action(
            Party.WORKER,
            Text(
                "Daftarkan kartu E-KPMI Anda melalui Sisko P2MI atau perwakilan RI.",
                "Register for your E-KPMI card through Sisko P2MI or the Indonesian mission.",
            ),
        ),
    ),
    needs=(P2MI,),
    stages=(Stage.PLACEMENT,),
)
def pmi_card_missing_or_expired(ctx: Context) -> Iterator[Hit]:
    p = ctx.placement
    if p is None or p.status not in (PlacementStatus.DEPARTED, PlacementStatus.WORKING):
        return
    if not p.card_number:
        problem = Text("Tidak ada kartu E-PMI/E-KPMI yang tercatat.", "No E-PMI/E-KPMI card on "
                       "record.")  # fmt: skip
        yield Hit({"problem": problem}, ctx.placement_evidence, Severity.INFO)
        return
    expires = p.card_expires_on
    if expires is None or expires >= ctx.today:
        return
    months = in_force(ctx.config.card_transition_months, ctx.today) or 0
    grace = add_months(expires, months)
    problem = Text(
        f"Kartu E-PMI berakhir {expires}; ganti dengan E-KPMI paling lambat {grace}.",
        f"The E-PMI card expired on {expires}; replace it with an E-KPMI by {grace}.",
    )
    severity = Severity.INFO if ctx.today <= grace else None
    yield Hit({"problem": problem}, ctx.placement_evidence, severity)


RULES = (pmi_card_missing_or_expired,)
