"""The population generator's speed: 1,000,000 people must take under 2 minutes.

``python -m bench.generator [--people N]`` writes the population into a temporary directory,
prints the throughput as a ratio against the limit, and deletes the file.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import date
from pathlib import Path

from schema.population import generate

LIMIT_SECONDS = 120.0
LIMIT_PEOPLE = 1_000_000
AS_OF = date(2026, 11, 24)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generator", description=__doc__)
    parser.add_argument("--people", type=int, default=LIMIT_PEOPLE, help="population size")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if args.people < 1:
        parser.error("--people must be at least 1")
    limit = LIMIT_SECONDS * args.people / LIMIT_PEOPLE  # the same rate, scaled
    with tempfile.TemporaryDirectory(prefix="pmihub-bench-generator-") as directory:
        stats = generate(
            Path(directory) / "population.json", people=args.people, seed=args.seed, as_of=AS_OF
        )
    print(
        f"generator: {stats.people:,} people in {stats.seconds:.1f} s = "
        f"{stats.people_per_second:,.0f} people/s (limit {limit:.0f} s: ratio "
        f"{stats.seconds / limit:.2f})"
    )
    print(
        f"   {stats.placements:,} placements, {stats.bytes_written / 1e6:,.0f} MB, "
        f"{stats.seconds / stats.people * 1e6:.0f} µs per person"
    )


if __name__ == "__main__":
    main()
