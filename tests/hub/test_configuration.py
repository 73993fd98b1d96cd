"""docs/deploy.md's table of variables is generated from the code that reads them."""

from __future__ import annotations

from pathlib import Path

from hub.configuration import DOC, END, MEANINGS, START, _reads_in, render, scan, table


def test_every_variable_read_is_described_and_every_description_is_read() -> None:
    # when
    reads = scan()
    # then
    assert sorted(set(reads) - set(MEANINGS)) == [], "describe it in hub/configuration.py MEANINGS"
    assert sorted(set(MEANINGS) - set(reads)) == [], "the code no longer reads it"
    assert {"HUB_DATABASE_URL", "HUB_REDIS_URL", "HUB_OIDC_ISSUER"} <= set(reads)
    assert reads["HUB_MAX_QUERY_DEPTH"].defaults == ("12",)
    assert reads["HUB_REDIS_PREFIX"].where == (
        "hub/login_throttle.py",
        "hub/ratelimit.py",
        "hub/resilience/cache.py",
    )


def test_the_committed_table_is_the_generated_one() -> None:
    # when
    committed = DOC.read_text()
    # then
    assert committed == render(committed, table()), "run: python -m hub.configuration"
    assert committed.count(START) == 1 and committed.count(END) == 1


def test_a_new_read_is_found_with_its_default(tmp_path: Path) -> None:
    # given
    source = tmp_path / "new.py"
    source.write_text(
        "import os\n"
        "A = os.environ.get('HUB_NEW_LIMIT', '7')\n"
        "B = int(os.environ.get('HUB_NEW_NAME') or 'x')\n"
        "KEY = 'HUB_NEW_KEY'\n"
        "MESSAGE = 'HUB_NEW_KEY is required'\n"
    )
    # when
    found = _reads_in(source, "os")
    # then
    assert sorted(found) == [("HUB_NEW_KEY", None), ("HUB_NEW_LIMIT", "7"), ("HUB_NEW_NAME", "x")]
