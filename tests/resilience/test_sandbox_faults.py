"""The resilience layer against the real P2MI sandbox, its faults driven by /_sandbox/faults:
down, slower than the deadline, 50% errors, garbage, a 429 storm."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.types import Receive, Scope, Send

from connectors.kit.errors import AgencyRateLimited, AgencyTimeout, AgencyUnavailable, BadResponse
from connectors.p2mi import connect
from connectors.p2mi.sandbox import create_app
from connectors.sandbox.app import SandboxConfig
from connectors.sandbox.data import SandboxData
from hub.resilience import BreakerState, CircuitOpen, ResilientConnector, request_deadline
from schema.scenario import Scenario

API_KEY = "test-p2mi-key"
BASE_URL = "http://siskop2mi.test"
SITI = "PMI-3506-2024-0001234"  # the small scenario's worker known to all four agencies


class Counted:
    """The sandbox, counting every agency call it receives, faulted ones included (its own
    /_sandbox/stats counts only the calls that pass fault injection)."""

    def __init__(self, app: Starlette) -> None:
        self.app = app
        self.calls = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith("/_sandbox/"):
            self.calls += 1
        await self.app(scope, receive, send)


@pytest.fixture
def sandbox(small_scenario: Scenario) -> Counted:
    config = SandboxConfig(credentials={"api_key": API_KEY})
    return Counted(create_app(SandboxData(small_scenario), config))


@pytest.fixture
async def control(sandbox: Counted) -> AsyncIterator[Callable[..., Any]]:
    """``await control(down=True)`` sets faults; ``control.calls()`` counts agency calls."""
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=sandbox), base_url=BASE_URL)

    class Control:
        async def __call__(self, **settings: Any) -> None:
            (await client.post("/_sandbox/faults", json=settings)).raise_for_status()

        async def calls(self) -> int:
            return sandbox.calls

    yield Control()
    await client.aclose()


@pytest.fixture
async def p2mi(
    sandbox: Counted, wrap: Callable[..., ResilientConnector]
) -> AsyncIterator[Callable[..., ResilientConnector]]:
    """A resilient P2MI connector over the sandbox, policy overrides as keywords."""
    made: list[ResilientConnector] = []

    def make(**policy: Any) -> ResilientConnector:
        inner = connect(BASE_URL, {"api_key": API_KEY}, transport=httpx.ASGITransport(sandbox))
        made.append(wrap(inner, sleep=None, **policy))
        return made[-1]

    yield make
    for connector in made:
        await connector.aclose()


@pytest.mark.anyio
async def test_down_opens_the_breaker_sheds_load_and_recovers(
    p2mi: Callable[..., ResilientConnector], control: Any
) -> None:
    connector = p2mi(breaker_failures=2, breaker_recovery=0.3, cache_ttl=0, cache_stale=0)
    # given the agency is down (503 on every call)
    await control(down=True)
    for _ in range(2):
        with request_deadline(1.0), pytest.raises(AgencyUnavailable) as raised:
            await connector.fetch([SITI])
        assert raised.value.code == "SOURCE_UNAVAILABLE"
    assert connector.breaker.state is BreakerState.OPEN
    asked = await control.calls()
    # when more requests come, they are refused at once and the agency is not asked
    for _ in range(10):
        with pytest.raises(CircuitOpen):
            await connector.fetch([SITI])
    assert await control.calls() == asked
    # when the agency is back and the recovery time has passed: one trial closes the breaker
    await control(down=False)
    await asyncio.sleep(0.35)
    assert connector.breaker.state is BreakerState.HALF_OPEN
    found = await connector.fetch([SITI])
    assert found[SITI].person.local_id == SITI
    assert connector.breaker.state is BreakerState.CLOSED


@pytest.mark.anyio
async def test_slower_than_the_deadline_times_out_in_budget_and_serves_stale(
    p2mi: Callable[..., ResilientConnector], control: Any
) -> None:
    connector = p2mi(cache_ttl=0)  # every entry is stale at once: a fallback only
    fresh = await connector.fetch([SITI])
    # given the agency now answers after 3 s
    await control(latencyMs=3000)
    # when a request with a 0.4 s budget asks
    started = time.perf_counter()
    with request_deadline(0.4):
        served = await connector.fetch([SITI])
    elapsed = time.perf_counter() - started
    # then the cached answer comes back when the budget ends, not when the agency answers
    # (how close to the budget: bench/), labelled stale
    assert elapsed < 3.0
    assert served[SITI].person.provenance.stale
    assert all(p.provenance.stale for p in served[SITI].placements)
    assert served[SITI].person.name == fresh[SITI].person.name
    # and a worker never cached gets SOURCE_TIMEOUT, still within the budget
    started = time.perf_counter()
    with request_deadline(0.4), pytest.raises(AgencyTimeout) as raised:
        await connector.fetch(["PMI-3506-2024-0009999"])
    assert raised.value.code == "SOURCE_TIMEOUT"
    assert time.perf_counter() - started < 3.0


@pytest.mark.anyio
async def test_half_the_calls_failing_is_absorbed_by_retries(
    p2mi: Callable[..., ResilientConnector], control: Any
) -> None:
    connector = p2mi(retry_attempts=6, cache_ttl=0, cache_stale=0)
    await control(errorRate=0.5)
    answered = 0
    for _ in range(40):
        try:
            with request_deadline(2.0):
                answered += SITI in await connector.fetch([SITI])
        except AgencyUnavailable:
            pass
    # one failure in 64 calls survives six attempts; without retries it would be one in two
    assert answered >= 35
    assert await control.calls() > 50  # the retries really happened
    assert connector.breaker.state is BreakerState.CLOSED


@pytest.mark.anyio
async def test_garbage_is_a_typed_error_never_retried_and_falls_back_to_stale(
    p2mi: Callable[..., ResilientConnector], control: Any
) -> None:
    connector = p2mi(cache_ttl=0, breaker_failures=3)
    await connector.fetch([SITI])
    await control(garbage=True)
    before = await control.calls()
    # the cached worker is served stale
    with request_deadline(1.0):
        served = await connector.fetch([SITI])
    assert served[SITI].person.provenance.stale
    # another worker gets SOURCE_BAD_RESPONSE after a single call
    with request_deadline(1.0), pytest.raises(BadResponse) as raised:
        await connector.fetch(["PMI-3506-2024-0009999"])
    assert raised.value.code == "SOURCE_BAD_RESPONSE"
    assert await control.calls() == before + 2
    # and a third garbage answer opens the breaker
    with pytest.raises(BadResponse):
        await connector.fetch(["PMI-3506-2024-0009998"])
    assert connector.breaker.state is BreakerState.OPEN


@pytest.mark.anyio
async def test_a_429_storm_is_waited_out_within_the_budget_and_not_fed(
    p2mi: Callable[..., ResilientConnector], control: Any
) -> None:
    connector = p2mi(cache_ttl=0, cache_stale=0)
    # given the agency allows one call per second
    await control(rateLimitPerSecond=1, rateLimitBurst=1)
    await connector.fetch([SITI])
    # when a request with 0.5 s left is limited (Retry-After: 1), it fails fast, typed
    started = time.perf_counter()
    with request_deadline(0.5), pytest.raises(AgencyRateLimited) as raised:
        await connector.fetch([SITI])
    assert time.perf_counter() - started < 1.0  # it did not sleep out the Retry-After
    assert raised.value.code == "SOURCE_UNAVAILABLE" and raised.value.retry_after
    # and the next requests inside the Retry-After window do not reach the agency
    asked = await control.calls()
    for _ in range(5):
        with request_deadline(0.3), pytest.raises(AgencyRateLimited):
            await connector.fetch([SITI])
    assert await control.calls() == asked
    # when a request has budget enough, it waits out Retry-After and gets the data
    with request_deadline(3.0):
        found = await connector.fetch([SITI])
    assert SITI in found
    assert connector.breaker.state is BreakerState.CLOSED
