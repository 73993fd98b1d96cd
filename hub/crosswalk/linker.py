"""Deterministic record linkage: records sharing an identifier belong to one worker.

A record is linked to the worker of any record sharing one of its keys (NIK, passport,
agency cross-references). Two workers are merged only when nothing says they are different
people: a NIK on both sides that differs always keeps them apart, whatever else they share.
Merged worker ids stay valid (``merged_into``) so ids handed out earlier keep answering.

A record no identifier links is then matched probabilistically (hub.identity.matcher): it
links to the one worker whose records score above the upper threshold, or waits in the review
queue when it falls between the thresholds or two workers are close. What identity officers
decided (hub.identity.review) is kept: a MANUAL link is never moved by the linker, and a
record is never linked to a worker it was rejected from or split off.

Records are linked a page at a time: everything the page needs is read in a handful of
queries, the page is linked in memory (each record seeing the ones before it), and the
changes are written in one flush.
"""

from __future__ import annotations

import json
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, insert, tuple_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, select

from hub.crosswalk.keys import (
    NIK,
    STRENGTH,
    Pseudonymizer,
    fingerprint,
    key_kind_method,
    record_keys,
)
from hub.crosswalk.tables import AgencyRecordRow, RecordKeyRow, WorkerRow
from hub.identity.attributes import Attributes
from hub.identity.matcher import DO_NOT_LINK, Blocks, Proposal, Verdict, decide, do_not_link
from hub.identity.policy import MatchPolicy, process_policy
from hub.identity.scoring import score
from hub.identity.tables import IdentityAttributeRow, IdentityDecisionRow, MatchCandidateRow
from schema.enums import MatchMethod
from schema.records import PersonRecord

Key = tuple[str, str]  # (kind, digest)
RecordId = tuple[str, str]  # (agency, local_id)
CHUNK = 400  # values per IN (...) clause, under SQLite's and PostgreSQL's limits


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


def _chunks(values: Sequence[object]) -> Iterable[Sequence[object]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


@dataclass
class _Page:
    """What the records of one page, and everything they touch, look like in the database."""

    holders: dict[Key, set[RecordId]] = field(default_factory=lambda: defaultdict(set))
    owner: dict[RecordId, str] = field(default_factory=dict)  # record -> worker id
    merged: dict[str, str | None] = field(default_factory=dict)  # worker -> merged_into
    niks: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # worker -> NIKs
    blocks: Blocks | None = None  # identity attributes by birth date, for matching
    attributes: dict[RecordId, IdentityAttributeRow] = field(default_factory=dict)  # stored
    apart: dict[RecordId, set[str]] = field(default_factory=dict)  # do-not-link decisions
    # Written in bulk when the page is done (new workers before any flush): one statement
    # per page instead of one per record.
    new_workers: list[dict[str, object]] = field(default_factory=list)
    new_keys: list[dict[str, str]] = field(default_factory=list)
    new_attributes: list[dict[str, object]] = field(default_factory=list)
    stale_keys: list[RecordId] = field(default_factory=list)


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
        s = self.session
        with s.no_autoflush:
            ids = [(r.agency, r.local_id) for r in records]
            existing = self._existing(ids)
            prints = [fingerprint(r) for r in records]
            todo = [
                i
                for i, (rid, fp) in enumerate(zip(ids, prints, strict=True))
                if rid not in existing or existing[rid].fingerprint != fp
            ]
            keys = {
                i: [
                    (kind, self.pseudo.digest(kind, value))
                    for kind, value in record_keys(records[i])
                ]
                for i in todo
            }
            relinked = [ids[i] for i in todo if ids[i] in existing]
            page = self._load_page({k for ks in keys.values() for k in ks}, relinked)
            attributes = {i: Attributes.of(records[i]) for i in todo}
            self._prepare_matching(page, ids, todo, keys, attributes, relinked)
            outcomes: list[LinkOutcome] = []
            now = datetime.now(UTC)
            for i, record in enumerate(records):
                row = existing.get(ids[i])
                if i not in keys:
                    assert row is not None
                    outcomes.append(LinkOutcome(self._canonical(page, row.worker_id), False))
                    continue
                worker = self._link_one(page, record, keys[i], attributes[i], row, prints[i], now)
                outcomes.append(LinkOutcome(worker, True))
            self._write(page)
        return outcomes

    def _write(self, page: _Page) -> None:
        """The page's new workers, records and keys, in a few statements."""
        s = self.session
        self._write_workers(page)
        s.flush()
        for chunk in _chunks(page.stale_keys):
            s.exec(
                delete(RecordKeyRow).where(
                    tuple_(col(RecordKeyRow.agency), col(RecordKeyRow.local_id)).in_(chunk)
                )
            )
        if page.new_keys:
            s.execute(insert(RecordKeyRow), page.new_keys)
        if page.new_attributes:
            s.execute(insert(IdentityAttributeRow), page.new_attributes)
        page.stale_keys, page.new_keys, page.new_attributes = [], [], []

    def _write_workers(self, page: _Page) -> None:
        """New worker rows first: records refer to them."""
        if page.new_workers:
            self.session.execute(insert(WorkerRow), page.new_workers)
            page.new_workers = []

    # -- reading ---------------------------------------------------------------------------

    def _existing(self, ids: list[RecordId]) -> dict[RecordId, AgencyRecordRow]:
        found: dict[RecordId, AgencyRecordRow] = {}
        for chunk in _chunks(list(dict.fromkeys(ids))):
            rows = self.session.exec(
                select(AgencyRecordRow).where(
                    tuple_(col(AgencyRecordRow.agency), col(AgencyRecordRow.local_id)).in_(chunk)
                )
            )
            found.update({(r.agency, r.local_id): r for r in rows})
        return found

    def _load_page(self, keys: set[Key], relinked: list[RecordId]) -> _Page:
        s, page = self.session, _Page()
        for chunk in _chunks(sorted(keys)):
            for row in s.exec(
                select(RecordKeyRow).where(
                    tuple_(col(RecordKeyRow.kind), col(RecordKeyRow.digest)).in_(chunk)
                )
            ):
                page.holders[(row.kind, row.digest)].add((row.agency, row.local_id))
        for chunk in _chunks(relinked):  # keys the relinked records held until now
            for row in s.exec(
                select(RecordKeyRow).where(
                    tuple_(col(RecordKeyRow.agency), col(RecordKeyRow.local_id)).in_(chunk)
                )
            ):
                page.holders[(row.kind, row.digest)].add((row.agency, row.local_id))
        holders = sorted({h for hs in page.holders.values() for h in hs})
        page.owner.update({rid: row.worker_id for rid, row in self._existing(holders).items()})
        self._load_workers(page, set(page.owner.values()))
        return page

    def _load_workers(self, page: _Page, workers: set[str]) -> None:
        s = self.session
        pending = workers - set(page.merged)
        while pending:
            batch = sorted(pending)
            for chunk in _chunks(batch):
                for row in s.exec(select(WorkerRow).where(col(WorkerRow.id).in_(chunk))):
                    page.merged[row.id] = row.merged_into
            # Two indexed steps (records by worker, then their NIK keys): as one join, SQLite
            # chose to walk every NIK key of the table.
            holders: dict[RecordId, str] = {}
            for chunk in _chunks(batch):
                for agency, local_id, worker in s.exec(
                    select(
                        AgencyRecordRow.agency, AgencyRecordRow.local_id, AgencyRecordRow.worker_id
                    ).where(col(AgencyRecordRow.worker_id).in_(chunk))
                ):
                    holders[(agency, local_id)] = worker
            for chunk in _chunks(sorted(holders)):
                for agency, local_id, digest in s.exec(
                    select(RecordKeyRow.agency, RecordKeyRow.local_id, RecordKeyRow.digest).where(
                        tuple_(col(RecordKeyRow.agency), col(RecordKeyRow.local_id)).in_(chunk),
                        col(RecordKeyRow.kind) == NIK,
                    )
                ):
                    page.niks[holders[(agency, local_id)]].add(digest)
            targets = {m for w in batch if (m := page.merged.get(w))}
            pending = targets - set(page.merged)

    def _prepare_matching(
        self,
        page: _Page,
        ids: list[RecordId],
        todo: list[int],
        keys: dict[int, list[Key]],
        attributes: dict[int, Attributes],
        relinked: list[RecordId],
    ) -> None:
        """Read what matching the page needs: the birth-date blocks of the records no
        identifier links, the stored attributes and decisions of the page's records; and
        retire the queued candidates of the records being relinked."""
        s = self.session
        table = IdentityAttributeRow
        for chunk in _chunks(relinked):
            for row in s.exec(
                select(table).where(tuple_(col(table.agency), col(table.local_id)).in_(chunk))
            ):
                page.attributes[(row.agency, row.local_id)] = row
        page.apart = do_not_link(s, [ids[i] for i in todo])
        page.blocks = Blocks(s)
        alone = [
            i
            for i in todo
            if attributes[i].birth_date is not None
            and not any(page.holders.get(k, set()) - {ids[i]} for k in keys[i])
        ]
        page.blocks.need((attributes[i].birth_date, attributes[i].has_nik) for i in alone)  # type: ignore[misc]
        self._load_owners(page, {r for bucket in page.blocks.by_date.values() for r in bucket})
        if relinked:
            for chunk in _chunks(relinked):
                s.exec(
                    update(MatchCandidateRow)
                    .where(
                        tuple_(col(MatchCandidateRow.agency), col(MatchCandidateRow.local_id)).in_(
                            chunk
                        ),
                        col(MatchCandidateRow.status) == "PENDING",
                    )
                    .values(status="SUPERSEDED")
                )

    def _load_owners(self, page: _Page, records: set[RecordId]) -> None:
        missing = sorted(records - set(page.owner))
        if missing:
            page.owner.update({rid: row.worker_id for rid, row in self._existing(missing).items()})
            self._load_workers(page, set(page.owner.values()))

    def _canonical(self, page: _Page, worker: str) -> str:
        for _ in range(32):
            if worker not in page.merged:
                self._load_workers(page, {worker})
            nxt = page.merged.get(worker)
            if nxt is None:
                return worker
            worker = nxt
        return worker

    # -- linking ---------------------------------------------------------------------------

    def _link_one(
        self,
        page: _Page,
        record: PersonRecord,
        keys: list[Key],
        attributes: Attributes,
        row: AgencyRecordRow | None,
        fp: str,
        now: datetime,
    ) -> str:
        me = (record.agency, record.local_id)
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
        if row is not None and row.method == MatchMethod.MANUAL:
            worker, method = self._canonical(page, row.worker_id), str(row.method)
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
                page.new_workers.append({"id": worker, "created_at": now})
                page.merged[worker] = None
                method = str(MatchMethod.NIK if nik else MatchMethod.AGENCY_ID)
        if row is not None:  # relinked: its old keys go
            page.stale_keys.append(me)
            for held in page.holders.values():
                held.discard(me)
        else:
            row = AgencyRecordRow(
                agency=me[0],
                local_id=me[1],
                worker_id=worker,
                method=method,
                fingerprint=fp,
                updated_at=now,
            )
        row.worker_id, row.method, row.fingerprint, row.updated_at = worker, method, fp, now
        row.confidence = confidence
        self.session.add(row)
        self._store_attributes(page, me, attributes)
        if queue is not None:
            self._enqueue(me, queue, now)
        page.new_keys.extend(
            {"kind": kind, "digest": digest, "agency": me[0], "local_id": me[1]}
            for kind, digest in keys
        )
        for key in keys:
            page.holders[key].add(me)
        page.owner[me] = worker
        if nik:
            page.niks[worker].add(nik)
        return worker

    def _nik_fits(self, page: _Page, worker: str, nik: str | None, me: RecordId) -> bool:
        """False when the worker holds a NIK other than ``nik`` (the record's own old NIK,
        held by no other record, does not count: a corrected NIK moves the record out)."""
        if nik is None:
            return True
        for held in page.niks[worker]:
            if held == nik:
                continue
            holders = page.holders.get((NIK, held))
            if holders is None or holders - {me}:
                return False
        return True

    def _match(
        self, page: _Page, me: RecordId, attributes: Attributes, nik: str | None, apart: set[str]
    ) -> Verdict:
        """Score the record against the workers of its birth-date block (see the module
        docstring) and decide by the thresholds."""
        assert page.blocks is not None
        pairs = [(rid, other) for rid, other in page.blocks.candidates(attributes) if rid != me]
        self._load_owners(page, {rid for rid, _ in pairs})
        best: dict[str, Proposal] = {}
        for rid, other in pairs:
            owner = page.owner.get(rid)
            if owner is None:
                continue
            worker = self._canonical(page, owner)
            if worker in apart or not self._nik_fits(page, worker, nik, me):
                continue
            scored = score(attributes, other)
            known = best.get(worker)
            if known is None or scored.weight > known.score.weight:
                best[worker] = Proposal(worker, scored)
        return decide(best.values(), self.policy)

    def _store_attributes(self, page: _Page, me: RecordId, attributes: Attributes) -> None:
        fresh = attributes.to_row(*me)
        row = page.attributes.get(me)
        before = row.birth_date if row is not None else None
        if row is None:  # a new record: written in bulk with the page
            page.new_attributes.append(fresh.model_dump())
        else:
            for name in ("given", "father", "birth_date", "sex", "region", "has_nik"):
                setattr(row, name, getattr(fresh, name))
            self.session.add(row)
        if page.blocks is not None:
            page.blocks.put(me, attributes, before)

    def _enqueue(self, me: RecordId, verdict: Verdict, now: datetime) -> None:
        """Put the pairs between the thresholds in the review queue."""
        self.session.add_all(
            MatchCandidateRow(
                agency=me[0],
                local_id=me[1],
                worker_id=proposal.worker,
                confidence=round(proposal.score.confidence, 6),
                weight=proposal.score.weight,
                evidence=evidence_json(proposal),
                ambiguous=verdict.ambiguous,
                status="PENDING",
                created_at=now,
            )
            for proposal in verdict.queue
        )

    def _kept_apart(self, first: str, second: str) -> bool:
        """True when an identity officer said a record of one worker is not the other."""
        d, r = IdentityDecisionRow, AgencyRecordRow
        count = self.session.exec(
            select(func.count())
            .select_from(d)
            .join(
                r,
                (col(r.agency) == col(d.agency)) & (col(r.local_id) == col(d.local_id)),
            )
            .where(
                col(d.kind).in_(DO_NOT_LINK),
                ((col(r.worker_id) == first) & (col(d.worker_id) == second))
                | ((col(r.worker_id) == second) & (col(d.worker_id) == first)),
            )
        ).one()
        return bool(count)

    def _merge(self, page: _Page, primary: str, others: list[str], nik: str | None) -> None:
        """Fold ``others`` into ``primary`` unless their NIKs say they are someone else."""
        primary_niks = page.niks[primary] | ({nik} if nik else set())
        for other in others:
            other_niks = page.niks[other]
            if primary_niks and other_niks and not other_niks <= primary_niks:
                continue
            self._write_workers(page)
            self.session.flush()
            if self._kept_apart(primary, other):
                continue
            self.session.exec(
                update(AgencyRecordRow)
                .where(col(AgencyRecordRow.worker_id) == other)
                .values(worker_id=primary)
            )
            self.session.exec(
                update(WorkerRow).where(col(WorkerRow.id) == other).values(merged_into=primary)
            )
            self.session.expire_all()
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
