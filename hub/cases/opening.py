"""What opening a case asks for beyond well-formed input.

- **A summary of substance** (``auth.substance``): at least 10 non-space characters and two
  real words, not filler (``x``, ``test``, ``lorem ipsum``, ``asdfasdf``): SUMMARY_TOO_THIN.
- **Grave cases need ``emergency``**: CRITICAL severity, or the kinds the protection rules
  treat as emergencies (DEATH, DETENTION, TRAFFICKING, MISSING, DEATH_PENALTY,
  SEXUAL_VIOLENCE: ``RulesConfig.critical_case_kinds``), turn the worker's verdict to
  EMERGENCY and alert every mission; a token without the ``emergency`` scope gets FORBIDDEN
  naming it (hub/graphql/cases.py). A partner's referral is different (``referCase``,
  docs/partners.md): the worker's consent lets the organisation report a grave kind, at a
  severity and mission the partner does not choose.
- **The mission fits the worker**: a mission named for the case must be in a country where the
  worker is placed or reported (lapor diri), as the crosswalk's identity attributes record;
  otherwise MISSION_MISMATCH, unless the opener says why (``missionReason``), which is kept as
  the note of the OPENED event. When no country is known the mission cannot be checked, and
  the note says so.
"""

from __future__ import annotations

from sqlalchemy import or_
from sqlmodel import Session, col, select

from auth.substance import Substance
from hub.cases.lifecycle import CaseError
from hub.crosswalk.tables import AgencyRecordRow, WorkerRow
from hub.identity.tables import IdentityAttributeRow
from hub.protection.config import DEFAULT_CONFIG
from schema.enums import CaseKind, Severity
from schema.records import MissionRecord

MIN_SUMMARY, MIN_SUMMARY_WORDS = 10, 2
SUMMARY = Substance(MIN_SUMMARY, MIN_SUMMARY_WORDS)
# the kinds the protection rules treat as an emergency (CRITICAL_CASE): one list, so a kind
# that turns the verdict to EMERGENCY always needs the scope
GRAVE_KINDS = frozenset(DEFAULT_CONFIG.critical_case_kinds)
UNCHECKED = (
    "Perwakilan tidak diperiksa: negara penempatan atau lapor diri pekerja tidak diketahui / "
    "Mission not checked: no country of placement or lapor diri is known for the worker"
)


def is_grave(kind: CaseKind, severity: Severity) -> bool:
    """Whether opening the case needs the ``emergency`` scope."""
    return severity is Severity.CRITICAL or kind in GRAVE_KINDS


def check_substance(text: str, argument: str, name_id: str, name_en: str) -> str:
    if SUMMARY.problem(text) is not None:
        raise CaseError(
            "SUMMARY_TOO_THIN",
            f"{name_id} harus menjelaskan kasus: minimal {MIN_SUMMARY} karakter dan "
            f"{MIN_SUMMARY_WORDS} kata sungguhan, bukan isian (x, test, lorem ipsum)",
            f"{name_en} must describe the case: at least {MIN_SUMMARY} characters and "
            f"{MIN_SUMMARY_WORDS} real words, not filler (x, test, lorem ipsum)",
            argument,
        )
    return text


def worker_countries(session: Session, worker_id: str) -> set[str]:
    """The countries of the worker's placements and lapor diri missions (ISO codes), from
    the identity attributes of its records (and of ids merged into it)."""
    record, attribute = AgencyRecordRow, IdentityAttributeRow
    rows = session.exec(
        select(attribute.countries)
        .join(
            record,
            (col(record.agency) == col(attribute.agency))
            & (col(record.local_id) == col(attribute.local_id)),
        )
        .join(WorkerRow, col(WorkerRow.id) == col(record.worker_id))
        .where(or_(col(WorkerRow.id) == worker_id, col(WorkerRow.merged_into) == worker_id))
    ).all()
    return {c for value in rows if value for c in value.split()}


def mission_note(
    session: Session, worker_id: str, mission: MissionRecord | None, reason: str | None
) -> str | None:
    """None when the mission fits the worker (or none is named), the note to keep when it
    cannot be checked or the opener said why it does not fit; MISSION_MISMATCH otherwise."""
    if mission is None:
        return None
    countries = worker_countries(session, worker_id)
    if not countries:
        return UNCHECKED
    if mission.country.upper() in countries:
        return None
    if reason is None or not reason.strip():
        raise CaseError(
            "MISSION_MISMATCH",
            "Perwakilan ini tidak berada di negara penempatan atau lapor diri pekerja; pilih "
            "perwakilan lain atau jelaskan alasannya (missionReason)",
            "This mission is not in a country where the worker is placed or reported; choose "
            "another or say why (missionReason)",
            "missionCode",
        )
    why = check_substance(" ".join(reason.split())[:500], "missionReason", "Alasan", "The reason")
    return (
        f"Perwakilan di luar negara penempatan pekerja; alasan: {why} / "
        f"Mission outside the worker's countries; reason: {why}"
    )


__all__ = ["GRAVE_KINDS", "check_substance", "is_grave", "mission_note", "worker_countries"]
