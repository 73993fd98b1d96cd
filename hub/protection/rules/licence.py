"""The placement company's licence (SIP3MI) as the licence registry holds it, not as P2MI
does, and the recruitment permit (SIP2MI) of the placement.

Since Permen P2MI 1/2025 (which replaced Permenaker 10/2019) SIP3MI licences are issued by the
Minister of P2MI through OSS-RBA; the hub reads the registry through the connector it has
(the Kemnaker licence service), whose answer stands for KP2MI's. A SIP3MI is valid one year and
renewed automatically while the company meets its obligations [S23], so EXPIRED means "not
renewed": obligations unmet.
"""

from __future__ import annotations

from collections.abc import Iterator

from hub.protection import labels
from hub.protection.facts import KEMNAKER, P2MI
from hub.protection.law import PERMEN_P2MI_2_2025, UU_18_2017, Law
from hub.protection.rule import Context, Hit, Rule, rule
from hub.protection.rules.people import is_crew
from hub.protection.situation import Stage
from hub.protection.text import Text
from hub.protection.verdict import Action, Party
from schema.enums import LicenseStatus, PlacementScheme, PlacementStatus, Severity

LAW = Law(
    "UU 18/2017 Art. 51 (a placement company needs a SIP3MI licence from the Minister) and "
    "Art. 58(2) (revocation does not end its responsibility for workers already placed); "
    "Permen P2MI 1/2025 (SIP3MI issued by the Minister of P2MI through OSS-RBA)",
    ("[S21]", "[S22]", "[S23]", "[S43]", "[S44]"),
    since=UU_18_2017,
    weak="The one-year automatic renewal under Permen P2MI 1/2025 is from a secondary source "
    "[S23].",
)
STAGES = (Stage.PRE_PLACEMENT, Stage.PLACEMENT, Stage.POST_PLACEMENT)
ASK_BP3MI = Action(  # the worker's: whatever the licence's trouble, the same plain advice
    Party.WORKER,
    Text(
        "Izin perusahaan penempatan Anda bermasalah. Sebelum membayar atau menandatangani apa "
        "pun, tanyakan ke BP3MI atau perwakilan RI; hak Anda sebagai pekerja tetap berlaku.",
        "Your placement company's licence has a problem. Before you pay or sign anything, ask "
        "BP3MI or the Indonesian mission; your rights as a worker still stand.",
    ),
)


def _licence_rule(
    code: str,
    statuses: tuple[LicenseStatus | None, ...],
    severity: Severity,
    condition: str,
    message: Text,
    action: Text,
) -> Rule:
    """A rule reporting the current placement's company when its licence is in ``statuses``
    (None: the number is not in the registry)."""

    @rule(
        code=code,
        severity=severity,
        law=LAW,
        condition=condition,
        message=message,
        action=action,
        actions=(ASK_BP3MI,),
        needs=(P2MI, KEMNAKER),
        stages=STAGES,
    )
    def check(ctx: Context) -> Iterator[Hit]:
        p = ctx.placement
        if p is None or not p.agency_license:
            return
        licence = ctx.facts.licenses.get(p.agency_license)
        if (licence.status if licence else None) not in statuses:
            return
        name = licence.name if licence else p.agency_name
        company = f"{name} ({p.agency_license})" if name else p.agency_license
        evidence = (p.provenance, licence.provenance) if licence else (p.provenance,)
        placed = ctx.situation.stage is not Stage.PRE_PLACEMENT
        lower = severity is Severity.HIGH and placed  # Art. 58(2): the worker's cover stands
        yield Hit({"company": company}, evidence, Severity.MEDIUM if lower else None)

    return check


license_revoked = _licence_rule(
    "PLACEMENT_AGENCY_LICENSE_REVOKED",
    (LicenseStatus.REVOKED,),
    Severity.HIGH,
    "The company of the current placement has its licence REVOKED in the licence registry. "
    "HIGH before departure (stop the process); MEDIUM once the worker has departed: the "
    "worker's own cover and contract are unchanged and the company stays liable (Art. 58(2)).",
    Text(
        "Izin SIP3MI perusahaan penempatan {company} telah dicabut.",
        "The SIP3MI licence of the placement company {company} has been revoked.",
    ),
    Text(
        "Laporkan ke KP2MI. Sebelum berangkat: hentikan proses melalui perusahaan "
        "ini. Sudah ditempatkan: perusahaan tetap bertanggung jawab atas pekerja (UU 18/2017 "
        "Pasal 58); pantau melalui perwakilan.",
        "Report to KP2MI. Before departure: stop the process with this company. "
        "Already placed: the company remains responsible for the worker (UU 18/2017 Art. 58); "
        "monitor through the mission.",
    ),
)

license_suspended = _licence_rule(
    "PLACEMENT_AGENCY_LICENSE_SUSPENDED",
    (LicenseStatus.SUSPENDED,),
    Severity.MEDIUM,
    "The company of the current placement has its licence SUSPENDED (sanctioned) in the "
    "licence registry.",
    Text(
        "Izin SIP3MI perusahaan penempatan {company} sedang dibekukan.",
        "The SIP3MI licence of the placement company {company} is suspended.",
    ),
    Text(
        "Jangan proses penempatan baru melalui perusahaan ini; pastikan perusahaan tetap "
        "memenuhi kewajibannya kepada pekerja yang sudah ditempatkan.",
        "Start no new placement through this company; make sure it still meets its duties to "
        "workers already placed.",
    ),
)

license_expired = _licence_rule(
    "PLACEMENT_AGENCY_LICENSE_EXPIRED",
    (LicenseStatus.EXPIRED,),
    Severity.MEDIUM,
    "The company of the current placement has its licence EXPIRED in the licence registry: "
    "not renewed, which since Permen P2MI 1/2025 means its obligations were not met.",
    Text(
        "Izin SIP3MI perusahaan penempatan {company} sudah habis masa berlakunya.",
        "The SIP3MI licence of the placement company {company} has expired.",
    ),
    Text(
        "Periksa perpanjangan izin ke KP2MI (OSS); tanpa izin yang berlaku perusahaan tidak "
        "boleh menempatkan pekerja.",
        "Check the licence renewal with KP2MI (OSS); without a valid licence the company may "
        "not place workers.",
    ),
)

license_unverified = _licence_rule(
    "PLACEMENT_AGENCY_LICENSE_UNVERIFIED",
    (None, LicenseStatus.UNKNOWN),
    Severity.LOW,
    "The licence number SISKOP2MI records for the current placement is not in the licence "
    "registry, or the registry gives its status as UNKNOWN.",
    Text(
        "Izin perusahaan penempatan {company} tidak dapat diverifikasi di registri izin.",
        "The licence of the placement company {company} cannot be verified in the licence "
        "registry.",
    ),
    Text(
        "Cocokkan nomor izin dengan KP2MI (OSS); nomor yang tidak terdaftar dapat "
        "menandakan perusahaan tanpa izin.",
        "Check the licence number with KP2MI (OSS); an unregistered number may mean an "
        "unlicensed company.",
    ),
)


@rule(
    code="RECRUITMENT_PERMIT_MISSING",
    severity=Severity.HIGH,
    law=Law(
        "UU 18/2017 Art. 59 (a recruitment permit, SIP2MI, per placement, naming the "
        "destination); Permen P2MI 2/2025 and Kepdirjen 846/2025 (SIP2MI issued digitally in "
        "SISKOP2MI)",
        ("[S24]", "[S44]"),
        since=PERMEN_P2MI_2_2025,
        weak="Permen P2MI 2/2025's first day is an assumption (the year is sourced).",
    ),
    condition="A PRIVATE_AGENCY placement (not a crew's) that started, or is still being "
    "prepared, since the SIP2MI became digital in SISKOP2MI has a SIP2MI naming another "
    "country: HIGH before departure, MEDIUM abroad. With no SIP2MI on record the finding is "
    "INFO (verify): SISKOP2MI answers from before the digital permit carry no such field, and "
    "absent data never makes a graver finding. Placements started before then are not judged: "
    "their paper permits are not in SISKOP2MI.",
    message=Text(
        "Penempatan ke {country} melalui P3MI {problem}.",
        "The placement to {country} through a placement company {problem}.",
    ),
    action=Text(
        "Minta P3MI menunjukkan SIP2MI untuk negara tujuan ini; tanpa SIP2MI perekrutan tidak sah.",
        "Ask the placement company for the SIP2MI for this destination; recruitment without it "
        "is unlawful.",
    ),
    actions=(
        Action(
            Party.P3MI,
            Text(
                "Ajukan SIP2MI untuk negara tujuan ini di SISKOP2MI sebelum merekrut.",
                "Apply for the SIP2MI for this destination in SISKOP2MI before recruiting.",
            ),
        ),
        Action(
            Party.WORKER,
            Text(
                "Sebelum berangkat, tanyakan ke BP3MI apakah perusahaan Anda punya izin "
                "perekrutan (SIP2MI) untuk negara tujuan Anda; tanpa izin itu perekrutan tidak "
                "sah.",
                "Before you leave, ask BP3MI whether your company has a recruitment permit "
                "(SIP2MI) for your destination; recruitment without it is unlawful.",
            ),
        ),
    ),
    needs=(P2MI,),
    stages=(Stage.PRE_PLACEMENT, Stage.PLACEMENT),
)
def recruitment_permit_missing(ctx: Context) -> Iterator[Hit]:
    p = ctx.placement
    if p is None or p.scheme is not PlacementScheme.PRIVATE_AGENCY or is_crew(p):
        return
    started = p.departed_on or p.contract_start
    if started is not None and started < PERMEN_P2MI_2_2025:
        return
    params: dict[str, object] = {"country": labels.country(p.destination_country)}
    if p.recruitment_permit is None:
        params["problem"] = Text(
            "tidak memiliki SIP2MI yang tercatat", "has no recruitment permit (SIP2MI) on record"
        )
        yield Hit(params, ctx.placement_evidence, Severity.INFO)
    elif p.recruitment_permit_country not in (None, p.destination_country):
        other = labels.country(p.recruitment_permit_country)
        params["problem"] = Text(
            f"memiliki SIP2MI untuk {other.id}", f"has a SIP2MI for {other.en}"
        )
        abroad = p.status in (PlacementStatus.DEPARTED, PlacementStatus.WORKING)
        yield Hit(params, ctx.placement_evidence, Severity.MEDIUM if abroad else None)


RULES = (
    license_revoked,
    license_suspended,
    license_expired,
    license_unverified,
    recruitment_permit_missing,
)
