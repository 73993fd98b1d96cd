"""Cross-agency cases the hub coordinates: the register, live events and signed webhooks."""

from hub.cases.lifecycle import CaseError, CaseEventType
from hub.cases.live import Cases
from hub.cases.records import Actor, CaseEvent, HistoryEntry, HubCase
from hub.cases.service import CaseService
from hub.cases.webhooks import Webhook, WebhookStore

__all__ = [
    "Actor",
    "CaseError",
    "CaseEvent",
    "CaseEventType",
    "CaseService",
    "Cases",
    "HistoryEntry",
    "HubCase",
    "Webhook",
    "WebhookStore",
]
