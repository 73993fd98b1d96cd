"""One worker's records, fetched from the linked agencies a query needs.

Each section asks for the agencies it needs; the first ask schedules that agency's load and
later asks share it. Sections resolve in the same tick, so the DataLoaders of all agencies
dispatch together: concurrent fan-out, one upstream call per batch, nothing fetched twice.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from strawberry.dataloader import DataLoader

from connectors.kit.errors import AgencyRejected, ConnectorError
from hub.crosswalk import Link
from schema.enums import SourceState
from schema.records import RecordSet


@dataclass
class AgencyResult:
    agency: str
    sets: list[RecordSet] = field(default_factory=list)
    error: ConnectorError | None = None
    linked: bool = True

    @property
    def state(self) -> SourceState:
        if not self.linked:
            return SourceState.NOT_FOUND
        if self.error is not None:
            return (
                SourceState.DENIED
                if isinstance(self.error, AgencyRejected)
                else (SourceState.UNAVAILABLE)
            )
        if any(s.person.provenance.stale for s in self.sets):
            return SourceState.STALE
        return SourceState.OK if self.sets else SourceState.NOT_FOUND

    @property
    def fetched_at(self) -> datetime | None:
        times = [s.person.provenance.fetched_at for s in self.sets]
        return min(times) if times else None


class WorkerView:
    def __init__(
        self,
        worker_id: str,
        links: list[Link],
        loaders: Mapping[str, DataLoader[str, RecordSet | None]],
    ) -> None:
        self.worker_id = worker_id
        self.links = links
        self.loaders = loaders
        self._tasks: dict[str, asyncio.Future[AgencyResult]] = {}

    def _task(self, agency: str) -> asyncio.Future[AgencyResult]:
        task = self._tasks.get(agency)
        if task is None:
            local_ids = [link.local_id for link in self.links if link.agency == agency]
            loader = self.loaders.get(agency)
            if loader is None or not local_ids:
                task = asyncio.get_running_loop().create_future()
                task.set_result(AgencyResult(agency, linked=False))
            else:
                task = asyncio.ensure_future(_gather(agency, loader, local_ids))
            self._tasks[agency] = task
        return task

    async def agencies(self, agencies: list[str]) -> dict[str, AgencyResult]:
        """Results of the given agencies, fetched concurrently."""
        results = await asyncio.gather(*(self._task(agency) for agency in agencies))
        return {result.agency: result for result in results}


async def _gather(
    agency: str, loader: DataLoader[str, RecordSet | None], local_ids: list[str]
) -> AgencyResult:
    if not local_ids:
        return AgencyResult(agency, linked=False)
    try:
        found = await loader.load_many(local_ids)
    except ConnectorError as exc:
        return AgencyResult(agency, error=exc)
    return AgencyResult(agency, sets=[s for s in found if s is not None])
