"""Identifier keys of a person record, as keyed digests (pseudonymisation, UU 27/2022)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from schema.identifiers import normalize_passport
from schema.records import PersonRecord

NIK = "NIK"
PASSPORT = "PASSPORT"

# How much a shared key says, strongest first: the method a link is recorded with.
STRENGTH = {NIK: 3, "AGENCY_ID": 2, PASSPORT: 1}


_INNER = bytes(x ^ 0x36 for x in range(256))  # HMAC's ipad and opad, as translate tables
_OUTER = bytes(x ^ 0x5C for x in range(256))


@dataclass(frozen=True, slots=True)
class Pseudonymizer:
    """HMAC-SHA256 under the hub's pseudonym key (``HUB_PSEUDONYM_KEY``).

    The keyed inner and outer SHA-256 states are computed once and copied per digest (RFC
    2104, as ``hmac`` does it): the linker digests several keys per record, and building an
    HMAC object each time cost more than the hashing.
    """

    key: bytes
    _inner: Any = field(init=False, repr=False, compare=False)
    _outer: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        key = self.key if len(self.key) <= 64 else hashlib.sha256(self.key).digest()
        key = key.ljust(64, b"\0")
        object.__setattr__(self, "_inner", hashlib.sha256(key.translate(_INNER)))
        object.__setattr__(self, "_outer", hashlib.sha256(key.translate(_OUTER)))

    def digest(self, kind: str, value: str) -> str:
        inner = self._inner.copy()
        inner.update(f"{kind}\x1f{value}".encode())
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()


def key_kind_method(kind: str) -> str:
    """The MatchMethod a link through a key of this kind is recorded with."""
    return kind if kind in (NIK, PASSPORT) else "AGENCY_ID"


def record_keys(record: PersonRecord) -> list[tuple[str, str]]:
    """(kind, plain value) pairs the record can be found and linked by."""
    keys: list[tuple[str, str]] = [(f"{record.agency}:LOCAL_ID", record.local_id)]
    if record.nik:
        keys.append((NIK, record.nik))
    keys.extend((PASSPORT, normalize_passport(p.number)) for p in record.passports)
    keys.extend((f"{ref.agency}:{ref.key}", ref.value) for ref in record.cross_refs)
    return sorted(set(keys))


FINGERPRINT = "FINGERPRINT"  # the HMAC's domain: never the same message as an identifier key


def fingerprint(record: PersonRecord, pseudo: Pseudonymizer) -> str:
    """A keyed digest of what identity resolution reads from a record, to skip unchanged ones.

    HMAC under the pseudonym key over the SHA-256 of the attributes: unkeyed, the digest gave
    the NIK back by brute force over the few digits not already stored beside it. The inner
    SHA-256 is what lets migration 0007 recompute the stored digests (``keyed_fingerprint``).
    """
    parts = [
        record.nik or "",
        record.name,
        record.birth_date.isoformat() if record.birth_date else "",
        record.sex or "",
        *sorted(normalize_passport(p.number) for p in record.passports),
        *sorted(f"{r.agency}:{r.key}:{r.value}" for r in record.cross_refs),
    ]
    return keyed_fingerprint(pseudo, hashlib.sha256("\x1f".join(parts).encode()).hexdigest())


def keyed_fingerprint(pseudo: Pseudonymizer, plain_digest: str) -> str:
    """The stored fingerprint of a record whose attributes' SHA-256 is ``plain_digest``."""
    return pseudo.digest(FINGERPRINT, plain_digest)
