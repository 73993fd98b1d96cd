from hub.cache import TtlCache


def test_entries_expire_after_their_ttl() -> None:
    now = [0.0]
    cache: TtlCache[str, int] = TtlCache(10, clock=lambda: now[0])
    cache.put_many({"a": 1})
    assert cache.get_many(["a", "b"]) == {"a": 1}
    now[0] = 10.5
    assert cache.get_many(["a"]) == {}


def test_a_zero_ttl_caches_nothing_and_size_is_bounded() -> None:
    assert TtlCache(0).get_many(["a"]) == {}
    cache: TtlCache[int, int] = TtlCache(60, maxsize=3)
    for i in range(10):
        cache.put_many({i: i})
    assert len(cache.get_many(range(10))) == 3
