"""The consent ledger: signed, versioned, append-only consent artefacts.

A consent (modelled on DEPA's consent artefact, research/domain-2026.md §3.3) names the
worker, the organisation, a purpose from a closed list, the categories it opens, VIEW mode,
its validity (at most 90 days, and never past the close of the case it is bound to), the
hash of the exact text shown (hub.partners.text) and how it was captured: by the worker
signed in (``SELF``), or at a mission with the officer recorded (``ASSISTED_AT_MISSION``).

Every version is signed with the hub's Ed25519 key (the audit checkpoints' key,
HUB_AUDIT_SIGNING_KEY) over its canonical JSON; a change of status is a new version, never an
update. A consent is in force only while its newest version is ACTIVE, it is before
``valid_until``, its case (if any) is not closed and its organisation is not suspended; the
hub's expiry loop (hub/partners/expiry.py), or a read that finds one of these first, writes the
EXPIRED/SUSPENDED version; either records it in the audit trail (a CHANGE entry by the hub,
``consentExpiry``: hub/partners/lapses.py) in the same transaction, or writes nothing.
Revoking, expiring or suspending a consent notifies the organisation's webhooks through the
case outbox (hub/cases: signed, retried), in the same transaction as the new version.

Synchronous: the GraphQL layer calls it through ``hub.offload``.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from auth.purpose import PARTNER_PURPOSES, Purpose
from hub.audit.trail import AuditTrail
from hub.cases.tables import CaseRow, DeliveryRow, WebhookRow
from hub.crosswalk.tables import WorkerRow
from hub.partners.lapses import lapse_entries
from hub.partners.registry import ACTIVE, PartnerOrgRow
from hub.partners.tables import ConsentRow
from hub.partners.text import MAX_DAYS, PURPOSE_CATEGORIES, ConsentText, consent_text
from hub.storage.unit import writing
from schema.clock import now
from schema.enums import CaseStatus

REVOKED, EXPIRED, SUSPENDED = "REVOKED", "EXPIRED", "SUSPENDED"
SELF, ASSISTED = "SELF", "ASSISTED_AT_MISSION"
LANGUAGES = ("id", "en")
ARTEFACT_FORMAT = "pmihub-consent/1"


class ConsentError(ValueError):
    """A consent cannot be given or changed as asked; typed and bilingual."""

    def __init__(self, code: str, text_id: str, text_en: str, argument: str | None = None):
        super().__init__(f"{text_id} / {text_en}")
        self.code, self.text_id, self.text_en, self.argument = code, text_id, text_en, argument


@dataclass(frozen=True, slots=True)
class Consent:
    id: str
    version: int
    worker_id: str
    organisation: str
    purpose: Purpose
    categories: tuple[str, ...]
    include_next_of_kin: bool
    case_id: str | None
    valid_from: datetime
    valid_until: datetime
    status: str
    channel: str
    officer: str | None
    mission: str | None
    language: str
    text_hash: str
    recorded_at: datetime
    artefact: str
    signature: str
    key_id: str

    @property
    def active(self) -> bool:
        return self.status == ACTIVE

    def opens(self, category: str) -> bool:
        """Whether this consent, in force, opens ``category`` (``next_of_kin`` only when the
        worker chose to include it)."""
        if not self.active:
            return False
        if category == "next_of_kin":
            return self.include_next_of_kin
        return category in self.categories

    @classmethod
    def of(cls, row: ConsentRow) -> Consent:
        return cls(
            id=row.consent_id,
            version=row.version,
            worker_id=row.worker_id,
            organisation=row.organisation,
            purpose=Purpose(row.purpose),
            categories=tuple(c for c in row.categories.split(",") if c),
            include_next_of_kin=row.include_next_of_kin,
            case_id=row.case_id,
            valid_from=_utc(row.valid_from),
            valid_until=_utc(row.valid_until),
            status=row.status,
            channel=row.channel,
            officer=row.officer,
            mission=row.mission,
            language=row.language,
            text_hash=row.text_hash,
            recorded_at=_utc(row.recorded_at),
            artefact=row.artefact,
            signature=row.signature,
            key_id=row.key_id,
        )


@dataclass(frozen=True, slots=True)
class Capture:
    """How a consent was given: by the worker (``by``: the worker id, ``auth_event``: the
    token's id) or at a mission (``by``: the officer, ``mission``: its code)."""

    channel: str
    by: str
    auth_event: str | None = None
    mission: str | None = None
    language: str = "id"


class ConsentLedger:
    def __init__(self, trail: AuditTrail, clock: Callable[[], datetime] = now) -> None:
        self.trail = trail  # a lapse a read finds is recorded there (``_read``)
        self.engine: Engine = trail.engine
        self.signer = trail.signer
        self.clock = clock

    # -- giving ------------------------------------------------------------------------------

    def terms_text(
        self,
        organisation: str,
        purpose: Purpose,
        categories: Iterable[str],
        days: int,
        *,
        include_next_of_kin: bool = False,
        case_id: str | None = None,
    ) -> tuple[ConsentText, list[str], datetime]:
        """The exact text a worker is shown for these terms (checked), the categories in
        order, and the end of validity."""
        with Session(self.engine) as session:
            org = self._org(session, organisation)
            chosen = _categories(purpose, categories)
            until = self._until(days)
            return (
                consent_text(
                    org.name,
                    purpose,
                    chosen,
                    until,
                    next_of_kin=include_next_of_kin,
                    case_id=case_id,
                ),
                chosen,
                until,
            )

    def grant(
        self,
        worker_id: str,
        organisation: str,
        purpose: Purpose,
        categories: Iterable[str],
        capture: Capture,
        *,
        days: int = MAX_DAYS,
        include_next_of_kin: bool = False,
        case_id: str | None = None,
        session: Session | None = None,
    ) -> Consent:
        """A new consent, version 1, ACTIVE; ``worker_id`` is canonical. With a ``session``
        (``AuditTrail.unit``), written into the caller's transaction (hub.storage.unit)."""
        if capture.language not in LANGUAGES:
            raise ConsentError("BAD_USER_INPUT", "Bahasa: id atau en", "Language: id or en")
        at = self.clock()
        with writing(self.engine, session) as session:
            org = self._org(session, organisation)
            if session.get(WorkerRow, worker_id) is None:
                raise ConsentError(
                    "NOT_FOUND", "Pekerja tidak ditemukan", "No such worker", "workerId"
                )
            chosen = _categories(purpose, categories)
            until = self._until(days)
            if case_id is not None:
                case = session.exec(select(CaseRow).where(col(CaseRow.id) == case_id)).first()
                if case is None or case.worker_id != worker_id:
                    raise ConsentError(
                        "NOT_FOUND", "Kasus tidak ditemukan", "No such case", "caseId"
                    )
                if case.status == CaseStatus.CLOSED.value:
                    raise ConsentError(
                        "BAD_USER_INPUT",
                        "Kasus sudah ditutup",
                        "The case is closed",
                        "caseId",
                    )
            text = consent_text(
                org.name, purpose, chosen, until, next_of_kin=include_next_of_kin, case_id=case_id
            )
            row = ConsentRow(
                consent_id=f"cns_{secrets.token_hex(10)}",
                version=1,
                worker_id=worker_id,
                organisation=org.code,
                purpose=purpose.value,
                categories=",".join(chosen),
                include_next_of_kin=include_next_of_kin,
                case_id=case_id,
                valid_from=_utc(at),
                valid_until=_utc(until),
                status=ACTIVE,
                channel=capture.channel,
                officer=capture.by if capture.channel == ASSISTED else None,
                mission=capture.mission,
                language=capture.language,
                text_hash=text.hash,
                changed_by=capture.by,
                recorded_at=_utc(at),
                artefact="",
                signature="",
                key_id="",
            )
            self._sign(row, auth_event=capture.auth_event)
            session.add(row)
            session.flush()
            return Consent.of(row)

    # -- changing ------------------------------------------------------------------------------

    def revoke(
        self,
        consent_id: str,
        by: str,
        *,
        worker_id: str | None = None,
        session: Session | None = None,
    ) -> Consent:
        """A REVOKED version (``worker_id``: only that worker's consent), and the organisation
        told; CONSENT_NOT_ACTIVE when it is no longer in force (a lapse found on the way is
        kept, unless the caller's ``session`` rolls back: the expiry sweep then writes it)."""
        with writing(self.engine, session) as session:
            current = self._settled(session, self._latest(session, [consent_id]))
            found = current[0] if current else None
            if found is None or (worker_id is not None and found.worker_id != worker_id):
                raise ConsentError(
                    "NOT_FOUND", "Persetujuan tidak ditemukan", "No such consent", "id"
                )
            revoked = None
            if found.status == ACTIVE:
                row = self._version(session, found, REVOKED, by)
                revoked = Consent.of(row)
        if revoked is None:
            raise ConsentError(
                "CONSENT_NOT_ACTIVE",
                f"Persetujuan sudah tidak berlaku ({found.status})",
                f"The consent is no longer in force ({found.status})",
                "id",
            )
        return revoked

    def close_case(self, case_id: str) -> list[Consent]:
        """The consents bound to a case that just closed: EXPIRED now, each organisation told."""
        with Session(self.engine) as session:
            ids = session.exec(
                select(ConsentRow.consent_id).where(col(ConsentRow.case_id) == case_id)
            ).all()
            done = self._settled(session, self._latest(session, set(ids)))
            session.commit()
            return done

    def suspend_organisation(self, code: str) -> list[Consent]:
        """Every consent of a suspended organisation: SUSPENDED now (call after the registry
        marked it suspended)."""
        with Session(self.engine) as session:
            ids = session.exec(
                select(ConsentRow.consent_id).where(col(ConsentRow.organisation) == code)
            ).all()
            done = self._settled(session, self._latest(session, set(ids)))
            session.commit()
            return done

    def sweep(self, session: Session | None = None) -> list[Consent]:
        """Every consent whose newest version is ACTIVE, settled now: those that lapsed get
        their EXPIRED/SUSPENDED version and their organisation is told (hub/partners/expiry.py
        runs it on a schedule with the audit entries; reads settle the ones they touch anyway).
        With a ``session``, written into the caller's transaction."""
        with writing(self.engine, session) as session:
            ids = session.exec(
                select(ConsentRow.consent_id).where(col(ConsentRow.status) == ACTIVE)
            ).all()
            newest = [r for r in self._latest(session, set(ids)) if r.status == ACTIVE]
            done = self._settled(session, newest)
        return [c for c in done if c.status != ACTIVE]

    # -- reading ---------------------------------------------------------------------------------

    def get(self, consent_id: str) -> Consent | None:
        found = self._read(lambda s: self._latest(s, [consent_id[:40]]))
        return found[0] if found else None

    def for_worker(self, worker_id: str) -> list[Consent]:
        return self._read(lambda s: self._latest(s, self._ids(s, worker_id=worker_id)))

    def for_organisation(self, code: str, worker_id: str | None = None) -> list[Consent]:
        return self._read(
            lambda s: self._latest(s, self._ids(s, organisation=code, worker_id=worker_id))
        )

    def for_partner(self, code: str, worker_ids: Iterable[str]) -> dict[str, list[Consent]]:
        """Each worker's consents to one organisation, newest first (one read for a batch)."""
        wanted = list(dict.fromkeys(worker_ids))

        def read(session: Session) -> list[ConsentRow]:
            ids = session.exec(
                select(ConsentRow.consent_id).where(
                    col(ConsentRow.organisation) == code, col(ConsentRow.worker_id).in_(wanted)
                )
            ).all()
            return self._latest(session, set(ids))

        found: dict[str, list[Consent]] = {w: [] for w in wanted}
        for consent in self._read(read):
            found[consent.worker_id].append(consent)
        return found

    def in_force(self, session: Session, organisation: str, worker_id: str) -> str | None:
        """The id of a consent of the worker to the organisation in force, if any (read
        only: the case service's gate for a partner's webhook, inside its transaction)."""
        ids = session.exec(
            select(ConsentRow.consent_id).where(
                col(ConsentRow.organisation) == organisation,
                col(ConsentRow.worker_id) == worker_id,
            )
        ).all()
        at = self.clock()
        org = session.get(PartnerOrgRow, organisation)
        if org is None or org.status != ACTIVE:
            return None
        for row in self._latest(session, set(ids)):
            if row.status == ACTIVE and _utc(row.valid_until) > at:
                return row.consent_id
        return None

    def history(self, consent_id: str) -> list[Consent]:
        """Every version of a consent, oldest first."""
        with Session(self.engine) as session:
            rows = session.exec(
                select(ConsentRow)
                .where(col(ConsentRow.consent_id) == consent_id)
                .order_by(col(ConsentRow.version))
            ).all()
            return [Consent.of(r) for r in rows]

    def verify(self, consent: Consent) -> bool:
        """Whether a version's signature holds over its artefact, and the artefact says what
        the version's columns say."""
        try:
            body = json.loads(consent.artefact)
        except ValueError:
            return False
        return (
            self.signer.verify(consent.key_id, consent.artefact.encode(), consent.signature)
            and body.get("consentId") == consent.id
            and body.get("version") == consent.version
            and body.get("status") == consent.status
            and body.get("dataPrincipal", {}).get("workerId") == consent.worker_id
            and body.get("recipient", {}).get("orgId") == consent.organisation
            and body.get("textShownHash") == consent.text_hash
            and body.get("scopes") == list(consent.categories)
        )

    # -- inside ------------------------------------------------------------------------------------

    def _read(self, reader: Callable[[Session], list[ConsentRow]]) -> list[Consent]:
        """The consents ``reader`` finds, as they stand now. A lapse among them is ended here
        with its audit entries, as the expiry loop ends one (read again under the chain's lock,
        which the loop holds too, so the two never end one consent twice); AuditUnavailable
        when the trail cannot be written, and nothing was."""
        with Session(self.engine) as session:
            rows = reader(session)
            if not self._lapses(session, rows):
                return [Consent.of(r) for r in rows]
        with self.trail.unit() as unit:
            rows = reader(unit.session)
            ends = self._lapses(unit.session, rows)
            done = self._end(unit.session, rows, ends)
            unit.record(*lapse_entries(c for c in done if c.id in ends))
            return done

    def _ids(
        self, session: Session, *, worker_id: str | None = None, organisation: str | None = None
    ) -> set[str]:
        query = select(ConsentRow.consent_id)
        if worker_id is not None:
            query = query.where(col(ConsentRow.worker_id) == worker_id)
        if organisation is not None:
            query = query.where(col(ConsentRow.organisation) == organisation)
        return set(session.exec(query).all())

    def _latest(self, session: Session, ids: Iterable[str]) -> list[ConsentRow]:
        wanted = list(ids)
        if not wanted:
            return []
        newest = (
            select(ConsentRow.consent_id, func.max(ConsentRow.version).label("version"))
            .where(col(ConsentRow.consent_id).in_(wanted))
            .group_by(col(ConsentRow.consent_id))
            .subquery()
        )
        return list(
            session.exec(
                select(ConsentRow)
                .join(
                    newest,
                    (col(ConsentRow.consent_id) == newest.c.consent_id)
                    & (col(ConsentRow.version) == newest.c.version),
                )
                .order_by(col(ConsentRow.valid_from).desc(), col(ConsentRow.seq).desc())
            ).all()
        )

    def _settled(self, session: Session, rows: list[ConsentRow]) -> list[Consent]:
        """The consents as they stand now: each lapse gets its new version here."""
        return self._end(session, rows, self._lapses(session, rows))

    def _end(self, session: Session, rows: list[ConsentRow], ends: dict[str, str]) -> list[Consent]:
        out = []
        for row in rows:
            if row.consent_id in ends:
                row = self._version(session, Consent.of(row), ends[row.consent_id], "hub")
            out.append(Consent.of(row))
        return out

    def _lapses(self, session: Session, rows: list[ConsentRow]) -> dict[str, str]:
        """The ACTIVE consents among ``rows`` that lapsed (their organisation suspended, their
        time run out, their case closed), with the status that ends each."""
        active = [r for r in rows if r.status == ACTIVE]
        if not active:
            return {}
        at = _utc(self.clock())
        suspended = set(
            session.exec(
                select(PartnerOrgRow.code).where(
                    col(PartnerOrgRow.code).in_({r.organisation for r in active}),
                    col(PartnerOrgRow.status) != ACTIVE,
                )
            ).all()
        )
        case_ids = {r.case_id for r in active if r.case_id}
        closed = set(
            session.exec(
                select(CaseRow.id).where(
                    col(CaseRow.id).in_(case_ids), col(CaseRow.status) == CaseStatus.CLOSED.value
                )
            ).all()
            if case_ids
            else []
        )
        ends = {}
        for row in active:
            if row.organisation in suspended:
                ends[row.consent_id] = SUSPENDED
            elif row.valid_until <= at or row.case_id in closed:
                ends[row.consent_id] = EXPIRED
        return ends

    def _version(self, session: Session, current: Consent, status: str, by: str) -> ConsentRow:
        """The next version with ``status``, signed, and the organisation's webhooks told."""
        at = self.clock()
        row = ConsentRow(
            consent_id=current.id,
            version=current.version + 1,
            worker_id=current.worker_id,
            organisation=current.organisation,
            purpose=current.purpose.value,
            categories=",".join(current.categories),
            include_next_of_kin=current.include_next_of_kin,
            case_id=current.case_id,
            valid_from=_utc(current.valid_from),
            valid_until=_utc(current.valid_until),
            status=status,
            channel=current.channel,
            officer=current.officer,
            mission=current.mission,
            language=current.language,
            text_hash=current.text_hash,
            changed_by=by[:120],
            recorded_at=_utc(at),
            artefact="",
            signature="",
            key_id="",
        )
        self._sign(row)
        session.add(row)
        session.flush()
        self._notify(session, row, at)
        return row

    def _notify(self, session: Session, row: ConsentRow, at: datetime) -> None:
        body = json.dumps(
            {
                "type": f"consent.{row.status.lower()}",
                "consentId": row.consent_id,
                "version": row.version,
                "workerId": row.worker_id,
                "organisation": row.organisation,
                "status": row.status,
                "at": _utc(row.recorded_at).isoformat(),
                "message": {
                    "id": "Persetujuan tidak berlaku lagi: hentikan akses dan hapus salinan "
                    "dalam 3×24 jam",
                    "en": "The consent is no longer in force: stop access and delete any "
                    "copies within 3×24 hours",
                },
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        hooks = session.exec(
            select(WebhookRow.id).where(
                col(WebhookRow.active).is_(True), col(WebhookRow.partner_org) == row.organisation
            )
        ).all()
        event_id = f"evt_{secrets.token_urlsafe(18)}"
        for hook in hooks:
            session.add(
                DeliveryRow(
                    webhook_id=hook,
                    event_id=event_id,
                    worker_id=row.worker_id,
                    payload=body,
                    created_at=at,
                    next_attempt_at=at,
                    consent_id=row.consent_id,
                )
            )

    def _sign(self, row: ConsentRow, *, auth_event: str | None = None) -> None:
        artefact = {
            "format": ARTEFACT_FORMAT,
            "consentId": row.consent_id,
            "version": row.version,
            "dataPrincipal": {"workerId": row.worker_id},
            "recipient": {"orgId": row.organisation},
            "purpose": row.purpose,
            "caseId": row.case_id,
            "scopes": [c for c in row.categories.split(",") if c],
            "includeNextOfKin": row.include_next_of_kin,
            "excluded": ["identity.nik_full", "biometrics", "health.details", "location"],
            "mode": "VIEW",
            "fetch": "WHILE_CASE_OPEN" if row.case_id else "WHILE_VALID",
            "validFrom": _utc(row.valid_from).isoformat(),
            "validUntil": _utc(row.valid_until).isoformat(),
            "capture": {
                "channel": row.channel,
                "authEvent": auth_event,
                "language": row.language,
                "witness": row.officer,
                "mission": row.mission,
            },
            "textShownHash": row.text_hash,
            "status": row.status,
            "changedBy": row.changed_by,
            "recordedAt": _utc(row.recorded_at).isoformat(),
        }
        row.artefact = json.dumps(artefact, sort_keys=True, separators=(",", ":"))
        row.signature = self.signer.sign(row.artefact.encode())
        row.key_id = self.signer.key_id

    def _org(self, session: Session, code: str) -> PartnerOrgRow:
        org = session.get(PartnerOrgRow, code.strip().upper()[:20])
        if org is None or org.status != ACTIVE:
            raise ConsentError(
                "NOT_FOUND",
                "Organisasi pendamping tidak dikenal atau ditangguhkan",
                "Unknown or suspended partner organisation",
                "organisation",
            )
        return org

    def _until(self, days: int) -> datetime:
        if not 1 <= days <= MAX_DAYS:
            raise ConsentError(
                "BAD_USER_INPUT",
                f"Masa berlaku 1 sampai {MAX_DAYS} hari",
                f"Validity is 1 to {MAX_DAYS} days",
                "days",
            )
        return self.clock() + timedelta(days=days)


def _categories(purpose: Purpose, categories: Iterable[str]) -> list[str]:
    if purpose not in PARTNER_PURPOSES:
        raise ConsentError(
            "BAD_USER_INPUT", "Tujuan persetujuan tidak sah", "Not a consent purpose", "purpose"
        )
    allowed = PURPOSE_CATEGORIES[purpose]
    chosen = list(dict.fromkeys(c.strip().lower() for c in categories))
    if not chosen or any(c not in allowed for c in chosen):
        raise ConsentError(
            "BAD_USER_INPUT",
            f"Kategori untuk {purpose.value}: pilih dari {', '.join(allowed)}",
            f"Categories for {purpose.value}: choose among {', '.join(allowed)}",
            "categories",
        )
    return [c for c in allowed if c in chosen]  # in the purpose's order


def _utc(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


__all__ = ["ASSISTED", "SELF", "Capture", "Consent", "ConsentError", "ConsentLedger"]
