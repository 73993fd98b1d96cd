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


def _rows(connection) -> dict[str, list[tuple[object, ...]]]:  # type: ignore[no-untyped-def]
    return {
        table.name: sorted(tuple(row) for row in connection.execute(select(table)))
        for table in (RECORD, TERM, VOCAB)
    }


def test_replacing_rows_stores_what_a_first_indexing_stores(index: Index) -> None:
    """A first indexing skips the DELETE and a replacement runs it: both store the same rows,
    on a page mixing records indexed before with new ones, across two agencies."""
    born = date(1990, 5, 17)
    final = [
        person("KEMNAKER", "AK1-1", "Siti Aminah binti Sahroni", born=born, countries=("hk",)),
        person("KEMNAKER", "AK1-2", "Hj. Dewi Lestari", countries=("TW", "hk", "")),
        person("BPJS", "11111111111", "SITI AMINAH BT SAHRONI", born=born),
        person("BPJS", "22222222222", "Muhammad Rizki"),
    ]
    with index.engine.begin() as connection:
        index_records(connection, final)
        first = _rows(connection)
        connection.execute(TERM.delete())
        connection.execute(RECORD.delete())
        earlier = [
            person("KEMNAKER", "AK1-1", "Siti Rahayu"),
            person("BPJS", "22222222222", "Mochammad Rizky Pratama", countries=("SG",)),
        ]
        assert index_records(connection, earlier) == 2
        assert index_records(connection, final) == 4  # two replaced, two new
        replaced = _rows(connection)
    vocab = replaced.pop("search_vocab")
    assert replaced == {k: v for k, v in first.items() if k != "search_vocab"}
    assert len(first["search_term"]) > len(final)  # words and pairs, not one row a record
    assert {w for (w,) in vocab} >= {w for (w,) in first["search_vocab"]}  # words stay


def test_the_name_cache_gives_each_record_its_own_rows(index: Index) -> None:
    """Two records of one written name share the cached keys, never each other's ids."""
    same = [person("KEMNAKER", f"AK1-{i}", "Nur Hayati") for i in range(3)]
    with index.engine.begin() as connection:
        index_records(connection, same)
        rows = _rows(connection)
    keys = name_keys("Nur Hayati")
    terms = sorted({*keys.words, " ".join(keys.given)})
    assert rows["search_term"] == sorted(
        (t, 2, "KEMNAKER", f"AK1-{i}") for t in terms for i in range(3)
    )
    assert [r[:4] for r in rows["search_record"]] == [
        ("KEMNAKER", f"AK1-{i}", " ".join(keys.given), "") for i in range(3)
    ]
