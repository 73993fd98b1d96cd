"""The rules of a case's life: which status changes are allowed, what input is acceptable.

OPEN -> IN_PROGRESS -> CLOSED, OPEN -> CLOSED directly (resolved at once), and CLOSED ->
OPEN when a closed case needs attention again. Every change carries a note saying why.
Errors are ``CaseError``s with a stable code and the text in Indonesian and English; the
GraphQL layer turns them into typed errors.
"""

from __future__ import annotations

from enum import StrEnum

from schema.enums import CaseStatus

MAX_SUMMARY = 2000
MAX_NOTE = 2000
CASE_PREFIX = "CASE-HUB-"


class CaseEventType(StrEnum):
    OPENED = "OPENED"
    STATUS_CHANGED = "STATUS_CHANGED"


ALLOWED: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.OPEN: frozenset({CaseStatus.IN_PROGRESS, CaseStatus.CLOSED}),
    CaseStatus.IN_PROGRESS: frozenset({CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset({CaseStatus.OPEN}),
}


class CaseError(ValueError):
    """Bad input or a refused change; nothing was written."""

    def __init__(self, code: str, text_id: str, text_en: str, argument: str | None = None):
        super().__init__(f"{text_id} / {text_en}")
        self.code, self.text_id, self.text_en, self.argument = code, text_id, text_en, argument


def case_id(seq: int, year: int) -> str:
    return f"{CASE_PREFIX}{year}-{seq:06d}"


def is_hub_case(value: str) -> bool:
    return value.startswith(CASE_PREFIX)


def check_text(value: str, limit: int, argument: str, name_id: str, name_en: str) -> str:
    """The text stripped; empty, too long or holding control characters is refused."""
    text = value.strip()
    if not text:
        raise CaseError(
            "BAD_USER_INPUT",
            f"{name_id} tidak boleh kosong",
            f"{name_en} must not be empty",
            argument,
        )
    if len(text) > limit:
        raise CaseError(
            "BAD_USER_INPUT",
            f"{name_id} paling banyak {limit} karakter",
            f"{name_en} may hold at most {limit} characters",
            argument,
        )
    if any(ord(c) < 32 and c not in "\n\t" for c in text):
        raise CaseError(
            "BAD_USER_INPUT",
            f"{name_id} berisi karakter kendali",
            f"{name_en} holds control characters",
            argument,
        )
    return text


def check_transition(current: CaseStatus, wanted: CaseStatus) -> None:
    if wanted not in ALLOWED[current]:
        allowed = ", ".join(sorted(ALLOWED[current])) or "-"
        raise CaseError(
            "BAD_TRANSITION",
            f"Status kasus tidak dapat berubah dari {current} ke {wanted} (boleh: {allowed})",
            f"A case cannot go from {current} to {wanted} (allowed: {allowed})",
            "status",
        )


def unknown_case() -> CaseError:
    return CaseError("NOT_FOUND", "Kasus tidak ditemukan", "No such case", "id")


__all__ = [
    "ALLOWED",
    "CASE_PREFIX",
    "MAX_NOTE",
    "MAX_SUMMARY",
    "CaseError",
    "CaseEventType",
    "case_id",
    "check_text",
    "check_transition",
    "is_hub_case",
    "unknown_case",
]
