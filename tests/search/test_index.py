"""The index follows the records: re-linking a record replaces its postings."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from hub.search.index import RECORD, TERM, VOCAB, index_records
from hub.search.terms import name_keys
from tests.search._support import Index, person


def test_a_renamed_record_is_found_by_its_new_name_only(index: Index) -> None:
    (worker,) = index.add(person("KEMNAKER", "AK1-9", "Sri Wahyuni", born=date(1990, 1, 1)))
    assert index.ids("Sri Wahyuni") == [worker]
    (worker,) = index.add(person("KEMNAKER", "AK1-9", "Sri Wahyuningsih", born=date(1990, 1, 1)))
    assert index.ids("Sri Wahyuningsih") == [worker]
    assert index.ids("Sri Wahyuni", birth_date=date(1990, 1, 1))[0] == worker  # the new name
    with index.engine.connect() as connection:
        terms = set(connection.scalars(select(TERM.c.term).where(TERM.c.local_id == "AK1-9")).all())
        records = connection.scalar(select(func.count()).select_from(RECORD))
    sri, wahyuningsih = name_keys("Sri Wahyuningsih").given  # spelling keys, as indexed
    assert terms == {sri, wahyuningsih, f"{sri} {wahyuningsih}"}
    assert records == 1


def test_each_word_enters_the_vocabulary_once(index: Index) -> None:
    index.add(person("KEMNAKER", "AK1-1", "Siti Aminah"), person("BPJS", "1", "SITI AMINAH"))
    index.add(person("KEMNAKER", "AK1-2", "Siti Rahayu"))
    with index.engine.connect() as connection:
        words = connection.scalars(select(VOCAB.c.word).order_by(VOCAB.c.word)).all()
    assert words == sorted({*name_keys("Siti Aminah").words, *name_keys("Siti Rahayu").words})


def test_a_page_holding_one_record_twice_keeps_the_last(index: Index) -> None:
    twice = [person("KEMNAKER", "AK1-1", "Dewi Lestari"), person("KEMNAKER", "AK1-1", "Dewi")]
    with index.engine.begin() as connection:
        assert index_records(connection, twice) == 1
    with index.engine.connect() as connection:
        terms = connection.scalars(select(TERM.c.term)).all()
    assert terms == list(name_keys("Dewi").words)
