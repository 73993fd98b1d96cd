"""The embassy connector: Portal Peduli WNI's SOAP service seen as records.

The injected client carries the TLS client certificate (``connect``); the connector writes
SOAP requests, reads the answers with defusedxml, validates them (connectors.embassy.models)
and maps them (connectors.embassy.mapping). Every failure leaves as a ``ConnectorError``: a
``soap:Client`` fault (HTTP 400) is a ``BadResponse`` naming the fault code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TypeVar
from xml.etree.ElementTree import Element

import httpx

from connectors.embassy.dialect import (
    CONTENT_TYPE,
    PATH,
    SYSTEM,
    Operation,
    is_nik,
    is_passport,
    is_record_id,
    soap_action,
)
from connectors.embassy.mapping import AGENCY, person_record, record_set
from connectors.embassy.models import (
    SchemaViolation,
    parse_changes,
    parse_matches,
    parse_ping,
    parse_records,
)
from connectors.embassy.soap import (
    Fault,
    SoapError,
    element,
    envelope,
    open_envelope,
    q,
    read_fault,
    sub,
)
from connectors.kit.auth.mtls import tls_errors
from connectors.kit.base import ChangesPage, Health, LookupKey
from connectors.kit.errors import BadResponse, ResponseTooLarge
from connectors.kit.health import probe
from connectors.kit.http import check_status
from connectors.kit.limits import BodyTooLarge
from schema.identifiers import normalize_passport
from schema.records import RecordKind, RecordSet

T = TypeVar("T")
_FAULT_CODE = re.compile(r"^[A-Z][A-Z0-9_]{0,39}$")  # only a code goes into our messages


class EmbassyConnector:
    agency = AGENCY
    system = SYSTEM
    lookup_keys = frozenset({LookupKey.LOCAL_ID, LookupKey.NIK, LookupKey.PASSPORT})
    record_kinds = frozenset(
        {RecordKind.PERSON, RecordKind.CONSULAR_REPORT, RecordKind.ENDORSEMENT, RecordKind.CASE}
    )

    def __init__(self, http: httpx.AsyncClient, *, batch_size: int = 100) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.batch_size = batch_size
        self._http = http

    async def fetch(self, local_ids: Sequence[str]) -> Mapping[str, RecordSet]:
        ids = _usable(local_ids, is_record_id)
        found: dict[str, RecordSet] = {}
        for chunk in self._chunks(ids):
            answer = await self._call(Operation.GET_CITIZEN_RECORDS, "RecordId", chunk)
            fetched_at = datetime.now(UTC)
            wanted = set(chunk)
            for record in self._parse(parse_records, answer):
                if record.record_id in wanted:
                    found[record.record_id] = record_set(record, fetched_at)
        return found

    async def find(self, key: LookupKey, values: Sequence[str]) -> Mapping[str, Sequence[str]]:
        """Local ids per value; values matching nothing (or malformed) are absent."""
        if key is LookupKey.LOCAL_ID:
            return {local_id: [local_id] for local_id in await self.fetch(values)}
        if key is LookupKey.NIK:
            asked = {v: v for v in _usable(values, is_nik)}
            operation, field = Operation.FIND_BY_NIK, "Nik"
        elif key is LookupKey.PASSPORT:
            usable = _usable(values, is_passport)
            asked = {normalize_passport(v): v for v in reversed(usable)}
            operation, field = Operation.FIND_BY_PASSPORT, "PassportNumber"
        else:
            return {}  # Peduli WNI cannot be searched by this key: no record matches
        found: dict[str, list[str]] = {}
        for chunk in self._chunks(list(asked)):
            answer = await self._call(operation, field, chunk)
            for value, ids in self._parse(parse_matches, answer).items():
                if value in asked:
                    found[asked[value]] = ids
        return found

    async def changes(self, cursor: str | None, limit: int = 500) -> ChangesPage:
        fields = [("Cursor", cursor)] if cursor else []
        fields.append(("MaxRecords", str(max(1, limit))))
        answer = await self._request(Operation.GET_CHANGES, fields)
        page = self._parse(parse_changes, answer)
        fetched_at = datetime.now(UTC)
        return ChangesPage(
            records=tuple(person_record(r, fetched_at) for r in page.records),
            cursor=page.next_cursor,
            has_more=page.has_more,
        )

    async def health(self) -> Health:
        async def ping() -> str | None:
            status = self._parse(parse_ping, await self._request(Operation.PING, []))
            return None if status == "OK" else "PING_NOT_OK"

        return await probe(self.agency, ping)

    async def aclose(self) -> None:
        await self._http.aclose()

    def _chunks(self, values: list[str]) -> list[list[str]]:
        size = self.batch_size
        return [values[start : start + size] for start in range(0, len(values), size)]

    async def _call(self, operation: Operation, field: str, values: list[str]) -> Element:
        return await self._request(operation, [(field, v) for v in values])

    async def _request(self, operation: Operation, fields: list[tuple[str, str]]) -> Element:
        """One SOAP call: the answer element inside Body, or a ConnectorError."""
        request = element(operation)
        for name, value in fields:
            sub(request, name, value)
        headers = {"SOAPAction": soap_action(operation), "Content-Type": CONTENT_TYPE}
        try:
            with tls_errors(self.agency):
                response = await self._http.post(PATH, content=envelope(request), headers=headers)
        except BodyTooLarge as exc:
            raise ResponseTooLarge(self.agency, str(exc)) from exc
        except httpx.HTTPError as exc:  # not transport: undecodable body, bad URL, redirects
            raise BadResponse(self.agency, f"unusable answer ({type(exc).__name__})") from exc
        status = response.status_code
        if 400 <= status < 500 and status not in (401, 403, 404, 429):
            raise BadResponse(
                self.agency, f"{operation} refused: {self._fault_code(response)} (HTTP {status})"
            )
        check_status(response, self.agency)
        if status != 200:
            raise BadResponse(self.agency, f"unexpected HTTP {status} for {operation}")
        try:
            _, answer = open_envelope(response.content)
        except SoapError as exc:
            raise BadResponse(self.agency, f"answer is not SOAP ({exc.fault.code})") from exc
        fault = read_fault(answer)
        if fault is not None:
            raise BadResponse(self.agency, f"{operation} failed: {_code(fault)} (HTTP 200)")
        if answer.tag != q(f"{operation}Response"):
            raise BadResponse(self.agency, f"{operation} answered with another element")
        return answer

    def _fault_code(self, response: httpx.Response) -> str:
        try:
            _, answer = open_envelope(response.content)
        except SoapError:
            return "no SOAP fault"
        fault = read_fault(answer)
        return _code(fault) if fault is not None else "no SOAP fault"

    def _parse(self, parse: Callable[[Element], T], answer: Element) -> T:
        try:
            return parse(answer)
        except SchemaViolation as exc:
            raise BadResponse(
                self.agency, f"answer does not fit PeduliWNI's schema ({exc})"
            ) from exc


def _code(fault: Fault) -> str:
    return fault.code if _FAULT_CODE.match(fault.code) else "UNKNOWN_FAULT"


def _usable(values: Sequence[str], valid: Callable[[str], bool]) -> list[str]:
    """Distinct values that can be sent; a malformed one cannot match any record anyway."""
    return [v for v in dict.fromkeys(values) if isinstance(v, str) and valid(v)]
