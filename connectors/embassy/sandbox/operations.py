"""The sandbox's operations: each reads its request element and returns its answer element.

Every problem with a request raises ``SoapError`` carrying a ``soap:Client`` fault with a
stable code (``BATCH_TOO_LARGE``, ``INVALID_NIK``…); the endpoint turns it into HTTP 400.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from connectors.embassy.dialect import NS, SYSTEM, Operation, is_nik, is_passport, is_record_id
from connectors.embassy.sandbox.render import EmbassyView, render_record
from connectors.embassy.soap import SoapError, client_error, element, sub
from connectors.sandbox.app import SandboxConfig
from connectors.sandbox.data import SandboxData, decode_cursor, encode_cursor
from schema.clock import now
from schema.identifiers import normalize_passport

DEFAULT_PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class Context:
    data: SandboxData
    view: EmbassyView
    config: SandboxConfig


def read_fields(op: Element, allowed: dict[str, int]) -> dict[str, list[str]]:
    """The text of each child by local name; ``allowed`` gives each name's maximum count."""
    found: dict[str, list[str]] = {name: [] for name in allowed}
    for child in op:
        namespace, _, name = child.tag.rpartition("}")
        if namespace != "{" + NS or name not in allowed:
            raise client_error(
                "UNEXPECTED_ELEMENT",
                f"Unexpected element {name!r} in {op.tag.rpartition('}')[2]}",
                f"Elemen {name!r} tidak dikenal dalam permintaan ini",
            )
        if len(child):
            raise client_error(
                "INVALID_VALUE", f"{name} must hold text only", f"{name} hanya boleh berisi teks"
            )
        found[name].append((child.text or "").strip())
        if len(found[name]) > allowed[name]:
            raise _too_many(name, allowed[name])
    return found


def _too_many(name: str, limit: int) -> SoapError:
    if limit == 1:
        return client_error(
            "DUPLICATE_ELEMENT", f"{name} may appear only once", f"{name} hanya boleh satu kali"
        )
    return client_error(
        "BATCH_TOO_LARGE",
        f"At most {limit} {name} values per call",
        f"Paling banyak {limit} nilai {name} per permintaan",
    )


def _values(
    op: Element, name: str, limit: int, valid: Callable[[str], bool], code: str
) -> list[str]:
    values = read_fields(op, {name: limit})[name]
    if not values:
        raise client_error(
            "EMPTY_REQUEST", f"Give at least one {name}", f"Isi paling sedikit satu {name}"
        )
    for value in values:
        if not valid(value):  # the value itself is never echoed: it may be personal data
            raise client_error(
                code,
                f"A {name} value is malformed",
                f"Ada nilai {name} yang formatnya salah",
            )
    return list(dict.fromkeys(values))


def _int(fields: dict[str, list[str]], name: str, default: int) -> int:
    if not fields[name]:
        return default
    raw = fields[name][0]
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9 or int(raw) < 1:
        raise client_error(
            "INVALID_VALUE",
            f"{name} must be a whole number from 1",
            f"{name} harus bilangan bulat mulai dari 1",
        )
    return int(raw)


def get_citizen_records(op: Element, ctx: Context) -> Element:
    ids = _values(op, "RecordId", ctx.config.max_batch, is_record_id, "INVALID_RECORD_ID")
    answer = element("GetCitizenRecordsResponse")
    for record_id in ids:
        found = ctx.view.render(record_id)
        if found is not None:
            answer.append(found)
    return answer


def _matches(name: str, table: dict[str, list[str]], values: list[str]) -> Element:
    answer = element(f"{name}Response")
    for value in values:
        ids = table.get(value)
        if ids:
            match = sub(answer, "Match")
            sub(match, "Value", value)
            for record_id in ids:
                sub(match, "RecordId", record_id)
    return answer


def find_by_nik(op: Element, ctx: Context) -> Element:
    niks = _values(op, "Nik", ctx.config.max_batch, is_nik, "INVALID_NIK")
    return _matches(Operation.FIND_BY_NIK, ctx.view.index.by_nik, niks)


def find_by_passport(op: Element, ctx: Context) -> Element:
    numbers = _values(op, "PassportNumber", ctx.config.max_batch, is_passport, "INVALID_PASSPORT")
    normalized = list(dict.fromkeys(normalize_passport(n) for n in numbers))
    return _matches(Operation.FIND_BY_PASSPORT, ctx.view.index.by_passport, normalized)


def list_citizen_records(op: Element, ctx: Context) -> Element:
    fields = read_fields(op, {"PageNumber": 1, "PageSize": 1})
    page = _int(fields, "PageNumber", 1)
    size = min(_int(fields, "PageSize", DEFAULT_PAGE_SIZE), ctx.config.max_page_size)
    entries = ctx.view.index.entries
    total = len(entries)
    answer = element("ListCitizenRecordsResponse")
    sub(answer, "PageNumber", str(page))
    sub(answer, "PageSize", str(size))
    sub(answer, "TotalRecords", str(total))
    sub(answer, "TotalPages", str(-(-total // size)))
    start = (page - 1) * size
    missions = ctx.data.missions
    for person, record in entries[start : start + size]:
        answer.append(render_record(person, record, missions))
    return answer


def get_changes(op: Element, ctx: Context) -> Element:
    fields = read_fields(op, {"Cursor": 1, "MaxRecords": 1})
    after = decode_cursor(fields["Cursor"][0] if fields["Cursor"] else None)
    if after is None:
        raise client_error(
            "INVALID_CURSOR", "Not a cursor of this feed", "Kursor tidak dikenal untuk umpan ini"
        )
    limit = min(_int(fields, "MaxRecords", DEFAULT_PAGE_SIZE), ctx.config.max_page_size)
    people, last, more = ctx.data.changes(after, limit, block="embassy")
    answer = element("GetChangesResponse")
    sub(answer, "NextCursor", encode_cursor(last))
    sub(answer, "HasMore", "true" if more else "false")
    missions = ctx.data.missions
    for _, person in people:
        for record in person.embassy:
            answer.append(render_record(person, record, missions))
    return answer


def ping(op: Element, ctx: Context) -> Element:
    read_fields(op, {})
    answer = element("PingResponse")
    sub(answer, "Status", "OK")
    sub(answer, "System", SYSTEM)
    sub(answer, "ServerTime", now().isoformat(timespec="seconds"))
    return answer


OPERATIONS: dict[str, Callable[[Element, Context], Element]] = {
    Operation.GET_CITIZEN_RECORDS: get_citizen_records,
    Operation.FIND_BY_NIK: find_by_nik,
    Operation.FIND_BY_PASSPORT: find_by_passport,
    Operation.LIST_CITIZEN_RECORDS: list_citizen_records,
    Operation.GET_CHANGES: get_changes,
    Operation.PING: ping,
}
