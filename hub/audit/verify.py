"""Checking the chain: the first entry altered, deleted, inserted or reordered, and whether the
signed checkpoints still match the entries they attest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from hub.audit.chain import GENESIS, entry_hash, row_values
from hub.audit.signing import AuditSigner, checkpoint_payload
from hub.audit.tables import AuditCheckpointRow, AuditEntryRow, AuditHeadRow

Problem = Literal["altered", "deleted", "inserted", "reordered", "checkpoint"]

PROBLEM_TEXT: dict[str, tuple[str, str]] = {
    "altered": ("diubah", "altered"),
    "deleted": ("dihapus", "deleted"),
    "inserted": ("disisipkan", "inserted"),
    "reordered": ("diubah urutannya", "reordered"),
    "checkpoint": ("titik periksa bertanda tangan tidak sah", "invalid signed checkpoint"),
}


@dataclass(frozen=True, slots=True)
class VerifyReport:
    ok: bool
    first_bad_seq: int | None = None
    problem: Problem | None = None
    message: str = ""
    entries: int = 0
    checkpoints: int = 0

    def text(self) -> str:
        """One line in Indonesian and English, for people."""
        if self.ok:
            return (
                f"Jejak audit utuh: {self.entries} entri, {self.checkpoints} titik periksa / "
                f"Audit trail intact: {self.entries} entries, {self.checkpoints} checkpoints"
            )
        text_id, text_en = PROBLEM_TEXT[self.problem or "altered"]
        return (
            f"Jejak audit rusak: entri #{self.first_bad_seq} {text_id} / "
            f"Audit trail broken: entry #{self.first_bad_seq} {text_en} ({self.message})"
        )


def verify_chain(
    entries: Sequence[AuditEntryRow],
    head: AuditHeadRow | None,
    checkpoints: Sequence[AuditCheckpointRow],
    signer: AuditSigner,
) -> VerifyReport:
    counts = {"entries": len(entries), "checkpoints": len(checkpoints)}

    def bad(seq: int | None, problem: Problem, message: str) -> VerifyReport:
        return VerifyReport(False, seq, problem, message, **counts)

    for cp in checkpoints:
        payload = checkpoint_payload(
            cp.seq, cp.head_hash, cp.signed_at, cp.purged_before_seq, cp.key_id
        )
        if not signer.verify(cp.key_id, payload, cp.signature):
            return bad(cp.seq, "checkpoint", f"checkpoint {cp.id}: signature does not verify")
    anchors = [cp for cp in checkpoints if cp.purged_before_seq is not None]
    anchor = max(anchors, key=lambda cp: cp.purged_before_seq or 0) if anchors else None
    start, prev = (anchor.seq + 1, anchor.head_hash) if anchor else (1, GENESIS)
    if anchor is not None and anchor.purged_before_seq != start:
        return bad(anchor.seq, "checkpoint", "purge checkpoint does not name its own cut")
    hashes = {start - 1: prev}

    position = {row.hash: i for i, row in enumerate(entries)}
    expected = start
    for i, row in enumerate(entries):
        if row.seq < start:
            return bad(row.seq, "inserted", "entry before the purge horizon")
        if row.seq != expected:
            moved = any(r.prev_hash == prev for r in entries[i:])
            problem: Problem = "altered" if moved else "deleted"
            return bad(expected, problem, f"seq {expected} missing from its place")
        linked = row.prev_hash == prev
        intact = entry_hash(row_values(row)) == row.hash
        if linked and intact:
            prev = hashes[row.seq] = row.hash
            expected += 1
            continue
        if linked:
            return bad(row.seq, "altered", "content does not match its hash")
        j = position.get(row.prev_hash)
        if j is not None and j < i - 1:
            return bad(entries[i - 1].seq, "inserted", "entry not in the chain")
        if j is not None and j >= i:
            return bad(row.seq, "reordered", "entry out of chain order")
        if entry_hash({**row_values(row), "prev_hash": prev}) == row.hash:
            return bad(row.seq, "altered", "prev_hash altered")
        following = entries[i + 1] if i + 1 < len(entries) else None
        if following is not None and following.prev_hash == prev:
            return bad(row.seq, "inserted", "entry not in the chain")
        return bad(row.seq, "deleted", "the entry before this one is missing")

    last = expected - 1
    attested = start - 1
    for cp in sorted(checkpoints, key=lambda c: c.seq):
        if cp.seq < start - 1:
            continue  # purged: only its signature can be checked
        if cp.seq > last:
            return bad(last + 1, "deleted", f"checkpoint {cp.id} attests entries up to {cp.seq}")
        if hashes[cp.seq] != cp.head_hash:
            return bad(attested + 1, "altered", f"chain rewritten before checkpoint {cp.id}")
        attested = cp.seq
    if head is None:
        if entries:
            return bad(entries[0].seq, "inserted", "entries without a chain head")
        return VerifyReport(True, **counts)
    if head.seq > last:
        return bad(last + 1, "deleted", f"the head says the chain reaches {head.seq}")
    if head.seq < last:
        return bad(head.seq + 1, "inserted", f"the head says the chain ends at {head.seq}")
    if head.hash != prev:
        return bad(last, "altered", "the chain head does not match the last entry")
    return VerifyReport(True, **counts)


__all__ = ["PROBLEM_TEXT", "Problem", "VerifyReport", "verify_chain"]
