"""How the SISKOP2MI sandbox reads what it is sent: query parameters and lookup bodies.

Every problem becomes an ``ApiError`` carrying SISKOP2MI's error items (English ``message``,
Indonesian ``pesan``); values are named by position, never echoed, so a NIK sent by mistake
does not come back in an error or land in a log.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from connectors.p2mi.dialect import SEARCH_FIELDS, normalize_search

MAX_BODY_BYTES = 1_000_000
MAX_INT = 1_000_000_000


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    message: str
    pesan: str
    field: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "field": self.field,
            "message": self.message,
            "pesan": self.pesan,
        }


class ApiError(Exception):
    def __init__(self, status: int, problems: list[Problem]) -> None:
        super().__init__(status, [p.code for p in problems])
        self.status = status
        self.problems = problems


def _invalid(field: str, message: str, pesan: str, code: str = "INVALID_PARAMETER") -> ApiError:
    return ApiError(422, [Problem(code, message, pesan, field)])


def int_param(request: Request, name: str, default: int) -> int:
    """A whole-number query parameter from 1 upwards."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 10) or not 1 <= int(raw) <= MAX_INT:
        raise _invalid(
            name, f"{name} must be a whole number from 1", f"{name} harus bilangan bulat mulai 1"
        )
    return int(raw)


async def search_body(
    request: Request, max_values: int, fields: Iterable[str] = tuple(SEARCH_FIELDS)
) -> tuple[str, list[str]]:
    """The one lookup field of a JSON body and its values, checked and normalised."""
    allowed = tuple(fields)
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise ApiError(
            413, [Problem("BODY_TOO_LARGE", "Body too large", "Isi permintaan terlalu besar")]
        )
    try:
        body = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
        raise ApiError(
            400, [Problem("INVALID_BODY", "Body must be JSON", "Isi permintaan harus JSON")]
        ) from None
    names = " | ".join(allowed)
    if not isinstance(body, dict) or len(body) != 1 or next(iter(body)) not in allowed:
        raise _invalid(
            "body",
            f"Body must be an object with exactly one of: {names}",
            f"Isi permintaan harus objek dengan tepat satu dari: {names}",
            "INVALID_BODY",
        )
    ((field, values),) = body.items()
    if not isinstance(values, list) or not values:
        raise _invalid(field, "Must be a non-empty list", "Harus berupa daftar yang tidak kosong")
    if len(values) > max_values:
        raise _invalid(
            field,
            f"At most {max_values} values per request",
            f"Paling banyak {max_values} nilai per permintaan",
            "BATCH_TOO_LARGE",
        )
    valid = SEARCH_FIELDS[field]
    problems = [
        Problem("INVALID_VALUE", "Malformed value", "Format nilai tidak valid", f"{field}[{i}]")
        for i, value in enumerate(values)
        if not isinstance(value, str) or not valid(normalize_search(field, value))
    ]
    if problems:
        raise ApiError(422, problems)
    return field, [normalize_search(field, value) for value in values]
