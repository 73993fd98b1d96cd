"""Facts about the person the rules share: age by every agency's birth date, crews."""

from __future__ import annotations

from datetime import date

from hub.protection.rule import Context
from schema.enums import Sector
from schema.records import PlacementRecord


def age_on(born: date, day: date) -> int:
    """Whole years from ``born`` to ``day``."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def birth_dates(ctx: Context) -> tuple[date, ...]:
    """Every distinct birth date the agencies hold (they differ when one was falsified)."""
    return tuple(sorted({p.birth_date for p in ctx.facts.persons if p.birth_date is not None}))


def is_crew(p: PlacementRecord) -> bool:
    """A merchant or fishing crew placement (PP 22/2022): its own rules, no moratorium, no
    endorsement at a mission, the flag state as destination."""
    return p.sector is Sector.FISHERIES_SEA
