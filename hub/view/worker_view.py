"""One worker's records, fetched from the linked agencies a query needs.

Each section asks for the agencies it needs; the first ask schedules that agency's load and
later asks share it. Sections resolve in the same tick, so the DataLoaders of all agencies
dispatch together: concurrent fan-out, one upstream call per batch, nothing fetched twice.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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
        # per agency: its DataLoader batch (a future, no task of its own: the record's own
        # future, or a gather of several) or its result
        self._fetches: dict[str, asyncio.Future[Any]] = {}
        self._results: dict[str, AgencyResult] = {}

    def start(self, agencies: Iterable[str]) -> list[asyncio.Future[Any]]:
        """Ask for the agencies' records (once each); the fetches still under way."""
        pending = []
        for agency in agencies:
            if agency in self._results:
                continue
            fetch = self._fetches.get(agency)
            if fetch is None:
                local_ids = [link.local_id for link in self.links if link.agency == agency]
                loader = self.loaders.get(agency)
                if loader is None or not local_ids:
                    self._results[agency] = AgencyResult(agency, linked=False)
                    continue
                # one record there (the usual case): its own future, not a gather of one
                fetch = self._fetches[agency] = (
                    loader.load(local_ids[0])
                    if len(local_ids) == 1
                    else loader.load_many(local_ids)  # type: ignore[assignment]
                )
            if not fetch.done():
                pending.append(fetch)
        return pending

    def ready(self, agencies: list[str]) -> dict[str, AgencyResult] | None:
        """The agencies' results if every one has arrived, else None (and they are asked)."""
        if self.start(agencies):
            return None
        return {agency: self._result(agency) for agency in agencies}

    async def agencies(self, agencies: list[str]) -> dict[str, AgencyResult]:
        """Results of the given agencies, fetched concurrently."""
        pending = self.start(agencies)
        if pending:
            await asyncio.wait(pending)
        return {agency: self._result(agency) for agency in agencies}

    def _result(self, agency: str) -> AgencyResult:
        result = self._results.get(agency)
        if result is None:
            fetch = self._fetches[agency]
            error = fetch.exception()
            if error is None:
                found = fetch.result()
                if not isinstance(found, list):  # one record's own future (``start``)
                    found = [found]
                result = AgencyResult(agency, sets=[s for s in found if s is not None])
            elif isinstance(error, ConnectorError):
                result = AgencyResult(agency, error=error)
            else:
                raise error
            self._results[agency] = result
        return result
