"""The BPJS Ketenagakerjaan connector: signed calls, decrypted answers, records out.

Each call is signed afresh (``ConsumerSignatureAuth``) and its ``response`` decrypted with the
timestamp that call was signed with. Everything that goes wrong leaves as a ConnectorError:
transport failures and HTTP statuses through connectors.kit.http, and an answer that cannot
be decrypted, decompressed, parsed or validated as BadResponse.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from connectors.bpjs.crypto import DecryptionError, decrypt_text
from connectors.bpjs.dialect import BASE, NOT_FOUND, OK
from connectors.bpjs.mapping import AGENCY, SYSTEM, to_person, to_record_set
from connectors.bpjs.models import ChangesAnswer, Envelope, ParticipantList, StatusAnswer
from connectors.kit.auth.hmac import ConsumerSignatureAuth, request_timestamp
from connectors.kit.base import ChangesPage, Health, LookupKey
from connectors.kit.errors import AgencyUnavailable, BadResponse
from connectors.kit.health import probe
from connectors.kit.http import agency_errors, check_status
from schema.identifiers import is_valid_kpj, is_valid_nik
from schema.records import RecordKind, RecordSet

MAX_PAGE = 500  # the largest ``limit`` the API accepts
Answer = TypeVar("Answer", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class BpjsCredentials:
    """What BPJS issues to a consumer: its id, the signing secret and the gateway key."""

    cons_id: str
    secret: str = field(repr=False)
    user_key: str = field(repr=False)

    @classmethod
    def from_mapping(cls, values: Mapping[str, str]) -> BpjsCredentials:
        missing = [k for k in ("cons_id", "secret", "user_key") if not values.get(k)]
        if missing:
            raise ValueError(f"BPJS credentials need {', '.join(missing)}")
        return cls(values["cons_id"], values["secret"], values["user_key"])


class BpjsConnector:
    agency = AGENCY
    system = SYSTEM
    lookup_keys = frozenset({LookupKey.LOCAL_ID, LookupKey.NIK, LookupKey.KPJ})
    record_kinds = frozenset({RecordKind.PERSON, RecordKind.MEMBERSHIP})
    local_id_is_identifier = True  # the KPJ: the hub keeps it sealed (hub/crosswalk/record_ids.py)

    def __init__(
        self,
        http: httpx.AsyncClient,
        credentials: BpjsCredentials,
        *,
        batch_size: int = 100,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.http = http
        self.batch_size = batch_size
        self._credentials = credentials
        self._auth = ConsumerSignatureAuth(
            credentials.cons_id, credentials.secret, credentials.user_key, clock=clock
        )

    async def fetch(self, local_ids: Sequence[str]) -> Mapping[str, RecordSet]:
        out: dict[str, RecordSet] = {}
        for chunk in self._chunks([i for i in local_ids if is_valid_kpj(i)]):
            answer = await self._answer(
                ParticipantList, "POST", "/peserta/kpj", json={"request": {"noKpj": chunk}}
            )
            fetched_at = datetime.now(UTC)
            wanted = set(chunk)
            for native in answer.items if answer else ():
                if native.noKpj in wanted:
                    out[native.noKpj] = to_record_set(native, fetched_at)
        return out

    async def find(self, key: LookupKey, values: Sequence[str]) -> Mapping[str, Sequence[str]]:
        if key in (LookupKey.LOCAL_ID, LookupKey.KPJ):
            return {kpj: [kpj] for kpj in await self.fetch(values)}
        if key is not LookupKey.NIK:
            return {}
        out: dict[str, list[str]] = {}
        for chunk in self._chunks([v for v in values if is_valid_nik(v)]):
            answer = await self._answer(
                ParticipantList, "POST", "/peserta/nik", json={"request": {"nik": chunk}}
            )
            wanted = set(chunk)
            for native in answer.items if answer else ():
                nik = native.nik
                if nik is None or nik not in wanted:
                    continue
                kpjs = out.setdefault(nik, [])
                if native.noKpj not in kpjs:
                    kpjs.append(native.noKpj)
        return out

    async def changes(self, cursor: str | None, limit: int = 500) -> ChangesPage:
        params = {"limit": str(min(max(limit, 1), MAX_PAGE))}
        if cursor:
            params["sejak"] = cursor
        answer = await self._answer(ChangesAnswer, "GET", "/peserta/perubahan", params=params)
        if answer is None:
            raise BadResponse(self.agency, "changes feed answered 'not found'")
        fetched_at = datetime.now(UTC)
        records = tuple(to_person(native, fetched_at) for native in answer.items)
        return ChangesPage(records=records, cursor=answer.kursor, has_more=answer.lanjut)

    async def health(self) -> Health:
        async def status() -> str | None:
            answer = await self._answer(StatusAnswer, "GET", "/ref/status")
            return None if answer is not None and answer.status == "OK" else "status"

        return await probe(self.agency, status)

    async def aclose(self) -> None:
        await self.http.aclose()

    def _chunks(self, ids: list[str]) -> list[list[str]]:
        unique = list(dict.fromkeys(ids))
        return [unique[i : i + self.batch_size] for i in range(0, len(unique), self.batch_size)]

    async def _answer(
        self, model: type[Answer], method: str, path: str, **kw: Any
    ) -> Answer | None:
        """One signed call, decrypted and validated; None when BPJS answers code 201."""
        text = await self._call(method, path, **kw)
        if text is None:
            return None
        try:
            return model.model_validate_json(text)
        except ValidationError:
            raise BadResponse(self.agency, f"answer is not a valid {model.__name__}") from None

    async def _call(self, method: str, path: str, **kw: Any) -> str | None:
        try:
            with agency_errors(self.agency):
                response = await self.http.request(method, BASE + path, auth=self._auth, **kw)
        except httpx.DecodingError as exc:
            raise BadResponse(self.agency, "answer body cannot be decoded") from exc
        except httpx.HTTPError as exc:
            raise AgencyUnavailable(self.agency, f"call failed ({type(exc).__name__})") from exc
        check_status(response, self.agency)
        try:
            envelope = Envelope.model_validate_json(response.content)
        except ValidationError:
            status = response.status_code
            message = f"answer is not a BPJS envelope (HTTP {status})"
            raise BadResponse(self.agency, message) from None
        code = envelope.metaData.code
        if response.status_code == 404 or code == NOT_FOUND:
            if code == NOT_FOUND:
                return None
            raise BadResponse(self.agency, f"no such service {path} (code {code})")
        if code != OK or envelope.response is None:
            raise BadResponse(self.agency, f"unexpected answer code {code!r}")
        timestamp = request_timestamp(response.request) or ""
        creds = self._credentials
        try:
            return decrypt_text(envelope.response, creds.cons_id, creds.secret, timestamp)
        except DecryptionError as exc:
            raise BadResponse(self.agency, str(exc)) from None


__all__ = ["BpjsConnector", "BpjsCredentials"]
