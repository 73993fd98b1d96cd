"""ResilientConnector over a fake agency: breaker, bulkhead, coalescing, cache, stale-if-error."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from connectors.kit.base import Connector, LicenseRegistry, LookupKey
from connectors.kit.errors import AgencyRejected, AgencyUnavailable, BadResponse
from hub.observability.metrics import HubMetrics
from hub.resilience import (
    BreakerState,
    CircuitOpen,
    ResilientConnector,
    agency_status,
    request_deadline,
    wrap_connectors,
)
from hub.resilience.cache import MemoryCache
from tests.resilience.fakes import FakeConnector, FakeRegistry, record_set


def sample(metrics: HubMetrics, name: str, **labels: str) -> float:
    return metrics.registry.get_sample_value(name, labels) or 0.0


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_is_a_connector_and_a_registry_only_when_the_inner_one_is(
    wrap: Callable[..., ResilientConnector],
) -> None:
    plain, registry = wrap(FakeConnector()), wrap(FakeRegistry())
    assert isinstance(plain, Connector) and isinstance(registry, Connector)
    assert not isinstance(plain, LicenseRegistry)
    assert isinstance(registry, LicenseRegistry)
    assert (plain.agency, plain.system, plain.batch_size) == ("FAKE", "FAKESYS", 100)


@pytest.mark.anyio
async def test_breaker_opens_sheds_load_and_recovers_through_half_open(
    wrap: Callable[..., ResilientConnector], metrics: HubMetrics
) -> None:
    # given an agency that is down, behind a breaker of 3 failures and 0.2 s recovery
    fake = FakeConnector.with_people("A", error=AgencyUnavailable("FAKE", "HTTP 503"))
    connector = wrap(fake, retry_attempts=1, breaker_failures=3, breaker_recovery=0.2)
    for _ in range(3):
        with pytest.raises(AgencyUnavailable):
            await connector.fetch(["A"])
    assert connector.breaker.state is BreakerState.OPEN
    # when more calls come while it is open
    for _ in range(5):
        with pytest.raises(CircuitOpen):
            await connector.fetch(["A"])
    # then the agency is not asked
    assert fake.count("fetch") == 3
    assert sample(metrics, "pmihub_upstream_shed_total", agency="FAKE", reason="breaker") == 5
    assert sample(metrics, "pmihub_breaker_state", agency="FAKE") == 2
    assert agency_status(connector).breaker_open  # type: ignore[union-attr]
    # when the agency is back and the recovery time has passed
    fake.error = None
    await asyncio.sleep(0.25)
    assert connector.breaker.state is BreakerState.HALF_OPEN
    found = await connector.fetch(["A"])
    # then the trial call goes through and closes the breaker
    assert list(found) == ["A"]
    assert connector.breaker.state is BreakerState.CLOSED
    assert sample(metrics, "pmihub_breaker_state", agency="FAKE") == 0


@pytest.mark.anyio
async def test_a_failing_trial_reopens_the_breaker(
    wrap: Callable[..., ResilientConnector],
) -> None:
    fake = FakeConnector.with_people("A", error=BadResponse("FAKE", "garbage"))
    connector = wrap(fake, breaker_failures=2, breaker_recovery=0.1)
    for _ in range(2):
        with pytest.raises(BadResponse):
            await connector.fetch(["A"])
    await asyncio.sleep(0.15)
    with pytest.raises(BadResponse):
        await connector.fetch(["A"])
    assert connector.breaker.state is BreakerState.OPEN


@pytest.mark.anyio
async def test_rejections_and_answers_keep_the_breaker_closed(
    wrap: Callable[..., ResilientConnector],
) -> None:
    fake = FakeConnector.with_people("A", error=AgencyRejected("FAKE", "HTTP 401"))
    connector = wrap(fake, breaker_failures=2, cache_ttl=0, cache_stale=0)
    for _ in range(4):
        with pytest.raises(AgencyRejected):
            await connector.fetch(["A"])
    assert connector.breaker.state is BreakerState.CLOSED


@pytest.mark.anyio
async def test_bulkhead_limits_concurrent_calls(wrap: Callable[..., ResilientConnector]) -> None:
    # given a slow agency and a bulkhead of 3
    fake = FakeConnector.with_people(*[f"P{i}" for i in range(10)], delay=0.05)
    connector = wrap(fake, max_concurrent=3)
    # when ten different workers are fetched at once
    with request_deadline(2.0):
        results = await asyncio.gather(*(connector.fetch([f"P{i}"]) for i in range(10)))
    # then all are answered, never more than three upstream calls at a time
    assert all(len(r) == 1 for r in results)
    assert fake.max_active == 3


@pytest.mark.anyio
async def test_a_full_bulkhead_gives_up_at_the_deadline_without_calling(
    wrap: Callable[..., ResilientConnector], metrics: HubMetrics
) -> None:
    fake = FakeConnector.with_people("A", "B", delay=1.0)
    connector = wrap(fake, max_concurrent=1)
    with request_deadline(0.2):
        results = await asyncio.gather(
            connector.fetch(["A"]), connector.fetch(["B"]), return_exceptions=True
        )
    assert all(isinstance(r, AgencyUnavailable) for r in results)
    assert fake.count("fetch") == 1
    assert sample(metrics, "pmihub_upstream_shed_total", agency="FAKE", reason="bulkhead") == 1


@pytest.mark.anyio
async def test_identical_lookups_in_flight_share_one_upstream_call(
    wrap: Callable[..., ResilientConnector], metrics: HubMetrics
) -> None:
    fake = FakeConnector.with_people("A", "B", delay=0.05)
    connector = wrap(fake)
    results = await asyncio.gather(*(connector.fetch(["A", "B"]) for _ in range(20)))
    assert fake.count("fetch") == 1
    assert all(r == results[0] and set(r) == {"A", "B"} for r in results)
    assert sample(metrics, "pmihub_upstream_coalesced_total", agency="FAKE", method="fetch") == 19


@pytest.mark.anyio
async def test_a_caller_giving_up_does_not_cancel_the_shared_call(
    wrap: Callable[..., ResilientConnector],
) -> None:
    fake = FakeConnector.with_people("A", delay=0.1)
    connector = wrap(fake)
    impatient = asyncio.ensure_future(connector.fetch(["A"]))
    await asyncio.sleep(0.01)
    patient = asyncio.ensure_future(connector.fetch(["A"]))
    await asyncio.sleep(0.01)
    impatient.cancel()
    assert list(await patient) == ["A"]
    assert fake.count("fetch") == 1


@pytest.mark.anyio
async def test_a_fresh_cache_entry_avoids_the_upstream_call(
    wrap: Callable[..., ResilientConnector], metrics: HubMetrics
) -> None:
    fake = FakeConnector.with_people("A", "B")
    connector = wrap(fake)
    await connector.fetch(["A", "C"])  # C is unknown: remembered as absent
    found = await connector.fetch(["A", "B", "C"])
    # only B was asked for the second time
    assert fake.calls == [("fetch", ("A", "C")), ("fetch", ("B",))]
    assert set(found) == {"A", "B"}
    assert (
        sample(metrics, "pmihub_cache_hits_total", agency="FAKE", method="fetch", kind="fresh") == 2
    )
    assert sample(metrics, "pmihub_cache_misses_total", agency="FAKE", method="fetch") == 3


@pytest.mark.anyio
async def test_stale_entries_are_served_and_labelled_when_the_agency_fails(
    wrap: Callable[..., ResilientConnector], metrics: HubMetrics
) -> None:
    # given answers cached 60 s ago with a 30 s TTL and a day's stale window
    clock = Clock()
    fake = FakeConnector.with_people("A", "B")
    connector = wrap(fake, cache=MemoryCache(clock=clock), cache_ttl=30, cache_stale=86_400)
    original = await connector.fetch(["A", "B"])
    assert not original["A"].person.provenance.stale
    clock.now += 60
    # when the agency is down
    fake.error = AgencyUnavailable("FAKE", "HTTP 503")
    with request_deadline(1.0):
        served = await connector.fetch(["A", "B", "A"])
    # then the cached records come back, every provenance marked stale, nothing else changed
    assert set(served) == {"A", "B"}
    a = served["A"]
    provenances = [a.person.provenance, *(p.provenance for p in a.placements)]
    provenances += [c.provenance for c in a.cases]
    assert len(provenances) == 3 and all(p.stale for p in provenances)
    assert a.person.provenance.fetched_at == original["A"].person.provenance.fetched_at
    unmarked = record_set("A")
    assert a.placements[0].employer == unmarked.placements[0].employer
    assert (
        sample(metrics, "pmihub_cache_hits_total", agency="FAKE", method="fetch", kind="stale") == 2
    )


@pytest.mark.anyio
async def test_no_stale_answer_when_some_id_was_never_cached(
    wrap: Callable[..., ResilientConnector],
) -> None:
    clock = Clock()
    fake = FakeConnector.with_people("A", "B")
    connector = wrap(fake, cache=MemoryCache(clock=clock))
    await connector.fetch(["A"])
    clock.now += 60
    fake.error = AgencyUnavailable("FAKE", "HTTP 503")
    with pytest.raises(AgencyUnavailable):
        await connector.fetch(["A", "B"])  # B would be silently missing: refuse


@pytest.mark.anyio
async def test_no_stale_answer_past_the_stale_window_or_after_a_rejection(
    wrap: Callable[..., ResilientConnector],
) -> None:
    clock = Clock()
    fake = FakeConnector.with_people("A")
    connector = wrap(fake, cache=MemoryCache(clock=clock), cache_ttl=30, cache_stale=100)
    await connector.fetch(["A"])
    clock.now += 60
    fake.error = AgencyRejected("FAKE", "HTTP 403")
    with pytest.raises(AgencyRejected):
        await connector.fetch(["A"])  # our access may have been withdrawn
    clock.now += 100
    fake.error = AgencyUnavailable("FAKE", "HTTP 503")
    with pytest.raises(AgencyUnavailable):
        await connector.fetch(["A"])


@pytest.mark.anyio
async def test_find_is_cached_per_value_including_no_match(
    wrap: Callable[..., ResilientConnector],
) -> None:
    fake = FakeConnector()
    connector = wrap(fake)
    first = await connector.find(LookupKey.NIK, ["known1", "nobody"])
    second = await connector.find(LookupKey.NIK, ["nobody", "known1"])
    assert first == second == {"known1": ["ID-known1"]}
    assert fake.count("find") == 1
    await connector.find(LookupKey.PASSPORT, ["known1"])  # another key: another entry
    assert fake.count("find") == 2


@pytest.mark.anyio
async def test_licenses_are_cached_and_served_stale(
    wrap: Callable[..., ResilientConnector],
) -> None:
    clock = Clock()
    fake = FakeRegistry()
    connector = wrap(fake, cache=MemoryCache(clock=clock))
    assert set(await connector.licenses(["KEP.1", "X"])) == {"KEP.1"}  # type: ignore[attr-defined]
    clock.now += 3600
    fake.error = AgencyUnavailable("FAKE", "down")
    served = await connector.licenses(["KEP.1", "X"])  # type: ignore[attr-defined]
    assert served["KEP.1"].provenance.stale and set(served) == {"KEP.1"}


@pytest.mark.anyio
async def test_changes_are_guarded_but_never_cached(
    wrap: Callable[..., ResilientConnector],
) -> None:
    fake = FakeConnector.with_people("A", failures=[AgencyUnavailable("FAKE", "503")])
    connector = wrap(fake)
    page = await connector.changes(None)
    await connector.changes(None)
    assert [r.local_id for r in page.records] == ["A"]
    assert fake.count("changes") == 3  # one retry, then no cache for the second call


@pytest.mark.anyio
async def test_a_connector_breaking_its_contract_yields_bad_response(
    wrap: Callable[..., ResilientConnector],
) -> None:
    fake = FakeConnector.with_people("A", error=KeyError("idPmi"))
    connector = wrap(fake)
    with pytest.raises(BadResponse) as raised:
        await connector.fetch(["A"])
    assert raised.value.code == "SOURCE_BAD_RESPONSE" and "KeyError" in raised.value.message


@pytest.mark.anyio
async def test_health_names_a_breaker_that_is_not_closed(
    wrap: Callable[..., ResilientConnector],
) -> None:
    fake = FakeConnector.with_people("A", error=AgencyUnavailable("FAKE", "503"))
    connector = wrap(fake, retry_attempts=1, breaker_failures=1)
    with pytest.raises(AgencyUnavailable):
        await connector.fetch(["A"])
    fake.error = None
    health = await connector.health()
    assert health.ok and health.message == "breaker open"
    status = connector.status()
    assert status.breaker is BreakerState.OPEN and status.latency_p50_ms is not None


@pytest.mark.anyio
async def test_health_of_a_hanging_agency_is_answered_in_time(
    wrap: Callable[..., ResilientConnector],
) -> None:
    connector = wrap(FakeConnector(delay=5.0), health_timeout=0.05)
    health = await connector.health()
    assert not health.ok and health.message == "SOURCE_TIMEOUT"


@pytest.mark.anyio
async def test_wrap_connectors_shares_one_cache_and_applies_agency_overrides() -> None:
    fakes = {"FAKE": FakeConnector(), "OTHER": FakeRegistry(agency="OTHER")}
    environ = {"HUB_AGENCY_FAKE_RETRY_ATTEMPTS": "7", "HUB_AGENCY_OTHERS_MAX_CONCURRENT": "2"}
    wrapped = wrap_connectors(fakes, environ, names={"OTHER": "others"}, metrics=HubMetrics())
    assert list(wrapped) == ["FAKE", "OTHER"]
    assert wrapped["FAKE"].policy.retry_attempts == 7
    assert wrapped["OTHER"].policy.max_concurrent == 2
    assert wrapped["FAKE"].cache is wrapped["OTHER"].cache
    assert isinstance(wrapped["OTHER"], LicenseRegistry)
    again = wrap_connectors(wrapped, environ)
    assert again["FAKE"] is wrapped["FAKE"]  # already resilient: kept
    await wrapped["FAKE"].aclose()
    assert fakes["FAKE"].closed
