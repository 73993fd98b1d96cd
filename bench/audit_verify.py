"""``audit verify`` over a large generated trail: time and peak memory (max RSS) of the
verifying process, which streams the entries in keyset pages (hub/audit/source.py).

Standalone: ``python -m bench.audit_verify --entries 10000000 [--dir DIR]``. The trail is
generated into a SQLite file first (about 400 bytes an entry on disk), then verified in a
fresh process with public keys only, so its max RSS is the verification's own.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def generate(path: Path, entries: int) -> tuple[str, float]:
    from hub.audit.generate import generate_trail
    from hub.audit.keys import public_pem
    from hub.audit.signing import AuditSigner
    from hub.storage import make_engine
    from hub.storage.migrate import upgrade

    signer = AuditSigner(Ed25519PrivateKey.generate())
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    started = time.perf_counter()
    generate_trail(engine, signer, entries)
    engine.dispose()
    return public_pem(signer.public), time.perf_counter() - started


def verify_only(path: Path, pem: str) -> None:
    """In its own process: verify, print seconds, entries and max RSS as JSON."""
    from hub.audit.keys import TrustedKeys, parse_public_keys
    from hub.audit.source import verify_database
    from hub.storage import make_engine

    _reset_peak()  # the child's high-water mark starts at its parent's, which made the trail
    baseline = _peak_kib()
    engine = make_engine(f"sqlite:///{path}")
    started = time.perf_counter()
    report = verify_database(engine, TrustedKeys(parse_public_keys(pem)))
    seconds = time.perf_counter() - started
    peak = _peak_kib()
    print(
        json.dumps(
            {
                "ok": report.ok,
                "entries": report.entries,
                "seconds": seconds,
                "max_rss_mib": peak / 1024,
                "baseline_rss_mib": baseline / 1024,
            }
        )
    )


def _reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # Linux: resets VmHWM


def _peak_kib() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.audit_verify", description=__doc__)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--verify-only", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.verify_only is not None:
        verify_only(args.verify_only, sys.stdin.read())
        return
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        path = Path(tmp) / "trail.db"
        pem, made = generate(path, args.entries)
        size = path.stat().st_size / 2**20
        print(f"generated {args.entries:,} entries in {made:.0f} s ({size:,.0f} MiB)", flush=True)
        done = subprocess.run(
            [sys.executable, "-m", "bench.audit_verify", "--verify-only", str(path)],
            input=pem,
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(done.stdout)
        rate = result["entries"] / result["seconds"]
        print(
            f"verify {result['entries']:,} entries ({'ok' if result['ok'] else 'BROKEN'}): "
            f"{result['seconds']:.0f} s ({rate:,.0f} entries/s), max RSS "
            f"{result['max_rss_mib']:.0f} MiB (after imports {result['baseline_rss_mib']:.0f} MiB)"
        )


if __name__ == "__main__":
    main()
