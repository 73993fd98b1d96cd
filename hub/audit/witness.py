"""Witnesses: the signed checkpoints as the hub publishes them, and as an agency archives them.

Each checkpoint the hub signs is published to the agencies that subscribe (the GraphQL query
``auditCheckpoints`` and the webhook event ``audit.checkpoint``). An agency appends each one,
as published, to a JSON-lines file. ``pmihub audit verify --witness FILE`` then checks the
trail against those lines: an operator who rewrites the trail, recomputes its hashes and
re-signs its checkpoints (even with a key the verifier trusts) cannot change what the agencies
already hold.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from hub.audit.chain import as_utc

EVENT = "audit.checkpoint"


class WitnessError(ValueError):
    """A witness file line is not a published checkpoint; the message names the line."""


@dataclass(frozen=True, slots=True)
class WitnessCheckpoint:
    seq: int
    head_hash: str
    signed_at: datetime
    key_id: str
    signature: str
    purged_before_seq: int | None = None
    next_public_key: str | None = None

    @classmethod
    def of(cls, row: Any) -> WitnessCheckpoint:
        """From a stored checkpoint row."""
        return cls(
            seq=int(row.seq),
            head_hash=row.head_hash,
            signed_at=as_utc(row.signed_at),
            key_id=row.key_id,
            signature=row.signature,
            purged_before_seq=row.purged_before_seq,
            next_public_key=getattr(row, "next_public_key", None),
        )

    def to_json(self) -> dict[str, Any]:
        """The published form: the GraphQL ``AuditCheckpoint`` fields, one JSON line each."""
        return {
            "seq": self.seq,
            "headHash": self.head_hash,
            "signedAt": as_utc(self.signed_at).isoformat(timespec="microseconds"),
            "keyId": self.key_id,
            "signature": self.signature,
            "purgedBeforeSeq": self.purged_before_seq,
            "nextPublicKey": self.next_public_key,
        }

    @classmethod
    def from_json(cls, data: Any) -> WitnessCheckpoint:
        if not isinstance(data, dict):
            raise ValueError("not an object")
        purged, next_key = data.get("purgedBeforeSeq"), data.get("nextPublicKey")
        seq = data["seq"]
        if not isinstance(seq, int) or (purged is not None and not isinstance(purged, int)):
            raise ValueError("seq and purgedBeforeSeq are whole numbers")
        texts = [data[k] for k in ("headHash", "signedAt", "keyId", "signature")]
        if not all(isinstance(t, str) for t in texts) or not isinstance(next_key, str | None):
            raise ValueError("headHash, signedAt, keyId, signature are text")
        return cls(
            seq=seq,
            head_hash=data["headHash"],
            signed_at=as_utc(datetime.fromisoformat(data["signedAt"])),
            key_id=data["keyId"],
            signature=data["signature"],
            purged_before_seq=purged,
            next_public_key=next_key,
        )


def read_witness(path: Path) -> list[WitnessCheckpoint]:
    """The checkpoints in a JSON-lines witness file (blank lines skipped)."""
    try:
        lines = path.read_text().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise WitnessError(f"{path}: cannot be read ({type(exc).__name__})") from None
    found = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            found.append(WitnessCheckpoint.from_json(json.loads(line)))
        except (ValueError, KeyError, TypeError) as exc:
            raise WitnessError(f"{path}:{number}: not a published checkpoint ({exc})") from None
    return found


def write_lines(checkpoints: Iterable[WitnessCheckpoint]) -> str:
    return "".join(json.dumps(cp.to_json(), separators=(",", ":")) + "\n" for cp in checkpoints)


__all__ = ["EVENT", "WitnessCheckpoint", "WitnessError", "read_witness", "write_lines"]
