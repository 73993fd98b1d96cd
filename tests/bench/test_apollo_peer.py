"""The Apollo peer of bench/apollo.py starts (npm packages, five subgraphs, the gateway) and
answers one worker's full view as the hub does. Without Node.js and npm the test skips locally
and fails under CI=true."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import httpx
import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from bench.apollo import comparable, differences
from bench.peer.stack import PeerUnavailable, install, peer_stack
from hub.crosswalk import AgencyRecordRow
from hub.demo_text import EXAMPLE_QUERY
from hub.storage import make_engine
from schema.scenario import Scenario
from tests.e2e.stack import running_stack

pytestmark = pytest.mark.e2e


def _known_to_all(database_url: str) -> str:
    engine = make_engine(database_url)
    with Session(engine) as session:
        worker_id = session.exec(
            select(AgencyRecordRow.worker_id)
            .group_by(col(AgencyRecordRow.worker_id))
            .having(func.count(func.distinct(col(AgencyRecordRow.agency))) == 4)
            .order_by(col(AgencyRecordRow.worker_id))
        ).first()
    engine.dispose()
    assert worker_id is not None
    return worker_id


def _unavailable(exc: PeerUnavailable) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"the Apollo peer must run in CI: {exc}")
    pytest.skip(str(exc))


def test_the_peer_answers_a_full_view_as_the_hub_does(
    small_scenario: Scenario, tmp_path: Path
) -> None:
    try:
        install()  # before the stack: without npm there is nothing to start it for
    except PeerUnavailable as exc:
        _unavailable(exc)
    with running_stack(small_scenario, tmp_path) as stack:
        worker_id = _known_to_all(stack.environ["HUB_DATABASE_URL"])
        hub = stack.graphql(EXAMPLE_QUERY, {"id": worker_id}).json()
        try:
            with peer_stack(stack.environ, timeout=60) as peer:
                payload = {"query": EXAMPLE_QUERY, "variables": {"id": worker_id}}
                answer = httpx.post(peer.url, json=payload, timeout=30).json()
                unknown = {"query": EXAMPLE_QUERY, "variables": {"id": "wk_nobody"}}
                nobody = httpx.post(peer.url, json=unknown, timeout=30).json()
        except PeerUnavailable as exc:
            _unavailable(exc)
    assert "errors" not in hub and "errors" not in answer, (hub, answer)
    worker = answer["data"]["worker"]
    assert worker["identity"]["fullName"] and worker["placements"] and worker["socialSecurity"]
    assert {s["agency"] for s in worker["sources"]} == {
        "KEMNAKER",
        "P2MI",
        "BPJS_KETENAGAKERJAAN",
        "EMBASSY",
    }
    assert comparable(answer) == comparable(hub), differences(hub["data"], answer["data"])
    assert nobody == {"data": {"worker": None}}
