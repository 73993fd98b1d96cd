"""Record linkage: records sharing an identifier belong to one worker, and records no
identifier links are matched on name, birth date, sex and region.

A record is linked to the worker of any record sharing one of its keys (NIK, passport,
agency cross-references). Two workers are merged only when nothing says they are different
people: a NIK on both sides that differs always keeps them apart, whatever else they share.
Merged worker ids stay valid (``merged_into``) so ids handed out earlier keep answering.

A record no identifier links is then matched probabilistically (hub.identity.matcher): it
links to the one worker whose records score above the upper threshold, or waits in the review
queue when it falls between the thresholds or two workers are close. What identity officers
decided (hub.identity.review) is kept: a MANUAL link is never moved by the linker, and a
record is never linked to a worker it was rejected from or split off.

Records are linked a page at a time (hub.crosswalk.page): everything the page needs is read
in a handful of Core queries, the page is linked in memory (each record seeing the ones before
it), and the page writes its changes back in a few executemany statements. A record whose
fingerprint is unchanged costs one lookup. A record that appears twice in one page is linked
once, as its last occurrence says (the later version wins); both occurrences answer its worker.
"""

from __future__ import annotations

import json
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from hub.crosswalk.keys import (
    NIK,
    STRENGTH,
    Pseudonymizer,
    fingerprint,
    key_kind_method,
    record_keys,
)
from hub.crosswalk.page import (
    RECORD,
    WORKER,
    Key,
    Page,
    RecordId,
    Stored,
    retire_candidates,
    stored_records,
)
from hub.crosswalk.serial import hold_crosswalk_lock
from hub.crosswalk.tables import WorkerRow
from hub.identity.attributes import Attributes
from hub.identity.matcher import DO_NOT_LINK, Blocks, Proposal, Verdict, decide, do_not_link
from hub.identity.policy import MatchPolicy, process_policy
from hub.identity.scoring import country_level, score, with_country
from hub.identity.tables import IdentityDecisionRow
from schema.enums import MatchMethod
from schema.records import PersonRecord

DECISION: Any = IdentityDecisionRow.__table__  # type: ignore[attr-defined]
MANUAL = str(MatchMethod.MANUAL)


@dataclass(frozen=True, slots=True)
class Link:
    agency: str
    local_id: str
    method: str
    confidence: float


@dataclass(frozen=True, slots=True)
class LinkOutcome:
    worker_id: str
    changed: bool  # False when the record was already linked with the same attributes


def new_worker_id() -> str:
    return "wk_" + secrets.token_hex(10)


class Linker:
    """Links person records into workers inside one database session."""

    def __init__(
        self, session: Session, pseudonymizer: Pseudonymizer, policy: MatchPolicy | None = None
    ) -> None:
        self.session = session
        self.pseudo = pseudonymizer
        self.policy = policy or process_policy()

    def link(self, record: PersonRecord) -> LinkOutcome:
        return self.link_many([record])[0]

    def link_many(self, records: Sequence[PersonRecord]) -> list[LinkOutcome]:
        connection = self.session.connection()
        hold_crosswalk_lock(connection)  # before the first read (hub.crosswalk.serial)
        last = {(r.agency, r.local_id): i for i, r in enumerate(records)}
        ids = list(last)
        stored = stored_records(connection, ids)
        prints = {rid: fingerprint(records[i], self.pseudo) for rid, i in last.items()}
        todo = [rid for rid in ids if rid not in stored or stored[rid].fingerprint != prints[rid]]
        page = Page()
        if not todo:  # nothing changed: the workers the records are linked to
            page.read_merged(connection, {row.worker_id for row in stored.values()})
            return [
                LinkOutcome(self._canonical(page, stored[(r.agency, r.local_id)].worker_id), False)
                for r in records
            ]
        keys = {
            rid: [
                (kind, self.pseudo.digest(kind, v)) for kind, v in record_keys(records[last[rid]])
            ]
            for rid in todo
        }
        relinked = [rid for rid in todo if rid in stored]
        attributes = {rid: Attributes.of(records[last[rid]]) for rid in todo}
        self._read_page(connection, page, stored, keys, relinked)
        page.read_merged(connection, {stored[rid].worker_id for rid in ids if rid not in keys})
        self._prepare_matching(connection, page, keys, attributes, relinked)
        now = datetime.now(UTC)
        linked: dict[RecordId, LinkOutcome] = {}
        for i, record in enumerate(records):
            rid = (record.agency, record.local_id)
            if last[rid] != i:
                continue  # linked at its last occurrence
            if rid not in keys:
                linked[rid] = LinkOutcome(self._canonical(page, stored[rid].worker_id), False)
                continue
            worker = self._link_one(
                page, rid, keys[rid], attributes[rid], stored.get(rid), prints[rid], now
            )
            linked[rid] = LinkOutcome(worker, True)
        page.write(connection, lambda worker: self._canonical(page, worker))
        return [linked[(r.agency, r.local_id)] for r in records]

    # -- reading ---------------------------------------------------------------------------

    def _read_page(
        self,
        connection: Connection,
        page: Page,
        stored: dict[RecordId, Stored],
        keys: dict[RecordId, list[Key]],
        relinked: list[RecordId],
    ) -> None:
        """The records sharing a key with the page, the keys the relinked records held, and
        the workers of all of them: their merges and NIKs."""
        page.read_holders(connection, {k for ks in keys.values() for k in ks})
        page.read_keys_of(connection, relinked)
        for rid in relinked:
            page.owner.setdefault(rid, stored[rid].worker_id)
        page.read_merged(connection, set(page.owner.values()))
        page.read_niks(connection, {self._canonical(page, w) for w in page.owner.values()})

    def _prepare_matching(
        self,
        connection: Connection,
        page: Page,
        keys: dict[RecordId, list[Key]],
        attributes: dict[RecordId, Attributes],
        relinked: list[RecordId],
    ) -> None:
        """Read what matching the page needs: the birth-date blocks of the records no
        identifier links, the stored attributes and decisions of the page's records; and
        retire the queued candidates of the records being relinked."""
        page.read_born(connection, relinked)
        page.apart = do_not_link(connection, list(keys))
        page.blocks = Blocks(connection, RECORD)
        alone = [
            rid
            for rid, ks in keys.items()
            if attributes[rid].birth_date is not None
            and not any(page.holders.get(k, set()) - {rid} for k in ks)
        ]
        page.blocks.need((attributes[rid].birth_date, attributes[rid].has_nik) for rid in alone)  # type: ignore[misc]
        retire_candidates(connection, relinked)

    def _canonical(self, page: Page, worker: str) -> str:
        for _ in range(32):
            if worker not in page.merged:
                page.read_merged(self.session.connection(), {worker})
            nxt = page.merged.get(worker)
            if nxt is None:
                return worker
            worker = nxt
        return worker

    def _niks(self, page: Page, worker: str) -> set[str]:
        if worker not in page.niks_read:
            page.read_niks(self.session.connection(), {worker})
        return page.niks[worker]

    # -- linking ---------------------------------------------------------------------------

    def _link_one(
        self,
        page: Page,
        me: RecordId,
        keys: list[Key],
        attributes: Attributes,
        row: Stored | None,
        fp: str,
        now: datetime,
    ) -> str:
        nik = next((d for kind, d in keys if kind == NIK), None)
        apart = {self._canonical(page, w) for w in page.apart.get(me, ())}
        candidates: dict[str, str] = {}
        for key in keys:
            for holder in page.holders.get(key, ()):
                if holder == me or holder not in page.owner:
                    continue
                worker = self._canonical(page, page.owner[holder])
                best = candidates.get(worker)
                if (
                    best is None
                    or STRENGTH[key_kind_method(key[0])] > STRENGTH[key_kind_method(best)]
                ):
                    candidates[worker] = key[0]
        compatible = {
            w: kind
            for w, kind in candidates.items()
            if w not in apart and self._nik_fits(page, w, nik, me)
        }
        confidence, queue = 1.0, None
        if row is not None and row.method == MANUAL:
            worker, method = self._canonical(page, row.worker_id), MANUAL
            confidence = row.confidence
        elif compatible:
            worker = max(compatible, key=lambda w: (STRENGTH[key_kind_method(compatible[w])], w))
            method = key_kind_method(compatible[worker])
            self._merge(page, worker, [w for w in compatible if w != worker], nik)
        else:
            verdict = self._match(page, me, attributes, nik, apart)
            if verdict.worker is not None:
                worker, method = verdict.worker, str(MatchMethod.PROBABILISTIC)
                confidence = round(verdict.confidence, 6)
            else:
                queue = verdict
                worker = new_worker_id()
                page.new_workers.append((worker, now, None))
                page.merged[worker] = None
                page.niks_read.add(worker)
                method = str(MatchMethod.NIK if nik else MatchMethod.AGENCY_ID)
        if row is not None:  # relinked: its old keys go
            page.stale_keys.append(me)
            page.forget(me)
        page.records[me] = {
            "agency": me[0],
            "local_id": me[1],
            "worker_id": worker,
            "method": method,
            "confidence": confidence,
            "fingerprint": fp,
            "updated_at": now,
            "stored": row is not None,
        }
        self._store_attributes(page, me, attributes)
        if queue is not None:
            self._enqueue(page, me, queue, now)
        page.new_keys.extend((kind, digest, me[0], me[1]) for kind, digest in keys)
        for key in keys:
            page.holders[key].add(me)
            page.held[me].append(key)
        page.owner[me] = worker
        if nik:
            page.niks[worker].add(nik)
        return worker

    def _nik_fits(self, page: Page, worker: str, nik: str | None, me: RecordId) -> bool:
        """False when the worker holds a NIK other than ``nik`` (the record's own old NIK,
        held by no other record, does not count: a corrected NIK moves the record out)."""
        if nik is None:
            return True
        for held in self._niks(page, worker):
            if held == nik:
                continue
            holders = page.holders.get((NIK, held))
            if holders is None or holders - {me}:
                return False
        return True

    def _match(
        self, page: Page, me: RecordId, attributes: Attributes, nik: str | None, apart: set[str]
    ) -> Verdict:
        """Score the record against the workers of its birth-date block (see the module
        docstring) and decide by the thresholds. Only pairs that reach the lower threshold
        can be linked or queued, so only their workers are looked at further."""
        assert page.blocks is not None
        owners, lower = page.blocks.owners, self.policy.lower
        close: list[tuple[str, Any]] = []
        countries: dict[str, set[str]] = defaultdict(set)  # owner -> its records' countries
        for rid, other in page.blocks.candidates(attributes):
            if rid == me:
                continue
            owner = page.owner.get(rid) or owners.get(rid)
            if owner is not None:
                countries[owner].update(other.countries)
            scored = score(attributes, other)
            if scored.confidence < lower:
                continue
            if owner is not None:
                close.append((owner, scored))
        best: dict[str, Proposal] = {}
        for owner, scored in close:
            worker = self._canonical(page, owner)
            known = best.get(worker)
            if known is None or scored.weight > known.score.weight:
                best[worker] = Proposal(worker, scored)
        if attributes.countries:  # the country is the worker's, over all its records
            seen: dict[str, set[str]] = defaultdict(set)
            for owner, found in countries.items():
                seen[self._canonical(page, owner)] |= found
            for worker, p in best.items():
                level = country_level(attributes.countries, seen[worker])
                best[worker] = Proposal(worker, with_country(p.score, level))
        fits = [
            p
            for p in best.values()
            if p.worker not in apart and self._nik_fits(page, p.worker, nik, me)
        ]
        return decide(fits, self.policy)

    def _store_attributes(self, page: Page, me: RecordId, attributes: Attributes) -> None:
        values = attributes.to_values(*me)
        before: date | None = None
        if me in page.born:  # stored: updated in place
            before = page.born.pop(me)
            page.changed_attributes.append({f"b_{k}": v for k, v in values.items()})
        else:
            page.new_attributes.append(tuple(values.values()))
        if page.blocks is not None:
            page.blocks.put(me, attributes, before)

    def _enqueue(self, page: Page, me: RecordId, verdict: Verdict, now: datetime) -> None:
        """Put the pairs between the thresholds in the review queue."""
        page.candidates.extend(
            {
                "agency": me[0],
                "local_id": me[1],
                "worker_id": proposal.worker,
                "confidence": round(proposal.score.confidence, 6),
                "weight": proposal.score.weight,
                "evidence": evidence_json(proposal),
                "ambiguous": verdict.ambiguous,
                "status": "PENDING",
                "created_at": now,
                "decided_at": None,
                "decided_by": None,
            }
            for proposal in verdict.queue
        )

    def _kept_apart(self, page: Page, first: str, second: str) -> bool:
        """True when an identity officer said a record of one worker is not the other."""
        connection = self.session.connection()
        rows = connection.execute(
            select(DECISION.c.agency, DECISION.c.local_id, DECISION.c.worker_id).where(
                DECISION.c.kind.in_(DO_NOT_LINK), DECISION.c.worker_id.in_((first, second))
            )
        ).all()
        for agency, local_id, decided in rows:
            rid = (agency, local_id)
            current = page.owner.get(rid)
            if current is None:
                current = connection.execute(
                    select(RECORD.c.worker_id).where(
                        RECORD.c.agency == agency, RECORD.c.local_id == local_id
                    )
                ).scalar()
            if {current, decided} == {first, second}:
                return True
        return False

    def _merge(self, page: Page, primary: str, others: list[str], nik: str | None) -> None:
        """Fold ``others`` into ``primary`` unless their NIKs say they are someone else."""
        if not others:
            return
        primary_niks = self._niks(page, primary) | ({nik} if nik else set())
        for other in others:
            other_niks = self._niks(page, other)
            if primary_niks and other_niks and not other_niks <= primary_niks:
                continue
            if self._kept_apart(page, primary, other):
                continue
            connection = self.session.connection()
            page.write_workers(connection)
            # Stored records move now; the page's own are written with their canonical worker.
            connection.execute(
                update(RECORD).where(RECORD.c.worker_id == other).values(worker_id=primary)
            )
            connection.execute(
                update(WORKER).where(WORKER.c.id == other).values(merged_into=primary)
            )
            page.merged[other] = primary
            for rid, worker in page.owner.items():
                if worker == other:
                    page.owner[rid] = primary
            primary_niks |= other_niks
            page.niks[primary] |= other_niks


def evidence_json(proposal: Proposal) -> str:
    """The evidence per attribute, as the review queue stores it."""
    items = proposal.score.evidence.items()
    return json.dumps({k: {"level": level, "weight": w} for k, (level, w) in items})


def canonical_id(session: Session, worker_id: str) -> str:
    """Follow ``merged_into`` to the worker id that now holds the records."""
    current = worker_id
    for _ in range(32):
        row = session.get(WorkerRow, current)
        if row is None or row.merged_into is None:
            return current
        current = row.merged_into
    return current


def link_records(engine: Engine, pseudo: Pseudonymizer, records: Sequence[PersonRecord]) -> int:
    """Link a batch of records in one transaction; return how many changed."""
    with Session(engine) as session:
        changed = sum(o.changed for o in Linker(session, pseudo).link_many(records))
        session.commit()
    return changed
