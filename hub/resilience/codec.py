"""Cache values as JSON bytes, so replicas can share them through Redis.

A value is a ``RecordSet`` (fetch), a ``LicenseRecord`` (licenses), a tuple of local ids (find)
or ``None`` (the agency had no such record). orjson writes the frozen dataclasses, dates,
datetimes and enums; decoding rebuilds them from the dataclasses' own type hints, so a record
type that gains a field needs no change here. Anything that does not decode into the expected
shape raises ``CodecError`` and the cache treats the entry as missing.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from datetime import date, datetime
from enum import Enum
from typing import Any

import orjson

from schema.records import LicenseRecord, RecordSet

CacheValue = RecordSet | LicenseRecord | tuple[str, ...] | None

_TAGS: dict[str, Any] = {"rs": RecordSet, "lic": LicenseRecord, "ids": tuple[str, ...]}


class CodecError(ValueError):
    """Bytes that are not a cache value this version of the hub can read."""


def encode(value: CacheValue, fresh_until: float) -> bytes:
    if value is None:
        tag = "none"
    elif isinstance(value, RecordSet):
        tag = "rs"
    elif isinstance(value, LicenseRecord):
        tag = "lic"
    elif isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        tag = "ids"
    else:
        raise CodecError(f"cannot cache a {type(value).__name__}")
    return orjson.dumps({"f": fresh_until, "t": tag, "d": value})


def decode(raw: bytes) -> tuple[CacheValue, float]:
    """The value and the wall-clock time until which it is fresh."""
    try:
        body = orjson.loads(raw)
        fresh_until = float(body["f"])
        tag = body["t"]
        if tag == "none":
            return None, fresh_until
        return _build(_TAGS[tag], body["d"]), fresh_until
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise CodecError(f"unreadable cache entry ({type(exc).__name__})") from exc


def rebuild(kind: Any, data: Any) -> Any:
    """Decoded JSON of a record (``RecordSet``, ``LicenseRecord``, a tuple of them) rebuilt as
    ``kind``; anything else raises ``CodecError`` (the Apollo peer of bench/ passes records
    between its subgraphs this way)."""
    try:
        return _build(kind, data)
    except (KeyError, TypeError, ValueError) as exc:
        raise CodecError(f"not a {kind} ({type(exc).__name__})") from exc


def _build(kind: Any, data: Any) -> Any:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        if data is None:
            return None
        (inner,) = [a for a in typing.get_args(kind) if a is not type(None)]
        return _build(inner, data)
    if origin is tuple:
        item = typing.get_args(kind)[0]
        return tuple(_build(item, v) for v in _list(data))
    if dataclasses.is_dataclass(kind):
        if not isinstance(data, dict):
            raise TypeError(f"{kind.__name__} needs an object")
        hints = _hints(kind)
        return kind(**{name: _build(hints[name], v) for name, v in data.items()})
    if kind is datetime:
        return datetime.fromisoformat(_str(data))
    if kind is date:
        return date.fromisoformat(_str(data))
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(data)
    if kind in (str, int, float, bool) and type(data) is kind:
        return data
    if kind is float and type(data) is int:
        return float(data)
    raise TypeError(f"expected {kind}, got {type(data).__name__}")


@functools.cache
def _hints(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind)


def _list(data: Any) -> list[Any]:
    if not isinstance(data, list):
        raise TypeError("expected a list")
    return data


def _str(data: Any) -> str:
    if not isinstance(data, str):
        raise TypeError("expected a string")
    return data


__all__ = ["CacheValue", "CodecError", "decode", "encode", "rebuild"]
