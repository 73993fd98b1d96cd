"""docs/auth.md's scope table says what the code does."""

from __future__ import annotations

from pathlib import Path

from auth.demo import AGENCY_CLIENTS, CONSOLE_SCOPES, OFFICER_SCOPES
from auth.scopes import SCOPES, Scope

DOC = Path(__file__).parents[2] / "docs" / "auth.md"


def table() -> tuple[list[str], dict[str, list[str]]]:
    lines = [line for line in DOC.read_text().splitlines() if line.startswith("| `")]
    header = next(line for line in DOC.read_text().splitlines() if line.startswith("| scope |"))
    columns = [c.strip() for c in header.strip("|").split("|")]
    rows = {}
    for line in lines:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == len(columns):
            rows[cells[0].strip("`")] = cells
    return columns, rows


def test_every_scope_is_in_the_table_with_what_it_unlocks() -> None:
    _, rows = table()
    assert set(rows) == {str(s) for s in Scope}
    for scope, info in SCOPES.items():
        assert rows[scope][1] == ", ".join(info.unlocks)
        assert info.text_id in rows[scope][2] and info.text_en in rows[scope][2]


def test_the_table_shows_which_demo_client_holds_which_scope() -> None:
    columns, rows = table()
    holders: dict[str, frozenset[str]] = {c: s for c, (_, _, s) in AGENCY_CLIENTS.items()}
    holders |= {
        "console-frontend": CONSOLE_SCOPES,
        "petugas.kbri": OFFICER_SCOPES,
        "pekerja.demo": frozenset({"self"}),
    }
    assert columns[3:] == list(holders)
    for scope, cells in rows.items():
        marked = {holder for holder, cell in zip(columns[3:], cells[3:], strict=True) if cell}
        assert marked == {h for h, held in holders.items() if scope in held}, scope
