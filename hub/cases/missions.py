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
