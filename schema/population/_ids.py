"""Local identifiers, unique across a population by construction (counters, not luck).

Sequence numbers run per year (and per mission or regency where the format has one), the way
an agency numbers its own records. Passport and KPJ digits come from a global counter passed
through a bijection modulo 10^7 / 10^9, so they look scattered yet never repeat.
"""

from __future__ import annotations

_PASSPORT_MUL, _PASSPORT_ADD = 3_373_337, 1_000_003  # odd, not a multiple of 5: a bijection
_KPJ_MUL, _KPJ_ADD = 7_654_321, 12_345


class Ids:
    __slots__ = ("_kpj", "_passport", "_seq")

    def __init__(self) -> None:
        self._seq: dict[tuple[str, str | int], int] = {}
        self._passport = 0
        self._kpj = 0

    def seq(self, kind: str, scope: str | int) -> int:
        key = (kind, scope)
        value = self._seq.get(key, 0) + 1
        self._seq[key] = value
        return value

    def passport(self, prefix: str) -> str:
        count = self._passport
        self._passport += 1
        if count >= 10**7:  # beyond ten million passports, eight digits
            return f"{prefix}{count:08d}"
        return f"{prefix}{(count * _PASSPORT_MUL + _PASSPORT_ADD) % 10**7:07d}"

    def kpj(self, year: int) -> str:
        count = self._kpj
        self._kpj += 1
        digits = (count * _KPJ_MUL + _KPJ_ADD) % 10**9 if count < 10**9 else count
        return f"{year % 100:02d}{digits:09d}"
