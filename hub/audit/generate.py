"""A large, valid audit trail written straight into a database: for the memory test and the
verification bench (``bench/audit_verify.py``), not for the hub."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import insert
from sqlalchemy.engine import Engine

from hub.audit.chain import GENESIS, entry_hash
from hub.audit.signing import AuditSigner, checkpoint_payload
from hub.audit.tables import AuditCheckpointRow, AuditEntryRow, AuditHeadRow

ENTRY = AuditEntryRow.__table__  # type: ignore[attr-defined]
HEAD = AuditHeadRow.__table__  # type: ignore[attr-defined]
CHECKPOINT = AuditCheckpointRow.__table__  # type: ignore[attr-defined]
START = datetime(2026, 1, 1, tzinfo=UTC)


def generate_trail(
    engine: Engine, signer: AuditSigner, entries: int, *, every: int = 10_000, batch: int = 20_000
) -> None:
    """``entries`` chained entries, with a signed checkpoint every ``every`` entries."""
    prev, rows = GENESIS, []
    checkpoints = []
    with engine.begin() as conn:
        for seq in range(1, entries + 1):
            values = {
                "seq": seq,
                "at": START + timedelta(seconds=seq),
                "client_id": f"client-{seq % 7}",
                "agency": ("P2MI", "KEMNAKER", "EMBASSY", "BPJS_KETENAGAKERJAAN")[seq % 4],
                "subject": f"officer-{seq % 97}",
                "purpose": "CASE_HANDLING",
                "operation": "WorkerView",
                "worker_id": f"wk_{seq % 1_000_003:020x}",
                "categories": "identity,placement,protection",
                "grant_id": None,
                "request_id": f"req-{seq // 3}",
                "outcome": "READ",
                "prev_hash": prev,
            }
            prev = values["hash"] = entry_hash(values)
            rows.append(values)
            if seq % every == 0 or seq == entries:
                signed_at = START + timedelta(seconds=seq)
                payload = checkpoint_payload(seq, prev, signed_at, None, signer.key_id)
                checkpoints.append(
                    {
                        "seq": seq,
                        "head_hash": prev,
                        "signed_at": signed_at,
                        "signature": signer.sign(payload),
                        "key_id": signer.key_id,
                    }
                )
            if len(rows) >= batch:
                conn.execute(insert(ENTRY), rows)
                rows = []
        if rows:
            conn.execute(insert(ENTRY), rows)
        if checkpoints:
            conn.execute(insert(CHECKPOINT), checkpoints)
        conn.execute(insert(HEAD).values(id=1, seq=entries, hash=prev))


__all__ = ["generate_trail"]
