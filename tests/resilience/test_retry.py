"""Retries: only transient failures, full-jitter backoff, Retry-After, never past the deadline."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from connectors.kit.errors import (
    AgencyRateLimited,
    AgencyRejected,
    AgencyTimeout,
    AgencyUnavailable,
    BadResponse,
    ConnectorError,
    RecordNotFound,
)
from hub.observability.metrics import HubMetrics
from hub.resilience import ResilientConnector, request_deadline
from tests.resilience.fakes import FakeConnector, Sleeps


def sample(metrics: HubMetrics, name: str, **labels: str) -> float:
    return metrics.registry.get_sample_value(name, labels) or 0.0


@pytest.mark.anyio
@pytest.mark.parametrize(
    "error",
    [
        AgencyUnavailable("FAKE", "HTTP 503"),
        AgencyTimeout("FAKE", "read timeout"),
        AgencyRateLimited("FAKE", "HTTP 429", retry_after=None),
    ],
)
async def test_transient_failures_are_retried_until_success(
    wrap: Callable[..., ResilientConnector], metrics: HubMetrics, error: ConnectorError
) -> None:
    # given an agency failing twice, then answering
    fake = FakeConnector.with_people("A", failures=[error, error])
    connector = wrap(fake, retry_attempts=3)
    # when a worker is fetched
    found = await connector.fetch(["A"])
    # then the third attempt's answer is returned
    assert list(found) == ["A"]
    assert fake.count("fetch") == 3
    assert sample(metrics, "pmihub_upstream_retries_total", agency="FAKE", method="fetch") == 2


@pytest.mark.anyio
async def test_attempts_are_bounded(wrap: Callable[..., ResilientConnector]) -> None:
    fake = FakeConnector.with_people("A", error=AgencyUnavailable("FAKE", "HTTP 503"))
    connector = wrap(fake, retry_attempts=4, breaker_failures=100)
    with pytest.raises(AgencyUnavailable):
        await connector.fetch(["A"])
    assert fake.count("fetch") == 4


@pytest.mark.anyio
@pytest.mark.parametrize(
    "error",
    [
        AgencyRejected("FAKE", "HTTP 403"),
        BadResponse("FAKE", "not JSON"),
        RecordNotFound("FAKE", "no such record"),
    ],
)
async def test_permanent_failures_are_not_retried(
    wrap: Callable[..., ResilientConnector], error: ConnectorError
) -> None:
    fake = FakeConnector.with_people("A", error=error)
    connector = wrap(fake, retry_attempts=5)
    with pytest.raises(type(error)) as raised:
        await connector.fetch(["A"])
    assert raised.value is error
    assert fake.count("fetch") == 1


@pytest.mark.anyio
async def test_backoff_is_full_jitter_below_the_exponential_cap(
    wrap: Callable[..., ResilientConnector], sleeps: Sleeps
) -> None:
    fake = FakeConnector.with_people("A", error=AgencyUnavailable("FAKE", "HTTP 503"))
    connector = wrap(
        fake, retry_attempts=5, retry_base=0.1, retry_max_wait=0.25, breaker_failures=100
    )
    for _ in range(20):
        with pytest.raises(AgencyUnavailable):
            await connector.fetch(["A"])
    # sleeps after attempts 1..4 lie in [0, min(0.25, 0.1 * 2 ** n)]
    by_position = [sleeps.delays[i::4] for i in range(4)]
    for n, delays in enumerate(by_position):
        assert all(0 <= d <= min(0.25, 0.1 * 2**n) for d in delays), (n, delays)
    assert len(set(sleeps.delays)) > 10  # jittered, not a fixed schedule


@pytest.mark.anyio
async def test_retry_after_is_honoured(
    wrap: Callable[..., ResilientConnector], sleeps: Sleeps
) -> None:
    # given an agency answering 429 with Retry-After 1.5 s, then the data
    limited = AgencyRateLimited("FAKE", "HTTP 429", retry_after=1.5)
    fake = FakeConnector.with_people("A", failures=[limited])
    connector = wrap(fake)
    # when fetched inside a 5 s budget
    with request_deadline(5.0):
        found = await connector.fetch(["A"])
    # then the retry waited at least what the agency asked, and succeeded
    assert list(found) == ["A"]
    assert sleeps.delays[0] >= 1.5
    assert fake.count("fetch") == 2


@pytest.mark.anyio
async def test_never_sleeps_past_the_deadline(
    wrap: Callable[..., ResilientConnector], sleeps: Sleeps
) -> None:
    # given an agency asking for 30 s of patience
    limited = AgencyRateLimited("FAKE", "HTTP 429", retry_after=30)
    fake = FakeConnector.with_people("A", error=limited)
    connector = wrap(fake)
    # when the request has 0.5 s
    with request_deadline(0.5), pytest.raises(AgencyRateLimited):
        await connector.fetch(["A"])
    # then it gives up at once, after one call: it does not even sleep out the rest of the budget
    assert sleeps.delays == []
    assert fake.count("fetch") == 1


@pytest.mark.anyio
async def test_retry_after_holds_back_the_next_calls_too(
    wrap: Callable[..., ResilientConnector], metrics: HubMetrics
) -> None:
    # given a 429 with Retry-After 30 s
    limited = AgencyRateLimited("FAKE", "HTTP 429", retry_after=30)
    fake = FakeConnector.with_people("A", "B", failures=[limited])
    connector = wrap(fake)
    with request_deadline(1.0), pytest.raises(AgencyRateLimited):
        await connector.fetch(["A"])
    # when another worker is asked for before the 30 s are over
    with request_deadline(1.0), pytest.raises(AgencyRateLimited) as raised:
        await connector.fetch(["B"])
    # then the agency is not asked again: the storm is not fed
    assert fake.count("fetch") == 1
    assert raised.value.retry_after is not None and raised.value.retry_after > 29
    assert sample(metrics, "pmihub_upstream_shed_total", agency="FAKE", reason="rate_limit") >= 1


@pytest.mark.anyio
async def test_retries_stop_when_the_budget_cannot_hold_another_attempt(
    wrap: Callable[..., ResilientConnector],
) -> None:
    # given an agency that takes 0.15 s to fail, and up to 10 attempts
    fake = FakeConnector.with_people("A", error=AgencyUnavailable("FAKE", "HTTP 503"), delay=0.15)
    connector = wrap(fake, retry_attempts=10, sleep=None, breaker_failures=100)
    with request_deadline(0.4), pytest.raises(AgencyUnavailable):
        await connector.fetch(["A"])
    # then the attempts fit the budget: no attempt starts that 0.15 s would carry past it
    assert 1 <= fake.count("fetch") <= 3
