"""Purpose of use (UU 27/2022 Art. 20, 31): every query for personal data declares one.

The purpose comes from the token's ``purpose`` claim or the request's ``X-Purpose`` header:

- a token with a ``purpose`` claim binds it: the header may repeat it, never change it
  (PURPOSE_MISMATCH);
- a token without one lets each request declare it with ``X-Purpose``;
- the consent purposes (CASE_ASSISTANCE…) are a ``partner`` token's only ones, and only
  its; EMERGENCY needs the ``emergency`` scope; SELF_SERVICE is the only purpose of a ``self``
  token and is not open to other tokens (PURPOSE_NOT_ALLOWED);
- an unknown purpose is refused at once (PURPOSE_INVALID); none is refused before any
  personal data is read (PURPOSE_REQUIRED, see ``Principal.require_purpose``);
- STATISTICS is the purpose of the statistics run alone (``pmihub stats run``): it reads every
  worker to count them and keeps only counts, so no token may declare it and no per-person
  read is ever recorded under it (``hub.audit.entry.AccessEntry`` refuses one).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from auth.errors import PurposeError
from auth.scopes import Scope


class Purpose(StrEnum):
    EMERGENCY = "EMERGENCY"
    CASE_HANDLING = "CASE_HANDLING"
    CLAIM_PROCESSING = "CLAIM_PROCESSING"
    PLACEMENT_VERIFICATION = "PLACEMENT_VERIFICATION"
    SELF_SERVICE = "SELF_SERVICE"
    STATISTICS = "STATISTICS"
    # a partner organisation's purposes, each bound to the worker's consent (hub/partners)
    CASE_ASSISTANCE = "CASE_ASSISTANCE"
    CLAIM_ASSISTANCE = "CLAIM_ASSISTANCE"
    LEGAL_AID = "LEGAL_AID"
    REPATRIATION_SUPPORT = "REPATRIATION_SUPPORT"
    REINTEGRATION = "REINTEGRATION"


PARTNER_PURPOSES = frozenset(
    {
        Purpose.CASE_ASSISTANCE,
        Purpose.CLAIM_ASSISTANCE,
        Purpose.LEGAL_AID,
        Purpose.REPATRIATION_SUPPORT,
        Purpose.REINTEGRATION,
    }
)

# The purposes a token may declare for a read about a person (STATISTICS is the run's own).
PERSON_PURPOSES = frozenset(Purpose) - {Purpose.STATISTICS}
# what an officer may declare at a command line: neither a partner's purpose, nor the worker's
# own, nor STATISTICS (in the enum's order, as help texts list them)
OFFICER_PURPOSES = [
    p for p in Purpose if p in PERSON_PURPOSES - PARTNER_PURPOSES - {Purpose.SELF_SERVICE}
]


PURPOSE_TEXT: dict[Purpose, tuple[str, str]] = {
    Purpose.EMERGENCY: ("Penanganan darurat", "Emergency response"),
    Purpose.CASE_HANDLING: ("Penanganan kasus", "Case handling"),
    Purpose.CLAIM_PROCESSING: (
        "Pemrosesan klaim jaminan sosial",
        "Social security claim processing",
    ),
    Purpose.PLACEMENT_VERIFICATION: ("Verifikasi penempatan", "Placement verification"),
    Purpose.SELF_SERVICE: ("Layanan mandiri pekerja", "Worker self-service"),
    Purpose.CASE_ASSISTANCE: ("Pendampingan kasus", "Case assistance"),
    Purpose.CLAIM_ASSISTANCE: ("Pendampingan klaim BPJS", "Claim assistance"),
    Purpose.LEGAL_AID: ("Bantuan hukum", "Legal aid"),
    Purpose.REPATRIATION_SUPPORT: ("Dukungan pemulangan", "Repatriation support"),
    Purpose.REINTEGRATION: ("Reintegrasi", "Reintegration"),
    Purpose.STATISTICS: (
        "Statistik agregat (tanpa data per orang)",
        "Aggregate statistics (no per-person data)",
    ),
}

_LIST = ", ".join(p.value for p in Purpose if p in PERSON_PURPOSES)


def purpose_required() -> PurposeError:
    return PurposeError(
        "PURPOSE_REQUIRED",
        f"Tujuan penggunaan data wajib dinyatakan (X-Purpose: {_LIST})",
        f"A purpose of use must be declared (X-Purpose: {_LIST})",
    )


def parse_purpose(value: str | None) -> Purpose:
    """The purpose named by ``value``; none or an unknown one raises ``PurposeError``."""
    if value is None or not value.strip():
        raise purpose_required()
    name = value.strip().upper()
    try:
        return Purpose(name)
    except ValueError:
        raise PurposeError(
            "PURPOSE_INVALID",
            f"Tujuan penggunaan tidak dikenal; pilih salah satu: {_LIST}",
            f"Unknown purpose of use; choose one of: {_LIST}",
        ) from None


def check_allowed(purpose: Purpose, scopes: Iterable[str]) -> Purpose:
    """``purpose`` if a token with ``scopes`` may declare it, else ``PurposeError``."""
    held = frozenset(scopes)
    if purpose is Purpose.STATISTICS:
        raise _not_allowed(
            purpose,
            "hanya untuk proses statistik (pmihub stats run), tidak untuk data per orang",
            "only the statistics run (pmihub stats run) uses it, never a per-person read",
        )
    is_self = Scope.SELF in held
    if purpose is Purpose.SELF_SERVICE and not is_self:
        raise _not_allowed(purpose, "hanya untuk token pekerja (self)", "only for self tokens")
    if is_self and purpose is not Purpose.SELF_SERVICE:
        raise _not_allowed(
            purpose, "token pekerja hanya untuk SELF_SERVICE", "self tokens only allow SELF_SERVICE"
        )
    is_partner = Scope.PARTNER in held
    if purpose in PARTNER_PURPOSES and not is_partner:
        raise _not_allowed(
            purpose, "hanya untuk organisasi pendamping", "only for partner organisations"
        )
    if is_partner and purpose not in PARTNER_PURPOSES:
        raise _not_allowed(
            purpose,
            "organisasi pendamping hanya memakai tujuan persetujuan pekerja",
            "partner tokens only allow the purposes of a worker's consent",
        )
    if purpose is Purpose.EMERGENCY and Scope.EMERGENCY not in held:
        raise _not_allowed(purpose, "memerlukan scope emergency", "requires scope emergency")
    return purpose


def resolve(claim: str | None, header: str | None, scopes: Iterable[str]) -> Purpose | None:
    """The request's purpose from the token claim and the ``X-Purpose`` header (module doc)."""
    bound = check_allowed(parse_purpose(claim), scopes) if claim else None
    if header is None or not header.strip():
        return bound
    declared = check_allowed(parse_purpose(header), scopes)
    if bound is not None and declared is not bound:
        raise PurposeError(
            "PURPOSE_MISMATCH",
            f"X-Purpose berbeda dari tujuan yang terikat pada token ({bound.value})",
            f"X-Purpose differs from the purpose bound to the token ({bound.value})",
        )
    return declared


def _not_allowed(purpose: Purpose, why_id: str, why_en: str) -> PurposeError:
    return PurposeError(
        "PURPOSE_NOT_ALLOWED",
        f"Tujuan {purpose.value} tidak diizinkan: {why_id}",
        f"Purpose {purpose.value} is not allowed: {why_en}",
        status=403,
    )


__all__ = [
    "OFFICER_PURPOSES",
    "PARTNER_PURPOSES",
    "PERSON_PURPOSES",
    "PURPOSE_TEXT",
    "Purpose",
    "check_allowed",
    "parse_purpose",
    "purpose_required",
    "resolve",
]
