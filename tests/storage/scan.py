"""Scan a hub database for identifiers at rest: plain, or as an unkeyed digest.

The identifiers (NIK, passport, KPJ, phone) and the attributes an agency holds beside them
(names, birth date, sex) come from the scenario the stack was synced from. A digest is
"unkeyed" when anyone holding the scenario's values can compute it: SHA-256, SHA-1, MD5 or
BLAKE2b-128 (the response cache's old key) of
an identifier alone, or joined with one, two or three of its attributes in any order under a
common separator, or of a whole agency record the way a fingerprint would join it. Hex,
base64 and base64url encodings are decoded before matching; binary columns are searched for
the raw digest bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, select
from sqlalchemy.engine import Engine

ALGORITHMS = ("sha256", "sha1", "md5")
SEPARATORS = ("\x1f", "|", ":", ",", " ", "", "\t", ";")
HEX = re.compile(rb"[0-9a-fA-F]{32,128}")
B64 = re.compile(rb"[A-Za-z0-9+/_-]{22,88}={0,2}")


@dataclass(frozen=True, slots=True)
class Finding:
    table: str
    column: str
    what: str  # "plain NIK", "unkeyed sha256 of NIK"...

    def __str__(self) -> str:
        return f"{self.table}.{self.column}: {self.what}"


@dataclass
class Identifiers:
    """Every identifier of a population and the digests anyone could compute from them."""

    plain: dict[str, str] = field(default_factory=dict)  # value -> kind
    digests: dict[bytes, str] = field(default_factory=dict)  # raw digest -> description

    @classmethod
    def of_scenario(cls, path: Path) -> Identifiers:
        found = cls()
        for person in json.loads(path.read_text())["people"]:
            found.add_person(person)
        return found

    def add_person(self, person: dict[str, Any]) -> None:
        ids = sorted(set(_identifiers(person)))
        names = _names(person)
        sexes = {person.get("sex") or "", (person.get("sex") or " ")[0]} - {"", " "}
        births = {person["birthDate"]} if person.get("birthDate") else set()
        for kind, value in ids:
            for form in _forms(value):
                self.plain[form] = kind
            self._digest(kind, [value])
            for n, b, s in itertools.product(names | {None}, births | {None}, sexes | {None}):
                attrs = [a for a in (n, b, s) if a is not None]
                for order in itertools.permutations([value, *attrs]):
                    if len(order) > 1:
                        self._digest(f"{kind} joined with attributes", list(order))
        nik = person.get("nik") or ""
        passports = sorted(p["number"] for p in person.get("passports", []))
        for n, s in itertools.product(names, sexes):
            for tail in ([], passports):  # the old crosswalk fingerprint's order
                self._digest("record fingerprint", [nik, n, *births, s, *tail])

    def _digest(self, kind: str, parts: list[str]) -> None:
        for sep in SEPARATORS:
            data = sep.join(parts).encode()
            for name in ALGORITHMS:
                self.digests[hashlib.new(name, data).digest()] = f"unkeyed {name} of {kind}"
            blake = hashlib.blake2b(data, digest_size=16).digest()
            self.digests[blake] = f"unkeyed blake2b-128 of {kind}"

    def plain_pattern(self) -> re.Pattern[str]:
        values = sorted(self.plain, key=len, reverse=True)
        return re.compile("|".join(re.escape(v) for v in values))


IDENTIFIER_KEYS = {"nik": "NIK", "nikKnown": "NIK", "kpj": "KPJ", "phone": "phone"}
PASSPORT_KEYS = {"passportKnown", "passportNumber"}


def _walk(node: object) -> Iterator[tuple[str, object]]:
    """Every (key, value) pair in the person's nested record, agencies' parts included."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def _names(person: dict[str, Any]) -> set[str]:
    names = {person["name"], person["name"].upper()}
    return names | {v for k, v in _walk(person) if k == "nameAs" and isinstance(v, str)}


def _identifiers(person: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for key, value in _walk(person):
        if not isinstance(value, str) or not value:
            continue
        if key in IDENTIFIER_KEYS:
            yield IDENTIFIER_KEYS[key], value
        elif key in PASSPORT_KEYS:
            yield "passport", value
    for passport in person.get("passports", []):
        yield "passport", passport["number"]


def _forms(value: str) -> set[str]:
    """The value as written and as a hub might normalise it (digits only, no leading +)."""
    digits = re.sub(r"\D", "", value)
    forms = {value, value.upper()}
    if len(digits) >= 8 and digits != value:
        forms.add(digits)
    return forms


def _decoded(token: bytes) -> Iterator[bytes]:
    if HEX.fullmatch(token) and len(token) % 2 == 0:
        yield bytes.fromhex(token.decode())
    for decode in (base64.b64decode, base64.urlsafe_b64decode):
        try:
            decoded = decode(token + b"=" * (-len(token) % 4))
        except (binascii.Error, ValueError):
            continue
        yield decoded


def scan_value(value: object, known: Identifiers, pattern: re.Pattern[str]) -> Iterator[str]:
    """What ``value`` gives away, each as a short description."""
    if value is None:
        return
    raw = bytes(value) if isinstance(value, bytes | bytearray | memoryview) else None
    text = raw.decode("latin-1") if raw is not None else str(value)
    for match in pattern.finditer(text):
        yield f"plain {known.plain[match.group()]}"
    data = raw if raw is not None else text.encode()
    for regex in (HEX, B64):
        for token in regex.findall(data):
            for candidate in _decoded(token):
                for size in (16, 20, 32):  # a digest inside a longer decoded value
                    for i in range(0, max(len(candidate) - size + 1, 0)):
                        hit = known.digests.get(candidate[i : i + size])
                        if hit:
                            yield hit
    if raw is not None:
        for size in (16, 20, 32):
            for i in range(0, max(len(raw) - size + 1, 0)):
                hit = known.digests.get(raw[i : i + size])
                if hit:
                    yield hit


def scan_database(engine: Engine, known: Identifiers) -> list[Finding]:
    """Every (table, column, what) that gives an identifier away, across every table."""
    metadata = MetaData()
    metadata.reflect(engine)
    pattern = known.plain_pattern()
    findings: set[Finding] = set()
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)).mappings():
                for column, value in row.items():
                    for what in scan_value(value, known, pattern):
                        findings.add(Finding(table.name, column, what))
    return sorted(findings, key=str)


def row_count(engine: Engine) -> int:
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return sum(len(connection.execute(select(table)).all()) for table in metadata.sorted_tables)


def tables(engine: Engine) -> Iterable[str]:
    metadata = MetaData()
    metadata.reflect(engine)
    return [t.name for t in metadata.sorted_tables]
