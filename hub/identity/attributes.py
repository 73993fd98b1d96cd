"""The identity attributes of a person record, in the form probabilistic matching compares.

Built once per record from the PersonRecord (names through hub.identity.names), stored in
``identity_attribute`` and read back for blocking; the two shapes map one to one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hub.identity.names import parse, spelling_key
from hub.identity.tables import IdentityAttributeRow
from schema.records import PersonRecord

# The stored columns matching reads, in ``Attributes.from_columns`` order.
COLUMNS = ("given", "father", "birth_date", "sex", "region", "has_nik", "countries")


@dataclass(frozen=True, slots=True)
class Attributes:
    """What matching knows of one record: own name and father's name as normalised words."""

    given: tuple[str, ...]
    father: tuple[str, ...]
    birth_date: date | None
    sex: str | None
    region: str | None
    has_nik: bool
    countries: tuple[str, ...] = ()  # of the record's placements or lapor diri missions

    @property
    def given_key(self) -> str:
        """The own name's spelling key, spaces removed: equal for spelling, joined/split and
        Muhammad variants."""
        return "".join(spelling_key(w) for w in self.given)

    @property
    def father_key(self) -> str:
        return "".join(spelling_key(w) for w in self.father)

    @classmethod
    def of(cls, record: PersonRecord) -> Attributes:
        parsed = parse(record.name)
        return cls(
            given=parsed.given,
            father=parsed.father,
            birth_date=record.birth_date,
            sex=str(record.sex) if record.sex else None,
            region=record.nik[:4] if record.nik and len(record.nik) >= 4 else None,
            has_nik=bool(record.nik),
            countries=tuple(sorted({c.upper() for c in record.countries if c}))[:20],
        )

    @classmethod
    def from_row(cls, row: IdentityAttributeRow) -> Attributes:
        return cls.from_columns(
            row.given, row.father, row.birth_date, row.sex, row.region, row.has_nik, row.countries
        )

    @classmethod
    def from_columns(
        cls,
        given: str,
        father: str | None,
        birth_date: date | None,
        sex: str | None,
        region: str | None,
        has_nik: bool,
        countries: str | None = None,
    ) -> Attributes:
        """From the stored columns, in COLUMNS order (blocking reads them with Core)."""
        return cls(
            tuple(given.split()),
            tuple(father.split()) if father else (),
            birth_date,
            sex,
            region,
            bool(has_nik),
            tuple(countries.split()) if countries else (),
        )

    def to_row(self, agency: str, local_id: str) -> IdentityAttributeRow:
        return IdentityAttributeRow(**self.to_values(agency, local_id))

    def to_values(self, agency: str, local_id: str) -> dict[str, object]:
        """The ``identity_attribute`` row as column values, for bulk writes."""
        return {
            "agency": agency,
            "local_id": local_id,
            "given": " ".join(self.given)[:200],
            "father": " ".join(self.father)[:200] or None,
            "birth_date": self.birth_date,
            "sex": self.sex,
            "region": self.region,
            "has_nik": self.has_nik,
            "countries": " ".join(self.countries)[:60] or None,
        }


def swapped(day: date) -> date | None:
    """The date with day and month exchanged (5 Aug -> 8 May), when that is another date."""
    if day.day > 12 or day.day == day.month:
        return None
    return date(day.year, day.day, day.month)
