"""Errors a connector may raise; nothing else leaves a connector.

    ConnectorError                 (code)
    ├── AgencyUnavailable          SOURCE_UNAVAILABLE  refused, down, 5xx, network error
    │   ├── AgencyTimeout          SOURCE_TIMEOUT      no answer within the deadline
    │   └── AgencyRateLimited      SOURCE_UNAVAILABLE  429, with the agency's Retry-After
    ├── AgencyRejected             SOURCE_REJECTED     our credentials or signature refused
    ├── BadResponse                SOURCE_BAD_RESPONSE an answer we cannot parse or trust
    │   └── ResponseTooLarge       SOURCE_BAD_RESPONSE past the size limit (kit/limits.py)
    └── RecordNotFound             NOT_FOUND           the agency has no such record

Each carries the agency code so the GraphQL layer can put it in ``extensions.agency``.
Messages never contain personal data: they describe the call, not the person.
"""

from __future__ import annotations


class ConnectorError(Exception):
    code = "SOURCE_ERROR"

    def __init__(self, agency: str, message: str) -> None:
        super().__init__(message)
        self.agency = agency
        self.message = message

    def __str__(self) -> str:
        return f"{self.agency}: {self.message}"


class AgencyUnavailable(ConnectorError):
    code = "SOURCE_UNAVAILABLE"


class AgencyTimeout(AgencyUnavailable):
    code = "SOURCE_TIMEOUT"


class AgencyRateLimited(AgencyUnavailable):
    def __init__(self, agency: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(agency, message)
        self.retry_after = retry_after


class AgencyRejected(ConnectorError):
    code = "SOURCE_REJECTED"


class BadResponse(ConnectorError):
    code = "SOURCE_BAD_RESPONSE"


class ResponseTooLarge(BadResponse):
    """The answer (decoded) passed ``HUB_AGENCY_<NAME>_MAX_RESPONSE_BYTES``; not read further."""


class RecordNotFound(ConnectorError):
    code = "NOT_FOUND"


__all__ = [
    "AgencyRateLimited",
    "AgencyRejected",
    "AgencyTimeout",
    "AgencyUnavailable",
    "BadResponse",
    "ConnectorError",
    "RecordNotFound",
    "ResponseTooLarge",
]
