"""The demo's first statistics release waits for the hub's first census round.

Started at ``ready`` it raced the census (10,000 people): it read all four agencies instead of
the census (88 s on the probe's machine) and advised ``pmihub census --full``. It now starts
once the census has taken every worker the sync marked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, insert
from sqlalchemy.engine import Engine

import hub.demo
from hub.census.run import PENDING
from hub.demo import Demo, census_settled


def url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_the_census_is_settled_once_no_worker_is_left_marked(engine: Engine) -> None:
    assert census_settled(url(engine))  # nothing marked: nothing to wait for
    with engine.begin() as connection:
        connection.execute(insert(PENDING), [{"worker_id": "wk_" + "0" * 20}])
    assert not census_settled(url(engine))
    with engine.begin() as connection:
        connection.execute(delete(PENDING))
    assert census_settled(url(engine))


def test_the_release_starts_only_after_the_census(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[list[str]] = []

    def popen(args: list[str], **kw: Any) -> Any:
        started.append(args)
        return object()

    monkeypatch.setattr(hub.demo.subprocess, "Popen", popen)
    demo = Demo(tmp_path, 0, {}, hub_env={"HUB_DATABASE_URL": url(engine)})
    demo.statistics_due = float("inf")
    with engine.begin() as connection:
        connection.execute(insert(PENDING), [{"worker_id": "wk_" + "1" * 20}])
    demo.start_statistics()
    assert started == [] and demo.statistics_due is not None
    with engine.begin() as connection:
        connection.execute(delete(PENDING))
    demo.start_statistics()
    assert [a[-2:] for a in started] == [["stats", "run"]] and demo.statistics_due is None
    demo.start_statistics()
    assert len(started) == 1  # once
