"""Webhook registrations: an agency's URL for case events, with a secret shown once.

A URL is https (http too in dev and test) to a host that is not, and does not resolve to, a
local or internal address (hub/cases/egress.py; loopback only with
``HUB_WEBHOOK_ALLOW_LOOPBACK``). Delivery checks the address again and pins it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from hub.cases.egress import EgressRefused, Resolver, check_host, system_resolver
from hub.cases.lifecycle import CaseError
from hub.cases.missions import MissionCatalog
from hub.cases.records import Actor
from hub.cases.signing import new_secret
from hub.cases.tables import DeliveryRow, WebhookRow
from hub.cases.webhook_secrets import seal_secret
from hub.storage.unit import writing
from schema.clock import now

MAX_URL = 500


@dataclass(frozen=True, slots=True)
class Webhook:
    id: str
    url: str
    mission_code: str | None
    client_id: str
    agency: str | None
    created_at: datetime
    active: bool
    pending: int = 0
    failed: int = 0
    delivered: int = 0


class WebhookStore:
    def __init__(
        self,
        engine: Engine,
        missions: MissionCatalog | None = None,
        *,
        allow_http: bool = False,
        allow_loopback: bool = False,
        resolve: Resolver | None = system_resolver,
        clock: Callable[[], datetime] = now,
        key_secret: str = "",
    ) -> None:
        self.engine = engine
        self.missions = missions or MissionCatalog.default()
        self.allow_http = allow_http
        self.allow_loopback = allow_loopback
        self.resolve = resolve
        self.clock = clock
        self.key_secret = key_secret  # seals the secrets: HUB_AUTH_KEY_SECRET

    def add(
        self,
        actor: Actor,
        url: str,
        mission_code: str | None,
        partner_org: str | None = None,
        *,
        session: Session | None = None,
        checked: bool = False,
    ) -> tuple[Webhook, str]:
        """The new webhook and its secret (returned here only; keep it). A partner
        organisation's (``partner_org``) hears only of the cases it accompanies (without
        officers' notes) and of its consents' ends. ``checked``: ``url`` came from
        ``check_url`` already (its DNS look-up done outside the caller's transaction);
        ``session``: write in the caller's transaction (``hub.storage.unit.writing``)."""
        checked = url if checked else self.check_url(url)
        code = self.missions.resolve(mission_code).code if mission_code else None
        secret = new_secret()
        webhook_id = f"wh_{secrets.token_urlsafe(12)}"
        row = WebhookRow(
            id=webhook_id,
            url=checked,
            mission_code=code,
            secret_sealed=seal_secret(self.key_secret, webhook_id, secret),
            client_id=actor.client_id,
            subject=actor.subject,
            agency=actor.agency,
            purpose=actor.purpose,
            created_at=self.clock(),
            partner_org=partner_org,
        )
        with writing(self.engine, session) as writer:
            writer.add(row)
            writer.flush()
            view = _view(row)
        return view, secret

    def list(self, client_id: str | None = None) -> list[Webhook]:
        """Active webhooks (of one client, or all), with their delivery counts."""
        with Session(self.engine) as session:
            query = select(WebhookRow).where(col(WebhookRow.active).is_(True))
            if client_id is not None:
                query = query.where(col(WebhookRow.client_id) == client_id)
            rows = session.exec(query.order_by(col(WebhookRow.created_at))).all()
            counts = session.exec(
                select(
                    DeliveryRow.webhook_id,
                    func.count().filter(
                        col(DeliveryRow.delivered_at).is_(None),
                        col(DeliveryRow.failed_at).is_(None),
                    ),
                    func.count().filter(col(DeliveryRow.failed_at).is_not(None)),
                    func.count().filter(col(DeliveryRow.delivered_at).is_not(None)),
                ).group_by(col(DeliveryRow.webhook_id))
            ).all()
        by_id = {hook: (p, f, d) for hook, p, f, d in counts}
        return [_view(row, *by_id.get(row.id, (0, 0, 0))) for row in rows]

    def remove(
        self, webhook_id: str, client_id: str | None = None, *, session: Session | None = None
    ) -> bool:
        """Deactivate a webhook (of ``client_id`` when given); its pending deliveries stop."""
        with writing(self.engine, session) as writer:
            row = writer.get(WebhookRow, webhook_id)
            if row is None or not row.active or (client_id and row.client_id != client_id):
                return False
            row.active = False
            writer.add(row)
        return True

    def check_url(self, url: str) -> str:
        url = url.strip()
        parts = urlsplit(url)
        schemes = ("https", "http") if self.allow_http else ("https",)
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            port = 0
        if (
            not port
            or len(url) > MAX_URL
            or parts.scheme not in schemes
            or not parts.hostname
            or parts.username
            or parts.password
            or parts.fragment
        ):
            raise CaseError(
                "BAD_USER_INPUT",
                "URL webhook harus https://host/... tanpa kredensial, paling banyak 500 karakter",
                "The webhook URL must be https://host/... without credentials, at most 500 "
                "characters",
                "url",
            )
        try:
            check_host(
                parts.hostname,
                port,
                allow_loopback=self.allow_loopback,
                resolve=self.resolve,
                must_resolve=False,  # not resolvable yet: each delivery checks again
            )
        except EgressRefused:
            raise CaseError(
                "BAD_USER_INPUT",
                "URL webhook tidak boleh menuju alamat lokal atau jaringan internal",
                "The webhook URL must not point at a local or internal network address",
                "url",
            ) from None
        return url


def _view(row: WebhookRow, pending: int = 0, failed: int = 0, delivered: int = 0) -> Webhook:
    return Webhook(
        id=row.id,
        url=row.url,
        mission_code=row.mission_code,
        client_id=row.client_id,
        agency=row.agency,
        created_at=row.created_at,
        active=row.active,
        pending=pending,
        failed=failed,
        delivered=delivered,
    )


__all__ = ["Webhook", "WebhookStore"]
