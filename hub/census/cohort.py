"""Crisis cohorts: the workers the census matches a filter, most urgent first.

Urgency is the level (EMERGENCY, UNPROTECTED, UNKNOWN, AT_RISK, PROTECTED), then the last
contact with a mission, oldest first and never contacted before all. Pages are keyset pages
on that order, so a page costs an index range, not an offset scan.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select, tuple_
from sqlalchemy.engine import Engine

from hub.census.run import CENSUS
from hub.census.summary import URGENCY

NEVER = date(1900, 1, 1)  # "no contact on record" sorts first among equals
CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,59}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
MAX_TEXT = 80


class CohortError(ValueError):
    def __init__(self, argument: str, text_id: str, text_en: str) -> None:
        super().__init__(text_en)
        self.argument, self.text_id, self.text_en = argument, text_id, text_en


@dataclass(frozen=True, slots=True)
class Cohort:
    """A checked filter; ``None`` fields do not filter."""

    country: str | None = None
    mission_code: str | None = None
    city: str | None = None
    levels: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    finding_codes: tuple[str, ...] = ()
    licence: str | None = None
    last_contact_before: date | None = None
    abroad: bool | None = None

    def empty(self) -> bool:
        return not any(
            (
                self.country,
                self.mission_code,
                self.city,
                self.levels,
                self.phases,
                self.finding_codes,
                self.licence,
                self.last_contact_before,
                self.abroad is not None,
            )
        )

    def describe(self) -> str:
        """The filter in one line, for the audit trail (no personal data: places, codes)."""
        parts = [
            ("country", self.country),
            ("mission", self.mission_code),
            ("city", self.city),
            ("levels", "+".join(self.levels)),
            ("phases", "+".join(self.phases)),
            ("codes", "+".join(self.finding_codes)),
            ("licence", self.licence),
            ("contactBefore", self.last_contact_before and self.last_contact_before.isoformat()),
            ("abroad", None if self.abroad is None else str(self.abroad).lower()),
        ]
        return " ".join(f"{k}={v}" for k, v in parts if v)


def check_text(value: str | None, argument: str) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if not text or len(text) > MAX_TEXT or any(ord(c) < 32 for c in text):
        raise CohortError(
            argument,
            f"{argument}: 1 sampai {MAX_TEXT} karakter tanpa karakter kontrol",
            f"{argument}: 1 to {MAX_TEXT} characters without control characters",
        )
    return text


def check_country(value: str | None) -> str | None:
    if value is None:
        return None
    code = value.strip().upper()
    if not COUNTRY.fullmatch(code):
        raise CohortError("country", "Negara: kode ISO dua huruf", "country: a two-letter ISO code")
    return code


def check_codes(values: list[str] | None) -> tuple[str, ...]:
    codes = tuple(sorted({v.strip().upper() for v in values or []}))
    if len(codes) > 20 or not all(CODE.fullmatch(c) for c in codes):
        raise CohortError(
            "findingCodes",
            "Kode temuan: paling banyak 20, huruf besar, angka dan _",
            "findingCodes: at most 20, capital letters, digits and _",
        )
    return codes


def encode_cursor(rank: int, contact: date, worker_id: str) -> str:
    raw = f"{rank}|{contact.isoformat()}|{worker_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, date, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        rank, contact, worker_id = raw.split("|")
        if not worker_id.startswith("wk_") or len(worker_id) > 40:
            raise ValueError(worker_id)
        return int(rank), date.fromisoformat(contact), worker_id
    except (ValueError, UnicodeDecodeError):
        raise CohortError("after", "Kursor tidak sah", "Malformed cursor") from None


@dataclass(frozen=True, slots=True)
class Member:
    worker_id: str
    level: str
    last_contact_on: date | None
    cursor: str


def _where(cohort: Cohort) -> list[object]:
    c = CENSUS.c
    clauses: list[object] = []
    if cohort.country:
        clauses.append(c.country == cohort.country)
    if cohort.mission_code:
        clauses.append(c.mission_code == cohort.mission_code)
    if cohort.city:
        place = cohort.city.lower()
        clauses.append(or_(c.city == place, c.region == place))
    if cohort.levels:
        clauses.append(c.level.in_(cohort.levels))
    if cohort.phases:
        clauses.append(c.phase.in_(cohort.phases))
    if cohort.finding_codes:
        clauses.append(or_(*(c.findings.like(f"%,{code},%") for code in cohort.finding_codes)))
    if cohort.licence:
        clauses.append(c.licence == cohort.licence)
    if cohort.last_contact_before:
        clauses.append(
            or_(c.last_contact_on.is_(None), c.last_contact_on < cohort.last_contact_before)
        )
    if cohort.abroad is not None:
        clauses.append(c.abroad.is_(cohort.abroad))
    return clauses


def members(
    engine: Engine, cohort: Cohort, first: int, after: str | None
) -> tuple[list[Member], bool, int]:
    """One page of the cohort, whether more follow, and how many it holds in all."""
    c = CENSUS.c
    contact = func.coalesce(c.last_contact_on, NEVER)
    where = _where(cohort)
    query = select(c.worker_id, c.level, c.level_rank, c.last_contact_on).where(*where)
    if after is not None:
        rank, day, worker_id = decode_cursor(after)
        query = query.where(tuple_(c.level_rank, contact, c.worker_id) > (rank, day, worker_id))
    query = query.order_by(c.level_rank, contact, c.worker_id).limit(first + 1)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
        total = int(
            connection.execute(select(func.count()).select_from(CENSUS).where(*where)).scalar() or 0
        )
    page = [
        Member(
            worker_id=w,
            level=level,
            last_contact_on=last,
            cursor=encode_cursor(rank, last or NEVER, w),
        )
        for w, level, rank, last in rows[:first]
    ]
    return page, len(rows) > first, total


def counts_by_level(engine: Engine, cohort: Cohort) -> dict[str, int]:
    c = CENSUS.c
    with engine.connect() as connection:
        rows = connection.execute(
            select(c.level, func.count()).where(*_where(cohort)).group_by(c.level)
        ).all()
    found = {level: int(n) for level, n in rows}
    return {level.value: found.get(level.value, 0) for level in URGENCY}


__all__ = [
    "Cohort",
    "CohortError",
    "Member",
    "check_codes",
    "check_country",
    "check_text",
    "counts_by_level",
    "members",
]
