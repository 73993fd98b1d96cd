"""The country of the mission as match evidence (issue #17): two namesakes, one embassy record
with no NIK and only a passport issued abroad."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from hub.identity.scoring import COUNTRY_WEIGHTS, LINK_MARGIN
from tests.identity.conftest import person, worker_of
from tests.identity.test_linkage import NIK_A, NIK_B, link, queued

NAME, BORN = "SITI NURHALIZA", "1990-08-05"


def namesakes(engine: Engine, a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, str]:
    """Two women of one name and birth date, each with a SISKOP2MI placement record."""
    link(
        engine,
        person("P2MI", "PMI-A", NAME, BORN, nik=NIK_A, passports=("C1111111",), countries=a),
        person("P2MI", "PMI-B", NAME, BORN, nik=NIK_B, passports=("C2222222",), countries=b),
    )
    first, second = worker_of(engine, "P2MI", "PMI-A"), worker_of(engine, "P2MI", "PMI-B")
    assert first is not None and second is not None and first != second
    return first, second


def embassy_record(local_id: str = "HKG-WNI-1", nik: str | None = None):  # type: ignore[no-untyped-def]
    # a passport issued by the mission abroad, unknown to SISKOP2MI
    return person(
        "EMBASSY", local_id, NAME, BORN, nik=nik, passports=("X9999999",), countries=("HK",)
    )


def test_the_mission_country_links_the_namesake_placed_there(engine: Engine) -> None:
    # given one namesake placed in Hong Kong, the other in Taiwan
    in_hk, in_tw = namesakes(engine, ("HK",), ("TW",))
    # when KJRI Hong Kong's record, with no NIK, arrives
    link(engine, embassy_record())
    # then it joins the one placed in Hong Kong, and nothing waits for review
    assert worker_of(engine, "EMBASSY", "HKG-WNI-1") == in_hk != in_tw
    assert queued(engine) == []


def test_both_namesakes_in_that_country_still_wait_for_an_officer(engine: Engine) -> None:
    first, second = namesakes(engine, ("HK",), ("HK", "SG"))
    link(engine, embassy_record())
    assert worker_of(engine, "EMBASSY", "HKG-WNI-1") not in (first, second)
    pending = queued(engine)
    assert {c.worker_id for c in pending} == {first, second}
    assert all(c.ambiguous for c in pending)


def test_neither_in_that_country_waits_too(engine: Engine) -> None:
    first, second = namesakes(engine, ("TW",), ("MY",))
    link(engine, embassy_record())
    assert {c.worker_id for c in queued(engine)} == {first, second}


def test_the_country_never_overrides_a_nik(engine: Engine) -> None:
    # given the Hong Kong namesake's NIK differs from the one the embassy record holds
    in_hk, in_tw = namesakes(engine, ("HK",), ("TW",))
    link(engine, embassy_record(nik=NIK_B))
    # then the record goes with its NIK (the Taiwan namesake), not with the country
    assert worker_of(engine, "EMBASSY", "HKG-WNI-1") == in_tw != in_hk


def test_the_weights_separate_two_namesakes_by_more_than_the_margin() -> None:
    assert COUNTRY_WEIGHTS["AGREE"] - COUNTRY_WEIGHTS["DISAGREE"] > LINK_MARGIN
    assert COUNTRY_WEIGHTS["AGREE"] < LINK_MARGIN  # agreement alone never outweighs a tie
