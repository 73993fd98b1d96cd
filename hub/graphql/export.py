"""Write the served schema to docs/schema.graphql: ``python -m hub.graphql.export``."""

from __future__ import annotations

import sys
from pathlib import Path

from hub.graphql.schema import build_schema

TARGET = Path(__file__).resolve().parents[2] / "docs" / "schema.graphql"
HEADER = (
    "# The schema PMI Hub serves, exported from the code by `python -m hub.graphql.export`.\n"
    "# The contract it implements is ../shared/SCHEMA.graphql; tests keep both in step.\n\n"
)


def sdl() -> str:
    return HEADER + build_schema(dev=True).as_str() + "\n"


def main() -> None:
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_text(sdl())
    sys.stdout.write(f"wrote {TARGET}\n")


if __name__ == "__main__":
    main()
