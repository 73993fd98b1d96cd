"""The sandbox kit: what every agency simulation shares (data, faults, rate limit, serving)."""

from connectors.sandbox.data import SandboxData, decode_cursor, encode_cursor
from connectors.sandbox.faults import FaultInjection, FaultSettings
from connectors.sandbox.ratelimit import RateLimit, TokenBucket

__all__ = [
    "FaultInjection",
    "FaultSettings",
    "RateLimit",
    "SandboxData",
    "TokenBucket",
    "decode_cursor",
    "encode_cursor",
]
