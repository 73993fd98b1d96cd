"""Write docs/sandboxes.md from the sandboxes' own docstrings: ``python -m
connectors.sandbox.docs``. A test fails when the file is out of date."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parents[2] / "docs" / "sandboxes.md"
AGENCIES = {
    "kemnaker": "Kemnaker: SIAPkerja and P3MI licences",
    "p2mi": "P2MI: SISKOP2MI",
    "bpjs": "BPJS Ketenagakerjaan",
    "embassy": "Embassies and consulates: Peduli WNI",
}


def render() -> str:
    parts = [
        "# The agency sandboxes and their dialects\n",
        "Generated from each `connectors/<agency>/sandbox/` docstring by "
        "`python -m connectors.sandbox.docs`.\n",
        "Every sandbox also serves `/_sandbox/faults`, `/_sandbox/people`, `/_sandbox/stats` "
        "and `/_sandbox/info` (see the README).\n",
    ]
    for name, title in AGENCIES.items():
        module = importlib.import_module(f"connectors.{name}.sandbox")
        doc = (module.__doc__ or "").strip()
        parts.append(f"## {title}\n\n```text\n{doc}\n```\n")
    return "\n".join(parts)


def main() -> None:
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_text(render())
    sys.stdout.write(f"wrote {TARGET}\n")


if __name__ == "__main__":
    main()
