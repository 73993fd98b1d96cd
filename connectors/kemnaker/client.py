"""``KemnakerConnector``: SIAPkerja job seekers and P3MI licences, as records.

The injected client carries the OAuth auth (``connectors.kit.auth.oauth``), so every call
here is a plain GET; a token fetch happens only when the cached token is missing or expiring.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from connectors.kemnaker.mapping import AGENCY, SYSTEM, license_record, record_set
from connectors.kemnaker.models import (
    ChangesFeed,
    JobSeeker,
    JobSeekerPage,
    LicencePage,
    Paged,
    Status,
    well_formed_id,
    well_formed_nik,
)
from connectors.kit.base import ChangesPage, Health, LookupKey
from connectors.kit.errors import BadResponse
from connectors.kit.health import probe
from connectors.kit.http import agency_errors, check_status
from schema.records import LicenseRecord, RecordKind, RecordSet

JOB_SEEKERS = "/api/v1/pencari-kerja"
CHANGES = "/api/v1/pencari-kerja/perubahan"
LICENCES = "/api/v1/p3mi"
STATUS = "/api/v1/status"
MAX_PAGES = 1_000  # a guard against an upstream that never stops paginating

M = TypeVar("M", bound=BaseModel)
P = TypeVar("P", bound=Paged)


class KemnakerConnector:
    """Kemnaker (SIAPkerja): person records by AK/1 id or NIK, and placement-company licences."""

    agency = AGENCY
    system = SYSTEM
    lookup_keys = frozenset({LookupKey.LOCAL_ID, LookupKey.NIK})
    record_kinds = frozenset({RecordKind.PERSON, RecordKind.LICENSE})

    def __init__(self, http: httpx.AsyncClient, *, batch_size: int = 100) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self._http = http
        self.batch_size = batch_size

    async def fetch(self, local_ids: Sequence[str]) -> Mapping[str, RecordSet]:
        """Each known AK/1 id's record; unknown or malformed ids are absent."""
        wanted = _unique(i for i in local_ids if well_formed_id(i))
        found: dict[str, RecordSet] = {}
        fetched_at = datetime.now(UTC)
        for batch in _batches(wanted, self.batch_size):
            requested = set(batch)
            for native in await self._job_seekers("id_pencari_kerja", batch):
                if native.id_pencari_kerja in requested:
                    found[native.id_pencari_kerja] = record_set(native, fetched_at)
        return found

    async def find(self, key: LookupKey, values: Sequence[str]) -> Mapping[str, Sequence[str]]:
        """AK/1 ids by NIK or by AK/1 id; other keys are not indexed here and find nothing."""
        if key is LookupKey.NIK:
            param, check = "nik", well_formed_nik
        elif key is LookupKey.LOCAL_ID:
            param, check = "id_pencari_kerja", well_formed_id
        else:
            return {}
        wanted = _unique(v for v in values if check(v))
        out: dict[str, list[str]] = {}
        for batch in _batches(wanted, self.batch_size):
            requested = set(batch)
            for native in await self._job_seekers(param, batch):
                value = native.nik if param == "nik" else native.id_pencari_kerja
                if value in requested and native.id_pencari_kerja not in out.get(value, []):
                    out.setdefault(value, []).append(native.id_pencari_kerja)
        return out

    async def changes(self, cursor: str | None, limit: int = 500) -> ChangesPage:
        params = {"limit": str(max(1, limit))}
        if cursor:
            params["cursor"] = cursor
        feed = await self._get(CHANGES, params, ChangesFeed)
        fetched_at = datetime.now(UTC)
        records = tuple(record_set(n, fetched_at).person for n in feed.data)
        return ChangesPage(records=records, cursor=feed.next_cursor, has_more=feed.ada_lagi)

    async def licenses(self, numbers: Sequence[str]) -> Mapping[str, LicenseRecord]:
        """Each known licence number's licence (SIP3MI); unknown numbers are absent."""
        wanted = _unique(n for n in numbers if well_formed_id(n))
        found: dict[str, LicenseRecord] = {}
        fetched_at = datetime.now(UTC)
        for batch in _batches(wanted, self.batch_size):
            pages = await self._pages(
                LICENCES, {"nomor_izin": ",".join(batch)}, len(batch), LicencePage
            )
            requested = set(batch)
            for native in (native for page in pages for native in page.data):
                if native.nomor_izin in requested:
                    found[native.nomor_izin] = license_record(native, fetched_at)
        return found

    async def health(self) -> Health:
        async def status() -> None:
            await self._get(STATUS, {}, Status)

        return await probe(self.agency, status)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _job_seekers(self, param: str, batch: list[str]) -> list[JobSeeker]:
        pages = await self._pages(JOB_SEEKERS, {param: ",".join(batch)}, len(batch), JobSeekerPage)
        return [native for page in pages for native in page.data]

    async def _pages(
        self, path: str, params: dict[str, str], limit: int, model: type[P]
    ) -> list[P]:
        """Every page of a cursor-paginated answer (usually one: ``limit`` covers the batch)."""
        pages: list[P] = []
        cursor: str | None = None
        while True:
            query = {**params, "limit": str(limit)} | ({"cursor": cursor} if cursor else {})
            page = await self._get(path, query, model)
            pages.append(page)
            if page.next_cursor is None:
                return pages
            if page.next_cursor == cursor or len(pages) >= MAX_PAGES:
                raise BadResponse(self.agency, f"pagination of {path} does not end")
            cursor = page.next_cursor

    async def _get(self, path: str, params: Mapping[str, str], model: type[M]) -> M:
        """One GET, every failure translated; the answer validated into ``model``."""
        try:
            with agency_errors(self.agency):
                response = await self._http.get(path, params=params)
        except httpx.HTTPError as exc:  # decoding errors, too many redirects
            raise BadResponse(self.agency, f"unusable answer ({type(exc).__name__})") from exc
        check_status(response, self.agency)
        if response.status_code != 200:
            raise BadResponse(self.agency, f"unexpected HTTP {response.status_code} from {path}")
        try:
            return model.model_validate_json(response.content)
        except ValidationError:
            raise BadResponse(
                self.agency, f"answer from {path} does not match its schema"
            ) from None


def _unique(values: Iterator[str] | Sequence[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _batches(values: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
