"""Verification streams the trail: its peak memory does not grow with the trail's length."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hub.audit.generate import generate_trail
from hub.audit.keys import TrustedKeys
from hub.audit.signing import AuditSigner
from hub.audit.source import verify_database
from hub.storage import make_engine
from tests.audit.conftest import prepare

BOUND = 16 * 1024 * 1024  # bytes: a few pages of entries, whatever the length


def peak_of_verify(path: Path, entries: int) -> int:
    signer = AuditSigner(Ed25519PrivateKey.generate())
    engine = prepare(make_engine(f"sqlite:///{path}"))
    try:
        generate_trail(engine, signer, entries, every=1000)
        tracemalloc.start()
        try:
            report = verify_database(engine, TrustedKeys(signer.trusted))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    finally:
        engine.dispose()
    assert report.ok and report.entries == entries, report
    return peak


def test_verification_memory_stays_bounded_as_the_trail_grows(tmp_path: Path) -> None:
    small = peak_of_verify(tmp_path / "small.db", 10_000)
    large = peak_of_verify(tmp_path / "large.db", 40_000)
    # loading the trail whole (as before) took ~1 KB per entry: 40 MB here
    assert large < BOUND, f"{large / 2**20:.1f} MiB (small: {small / 2**20:.1f} MiB)"
    assert large < small * 1.5 + 2 * 2**20, (small, large)
