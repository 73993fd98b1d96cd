"""The request's budget: set once, inherited by tasks, enforced on every upstream call."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from connectors.kit.errors import AgencyTimeout
from hub.resilience import DeadlineMiddleware, ResilientConnector, remaining, request_deadline
from hub.resilience.deadline import DeadlineReached
from tests.resilience.fakes import FakeConnector


def test_no_budget_outside_a_request() -> None:
    assert math.isinf(remaining())


def test_a_nested_budget_can_only_shorten_the_outer_one() -> None:
    with request_deadline(0.5):
        with request_deadline(10):
            assert remaining() <= 0.5
        with request_deadline(0.1):
            assert remaining() <= 0.1
        assert 0.1 < remaining() <= 0.5
    assert math.isinf(remaining())


@pytest.mark.anyio
async def test_tasks_started_inside_the_request_inherit_its_budget() -> None:
    with request_deadline(2.0):
        seen = await asyncio.ensure_future(_remaining())
    assert 1.5 < seen <= 2.0


async def _remaining() -> float:
    return remaining()


@pytest.mark.anyio
async def test_middleware_sets_the_budget_for_graphql_only() -> None:
    async def budget(request: Request) -> JSONResponse:
        left = remaining()
        return JSONResponse({"left": None if math.isinf(left) else left})

    app = Starlette(routes=[Route("/graphql", budget), Route("/healthz", budget)])
    wrapped = DeadlineMiddleware(app, 1.5)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=wrapped), base_url="http://hub.test"
    ) as client:
        assert 1.0 < (await client.get("/graphql")).json()["left"] <= 1.5
        assert (await client.get("/healthz")).json()["left"] is None


@pytest.mark.anyio
async def test_a_hanging_agency_times_out_within_the_budget(
    wrap: Callable[..., ResilientConnector],
) -> None:
    # given an agency that answers after 5 s
    fake = FakeConnector.with_people("A", delay=5.0)
    connector = wrap(fake, reserve=0.02)
    # when the request has 0.3 s
    started = time.perf_counter()
    with request_deadline(0.3), pytest.raises(AgencyTimeout) as raised:
        await connector.fetch(["A"])
    elapsed = time.perf_counter() - started
    # then the call gives up with SOURCE_TIMEOUT when the budget ends (its reserve kept), not
    # when the agency answers, and without retrying (how close to the budget: bench/)
    assert raised.value.code == "SOURCE_TIMEOUT" and raised.value.agency == "FAKE"
    assert 0.25 <= elapsed < 5.0
    assert fake.count("fetch") == 1


@pytest.mark.anyio
async def test_an_exhausted_budget_does_not_call_the_agency(
    wrap: Callable[..., ResilientConnector],
) -> None:
    fake = FakeConnector.with_people("A")
    connector = wrap(fake)
    with request_deadline(0.01), pytest.raises(DeadlineReached):
        await connector.fetch(["A"])
    assert fake.calls == []
    assert connector.breaker.state.value == "closed"  # not the agency's fault


@pytest.mark.anyio
async def test_call_timeout_applies_without_a_request_deadline(
    wrap: Callable[..., ResilientConnector],
) -> None:
    fake = FakeConnector.with_people("A", delay=5.0)
    connector = wrap(fake, call_timeout=0.1, retry_attempts=1)
    started = time.perf_counter()
    with pytest.raises(AgencyTimeout):
        await connector.changes(None)
    assert 0.1 <= time.perf_counter() - started < 5.0  # the call timeout, not the agency
