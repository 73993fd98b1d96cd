"""What one audit entry says, and the error raised when it cannot be written."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

CATEGORIES = (
    "identity",
    "nik",
    "contact",
    "placement",
    "social_security",
    "consular",
    "case",
    "protection",
    "access_log",  # who looked at the worker's data (accessLog)
)


STATISTICS = "STATISTICS"  # auth.purpose.Purpose.STATISTICS: the statistics run, no person


class Outcome(StrEnum):
    READ = "READ"
    REFUSED = "REFUSED"
    BREAK_GLASS = "BREAK_GLASS"
    SIGN_IN = "SIGN_IN"  # an officer signed in (auth.oidc); no worker's data
    CHANGE = "CHANGE"  # a change the hub made (a webhook, a witness, a consent granted or revoked)


@dataclass(frozen=True, slots=True)
class AccessEntry:
    """One worker in one operation; the trail adds ``seq``, ``at`` and the hashes."""

    client_id: str
    subject: str
    operation: str
    request_id: str
    worker_id: str | None = None
    agency: str | None = None
    purpose: str | None = None
    categories: frozenset[str] = frozenset()
    grant_id: str | None = None
    outcome: Outcome = Outcome.READ
    reason: str | None = None  # a refusal's error code and detail: ``FORBIDDEN case:write``
    # a bulk entry (no worker id): the keyed digests of the workers it listed (hub.audit.members)
    members: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.members and self.worker_id is not None:
            raise ValueError("only a bulk entry (no worker id) lists members")
        unknown = set(self.categories) - set(CATEGORIES)
        if unknown:
            raise ValueError(f"unknown audit categories: {', '.join(sorted(unknown))}")
        if self.purpose == STATISTICS and self.worker_id is not None:
            raise ValueError("the STATISTICS purpose is never combined with a per-person read")


def encode_categories(categories: Iterable[str]) -> str:
    return ",".join(sorted(set(categories)))


def decode_categories(value: str) -> list[str]:
    return [c for c in value.split(",") if c]


class AuditUnavailable(Exception):
    """The audit entry could not be written, so the data must not be returned (fail closed)."""

    code = "AUDIT_UNAVAILABLE"
    message_id = "Jejak audit tidak dapat dicatat; data tidak dikembalikan"
    message_en = "The audit trail cannot be written; no data is returned"

    def __init__(self, detail: str = "") -> None:
        super().__init__(f"{self.message_id} / {self.message_en}")
        self.detail = detail  # for operators' logs: an exception type, never personal data

    @property
    def message(self) -> str:
        return f"{self.message_id} / {self.message_en}"

    def extensions(self) -> dict[str, Any]:
        return {"code": self.code, "messageId": self.message_id, "messageEn": self.message_en}

    def body(self) -> dict[str, Any]:
        """A GraphQL-shaped body with no ``data``."""
        return {"errors": [{"message": self.message, "extensions": self.extensions()}]}


__all__ = [
    "CATEGORIES",
    "AccessEntry",
    "AuditUnavailable",
    "Outcome",
    "decode_categories",
    "encode_categories",
]
