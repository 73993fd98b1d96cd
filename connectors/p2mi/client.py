"""The P2MI connector: SISKOP2MI's REST API seen as records.

The injected client carries the API key (``connectors.kit.auth.apikey.ApiKeyAuth``); the
connector only makes calls, validates answers (connectors.p2mi.models) and maps them
(connectors.p2mi.mapping). Every failure leaves as a ``ConnectorError``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from connectors.kit.base import ChangesPage, Health, LookupKey
from connectors.kit.errors import BadResponse
from connectors.kit.health import probe
from connectors.kit.http import agency_errors, check_status
from connectors.p2mi.dialect import (
    BATCH_PATH,
    FEED_PATH,
    SEARCH_FIELDS,
    SEARCH_PATH,
    STATUS_PATH,
    SYSTEM,
    normalize_search,
)
from connectors.p2mi.mapping import AGENCY, person_record, record_set
from connectors.p2mi.models import Changes, Matches, Pmi, PmiPage, Status
from schema.records import RecordKind, RecordSet

M = TypeVar("M", bound=BaseModel)

# Which body field of POST /api/v1/pmi/cari answers which lookup key.
_SEARCH_FIELD = {
    LookupKey.LOCAL_ID: "idPmi",
    LookupKey.PMI_ID: "idPmi",
    LookupKey.NIK: "nik",
    LookupKey.PASSPORT: "nomorPaspor",
    LookupKey.PLACEMENT_ID: "idPenempatan",
}


class P2miConnector:
    agency = AGENCY
    system = SYSTEM
    lookup_keys = frozenset(_SEARCH_FIELD)
    record_kinds = frozenset({RecordKind.PERSON, RecordKind.PLACEMENT, RecordKind.CASE})

    def __init__(self, http: httpx.AsyncClient, *, batch_size: int = 100) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.batch_size = batch_size
        self._http = http

    async def fetch(self, local_ids: Sequence[str]) -> Mapping[str, RecordSet]:
        ids = _usable("idPmi", local_ids)
        found: dict[str, RecordSet] = {}
        fetched_at = datetime.now(UTC)
        for start in range(0, len(ids), self.batch_size):
            for pmi in await self._batch(ids[start : start + self.batch_size]):
                found[pmi.idPmi] = record_set(pmi, fetched_at)
        return found

    async def _batch(self, ids: list[str]) -> list[Pmi]:
        """One batch, following SISKOP2MI's pages only when it splits the answer."""
        wanted = set(ids)
        records: list[Pmi] = []
        page = 1
        while True:
            params = {"page": page, "per_page": len(ids)}
            answer = await self._call(
                "POST", BATCH_PATH, PmiPage, params=params, json={"idPmi": ids}
            )
            if answer.page != page:
                raise BadResponse(self.agency, f"asked for page {page}, got {answer.page}")
            records.extend(p for p in answer.data if p.idPmi in wanted)
            if page * answer.per_page >= answer.total:
                return records
            if not answer.data or page >= len(ids):
                raise BadResponse(self.agency, "pagination does not advance")
            page += 1

    async def find(self, key: LookupKey, values: Sequence[str]) -> Mapping[str, Sequence[str]]:
        field = _SEARCH_FIELD.get(key)
        if field is None:
            return {}  # SISKOP2MI cannot be searched by this key: no record matches
        asked = {normalize_search(field, v): v for v in values if isinstance(v, str)}
        usable = _usable(field, list(asked))
        found: dict[str, list[str]] = {}
        for start in range(0, len(usable), self.batch_size):
            chunk = usable[start : start + self.batch_size]
            answer = await self._call("POST", SEARCH_PATH, Matches, json={field: chunk})
            for match in answer.data:
                if match.nilai in asked and match.idPmi:
                    found[asked[match.nilai]] = list(dict.fromkeys(match.idPmi))
        return found

    async def changes(self, cursor: str | None, limit: int = 500) -> ChangesPage:
        params: dict[str, str | int] = {"limit": max(1, limit)}
        if cursor:
            params["cursor"] = cursor
        answer = await self._call("GET", FEED_PATH, Changes, params=params)
        fetched_at = datetime.now(UTC)
        return ChangesPage(
            records=tuple(person_record(pmi, fetched_at) for pmi in answer.data),
            cursor=answer.next_cursor,
            has_more=answer.has_more,
        )

    async def health(self) -> Health:
        async def status() -> None:
            await self._call("GET", STATUS_PATH, Status)

        return await probe(self.agency, status)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _call(self, method: str, path: str, model: type[M], **kwargs: Any) -> M:
        try:
            with agency_errors(self.agency):
                response = await self._http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:  # not transport: undecodable body, bad URL, redirects
            raise BadResponse(self.agency, f"unusable answer ({type(exc).__name__})") from exc
        check_status(response, self.agency)
        if response.status_code == 404:
            raise BadResponse(self.agency, f"no such endpoint: {method} {path} (HTTP 404)")
        if response.status_code != 200:
            raise BadResponse(self.agency, f"unexpected HTTP {response.status_code}")
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            errors = exc.errors(include_input=False, include_url=False)
            if errors and errors[0]["type"] == "json_invalid":
                raise BadResponse(self.agency, "answer is not JSON") from exc
            where = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors[:3])
            raise BadResponse(
                self.agency, f"answer does not fit SISKOP2MI's schema ({where})"
            ) from exc


def _usable(field: str, values: Sequence[str]) -> list[str]:
    """Distinct values that can be sent; a malformed one cannot match any record anyway."""
    valid = SEARCH_FIELDS[field]
    return [v for v in dict.fromkeys(values) if isinstance(v, str) and valid(v)]
