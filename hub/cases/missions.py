"""Which missions a case can be assigned to: the Indonesian embassies and consulates.

Portal Peduli WNI (the embassy connector's system) serves every mission in this list; the
list is reference data (Kemlu's public directory), the same the sandboxes render. A code
outside it is refused with UNKNOWN_MISSION rather than stored and never seen by anyone.
"""

from __future__ import annotations

from collections.abc import Iterable

from hub.cases.lifecycle import CaseError
from schema.missions import MISSIONS
from schema.records import MissionRecord


class MissionCatalog:
    def __init__(self, missions: Iterable[MissionRecord]) -> None:
        self.by_code = {m.code: m for m in missions}

    @classmethod
    def default(cls) -> MissionCatalog:
        return cls(MissionRecord(m.code, m.name, m.city, m.country) for m in MISSIONS)

    def get(self, code: str | None) -> MissionRecord | None:
        return self.by_code.get(code) if code else None

    def serving(self, country: str | None, city: str | None) -> MissionRecord | None:
        """The mission for a worker placed in ``country`` (employer in ``city``) who never
        reported to one: the only mission there, else the consulate in that city, else the
        embassy (KBRI), which forwards within the country; None where there is no mission."""
        if not country:
            return None
        there = [m for m in self.by_code.values() if m.country == country.strip().upper()]
        if len(there) == 1:
            return there[0]
        town = (city or "").strip().casefold()
        in_town = [m for m in there if town and m.city.casefold() == town]
        if len(in_town) == 1:
            return in_town[0]
        return next((m for m in there if m.name.startswith("KBRI ")), None)

    def resolve(self, code: str) -> MissionRecord:
        """The mission for ``code`` (case-insensitive); UNKNOWN_MISSION when there is none."""
        mission = self.by_code.get(code.strip().upper())
        if mission is None:
            raise CaseError(
                "UNKNOWN_MISSION",
                f"Perwakilan {code[:12]!r} tidak dikenal",
                f"Unknown mission {code[:12]!r}",
                "missionCode",
            )
        return mission


__all__ = ["MissionCatalog"]
