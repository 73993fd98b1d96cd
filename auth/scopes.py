"""OAuth scopes of the hub: names and descriptions in Indonesian and English.

Which field needs which scope is the hub's access policy (``hub/graphql/policy.py``); a field
a token may not see resolves to null with ``FORBIDDEN`` naming the scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Scope(StrEnum):
    WORKER_IDENTITY_READ = "worker.identity:read"
    WORKER_NIK_READ = "worker.nik:read"
    WORKER_CONTACT_READ = "worker.contact:read"
    PLACEMENT_READ = "placement:read"
    SOCIAL_SECURITY_READ = "social_security:read"
    CONSULAR_READ = "consular:read"
    CASE_READ = "case:read"
    CASE_WRITE = "case:write"
    CASE_ADMIN = "case:admin"
    PROTECTION_READ = "protection:read"
    AUDIT_READ = "audit:read"
    EMERGENCY = "emergency"
    SELF = "self"
    PARTNER = "partner"
    IDENTITY_ADMIN = "identity:admin"
    FEDERATION_GATEWAY = "federation:gateway"
    COHORT_READ = "cohort:read"
    STATISTICS_READ = "statistics:read"


@dataclass(frozen=True, slots=True)
class ScopeInfo:
    scope: Scope
    text_id: str
    text_en: str


_INFO = (
    ScopeInfo(
        Scope.WORKER_IDENTITY_READ,
        "Membaca identitas pekerja (NIK tersamarkan)",
        "Read a worker's identity (NIK masked)",
    ),
    ScopeInfo(
        Scope.WORKER_NIK_READ,
        "Melihat NIK lengkap",
        "See the full NIK",
    ),
    ScopeInfo(
        Scope.WORKER_CONTACT_READ,
        "Membaca kontak darurat / keluarga",
        "Read next of kin and contacts",
    ),
    ScopeInfo(
        Scope.PLACEMENT_READ,
        "Membaca penempatan, pemberi kerja, dan P3MI",
        "Read placements, employers and placement agencies",
    ),
    ScopeInfo(
        Scope.SOCIAL_SECURITY_READ,
        "Membaca kepesertaan BPJS Ketenagakerjaan",
        "Read BPJS Ketenagakerjaan membership",
    ),
    ScopeInfo(
        Scope.CONSULAR_READ,
        "Membaca data konsuler (lapor diri)",
        "Read consular records (lapor diri)",
    ),
    ScopeInfo(
        Scope.CASE_READ,
        "Membaca kasus",
        "Read cases",
    ),
    ScopeInfo(
        Scope.CASE_WRITE,
        "Membuka dan memperbarui kasus",
        "Open and update cases",
    ),
    ScopeInfo(
        Scope.CASE_ADMIN,
        "Mengubah kasus misi atau instansi mana pun (pengawas)",
        "Change any mission's or agency's case (supervisor)",
    ),
    ScopeInfo(
        Scope.PROTECTION_READ,
        "Membaca status pelindungan",
        "Read the protection verdict",
    ),
    ScopeInfo(
        Scope.AUDIT_READ,
        "Membaca jejak audit",
        "Read the audit trail",
    ),
    ScopeInfo(
        Scope.EMERGENCY,
        "Akses darurat (break-glass), selalu dicatat",
        "Emergency break-glass access, always recorded",
    ),
    ScopeInfo(
        Scope.SELF,
        "Pekerja membaca datanya sendiri",
        "A worker reads their own record",
    ),
    ScopeInfo(
        Scope.PARTNER,
        "Organisasi pendamping (serikat/LSM): hanya data yang disetujui pekerja",
        "A partner organisation (union/NGO): only what the worker consented to",
    ),
    ScopeInfo(
        Scope.IDENTITY_ADMIN,
        "Mengelola keterkaitan identitas (crosswalk)",
        "Administer identity links (crosswalk)",
    ),
    ScopeInfo(
        Scope.FEDERATION_GATEWAY,
        "Gerbang federasi (Apollo): skema dan entitas subgraf",
        "Federation gateway (Apollo): the subgraph's schema and entities",
    ),
    ScopeInfo(
        Scope.COHORT_READ,
        "Daftar pekerja per wilayah atau status untuk keadaan darurat (kohort)",
        "List workers by area or status for a crisis (cohorts)",
    ),
    ScopeInfo(
        Scope.STATISTICS_READ,
        "Membaca statistik cakupan (agregat, tanpa data per orang)",
        "Read coverage statistics (aggregates, no per-person data)",
    ),
)

SCOPES: dict[Scope, ScopeInfo] = {info.scope: info for info in _INFO}
ALL_SCOPES: frozenset[str] = frozenset(str(s) for s in Scope)
READ_SCOPES: frozenset[str] = frozenset(s for s in ALL_SCOPES if s.endswith(":read"))


def partner_alone(scopes: Iterable[str]) -> bool:
    """False when ``scopes`` mix ``partner`` with any other scope: a partner token never holds
    an agency's scope (checked at registration and at every verification)."""
    held = frozenset(scopes)
    return Scope.PARTNER not in held or held == {Scope.PARTNER}


class UnknownScope(ValueError):
    def __init__(self, names: Iterable[str]) -> None:
        self.names = tuple(sorted(names))
        super().__init__(f"unknown scope(s): {', '.join(self.names)}")


def parse_scopes(text: str | Iterable[str] | None) -> frozenset[str]:
    """Scope names from a space-separated string or an iterable; unknown names raise."""
    if text is None:
        return frozenset()
    names = frozenset(text.split() if isinstance(text, str) else text)
    unknown = names - ALL_SCOPES
    if unknown:
        raise UnknownScope(unknown)
    return names


def known_scopes(text: str | Iterable[str] | None) -> frozenset[str]:
    """Only the hub's scope names (tokens from an external IdP carry others too)."""
    if text is None:
        return frozenset()
    names = text.split() if isinstance(text, str) else text
    return frozenset(names) & ALL_SCOPES


def scope_string(scopes: Iterable[str]) -> str:
    return " ".join(sorted(scopes))


__all__ = [
    "ALL_SCOPES",
    "READ_SCOPES",
    "SCOPES",
    "Scope",
    "ScopeInfo",
    "UnknownScope",
    "known_scopes",
    "parse_scopes",
    "partner_alone",
    "scope_string",
]
