"""The placement company's licence (SIP3MI), as Kemnaker's registry holds it, not as P2MI does."""

from __future__ import annotations

from collections.abc import Iterator

from hub.protection.facts import KEMNAKER, P2MI
from hub.protection.rule import Context, Hit, Rule, rule
from hub.protection.situation import Stage
from hub.protection.text import Text
from schema.enums import LicenseStatus, Severity

BASIS = (
    "UU 18/2017 Art. 51 (a placement company needs a SIP3MI licence from the Minister) and "
    "Art. 58 (revocation does not end its responsibility for workers already placed)"
)
STAGES = (Stage.PRE_PLACEMENT, Stage.PLACEMENT, Stage.POST_PLACEMENT)


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
        basis=BASIS,
        condition=condition,
        message=message,
        action=action,
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
        yield Hit({"company": company}, evidence)

    return check


license_revoked = _licence_rule(
    "PLACEMENT_AGENCY_LICENSE_REVOKED",
    (LicenseStatus.REVOKED,),
    Severity.HIGH,
    "The company of the current placement has its licence REVOKED in Kemnaker's registry.",
    Text(
        "Izin SIP3MI perusahaan penempatan {company} telah dicabut.",
        "The SIP3MI licence of the placement company {company} has been revoked.",
    ),
    Text(
        "Laporkan ke Kemnaker dan KP2MI. Sebelum berangkat: hentikan proses melalui perusahaan "
        "ini. Sudah ditempatkan: perusahaan tetap bertanggung jawab atas pekerja (UU 18/2017 "
        "Pasal 58); pantau melalui perwakilan.",
        "Report to Kemnaker and KP2MI. Before departure: stop the process with this company. "
        "Already placed: the company remains responsible for the worker (UU 18/2017 Art. 58); "
        "monitor through the mission.",
    ),
)

license_suspended = _licence_rule(
    "PLACEMENT_AGENCY_LICENSE_SUSPENDED",
    (LicenseStatus.SUSPENDED,),
    Severity.MEDIUM,
    "The company of the current placement has its licence SUSPENDED in Kemnaker's registry.",
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
    "The company of the current placement has its licence EXPIRED in Kemnaker's registry.",
    Text(
        "Izin SIP3MI perusahaan penempatan {company} sudah habis masa berlakunya.",
        "The SIP3MI licence of the placement company {company} has expired.",
    ),
    Text(
        "Periksa perpanjangan izin ke Kemnaker; tanpa izin yang berlaku perusahaan tidak boleh "
        "menempatkan pekerja.",
        "Check the licence renewal with Kemnaker; without a valid licence the company may not "
        "place workers.",
    ),
)

license_unverified = _licence_rule(
    "PLACEMENT_AGENCY_LICENSE_UNVERIFIED",
    (None, LicenseStatus.UNKNOWN),
    Severity.LOW,
    "The licence number SISKOP2MI records for the current placement is not in Kemnaker's "
    "registry, or the registry gives its status as UNKNOWN.",
    Text(
        "Izin perusahaan penempatan {company} tidak dapat diverifikasi di registri Kemnaker.",
        "The licence of the placement company {company} cannot be verified in Kemnaker's registry.",
    ),
    Text(
        "Cocokkan nomor izin dengan Kemnaker dan KP2MI; nomor yang tidak terdaftar dapat "
        "menandakan perusahaan tanpa izin.",
        "Check the licence number with Kemnaker and KP2MI; an unregistered number may mean an "
        "unlicensed company.",
    ),
)

RULES = (license_revoked, license_suspended, license_expired, license_unverified)
