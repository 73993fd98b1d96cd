"""Bad input is refused with a typed, bilingual reason; cursors are keyset and tamper-proof."""

from __future__ import annotations

from datetime import date

import pytest

from hub.search import Hit, SearchInputError, check_first, parse_query
from hub.search.cursor import decode_cursor, encode_cursor, page_after

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("query", "kw", "argument"),
    [
        ("", {}, "query"),
        ("   a  ", {}, "query"),
        ("x" * 101, {}, "query"),
        ("!!! ???", {}, "query"),
        ("siti 123", {}, "query"),
        ("12 34 56 !", {}, "query"),
        ("Siti", {"birth_date": date(2027, 1, 1)}, "birthDate"),
        ("Siti", {"birth_date": date(1850, 1, 1)}, "birthDate"),
        ("Siti", {"country": "Hong Kong"}, "country"),
        ("Siti", {"country": "H1"}, "country"),
    ],
)
def test_bad_input_names_the_argument_in_both_languages(
    query: str, kw: dict[str, object], argument: str
) -> None:
    with pytest.raises(SearchInputError) as caught:
        parse_query(query, today=TODAY, **kw)  # type: ignore[arg-type]
    assert caught.value.argument == argument
    assert caught.value.text_id and caught.value.text_en
    assert caught.value.text_id != caught.value.text_en


@pytest.mark.parametrize("first", [0, -1, 101])
def test_first_is_bounded(first: int) -> None:
    with pytest.raises(SearchInputError) as caught:
        check_first(first)
    assert caught.value.argument == "first"


def test_identifier_or_name() -> None:
    assert parse_query("3506124508900003", today=TODAY).identifiers[0] == (
        "nik",
        "3506124508900003",
    )
    assert ("kpj", "24001234567") in parse_query("24001234567", today=TODAY).identifiers
    assert ("passport", "C1234567") in parse_query("c1234567", today=TODAY).identifiers
    named = parse_query("  SITI   Aminah ", today=TODAY)
    assert named.identifiers == () and named.name is not None and named.text == "SITI Aminah"
    assert parse_query("Siti", country=" hk", today=TODAY).country == "HK"


HITS = [Hit("wk_a", 1.0), Hit("wk_c", 1.0), Hit("wk_b", 0.9), Hit("wk_d", 0.8), Hit("wk_e", 0.8)]


def test_pages_follow_each_other_without_duplicates() -> None:
    query = parse_query("Siti Aminah", today=TODAY)
    seen: list[str] = []
    position = None
    while True:
        page, more = page_after(HITS, position, 2)
        seen.extend(h.worker_id for h in page)
        if not more:
            break
        position = decode_cursor(encode_cursor(query, page[-1]), query)
    assert seen == [h.worker_id for h in HITS]


@pytest.mark.parametrize("cursor", ["", "not-a-cursor", "eyJ2IjoxfQ", "%%%", "e30"])
def test_a_malformed_cursor_is_refused(cursor: str) -> None:
    with pytest.raises(SearchInputError) as caught:
        decode_cursor(cursor, parse_query("Siti", today=TODAY))
    assert caught.value.argument == "after"


def test_a_cursor_of_another_search_is_refused() -> None:
    cursor = encode_cursor(parse_query("Siti", today=TODAY), HITS[0])
    with pytest.raises(SearchInputError, match="another search"):
        decode_cursor(cursor, parse_query("Siti", country="HK", today=TODAY))
