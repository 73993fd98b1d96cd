"""An outsider verifies the trail with public keys only; a key rotation keeps the older
checkpoints verifiable; a rewrite re-signed with a trusted key is caught by a witness file."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine

from hub.audit import AuditTrail
from hub.audit.chain import entry_hash, row_values
from hub.audit.keys import TrustedKeys, public_pem
from hub.audit.signing import AuditSigner
from hub.audit.tables import AuditCheckpointRow, AuditEntryRow, AuditHeadRow
from hub.audit.witness import WitnessCheckpoint, write_lines
from tests.audit._support import Clock, entry

ENTRY = AuditEntryRow.__table__  # type: ignore[attr-defined]
HEAD = AuditHeadRow.__table__  # type: ignore[attr-defined]
CHECKPOINT = AuditCheckpointRow.__table__  # type: ignore[attr-defined]


def pmihub_audit(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``pmihub audit`` in a process whose environment holds exactly ``env`` (and PATH)."""
    return subprocess.run(
        [sys.executable, "-m", "hub.cli", "audit", *args],
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def raw_key(key: Ed25519PrivateKey) -> str:
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return base64.b64encode(raw).decode()


def published(engine: Engine) -> list[WitnessCheckpoint]:
    """What an agency subscribed to the checkpoints holds: every one, as published."""
    with engine.connect() as conn:
        rows = conn.execute(select(CHECKPOINT).order_by(CHECKPOINT.c.id)).all()
    return [WitnessCheckpoint.of(row) for row in rows]


def fill(trail: AuditTrail, first: int, requests: int) -> None:
    for n in range(first, first + requests):
        trail.record([entry(n), entry(n + 1000)])
        if n % 3 == 0:
            trail.checkpoint()


@pytest.fixture
def database(tmp_path: Path) -> tuple[str, Engine]:
    from hub.storage import make_engine
    from tests.audit.conftest import prepare

    url = f"sqlite:///{tmp_path / 'hub.db'}"
    return url, prepare(make_engine(url))


def test_the_public_key_alone_verifies_with_only_the_database_url(
    database: tuple[str, Engine], tmp_path: Path
) -> None:
    # given a trail signed by the hub's key
    url, engine = database
    key = Ed25519PrivateKey.generate()
    fill(AuditTrail(engine, AuditSigner(key), Clock()), 1, 7)
    # when the operator prints the public key (they hold the private key)...
    printed = pmihub_audit(["public-key"], {"HUB_AUDIT_SIGNING_KEY": raw_key(key)})
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout == public_pem(key.public_key())
    keys = tmp_path / "hub-audit.pub"
    keys.write_text(printed.stdout)
    # ...an outsider verifies with it: no private key, no HUB_ENV, only the database URL
    outside = pmihub_audit(["verify", "--trusted-keys", str(keys)], {"HUB_DATABASE_URL": url})
    assert outside.returncode == 0, outside.stderr
    assert "Audit trail intact: 14 entries" in outside.stdout
    # and another key does not vouch for it
    keys.write_text(public_pem(Ed25519PrivateKey.generate().public_key()))
    refused = pmihub_audit(["verify", "--trusted-keys", str(keys)], {"HUB_DATABASE_URL": url})
    assert refused.returncode == 1 and "invalid signed checkpoint" in refused.stdout
    # and an altered entry is named
    with engine.begin() as conn:
        conn.execute(update(ENTRY).where(ENTRY.c.seq == 4).values(purpose="EMERGENCY"))
    keys.write_text(public_pem(key.public_key()))
    broken = pmihub_audit(["verify", "--trusted-keys", str(keys)], {"HUB_DATABASE_URL": url})
    assert broken.returncode == 1 and "entry #4 altered" in broken.stdout


def test_unusable_key_or_witness_files_are_refused_clearly(
    database: tuple[str, Engine], tmp_path: Path
) -> None:
    url, _ = database
    junk = tmp_path / "junk"
    junk.write_text("not a key\n")
    result = pmihub_audit(["verify", "--trusted-keys", str(junk)], {"HUB_DATABASE_URL": url})
    assert result.returncode == 2 and "no PEM public key" in result.stderr
    assert "Traceback" not in result.stderr
    keys = tmp_path / "k.pub"
    keys.write_text(public_pem(Ed25519PrivateKey.generate().public_key()))
    witness = tmp_path / "witness.jsonl"
    witness.write_text('{"seq": "one"}\n')
    result = pmihub_audit(
        ["verify", "--trusted-keys", str(keys), "--witness", str(witness)],
        {"HUB_DATABASE_URL": url},
    )
    assert result.returncode == 2 and "witness.jsonl:1" in result.stderr


def test_a_rotation_keeps_earlier_checkpoints_verifiable(
    database: tuple[str, Engine], tmp_path: Path
) -> None:
    # given checkpoints by the old key, a hand-over, then checkpoints by the new key
    url, engine = database
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    clock = Clock()
    fill(AuditTrail(engine, AuditSigner(old), clock), 1, 6)
    AuditTrail(engine, AuditSigner(old), clock).handover(new.public_key())
    fill(AuditTrail(engine, AuditSigner(new), clock), 7, 6)
    # then the old public key alone verifies everything: the hand-over brings the new one in
    assert AuditTrail(engine, AuditSigner(new)).verify(TrustedKeys({})).ok is False
    old_only = TrustedKeys(AuditSigner(old).trusted)
    assert AuditTrail(engine, AuditSigner(new)).verify(old_only).ok
    # and the hub, now signing with the new key, verifies with the old one configured
    old_pem = tmp_path / "old.pub"
    old_pem.write_text(public_pem(old.public_key()))
    env = {"HUB_DATABASE_URL": url, "HUB_AUDIT_SIGNING_KEY": raw_key(new)}
    assert pmihub_audit(["verify"], env).returncode == 1  # M11: without it, old ones fail
    trusted = pmihub_audit(["verify"], {**env, "HUB_AUDIT_TRUSTED_KEYS": str(old_pem)})
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr
    # and an outsider holding only the new key cannot vouch for the old checkpoints
    new_pem = tmp_path / "new.pub"
    new_pem.write_text(public_pem(new.public_key()))
    outside = pmihub_audit(["verify", "--trusted-keys", str(new_pem)], {"HUB_DATABASE_URL": url})
    assert outside.returncode == 1 and "invalid signed checkpoint" in outside.stdout


def test_a_handover_by_an_untrusted_key_brings_nothing_in(database: tuple[str, Engine]) -> None:
    _, engine = database
    mallory, accomplice = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    honest = Ed25519PrivateKey.generate()
    fill(AuditTrail(engine, AuditSigner(honest), Clock()), 1, 3)
    AuditTrail(engine, AuditSigner(mallory), Clock()).handover(accomplice.public_key())
    report = AuditTrail(engine, AuditSigner(honest)).verify(
        TrustedKeys(AuditSigner(honest).trusted)
    )
    assert (report.ok, report.problem) == (False, "checkpoint")


def test_a_rewrite_resigned_with_the_new_key_is_caught_by_a_witness(
    database: tuple[str, Engine], tmp_path: Path
) -> None:
    # given a trail under the old key, its checkpoints archived by an agency as published,
    # then a rotation to a new key
    url, engine = database
    old, new = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    clock = Clock()
    fill(AuditTrail(engine, AuditSigner(old), clock), 1, 9)
    AuditTrail(engine, AuditSigner(old), clock).handover(new.public_key())
    fill(AuditTrail(engine, AuditSigner(new), clock), 10, 3)
    witness = tmp_path / "p2mi-witness.jsonl"
    witness.write_text(write_lines(published(engine)))

    # when an operator holding the new key erases a read of entry 5, recomputes every hash
    # and the head, and re-signs every checkpoint with the new key (the hand-over included)
    with engine.begin() as conn:
        conn.execute(update(ENTRY).where(ENTRY.c.seq == 5).values(worker_id="wk_9999"))
        prev = conn.execute(select(ENTRY.c.hash).where(ENTRY.c.seq == 4)).scalar_one()
        for row in conn.execute(select(ENTRY).where(ENTRY.c.seq >= 5).order_by(ENTRY.c.seq)).all():
            values = {**row_values(row), "prev_hash": prev}
            prev = entry_hash(values)
            conn.execute(
                update(ENTRY)
                .where(ENTRY.c.seq == row.seq)
                .values(prev_hash=values["prev_hash"], hash=prev)
            )
        conn.execute(update(HEAD).values(hash=prev))
        seqs = [cp.seq for cp in conn.execute(select(CHECKPOINT).order_by(CHECKPOINT.c.id)).all()]
        conn.execute(delete(CHECKPOINT))
    forger = AuditTrail(engine, AuditSigner(new), clock)
    with engine.begin() as conn:
        for seq in seqs:
            head = conn.execute(select(ENTRY.c.hash).where(ENTRY.c.seq == seq)).scalar_one()
            forger._sign(conn, seq, head, None)
    both = tmp_path / "both.pub"
    both.write_text(public_pem(old.public_key()) + public_pem(new.public_key()))

    # then the database alone looks intact to anyone trusting the new key...
    alone = pmihub_audit(["verify", "--trusted-keys", str(both)], {"HUB_DATABASE_URL": url})
    assert alone.returncode == 0, alone.stdout
    # ...but the agency's witness file names the first checkpoint that no longer matches
    caught = pmihub_audit(
        ["verify", "--trusted-keys", str(both), "--witness", str(witness)],
        {"HUB_DATABASE_URL": url},
    )
    assert caught.returncode == 1, caught.stdout
    assert "entry #6" in caught.stdout and "witness" in caught.stdout
    # and the untouched trail matched the same witness file before (the file is not hostile)
    assert "matched a witness" not in caught.stdout
