"""Search latency over a million people: p50 and p95 on SQLite and PostgreSQL (target p95 < 50 ms).

``python -m bench.search [--people N] [--backend sqlite|postgres|both] [--rebuild]``

The index is built once per size and cached: SQLite in ``bench/out/search-<N>.db``,
PostgreSQL in the database ``bench_search_<N>`` (127.0.0.1:5432, user postgres; override
with ``BENCH_SEARCH_POSTGRES_URL``), each with a marker row naming the size and build version, so a
second run measures at once. The build takes a shortcut, stated here and in bench/README.md:
people come from the population generator in memory (``iter_people``), not through the
sandboxes and the sync; each generated person is one worker (the ground truth, instead of the
linker's work, which bench/sync.py measures), its agency records are written to the crosswalk
tables with their keyed identifier digests, and the index rows are the ones the sync writes
(``hub.search.index.entry_rows``), loaded in bulk (executemany on SQLite, COPY on PostgreSQL).

The queries are a fixed mix drawn from the people (misspelt names with and without birth
date, swapped birth dates, a country filter, common first names alone, and NIK, passport, KPJ
and ID PMI), run through ``SearchIndex.search``, the function the resolver calls.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import column, insert, table, text
from sqlalchemy.engine import Connection, Engine

from bench.bulkload import bulk_load
from hub.crosswalk import CrosswalkReader, Pseudonymizer
from hub.crosswalk.keys import NIK, PASSPORT
from hub.search import SearchIndex, parse_query
from hub.search.index import IndexEntry, add_words, entry_rows
from hub.storage import make_engine
from hub.storage.migrate import upgrade
from schema.identifiers import normalize_passport
from schema.population import iter_people

OUT = Path(__file__).parent / "out"
TARGET_MS = 50.0
AS_OF = date(2026, 11, 24)
SEED = 2026
BUILD_VERSION = "1"
BATCH = 5_000  # people per write
SAMPLE_EVERY = 2_500  # one person in this many feeds the query mix
PSEUDO = Pseudonymizer(b"bench-search-pseudonym-key")
POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
AGENCY = {
    "kemnaker": ("KEMNAKER", "jobSeekerId"),
    "p2mi": ("P2MI", "pmiId"),
    "bpjs": ("BPJS_KETENAGAKERJAAN", "kpj"),
    "embassy": ("EMBASSY", "recordId"),
}
MISSION_COUNTRY: dict[str, str] = {}
BULK_TABLES = ("worker", "agency_record", "record_key", "search_record", "search_term")


def worker_id(index: int) -> str:
    return f"wk_{index:020x}"


def _blocks(person: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for block, (agency, key) in AGENCY.items():
        value = person.get(block)
        for record in value if isinstance(value, list) else [value] if value else []:
            yield agency, record[key], record


def _countries(block: str, record: dict[str, Any]) -> tuple[str, ...]:
    if block == "P2MI":
        return tuple(dict.fromkeys(p["country"] for p in record.get("placements", [])))
    if block == "EMBASSY":
        return tuple(
            dict.fromkeys(
                MISSION_COUNTRY[r["mission"]]
                for r in record.get("reports", [])
                if r.get("mission") in MISSION_COUNTRY
            )
        )
    return ()


def person_rows(index: int, person: dict[str, Any], now: datetime) -> dict[str, list[Any]]:
    """Every row one person adds: worker, agency records, identifier digests, index rows."""
    wid = worker_id(index)
    born = date.fromisoformat(person["birthDate"]) if person.get("birthDate") else None
    rows: dict[str, list[Any]] = defaultdict(list)
    rows["worker"].append({"id": wid, "created_at": now, "merged_into": None})
    passports = [normalize_passport(p["number"]) for p in person.get("passports", [])]
    for agency, local_id, record in _blocks(person):
        rows["agency_record"].append(
            {
                "agency": agency,
                "local_id": local_id,
                "worker_id": wid,
                "method": "NIK",
                "confidence": 1.0,
                "fingerprint": "bench",
                "updated_at": now,
            }
        )
        keys = {(f"{agency}:LOCAL_ID", local_id)}
        if record.get("nikKnown", True) and person.get("nik"):
            keys.add((NIK, person["nik"]))
        if agency in ("P2MI", "EMBASSY"):
            known = record.get("passportKnown")
            keys.update(
                (PASSPORT, p) for p in ([normalize_passport(known)] if known else passports)
            )
        rows["record_key"].extend(
            {"kind": k, "digest": PSEUDO.digest(k, v), "agency": agency, "local_id": local_id}
            for k, v in sorted(keys)
        )
        entry = IndexEntry(
            agency, local_id, record.get("nameAs") or person["name"], born,
            _countries(agency, record),
        )  # fmt: skip
        record_row, terms = entry_rows(entry)
        rows["search_record"].append(record_row)
        rows["search_term"].extend(terms)
    return rows


def sample_of(person: dict[str, Any]) -> dict[str, Any]:
    p2mi = person.get("p2mi") if isinstance(person.get("p2mi"), dict) else None
    bpjs = person.get("bpjs") if isinstance(person.get("bpjs"), dict) else None
    return {
        "name": person["name"],
        "birthDate": person.get("birthDate"),
        "nik": person.get("nik"),
        "passport": (person.get("passports") or [{}])[-1].get("number"),
        "kpj": bpjs.get("kpj") if bpjs else None,
        "pmiId": p2mi.get("pmiId") if p2mi else None,
        "country": (p2mi.get("placements") or [{}])[0].get("country") if p2mi else None,
    }


# -- building ------------------------------------------------------------------------------


def _write(connection: Connection, rows: dict[str, list[Any]], words: set[str]) -> None:
    if connection.dialect.name == "postgresql":
        raw = connection.connection.driver_connection  # type: ignore[union-attr]
        with raw.cursor() as cursor:  # type: ignore[union-attr]
            for name, items in rows.items():
                if not items:
                    continue
                columns = list(items[0])
                with cursor.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                    for item in items:
                        copy.write_row([item[c] for c in columns])
    else:
        for name, items in rows.items():
            if items:
                columns = list(items[0])
                target = table(name, *(column(c) for c in columns))
                connection.execute(insert(target), items)
    add_words(connection, words)


def _built(engine: Engine, people: int) -> bool:
    with engine.connect() as connection:
        try:
            row = connection.execute(text("SELECT people, version FROM bench_search_built")).first()
        except Exception:
            return False
    return row is not None and (row[0], row[1]) == (people, BUILD_VERSION)


def build(engines: dict[str, Engine], people: int) -> list[dict[str, Any]]:
    """Fill every engine's index from one pass over the generated people; the query samples."""
    from schema.population._destinations import MISSIONS

    MISSION_COUNTRY.update({m.code: m.country for m in MISSIONS})
    for engine in engines.values():
        upgrade(engine)
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS bench_search_built"))
    samples: list[dict[str, Any]] = []
    started = time.perf_counter()
    now = datetime.now(UTC)
    pending: dict[str, list[Any]] = defaultdict(list)
    words: set[str] = set()
    with ExitStack() as stack:
        loaders = [stack.enter_context(bulk_load(e, BULK_TABLES)) for e in engines.values()]

        def flush() -> None:
            for connection in loaders:
                _write(connection, pending, words)
                connection.commit()
            pending.clear()
            words.clear()

        for index, person in enumerate(iter_people(people=people, seed=SEED, as_of=AS_OF)):
            for name, items in person_rows(index, person, now).items():
                pending[name].extend(items)
                if name == "search_term":
                    words.update(str(t["term"]) for t in items if " " not in str(t["term"]))
            if index % SAMPLE_EVERY == 0:
                samples.append({**sample_of(person), "worker": worker_id(index)})
            if (index + 1) % BATCH == 0:
                flush()
                if (index + 1) % (BATCH * 20) == 0:
                    rate = (index + 1) / (time.perf_counter() - started)
                    print(f"   loaded {index + 1:,} people ({rate:,.0f}/s)", flush=True)
        flush()
        loaded = time.perf_counter() - started
        print(f"   rows loaded in {loaded:.0f} s; creating the indexes", flush=True)
    for engine in engines.values():
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE bench_search_built (people INT, version TEXT)"))
            connection.execute(
                text("INSERT INTO bench_search_built VALUES (:p, :v)"),
                {"p": people, "v": BUILD_VERSION},
            )
    print(f"   index built in {time.perf_counter() - started:.0f} s", flush=True)
    return samples


# -- the query mix -------------------------------------------------------------------------


def _typo(rng: random.Random, name: str) -> str:
    words = name.split()
    i = rng.randrange(len(words))
    w = words[i]
    if len(w) >= 4:
        j = rng.randrange(1, len(w) - 1)
        kind = rng.randrange(3)
        if kind == 0:
            w = w[:j] + w[j + 1 :]  # a letter dropped
        elif kind == 1:
            w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]  # two letters swapped
        else:
            w = w[:j] + w[j] + w[j:]  # a letter doubled
    words[i] = w
    return " ".join(words)


def query_mix(samples: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any], str | None]]:
    """(kind, search arguments, the worker that must be found or None) for every query."""
    rng = random.Random(SEED)
    mix: list[tuple[str, dict[str, Any], str | None]] = []
    common = ("Siti", "Nur", "Muhammad", "Sri", "Dewi", "Ahmad")
    for s in samples:
        who = s["worker"]
        born = date.fromisoformat(s["birthDate"]) if s["birthDate"] else None
        typo = _typo(rng, s["name"])
        mix.append(("name with a typo", {"query": typo}, who))
        if born:
            mix.append(("name with a typo + birth date", {"query": typo, "birth_date": born}, who))
            if born.day <= 12 and born.day != born.month:
                swapped = date(born.year, born.day, born.month)
                args = {"query": s["name"], "birth_date": swapped}
                mix.append(("name + swapped birth date", args, who))
        if s["country"]:
            args = {"query": s["name"].upper(), "country": s["country"]}
            mix.append(("name + country", args, who))
        for kind in ("nik", "passport", "kpj", "pmiId"):
            if s[kind]:
                mix.append((kind, {"query": s[kind]}, who))
        mix.append(("common first name alone", {"query": rng.choice(common)}, None))
    return mix


def measure(engine: Engine, mix: list[tuple[str, dict[str, Any], str | None]]) -> dict[str, Any]:
    index = SearchIndex(engine, CrosswalkReader(engine, PSEUDO))
    for _, args, _ in mix[:20]:  # warm the connection pool and the page cache a little
        index.search(parse_query(today=AS_OF, **args))
    times: dict[str, list[float]] = defaultdict(list)
    found: dict[str, list[bool]] = defaultdict(list)
    for kind, args, expected in mix:
        started = time.perf_counter()
        hits = index.search(parse_query(today=AS_OF, **args))
        times[kind].append((time.perf_counter() - started) * 1000)
        if expected is not None:
            found[kind].append(expected in [h.worker_id for h in hits[:20]])
    return {"times": times, "found": found}


def pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def report(backend: str, result: dict[str, Any]) -> None:
    every = [t for ts in result["times"].values() for t in ts]
    p50, p95 = pct(every, 50), pct(every, 95)
    print(
        f"   {backend:<9} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  over {len(every)} queries  "
        f"(p95 / {TARGET_MS:.0f} ms target: ratio {p95 / TARGET_MS:.2f})",
        flush=True,
    )
    for kind, ts in result["times"].items():
        hits = result["found"].get(kind)
        recall = f"  found in top 20: {sum(hits)}/{len(hits)}" if hits else ""
        print(
            f"      {kind:<30} n={len(ts):<4} p50 {pct(ts, 50):6.1f} ms  p95 {pct(ts, 95):6.1f} ms"
            f"{recall}"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--rebuild", action="store_true", help="build the cached index anew")
    args = parser.parse_args(argv)
    if args.people < SAMPLE_EVERY:
        parser.error(f"--people must be at least {SAMPLE_EVERY}")
    OUT.mkdir(exist_ok=True)
    engines: dict[str, Engine] = {}
    if args.backend in ("sqlite", "both"):
        engines["sqlite"] = make_engine(f"sqlite:///{OUT / f'search-{args.people}.db'}")
    if args.backend in ("postgres", "both"):
        url = postgres_url(args.people)
        _ensure_postgres_database(url)
        engines["postgres"] = make_engine(url)
    samples_path = OUT / f"search-{args.people}-queries.json"
    stale = {n: e for n, e in engines.items() if args.rebuild or not _built(e, args.people)}
    if stale or not samples_path.exists():
        targets = stale or engines  # lost samples: rebuild everything so they match
        for name, engine in targets.items():
            _reset(name, engine, args.people)
        print(f"   building the index of {args.people:,} people on {', '.join(targets)}")
        samples = build(targets, args.people)
        samples_path.write_text(json.dumps(samples))
    samples = json.loads(samples_path.read_text())
    mix = query_mix(samples)
    print(f"search: {args.people:,} people, {len(mix)} queries per backend")
    for name, engine in engines.items():
        report(name, measure(engine, mix))
        engine.dispose()


def _reset(name: str, engine: Engine, people: int) -> None:
    """Start a build from an empty database."""
    if name == "sqlite":
        engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{OUT / f'search-{people}.db'}{suffix}").unlink(missing_ok=True)
        return
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


def postgres_url(people: int) -> str:
    """One database per size, so building one size keeps the others' caches."""
    default = f"{POSTGRES_SERVER}/bench_search_{people}"
    return os.environ.get("BENCH_SEARCH_POSTGRES_URL", default)


def _ensure_postgres_database(url: str) -> None:
    admin_url, name = url.rsplit("/", 1)
    admin = make_engine(f"{admin_url}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).first()
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


if __name__ == "__main__":
    main()
