"""The response caches: fresh and stale windows, bounds, Redis shared by two hub instances."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable

import pytest

from connectors.kit.errors import AgencyUnavailable
from hub.redis_client import redis_client
from hub.resilience import ResilientConnector, request_deadline
from hub.resilience.cache import (
    MemoryCache,
    RedisCache,
    cache_from_environ,
)
from hub.resilience.cache_secrets import CacheSecrets
from hub.settings import SettingsError
from tests.resilience.conftest import REDIS_URL, SECRET
from tests.resilience.fakes import FakeConnector, record_set


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.anyio
async def test_memory_entries_are_fresh_then_stale_then_gone() -> None:
    clock = Clock()
    cache = MemoryCache(clock=clock)
    await cache.put_many({"k": ("ID-1",), "none": None}, fresh_for=30, keep_for=100)
    entries = await cache.get_many(["k", "none", "other"])
    assert set(entries) == {"k", "none"} and entries["none"].value is None
    assert entries["k"].value == ("ID-1",) and entries["k"].fresh(clock())
    clock.now += 31
    (entry,) = (await cache.get_many(["k"])).values()
    assert not entry.fresh(clock())
    clock.now += 70
    assert await cache.get_many(["k"]) == {}


@pytest.mark.anyio
async def test_memory_cache_is_bounded() -> None:
    cache = MemoryCache(maxsize=3)
    for i in range(5):
        await cache.put_many({f"k{i}": (str(i),)}, 30, 60)
    assert set(await cache.get_many([f"k{i}" for i in range(5)])) == {"k2", "k3", "k4"}


def test_keys_are_keyed_digests_never_the_identifier_nor_its_plain_digest() -> None:
    nik = "3506124508900003"
    keys = CacheSecrets(SECRET)
    key = keys.name("P2MI", "find:NIK", nik)
    assert key.startswith("P2MI:find:NIK:") and nik not in key
    assert key == CacheSecrets(SECRET).name("P2MI", "find:NIK", nik)  # after a restart
    assert key != keys.name("P2MI", "find:NIK", "3506124508900004")
    assert key != CacheSecrets(b"another-cache-secret").name("P2MI", "find:NIK", nik)
    digest = key.rsplit(":", 1)[1]
    unkeyed = {hashlib.blake2b(nik.encode(), digest_size=16).hexdigest()}
    unkeyed |= {hashlib.new(a, nik.encode()).hexdigest()[:32] for a in ("md5", "sha1", "sha256")}
    assert digest not in unkeyed


def test_cache_from_environ() -> None:
    assert isinstance(cache_from_environ({}), MemoryCache)
    redis = {"HUB_REDIS_URL": "redis://127.0.0.1:6379/0"}
    assert isinstance(cache_from_environ(redis, SECRET), RedisCache)
    with pytest.raises(SettingsError, match="HUB_PSEUDONYM_KEY"):  # Redis entries need a key
        cache_from_environ({**redis, "HUB_ENV": "production"})
    with pytest.raises(SettingsError, match="HUB_REDIS_URL"):
        cache_from_environ({"HUB_REDIS_URL": "http://not-redis"}, SECRET)
    with pytest.raises(SettingsError, match="HUB_REDIS_TIMEOUT"):
        cache_from_environ({"HUB_REDIS_URL": "redis://x", "HUB_REDIS_TIMEOUT": "soon"}, SECRET)


@pytest.mark.anyio
async def test_an_unreachable_redis_is_a_miss_not_an_error(
    wrap: Callable[..., ResilientConnector],
) -> None:
    # given a Redis URL where nothing listens
    cache = RedisCache.from_url("redis://127.0.0.1:1/0", secret=SECRET, timeout=0.2)
    fake = FakeConnector.with_people("A")
    connector = wrap(fake, cache=cache)
    # when workers are fetched twice
    assert list(await connector.fetch(["A"])) == ["A"]
    assert list(await connector.fetch(["A"])) == ["A"]
    # then the agency answered both times and the cache stepped aside after its failure
    assert fake.count("fetch") == 2
    await cache.aclose()


@pytest.mark.anyio
async def test_redis_round_trip_with_expiry(make_redis_cache: Callable[..., RedisCache]) -> None:
    cache = make_redis_cache()
    value = record_set("PMI-9")
    await cache.put_many({"a": value, "b": None}, fresh_for=30, keep_for=60)
    entries = await cache.get_many(["a", "b", "c"])
    assert entries["a"].value == value and entries["b"].value is None and "c" not in entries
    ttl = await cache.client.pttl(cache.prefix + "a")
    assert 55_000 < ttl <= 60_000


@pytest.mark.anyio
async def test_more_commands_in_flight_than_connections_wait_for_one_not_fail(
    make_redis_cache: Callable[..., RedisCache],
) -> None:
    """A process serving 32 requests has hundreds of cache commands in flight; redis-py's
    default pool refused the one past its size (MaxConnectionsError) and the cache then paused
    although Redis was healthy. Here four connections carry sixteen times as many commands."""
    shared = make_redis_cache()  # its namespace, cleaned up after the test
    cache = RedisCache(
        redis_client(REDIS_URL, 5.0, max_connections=4),
        secrets=shared.secrets,
        prefix=shared.prefix,
    )
    await cache.put_many({"a": record_set("PMI-9")}, fresh_for=30, keep_for=60)
    reads = await asyncio.gather(*(cache.get_many(["a"]) for _ in range(64)))
    assert all("a" in found for found in reads)
    assert not cache._paused()
    await cache.client.aclose()


@pytest.mark.anyio
async def test_redis_values_are_sealed_and_open_only_under_their_name_and_secret(
    make_redis_cache: Callable[..., RedisCache],
) -> None:
    cache = make_redis_cache()
    value = record_set("PMI-9")
    name = cache.key("P2MI", "fetch", "PMI-9")
    await cache.put_many({name: value}, fresh_for=30, keep_for=60)
    raw = await cache.client.get(cache.prefix + name)
    assert raw.startswith(b"s1.") and value.person.name.encode() not in raw
    assert b"PMI-9" not in raw
    # a restart with the same secret finds and opens the entry
    assert (await make_redis_cache().get_many([name]))[name].value == value
    # another secret neither finds it (other names) nor opens it (a miss, not an error)
    other = make_redis_cache(b"another-cache-secret")
    assert other.key("P2MI", "fetch", "PMI-9") != name
    assert await other.get_many([name]) == {}
    # a sealed value moved to another entry's name does not open
    await cache.client.set(cache.prefix + "moved", raw)
    assert await cache.get_many(["moved"]) == {}


@pytest.mark.anyio
async def test_an_unreadable_redis_entry_is_a_miss(
    make_redis_cache: Callable[..., RedisCache],
) -> None:
    cache = make_redis_cache()
    await cache.client.set(cache.prefix + "bad", b"{not json")
    assert await cache.get_many(["bad"]) == {}


@pytest.mark.anyio
async def test_two_hub_instances_share_the_redis_cache(
    wrap: Callable[..., ResilientConnector], make_redis_cache: Callable[..., RedisCache]
) -> None:
    # given two hub replicas, each with its own connector and Redis client on one Redis
    first_agency, second_agency = FakeConnector.with_people("A"), FakeConnector.with_people("A")
    first = wrap(first_agency, cache=make_redis_cache())
    second = wrap(second_agency, cache=make_redis_cache())
    # when the first fetches a worker
    fetched = await first.fetch(["A"])
    # then the second answers the same worker from the shared cache, without calling upstream
    assert await second.fetch(["A"]) == fetched
    assert first_agency.count("fetch") == 1 and second_agency.count("fetch") == 0


@pytest.mark.anyio
async def test_a_replica_serves_stale_data_another_replica_cached(
    wrap: Callable[..., ResilientConnector], make_redis_cache: Callable[..., RedisCache]
) -> None:
    # given replica one cached a worker (fresh window 0: stale at once, kept for a day)
    first = wrap(FakeConnector.with_people("A"), cache=make_redis_cache(), cache_ttl=0)
    await first.fetch(["A"])
    # when replica two's agency is down
    down = FakeConnector(error=AgencyUnavailable("FAKE", "HTTP 503"))
    second = wrap(down, cache=make_redis_cache(), cache_ttl=0)
    with request_deadline(1.0):
        served = await second.fetch(["A"])
    # then replica two serves replica one's answer, labelled stale
    assert served["A"].person.provenance.stale
    assert down.count("fetch") == 3


@pytest.mark.anyio
async def test_a_value_redis_cannot_hold_is_skipped_not_raised(
    make_redis_cache: Callable[..., RedisCache],
) -> None:
    cache = make_redis_cache()
    await cache.put_many({"odd": {"not": "a record"}, "ok": ("ID-1",)}, 30, 60)  # type: ignore[dict-item]
    assert set(await cache.get_many(["odd", "ok"])) == {"ok"}
