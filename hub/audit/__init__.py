"""The audit trail: who read which worker's personal data, when and why (issue 5).

A hash-chained, append-only log in the hub database, signed checkpoints, retention behind a
checkpoint, and the worker's own view of who looked at their data.
"""

from hub.audit.entry import AccessEntry, AuditUnavailable, Outcome
from hub.audit.signing import AuditSigner
from hub.audit.trail import AuditTrail, VerifyReport

__all__ = [
    "AccessEntry",
    "AuditSigner",
    "AuditTrail",
    "AuditUnavailable",
    "Outcome",
    "VerifyReport",
]
