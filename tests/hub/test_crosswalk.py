"""The deterministic crosswalk: link by NIK, passport and cross-references; never merge two
people whose NIKs differ; keep ids stable across merges."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from hub.crosswalk import (
    CrosswalkReader,
    Linker,
    Pseudonymizer,
    RecordKeyRow,
    link_records,
)
from schema.enums import Sex
from schema.records import CrossRef, PassportRecord, PersonRecord, Provenance

PSEUDO = Pseudonymizer(b"test-key")


def person(agency: str, local_id: str, **kw) -> PersonRecord:  # type: ignore[no-untyped-def]
    prov = Provenance(agency, "TEST", local_id, datetime.now(UTC))
    return PersonRecord(
        agency=agency, local_id=local_id, name=kw.pop("name", "X"), provenance=prov, **kw
    )


def workers(engine: Engine, *keys: tuple[str, str]) -> list[str | None]:
    reader = CrosswalkReader(engine, PSEUDO)
    return [reader.find(f"{agency}:LOCAL_ID", [local]).get(local) for agency, local in keys]


def test_records_sharing_a_nik_are_one_worker(engine: Engine) -> None:
    # given two agencies' records with the same NIK
    records = [
        person("KEMNAKER", "AK1-1", nik="3506124508900003"),
        person("BPJS_KETENAGAKERJAAN", "24001234567", nik="3506124508900003"),
    ]
    # when
    link_records(engine, PSEUDO, records)
    # then
    a, b = workers(engine, ("KEMNAKER", "AK1-1"), ("BPJS_KETENAGAKERJAAN", "24001234567"))
    assert a is not None and a == b
    assert a.startswith("wk_") and "3506" not in a


def test_embassy_record_without_nik_links_by_endorsed_placement(engine: Engine) -> None:
    link_records(
        engine,
        PSEUDO,
        [
            person(
                "P2MI",
                "PMI-1",
                nik="3506124508900003",
                cross_refs=(CrossRef("P2MI", "PLACEMENT_ID", "PL-1"),),
            ),
            person(
                "EMBASSY",
                "HKG-1",
                passports=(PassportRecord("C1234567"),),
                cross_refs=(CrossRef("P2MI", "PLACEMENT_ID", "PL-1"),),
            ),
        ],
    )
    a, b = workers(engine, ("P2MI", "PMI-1"), ("EMBASSY", "HKG-1"))
    assert a == b
    links = CrosswalkReader(engine, PSEUDO).canonical_links([a])[1][a]  # type: ignore[list-item]
    assert {(link.agency, link.method) for link in links} == {
        ("P2MI", "NIK"),
        ("EMBASSY", "AGENCY_ID"),
    }


def test_late_record_bridging_two_workers_merges_them_and_old_ids_still_answer(
    engine: Engine,
) -> None:
    # given an embassy record known only by passport, then a Kemnaker record by NIK
    link_records(engine, PSEUDO, [person("EMBASSY", "E-1", passports=(PassportRecord("C7"),))])
    link_records(engine, PSEUDO, [person("KEMNAKER", "AK1-9", nik="3201011507880007")])
    embassy_worker, kemnaker_worker = workers(engine, ("EMBASSY", "E-1"), ("KEMNAKER", "AK1-9"))
    assert embassy_worker != kemnaker_worker
    # when P2MI's record holds both the NIK and the passport
    link_records(
        engine,
        PSEUDO,
        [person("P2MI", "PMI-9", nik="3201011507880007", passports=(PassportRecord("C7"),))],
    )
    # then all three are one worker, and both earlier ids resolve to it
    reader = CrosswalkReader(engine, PSEUDO)
    canonical = reader.canonical([embassy_worker, kemnaker_worker])  # type: ignore[list-item]
    assert len(set(canonical.values())) == 1
    (final,) = set(canonical.values())
    links = reader.canonical_links([final])[1][final]
    assert {link.agency for link in links} == {"EMBASSY", "KEMNAKER", "P2MI"}


def test_different_niks_are_never_merged_even_when_a_passport_is_shared(engine: Engine) -> None:
    link_records(
        engine,
        PSEUDO,
        [
            person("KEMNAKER", "AK1-A", nik="3506124508900003"),
            person("KEMNAKER", "AK1-B", nik="3201011507880007"),
        ],
    )
    # a record with NIK A claims a passport that B's P2MI record also holds
    link_records(
        engine,
        PSEUDO,
        [
            person("P2MI", "PMI-B", nik="3201011507880007", passports=(PassportRecord("Z9"),)),
            person("EMBASSY", "E-A", nik="3506124508900003", passports=(PassportRecord("Z9"),)),
        ],
    )
    a, b, e = workers(engine, ("KEMNAKER", "AK1-A"), ("KEMNAKER", "AK1-B"), ("EMBASSY", "E-A"))
    assert a != b
    assert e == a


def test_same_name_and_birth_date_without_shared_keys_stay_apart(engine: Engine) -> None:
    link_records(
        engine,
        PSEUDO,
        [
            person(
                "BPJS_KETENAGAKERJAAN",
                "1",
                name="SITI AMINAH",
                birth_date=date(1990, 8, 5),
                sex=Sex.FEMALE,
                nik="3506124508900003",
            ),
            person(
                "BPJS_KETENAGAKERJAAN",
                "2",
                name="SITI AMINAH",
                birth_date=date(1990, 8, 5),
                sex=Sex.FEMALE,
                nik="3301014508900001",
            ),
        ],
    )
    a, b = workers(engine, ("BPJS_KETENAGAKERJAAN", "1"), ("BPJS_KETENAGAKERJAAN", "2"))
    assert a != b


def test_relinking_an_unchanged_record_writes_nothing(engine: Engine) -> None:
    record = person("KEMNAKER", "AK1-1", nik="3506124508900003")
    assert link_records(engine, PSEUDO, [record]) == 1
    assert link_records(engine, PSEUDO, [record]) == 0


def test_identifiers_are_stored_only_as_keyed_digests(engine: Engine) -> None:
    link_records(
        engine,
        PSEUDO,
        [
            person(
                "KEMNAKER", "AK1-1", nik="3506124508900003", passports=(PassportRecord("C1234567"),)
            )
        ],
    )
    with Session(engine) as session:
        rows = session.exec(select(RecordKeyRow)).all()
    assert rows and all("3506124508900003" not in r.digest for r in rows)
    assert all("C1234567" not in r.digest for r in rows)
    assert CrosswalkReader(engine, PSEUDO).find("NIK", ["3506124508900003"])
    assert not CrosswalkReader(engine, Pseudonymizer(b"other")).find("NIK", ["3506124508900003"])


def test_a_changed_record_moves_to_the_worker_its_keys_now_name(engine: Engine) -> None:
    link_records(
        engine,
        PSEUDO,
        [
            person("KEMNAKER", "AK1-1", nik="3506124508900003"),
            person("KEMNAKER", "AK1-2", nik="3201011507880007"),
            person("BPJS_KETENAGAKERJAAN", "K1", nik="3506124508900003"),
        ],
    )
    # BPJS corrects the NIK on its record
    with Session(engine) as session:
        Linker(session, PSEUDO).link(person("BPJS_KETENAGAKERJAAN", "K1", nik="3201011507880007"))
        session.commit()
    a1, a2, k = workers(
        engine, ("KEMNAKER", "AK1-1"), ("KEMNAKER", "AK1-2"), ("BPJS_KETENAGAKERJAAN", "K1")
    )
    assert k == a2 != a1
