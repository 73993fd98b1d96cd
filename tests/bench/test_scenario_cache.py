"""The benchmarks' cached population is named for the generator that wrote it: worktrees share
the temp directory, and a file written by another version of ``schema`` must not be reused."""

from __future__ import annotations

from pathlib import Path

from bench.sync import AS_OF, SEED, scenario_file, schema_fingerprint
from schema.scenario import load_scenario


def test_the_fingerprint_follows_the_sources(tmp_path: Path) -> None:
    (tmp_path / "population").mkdir()
    (tmp_path / "records.py").write_text("A = 1\n")
    (tmp_path / "population" / "people.py").write_text("B = 2\n")
    first = schema_fingerprint(tmp_path)
    assert schema_fingerprint(tmp_path) == first
    (tmp_path / "records.py").write_text("A = 1\npaid_on = None\n")
    assert schema_fingerprint(tmp_path) != first
    (tmp_path / "records.py").write_text("A = 1\n")
    (tmp_path / "population" / "people.py").rename(tmp_path / "population" / "other.py")
    assert schema_fingerprint(tmp_path) != first


def test_a_population_cached_by_another_generator_is_not_reused(tmp_path: Path) -> None:
    stale = tmp_path / f"pmihub-bench-12-{SEED}-{AS_OF}.json"
    stale.write_text('{"people": [{"unknown": true}]}')
    path = scenario_file(12, directory=tmp_path)
    assert path != stale and schema_fingerprint() in path.name
    assert len(load_scenario(path).people) == 12
    assert scenario_file(12, directory=tmp_path) == path
    assert not list(tmp_path.glob("*.partial"))


def test_people_are_read_by_nik_as_the_loader_reads_them(tmp_path: Path) -> None:
    from bench.census import people_by_nik

    path = scenario_file(30, directory=tmp_path)
    everyone = load_scenario(path).people
    chosen = {everyone[0].nik, everyone[17].nik, everyone[-1].nik}
    found = people_by_nik(path, chosen | {"0000000000000000"})
    assert set(found) == chosen
    for person in everyone:
        if person.nik in chosen:
            assert found[person.nik] == person
