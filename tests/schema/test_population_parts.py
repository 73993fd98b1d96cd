"""The generator's building blocks: weighted choice, calendar, spellings, identifiers."""

from __future__ import annotations

import random
from datetime import date

import pytest

from schema.population._ids import Ids
from schema.population._names import _join_or_split, make_name, spell, typo
from schema.population._tables import Calendar, Weighted


def test_weighted_pick_follows_the_weights() -> None:
    table = Weighted((("a", 1), ("b", 3)))
    assert table.pick(0.0) == "a"
    assert table.pick(0.26) == "b"
    assert table.shares() == {"a": 0.25, "b": 0.75}
    with pytest.raises(ValueError):
        Weighted((("a", -1),))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 3, 1), 24, date(2026, 3, 1)),
        (date(2026, 11, 24), -5, date(2026, 6, 24)),
        (date(2020, 12, 15), 1, date(2021, 1, 15)),
    ],
)
def test_calendar_adds_months_clamping_to_the_month_end(
    day: date, months: int, expected: date
) -> None:
    calendar = Calendar(date(2000, 1, 1), date(2030, 12, 31))
    result = calendar.add_months(day.toordinal(), months)
    assert result == expected.toordinal()
    assert calendar.text(result) == expected.isoformat()
    assert calendar.year(result) == expected.year


def test_names_join_and_split() -> None:
    joined = ["Nur", "Hayati"]
    assert _join_or_split(joined) and joined == ["Nurhayati"]
    split = ["Siti", "Nurhayati"]
    assert _join_or_split(split) and split == ["Siti", "Nur", "Hayati"]
    untouched = ["Budi", "Santoso"]
    assert not _join_or_split(untouched) and untouched == ["Budi", "Santoso"]


@pytest.mark.parametrize("seed", range(20))
def test_a_typo_is_a_small_edit(seed: int) -> None:
    rng = random.Random(seed)
    changed = typo("Wahyuningsih", rng.random(), rng.random())
    assert changed != "Wahyuningsih"
    assert abs(len(changed) - len("Wahyuningsih")) <= 1
    assert changed[0] == "W"


def test_agencies_write_names_in_their_own_case_and_with_binti() -> None:
    rng = random.Random(5)
    tokens = ("Siti", "Aminah")
    styles = {
        style: {spell(tokens, "Sahroni", True, True, style, rng.random) for _ in range(300)}
        for style in ("KEMNAKER", "P2MI", "BPJS", "EMBASSY")
    }
    assert all(name.isupper() for s in ("KEMNAKER", "BPJS", "EMBASSY") for name in styles[s])
    assert "Siti Aminah Binti Sahroni" in styles["P2MI"]
    assert {"SITI AMINAH BT SAHRONI", "SITI AMINAH BINTI SAHRONI"} <= styles["EMBASSY"]
    assert not any("BINTI" in n for n in styles["BPJS"] | styles["KEMNAKER"])
    christian = {
        spell(("Maria", "Seran"), "Yohanes Seran", False, True, "P2MI", rng.random)
        for _ in range(200)
    }
    assert not any("Binti" in n for n in christian)


@pytest.mark.parametrize(
    "culture", ["JAVA", "SUNDA", "SASAK", "BALI", "NTT", "BATAK", "BUGIS_MALAY"]
)
def test_every_culture_makes_names_for_both_sexes(culture: str) -> None:
    rng = random.Random(1)
    for female in (True, False):
        name = make_name(culture, female, rng.random)
        assert name and all(token[0].isupper() for token in name)
    assert make_name("BALI", True, rng.random)[0] == "Ni"


def test_passport_and_kpj_numbers_never_repeat() -> None:
    ids = Ids()
    passports = [ids.passport("A") for _ in range(50_000)]
    kpjs = [ids.kpj(2024) for _ in range(50_000)]
    assert len(set(passports)) == len(passports)
    assert len(set(kpjs)) == len(kpjs)
    assert all(len(k) == 11 and k.startswith("24") for k in kpjs)
    assert ids.seq("PL", 2024) == 1 and ids.seq("PL", 2024) == 2 and ids.seq("PL", 2025) == 1
