"""The scenario loader fails on bad input with the JSON path of every problem."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from schema.scenario import Scenario, ScenarioError, load_scenario, parse_scenario

FIXTURE = Path(__file__).parents[1] / "fixtures" / "small_scenario.json"


def fixture_doc() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text())


def issues_of(doc: dict[str, Any] | str) -> list[str]:
    text = doc if isinstance(doc, str) else json.dumps(doc)
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text)
    return [str(issue) for issue in caught.value.issues]


def test_the_small_fixture_loads(small_scenario: Scenario) -> None:
    assert [p.key for p in small_scenario.people] == [
        "all-four",
        "embassy-only",
        "returned",
        "two-placements",
        "pre-departure",
    ]
    assert len(small_scenario.people[3].bpjs) == 2  # a list block stays a list


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.update(extra=1), "$.extra: unknown key"),
        (lambda d: d["people"][0].update(nickname="Sit"), "$.people[0].nickname: unknown key"),
        (
            lambda d: d["people"][0]["p2mi"]["placements"][0].update(visa="E-9"),
            "$.people[0].p2mi.placements[0].visa: unknown key",
        ),
        (
            lambda d: d["people"][3]["bpjs"][1].update(branch="Jakarta"),
            "$.people[3].bpjs[1].branch: unknown key",
        ),
        (
            lambda d: d["people"][1]["embassy"]["cases"][0].update(officer="x"),
            "$.people[1].embassy.cases[0].officer: unknown key",
        ),
    ],
)
def test_unknown_keys_are_named_by_path(mutate: Any, expected: str) -> None:
    # given
    doc = fixture_doc()
    mutate(doc)
    # when
    issues = issues_of(doc)
    # then
    assert issues == [expected]


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d["people"][0].update(sex="F"), "$.people[0].sex"),
        (
            lambda d: d["people"][0]["p2mi"]["placements"][0].update(status="ABROAD"),
            "$.people[0].p2mi.placements[0].status",
        ),
        (
            lambda d: d["placementAgencies"][0].update(status="BANNED"),
            "$.placementAgencies[0].status",
        ),
        (
            lambda d: d["people"][3]["bpjs"][0]["coverages"][0].update(program="JKN"),
            "$.people[3].bpjs[0].coverages[0].program",
        ),
        (
            lambda d: d["people"][1]["embassy"]["cases"][0].update(severity="URGENT"),
            "$.people[1].embassy.cases[0].severity",
        ),
    ],
)
def test_bad_enum_values_are_named_by_path(mutate: Any, path: str) -> None:
    doc = fixture_doc()
    mutate(doc)
    (issue,) = issues_of(doc)
    assert issue.startswith(f"{path}: ")
    assert "Input should be" in issue


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d.update(asOf="2026-02-30"), "$.asOf"),
        (
            lambda d: d["people"][0]["p2mi"]["placements"][0].update(contractEnd="2026-13-01"),
            "$.people[0].p2mi.placements[0].contractEnd",
        ),
        (
            lambda d: d["people"][3]["embassy"][1]["reports"][0].update(reportedOn="2023-04-31"),
            "$.people[3].embassy[1].reports[0].reportedOn",
        ),
    ],
)
def test_impossible_dates_are_named_by_path(mutate: Any, path: str) -> None:
    doc = fixture_doc()
    mutate(doc)
    (issue,) = issues_of(doc)
    assert issue.startswith(f"{path}: impossible date")


@pytest.mark.parametrize("value", ["1990-8-5", "05-08-1990", 19900805])
def test_a_date_in_another_format_is_refused(value: object) -> None:
    doc = fixture_doc()
    doc["people"][0]["birthDate"] = value
    (issue,) = issues_of(doc)
    assert issue.startswith("$.people[0].birthDate: ")
    assert "date" in issue


def test_duplicate_keys_in_an_object_are_named_by_path() -> None:
    # given: the same key twice in the first person and in a placement
    text = FIXTURE.read_text()
    text = text.replace('"name": "Siti Aminah",', '"name": "Siti Aminah", "name": "Siti",', 1)
    text = text.replace('"status": "WORKING",', '"status": "WORKING", "status": "RETURNED",', 1)
    # when
    issues = issues_of(text)
    # then
    assert sorted(issues) == [
        "$.people[0].name: duplicate key in object",
        "$.people[0].p2mi.placements[0].status: duplicate key in object",
    ]


def test_duplicate_niks_are_named_with_the_first_use() -> None:
    doc = fixture_doc()
    doc["people"][2]["nik"] = doc["people"][0]["nik"]
    doc["people"][2].update(birthDate="1990-08-05", sex="FEMALE")
    assert issues_of(doc) == [
        "$.people[2].nik: duplicate '3506124508900003', first used at $.people[0].nik"
    ]


def test_duplicate_local_ids_across_people_are_named() -> None:
    doc = fixture_doc()
    doc["people"][2]["bpjs"]["kpj"] = doc["people"][3]["bpjs"][1]["kpj"]
    assert issues_of(doc) == [
        "$.people[3].bpjs[1].kpj: duplicate '23000432101', first used at $.people[2].bpjs.kpj"
    ]


def test_a_nik_that_does_not_encode_the_birth_date_is_refused() -> None:
    doc = fixture_doc()
    doc["people"][0]["birthDate"] = "1990-08-06"
    assert issues_of(doc) == ["$.people[0].nik: NIK does not encode this birthDate and sex"]


def test_load_scenario_raises_one_error_listing_every_problem(tmp_path: Path) -> None:
    # given: five different problems in one file
    doc = fixture_doc()
    doc["people"][0]["sex"] = "W"
    doc["people"][1]["hobby"] = "x"
    doc["people"][2]["p2mi"]["placements"][0]["contractStart"] = "2021-02-29"
    doc["people"][4]["nik"] = doc["people"][3]["nik"]
    doc["people"][4].update(birthDate="1993-02-21")
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(doc))
    # when
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    # then: every problem is listed, by path, in the issues and in the message
    error = caught.value
    paths = [issue.path for issue in error.issues]
    assert paths == [
        "$.people[0].sex",
        "$.people[1].hobby",
        "$.people[2].p2mi.placements[0].contractStart",
    ]
    assert str(error).startswith(f"{path}: 3 error(s)")
    assert all(p in str(error) for p in paths)


def test_consistency_errors_are_listed_together(tmp_path: Path) -> None:
    # given: a valid shape with two consistency problems
    doc = fixture_doc()
    doc["people"][4]["nik"] = doc["people"][3]["nik"]
    doc["people"][4].update(birthDate="1993-02-21")
    doc["people"][0]["p2mi"]["placements"][0]["agencyLicense"] = "KEP.999/2099"
    path = tmp_path / "inconsistent.json"
    path.write_text(json.dumps(doc))
    # when
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    # then
    assert [str(i) for i in caught.value.issues] == [
        "$.people[4].nik: duplicate '3525146102930001', first used at $.people[3].nik",
        "$.people[0].p2mi.placements[0].agencyLicense: no placement agency with this licence "
        "number",
    ]


def test_a_missing_file_and_bad_json_are_errors_at_the_root(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as missing:
        load_scenario(tmp_path / "absent.json")
    assert missing.value.issues[0].path == "$"
    assert "cannot read file" in missing.value.issues[0].message
    bad = tmp_path / "bad.json"
    bad.write_text('{"asOf": ')
    with pytest.raises(ScenarioError) as broken:
        load_scenario(bad)
    assert broken.value.issues[0].path == "$"
    assert broken.value.issues[0].message.startswith("not valid JSON")
