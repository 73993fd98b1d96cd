"""Agency record keys that are personal identifiers, kept sealed (UU 27/2022).

BPJS Ketenagakerjaan keys its person records by the KPJ, the worker's membership number. The
hub must keep that key to call BPJS again (the live view, the changes feed), but a database
read must not give it away. So a connector that declares ``local_id_is_identifier`` is wrapped
in ``SealedRecordIds``: the hub sees, stores and indexes ``t1.<AES-SIV ciphertext>`` in place
of the KPJ, and the wrapper opens it again only on the way to the agency.

AES-SIV (RFC 5297) is deterministic, so the same KPJ always seals to the same token and every
equality lookup by local id keeps working; the agency code is the associated data, so a token
cannot be moved to another agency. The key is derived from ``HUB_PSEUDONYM_KEY``.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

from connectors.kit.base import ChangesPage, Connector, Health, LookupKey
from schema.records import PersonRecord, RecordKind, RecordSet

PREFIX = "t1."
PURPOSE = b"pmihub record-id cipher v1"


class RecordIdError(ValueError):
    """A sealed record key does not open: another HUB_PSEUDONYM_KEY, or not a token."""


@dataclass(frozen=True, slots=True)
class RecordIdCipher:
    pseudonym_key: bytes
    _siv: AESSIV = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        key = hmac.new(self.pseudonym_key, PURPOSE, hashlib.sha512).digest()
        object.__setattr__(self, "_siv", AESSIV(key))

    def seal(self, agency: str, local_id: str) -> str:
        sealed = self._siv.encrypt(local_id.encode(), [agency.encode()])
        return PREFIX + base64.urlsafe_b64encode(sealed).decode().rstrip("=")

    def open(self, agency: str, token: str) -> str:
        if not token.startswith(PREFIX):
            raise RecordIdError(f"{agency} record key is not sealed")
        data = token.removeprefix(PREFIX)
        try:
            raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
            return self._siv.decrypt(raw, [agency.encode()]).decode()
        except (ValueError, InvalidTag):
            raise RecordIdError(
                f"{agency} record key does not open: is HUB_PSEUDONYM_KEY the one it was "
                "sealed with?"
            ) from None


class SealedRecordIds:
    """A connector whose local ids the hub sees sealed; everything else passes through."""

    def __init__(self, inner: Connector, cipher: RecordIdCipher) -> None:
        self.inner = inner
        self.cipher = cipher
        self.agency: str = inner.agency
        self.system: str = inner.system
        self.lookup_keys: frozenset[LookupKey] = inner.lookup_keys
        self.record_kinds: frozenset[RecordKind] = inner.record_kinds
        self.batch_size: int = inner.batch_size

    def _seal(self, local_id: str) -> str:
        return self.cipher.seal(self.agency, local_id)

    def _person(self, record: PersonRecord) -> PersonRecord:
        return dataclasses.replace(record, local_id=self._seal(record.local_id))

    async def fetch(self, local_ids: Sequence[str]) -> Mapping[str, RecordSet]:
        plain: dict[str, str] = {}
        for token in local_ids:
            try:
                plain[self.cipher.open(self.agency, token)] = token
            except RecordIdError:
                continue  # not a record of ours: absent, as an unknown id is
        found = await self.inner.fetch(list(plain))
        return {
            plain[local_id]: dataclasses.replace(found_set, person=self._person(found_set.person))
            for local_id, found_set in found.items()
            if local_id in plain
        }

    async def find(self, key: LookupKey, values: Sequence[str]) -> Mapping[str, Sequence[str]]:
        found = await self.inner.find(key, values)
        return {value: [self._seal(i) for i in ids] for value, ids in found.items()}

    async def changes(self, cursor: str | None, limit: int = 500) -> ChangesPage:
        page = await self.inner.changes(cursor, limit)
        records = tuple(self._person(r) for r in page.records)
        return dataclasses.replace(page, records=records)

    async def health(self) -> Health:
        return await self.inner.health()

    async def aclose(self) -> None:
        await self.inner.aclose()


def seal_record_ids(connector: Connector, pseudonym_key: bytes | None) -> Connector:
    """``connector`` wrapped when its local ids are personal identifiers and a key is set."""
    if not getattr(connector, "local_id_is_identifier", False) or not pseudonym_key:
        return connector
    return SealedRecordIds(connector, RecordIdCipher(pseudonym_key))


__all__ = ["PREFIX", "RecordIdCipher", "RecordIdError", "SealedRecordIds", "seal_record_ids"]
