"""Checking the chain: the first entry altered, deleted, inserted or reordered, whether the
signed checkpoints still match the entries they attest, and whether the checkpoints a witness
archived (``hub.audit.witness``) still match.

The entries are streamed (``hub.audit.source``): memory holds the checkpoints and one page of
entries, whatever the trail's length. Signatures are checked with public keys only
(``hub.audit.keys.TrustedKeys``); a hand-over checkpoint by a trusted key brings the next key in.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from hub.audit.chain import GENESIS, entry_hash, row_values
from hub.audit.keys import TrustedKeys
from hub.audit.signing import checkpoint_payload

Problem = Literal["altered", "deleted", "inserted", "reordered", "checkpoint", "witness"]

PROBLEM_TEXT: dict[str, tuple[str, str]] = {
    "altered": ("diubah", "altered"),
    "deleted": ("dihapus", "deleted"),
    "inserted": ("disisipkan", "inserted"),
    "reordered": ("diubah urutannya", "reordered"),
    "checkpoint": ("titik periksa bertanda tangan tidak sah", "invalid signed checkpoint"),
    "witness": (
        "tidak cocok dengan titik periksa yang disimpan saksi",
        "does not match a checkpoint a witness kept",
    ),
}


class TrailSource(Protocol):
    def entries(self) -> Iterator[Any]: ...
    def checkpoints(self) -> list[Any]: ...
    def head(self) -> Any | None: ...
    def seq_of_hash(self, entry_hash: str) -> int | None: ...
    def linked_from(self, prev_hash: str, seq: int) -> bool: ...


@dataclass(frozen=True, slots=True)
class VerifyReport:
    ok: bool
    first_bad_seq: int | None = None
    problem: Problem | None = None
    message: str = ""
    entries: int = 0
    checkpoints: int = 0
    witnessed: int = 0

    def text(self) -> str:
        """One line in Indonesian and English, for people."""
        if self.ok:
            seen = f", {self.witnessed} dicocokkan dengan saksi / " if self.witnessed else " / "
            seen_en = f", {self.witnessed} matched a witness" if self.witnessed else ""
            return (
                f"Jejak audit utuh: {self.entries} entri, {self.checkpoints} titik periksa{seen}"
                f"Audit trail intact: {self.entries} entries, {self.checkpoints} checkpoints"
                f"{seen_en}"
            )
        text_id, text_en = PROBLEM_TEXT[self.problem or "altered"]
        return (
            f"Jejak audit rusak: entri #{self.first_bad_seq} {text_id} / "
            f"Audit trail broken: entry #{self.first_bad_seq} {text_en} ({self.message})"
        )


def _signed(cp: Any) -> bytes:
    return checkpoint_payload(
        cp.seq,
        cp.head_hash,
        cp.signed_at,
        cp.purged_before_seq,
        cp.key_id,
        getattr(cp, "next_public_key", None),
    )


def verify_chain(
    source: TrailSource, keys: TrustedKeys, witness: Sequence[Any] = ()
) -> VerifyReport:
    checkpoints = source.checkpoints()
    counts = {"entries": 0, "checkpoints": len(checkpoints)}

    def bad(seq: int | None, problem: Problem, message: str) -> VerifyReport:
        return VerifyReport(False, seq, problem, message, **counts)

    for cp in checkpoints:  # in the order signed, so a hand-over precedes the key it brings
        if not keys.verify(cp.key_id, _signed(cp), cp.signature):
            return bad(cp.seq, "checkpoint", f"checkpoint {cp.id}: signature does not verify")
        if getattr(cp, "next_public_key", None) and keys.endorse(cp.next_public_key) is None:
            return bad(cp.seq, "checkpoint", f"checkpoint {cp.id}: malformed next key")
    for seen in witness:
        if not keys.verify(seen.key_id, _signed(seen), seen.signature):
            return bad(seen.seq, "witness", f"witnessed checkpoint at {seen.seq}: bad signature")
        if getattr(seen, "next_public_key", None):
            keys.endorse(seen.next_public_key)
    anchors = [cp for cp in checkpoints if cp.purged_before_seq is not None]
    anchor = max(anchors, key=lambda cp: cp.purged_before_seq or 0) if anchors else None
    start, prev = (anchor.seq + 1, anchor.head_hash) if anchor else (1, GENESIS)
    if anchor is not None and anchor.purged_before_seq != start:
        return bad(anchor.seq, "checkpoint", "purge checkpoint does not name its own cut")
    wanted = {cp.seq for cp in checkpoints} | {w.seq for w in witness}
    hashes = {start - 1: prev}

    rows = _peekable(source.entries())
    expected = start
    for row in rows:
        counts["entries"] += 1
        if row.seq < start:
            return bad(row.seq, "inserted", "entry before the purge horizon")
        if row.seq != expected:
            moved = source.linked_from(prev, row.seq)
            problem: Problem = "altered" if moved else "deleted"
            return bad(expected, problem, f"seq {expected} missing from its place")
        linked = row.prev_hash == prev
        intact = entry_hash(row_values(row)) == row.hash
        if linked and intact:
            prev = row.hash
            if row.seq in wanted:
                hashes[row.seq] = prev
            expected += 1
            continue
        if linked:
            return bad(row.seq, "altered", "content does not match its hash")
        j = source.seq_of_hash(row.prev_hash)
        if j is not None and j < row.seq - 1:
            return bad(row.seq - 1, "inserted", "entry not in the chain")
        if j is not None and j >= row.seq:
            return bad(row.seq, "reordered", "entry out of chain order")
        if entry_hash({**row_values(row), "prev_hash": prev}) == row.hash:
            return bad(row.seq, "altered", "prev_hash altered")
        following = rows.peek()
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
    matched = 0
    for seen in sorted(witness, key=lambda w: w.seq):
        if seen.seq < start - 1:
            continue  # purged since the witness kept it
        if seen.seq > last:
            return bad(last + 1, "deleted", f"a witness kept a checkpoint at {seen.seq}")
        if hashes[seen.seq] != seen.head_hash:
            return bad(seen.seq, "witness", f"the chain at {seen.seq} is not what was published")
        matched += 1
    head = source.head()
    if head is None:
        if counts["entries"]:
            return bad(start, "inserted", "entries without a chain head")
        return VerifyReport(True, witnessed=matched, **counts)
    if head.seq > last:
        return bad(last + 1, "deleted", f"the head says the chain reaches {head.seq}")
    if head.seq < last:
        return bad(head.seq + 1, "inserted", f"the head says the chain ends at {head.seq}")
    if head.hash != prev:
        return bad(last, "altered", "the chain head does not match the last entry")
    return VerifyReport(True, witnessed=matched, **counts)


class _peekable:
    """An iterator with one row of look-ahead."""

    def __init__(self, rows: Iterator[Any]) -> None:
        self._rows = rows
        self._next: list[Any] = []

    def __iter__(self) -> _peekable:
        return self

    def __next__(self) -> Any:
        if self._next:
            return self._next.pop()
        return next(self._rows)

    def peek(self) -> Any | None:
        if not self._next:
            try:
                self._next.append(next(self._rows))
            except StopIteration:
                return None
        return self._next[0]


__all__ = ["PROBLEM_TEXT", "Problem", "TrailSource", "VerifyReport", "verify_chain"]
