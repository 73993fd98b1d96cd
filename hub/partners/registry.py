"""Accredited partner organisations and their clients.

An operator registers an organisation (``pmihub partners add SBMI --name ... --contact ...``);
that registers its confidential client ``partner-<org>`` holding the scope ``partner`` alone
(auth.clients refuses a partner client with any other scope, and the verifier a token mixing
them). Suspending an organisation disables its client (its tokens are refused from the next
request) and suspends its consents (hub.partners.ledger).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from auth.clients import ClientError, add_client, disable_client
from auth.models import UserRow
from auth.scopes import Scope
from auth.users import disable_user
from hub.partners.tables import PartnerOrgRow

CODE_RE = re.compile(r"[A-Z][A-Z0-9_]{1,19}")
ACTIVE, SUSPENDED = "ACTIVE", "SUSPENDED"


@dataclass(frozen=True, slots=True)
class Organisation:
    code: str
    name: str
    contact: str
    status: str
    created_at: datetime

    @property
    def client_id(self) -> str:
        return client_id(self.code)

    @property
    def active(self) -> bool:
        return self.status == ACTIVE

    @classmethod
    def of(cls, row: PartnerOrgRow) -> Organisation:
        return cls(row.code, row.name, row.contact, row.status, row.created_at)


def client_id(code: str) -> str:
    return f"partner-{code.lower().replace('_', '-')}"


class PartnerRegistry:
    def __init__(self, engine: Engine, clock: Callable[[], float] = time.time) -> None:
        self.engine = engine
        self.clock = clock

    def add(
        self, code: str, *, name: str, contact: str, secret: str | None = None
    ) -> tuple[Organisation, str | None]:
        """Accredit an organisation and register its client; the client secret (shown once).
        Adding an organisation again re-registers its client (a new secret unless given)."""
        code = code.strip().upper()
        if not CODE_RE.fullmatch(code):
            raise ClientError("organisation code: 2-20 capital letters, digits or '_'")
        name, contact = name.strip(), contact.strip()
        if not name or not contact or len(name) > 200 or len(contact) > 200:
            raise ClientError("--name and --contact are required (at most 200 characters)")
        with Session(self.engine) as session:
            row = session.get(PartnerOrgRow, code)
            if row is None:
                row = PartnerOrgRow(
                    code=code, name=name, contact=contact, status=ACTIVE, created_at=self._now()
                )
            else:
                row.name, row.contact, row.status, row.suspended_at = name, contact, ACTIVE, None
            session.add(row)
            session.commit()
            session.refresh(row)
            org = Organisation.of(row)
        _, client_secret = add_client(
            self.engine,
            client_id=org.client_id,
            name=name,
            agency=code,
            scopes=[Scope.PARTNER],
            grant_types=["client_credentials"],
            replace=True,
            secret=secret,
        )
        return org, client_secret

    def get(self, code: str) -> Organisation | None:
        with Session(self.engine) as session:
            row = session.get(PartnerOrgRow, code.strip().upper()[:20])
            return Organisation.of(row) if row is not None else None

    def list(self) -> list[Organisation]:
        with Session(self.engine) as session:
            rows = session.exec(select(PartnerOrgRow).order_by(col(PartnerOrgRow.code))).all()
            return [Organisation.of(r) for r in rows]

    def suspend(self, code: str) -> Organisation | None:
        """Suspend an organisation: its client and its case workers disabled (their tokens
        refused from the next request), its consents SUSPENDED (hub.partners.ledger)."""
        with Session(self.engine) as session:
            row = session.get(PartnerOrgRow, code.strip().upper()[:20])
            if row is None:
                return None
            row.status, row.suspended_at = SUSPENDED, self._now()
            session.add(row)
            session.commit()
            session.refresh(row)
            org = Organisation.of(row)
        disable_client(self.engine, org.client_id)
        with Session(self.engine) as session:
            workers = session.exec(
                select(UserRow.username).where(
                    col(UserRow.role) == "case-worker", col(UserRow.agency) == org.code
                )
            ).all()
        for username in workers:
            disable_user(self.engine, username)
        return org

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), UTC)


__all__ = ["ACTIVE", "SUSPENDED", "Organisation", "PartnerRegistry", "client_id"]
