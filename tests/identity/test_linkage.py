"""Probabilistic linkage, the hard cases of issue #7, on SQLite and on PostgreSQL."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from hub.crosswalk import Linker, link_records
from hub.identity.policy import MatchPolicy
from hub.identity.tables import MatchCandidateRow
from schema.enums import Sex
from tests.identity.conftest import PSEUDO, method_of, person, worker_of

NIK_A = "3506124508900003"  # Kediri, born 5 Aug 1990, woman
NIK_B = "3301014508900001"  # Cilacap, same birth date


def link(engine: Engine, *records, policy: MatchPolicy | None = None) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        Linker(session, PSEUDO, policy or MatchPolicy()).link_many(list(records))
        session.commit()


def queued(engine: Engine) -> list[MatchCandidateRow]:
    with Session(engine) as session:
        return list(session.exec(select(MatchCandidateRow).order_by(MatchCandidateRow.id)))


def test_same_name_and_birth_date_but_different_people_are_never_merged(engine: Engine) -> None:
    # given two women with one name and birth date, told apart by their NIKs
    link(
        engine,
        person("KEMNAKER", "AK1-1", "SITI AMINAH", "1990-08-05", nik=NIK_A),
        person("KEMNAKER", "AK1-2", "SITI AMINAH", "1990-08-05", nik=NIK_B),
    )
    # when an embassy record without NIK or passport names one of them
    link(engine, person("EMBASSY", "HKG-1", "SITI AMINAH", "1990-08-05"))
    # then nothing is merged: both are as close, so the pair waits for an officer
    a, b, e = (
        worker_of(engine, "KEMNAKER", "AK1-1"),
        worker_of(engine, "KEMNAKER", "AK1-2"),
        worker_of(engine, "EMBASSY", "HKG-1"),
    )
    assert len({a, b, e}) == 3
    pending = queued(engine)
    assert {c.worker_id for c in pending} == {a, b}
    assert all(c.ambiguous and c.status == "PENDING" for c in pending)


def test_one_person_with_three_spellings_and_two_passports_is_one_worker(engine: Engine) -> None:
    link(
        engine,
        person("KEMNAKER", "AK1-7", "SITI AMINAH", "1990-08-05", nik=NIK_A),
        person(
            "P2MI", "PMI-7", "Siti Aminah Binti Sahroni", "1990-08-05", nik=NIK_A, passports=("C1",)
        ),
    )
    # the embassy knows her under a new passport, spelled its own way, with no NIK
    link(
        engine,
        person("EMBASSY", "HKG-7", "SITI AMINA BT SAHRONI", "1990-08-05", passports=("C2",)),
        person("EMBASSY", "KUL-7", "SITY AMINAH BINTI SAHRONI", "1990-08-05", passports=("C2",)),
    )
    workers = {
        worker_of(engine, "KEMNAKER", "AK1-7"),
        worker_of(engine, "P2MI", "PMI-7"),
        worker_of(engine, "EMBASSY", "HKG-7"),
        worker_of(engine, "EMBASSY", "KUL-7"),
    }
    assert len(workers) == 1
    method, confidence = method_of(engine, "EMBASSY", "HKG-7")
    assert method == "PROBABILISTIC" and 0.95 <= confidence < 1.0
    assert method_of(engine, "EMBASSY", "KUL-7")[0] == "PASSPORT"


def test_day_and_month_swapped_links_with_the_fathers_name(engine: Engine) -> None:
    link(engine, person("P2MI", "PMI-3", "Dewi Lestari Binti Karno", "1991-03-07", nik=NIK_A))
    link(engine, person("EMBASSY", "SIN-3", "DEWI LESTARI BT KARNO", "1991-07-03"))
    assert worker_of(engine, "EMBASSY", "SIN-3") == worker_of(engine, "P2MI", "PMI-3")
    assert method_of(engine, "EMBASSY", "SIN-3")[0] == "PROBABILISTIC"


def test_swapped_date_without_more_evidence_waits_for_review(engine: Engine) -> None:
    link(engine, person("KEMNAKER", "AK1-4", "DEWI LESTARI", "1991-03-07", nik=NIK_A))
    link(engine, person("EMBASSY", "SIN-4", "DEWI LESTARI", "1991-07-03"))
    assert worker_of(engine, "EMBASSY", "SIN-4") != worker_of(engine, "KEMNAKER", "AK1-4")
    (candidate,) = queued(engine)
    assert candidate.worker_id == worker_of(engine, "KEMNAKER", "AK1-4")
    assert 0.5 <= candidate.confidence < 0.95 and not candidate.ambiguous
    assert '"birthDate": {"level": "SWAPPED"' in candidate.evidence


def test_embassy_record_with_no_nik_links_by_name_and_birth_date(engine: Engine) -> None:
    link(
        engine,
        person("KEMNAKER", "AK1-5", "MUHAMMAD RIZKI", "1995-01-20", sex=Sex.MALE, nik=NIK_B),
    )
    link(engine, person("EMBASSY", "TPE-5", "M. RIZKI BIN KARNO", "1995-01-20", sex=Sex.MALE))
    assert worker_of(engine, "EMBASSY", "TPE-5") == worker_of(engine, "KEMNAKER", "AK1-5")


def test_different_names_and_sexes_stay_apart_and_are_not_queued(engine: Engine) -> None:
    link(engine, person("KEMNAKER", "AK1-6", "SITI AMINAH", "1990-08-05", nik=NIK_A))
    link(
        engine,
        person("EMBASSY", "HKG-6", "DEWI LESTARI", "1990-08-05"),
        person("EMBASSY", "HKG-8", "SITI AMINAH", "1990-08-05", sex=Sex.MALE),
    )
    kemnaker = worker_of(engine, "KEMNAKER", "AK1-6")
    assert worker_of(engine, "EMBASSY", "HKG-6") != kemnaker
    assert worker_of(engine, "EMBASSY", "HKG-8") != kemnaker
    assert all(c.worker_id != kemnaker or c.local_id == "HKG-8" for c in queued(engine))
    assert not [c for c in queued(engine) if c.local_id == "HKG-6"]


def test_a_record_with_another_nik_is_never_matched_by_name(engine: Engine) -> None:
    link(engine, person("KEMNAKER", "AK1-9", "SITI AMINAH", "1990-08-05", nik=NIK_A))
    link(engine, person("EMBASSY", "HKG-9", "SITI AMINAH BT SAHRONI", "1990-08-05", nik=NIK_B))
    assert worker_of(engine, "EMBASSY", "HKG-9") != worker_of(engine, "KEMNAKER", "AK1-9")
    assert not queued(engine)


def test_records_in_one_page_match_each_other(engine: Engine) -> None:
    link(
        engine,
        person("KEMNAKER", "AK1-10", "NUR HAYATI", "1988-11-30", nik=NIK_A),
        person("EMBASSY", "HKG-10", "NURHAYATI BINTI SLAMET", "1988-11-30"),
    )
    assert worker_of(engine, "EMBASSY", "HKG-10") == worker_of(engine, "KEMNAKER", "AK1-10")


def test_a_changed_name_moves_a_probabilistic_link_out(engine: Engine) -> None:
    link(engine, person("KEMNAKER", "AK1-11", "SITI AMINAH", "1990-08-05", nik=NIK_A))
    link(engine, person("EMBASSY", "HKG-11", "SITI AMINAH BT SAHRONI", "1990-08-05"))
    assert worker_of(engine, "EMBASSY", "HKG-11") == worker_of(engine, "KEMNAKER", "AK1-11")
    # the mission corrects the record: it was someone else
    link(engine, person("EMBASSY", "HKG-11", "RINA WULANDARI BT SUGENG", "1990-08-05"))
    assert worker_of(engine, "EMBASSY", "HKG-11") != worker_of(engine, "KEMNAKER", "AK1-11")


def test_a_corrected_nik_moves_a_record_out_of_its_worker(engine: Engine) -> None:
    link_records(
        engine,
        PSEUDO,
        [
            person("KEMNAKER", "AK1-12", "SITI AMINAH", "1990-08-05", nik=NIK_A),
            person("BPJS_KETENAGAKERJAAN", "24000000012", "SITI AMINAH", "1990-08-05", nik=NIK_A),
        ],
    )
    link_records(
        engine,
        PSEUDO,
        [person("BPJS_KETENAGAKERJAAN", "24000000012", "SITI AMINAH", "1990-08-05", nik=NIK_B)],
    )
    assert worker_of(engine, "BPJS_KETENAGAKERJAAN", "24000000012") != worker_of(
        engine, "KEMNAKER", "AK1-12"
    )


def test_thresholds_are_the_policy(engine: Engine) -> None:
    link(engine, person("KEMNAKER", "AK1-13", "SITI AMINAH", "1990-08-05", nik=NIK_A))
    strict = MatchPolicy(upper=0.999999, lower=0.9)
    link(engine, person("EMBASSY", "HKG-13", "SITI AMINAH", "1990-08-05"), policy=strict)
    assert worker_of(engine, "EMBASSY", "HKG-13") != worker_of(engine, "KEMNAKER", "AK1-13")
    assert [c.local_id for c in queued(engine)] == ["HKG-13"]
