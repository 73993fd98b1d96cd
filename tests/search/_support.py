"""Search test helpers: records linked and indexed as the sync does it."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from hub.crosswalk import CrosswalkReader, Linker, Pseudonymizer
from hub.search import Hit, SearchIndex, index_records, parse_query
from schema.enums import Agency
from schema.records import CrossRef, PassportRecord, PersonRecord, Provenance

TODAY = date(2026, 11, 24)
PSEUDO = Pseudonymizer(b"search-test-key")
BPJS = Agency.BPJS_KETENAGAKERJAAN.value


def person(
    agency: str,
    local_id: str,
    name: str,
    *,
    nik: str | None = None,
    born: date | None = None,
    passports: tuple[str, ...] = (),
    countries: tuple[str, ...] = (),
) -> PersonRecord:
    return PersonRecord(
        agency=agency,
        local_id=local_id,
        name=name,
        provenance=Provenance(agency, "TEST", local_id, datetime.now(UTC)),
        nik=nik,
        birth_date=born,
        passports=tuple(PassportRecord(p) for p in passports),
        countries=countries,
        # as connectors/bpjs/mapping.py maps it: the KPJ is also a key of its own
        cross_refs=(CrossRef(agency, "KPJ", local_id),) if agency == BPJS else (),
    )


class Index:
    """Records go in as the sync puts them (linked, then indexed, in one transaction)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.search_index = SearchIndex(engine, CrosswalkReader(engine, PSEUDO))

    def add(self, *records: PersonRecord) -> list[str]:
        with Session(self.engine) as session:
            outcomes = Linker(session, PSEUDO).link_many(records)
            index_records(session.connection(), records)
            session.commit()
        return [o.worker_id for o in outcomes]

    def search(self, text: str, **filters: object) -> list[Hit]:
        return self.search_index.search(parse_query(text, today=TODAY, **filters))  # type: ignore[arg-type]

    def ids(self, text: str, **filters: object) -> list[str]:
        return [h.worker_id for h in self.search(text, **filters)]
