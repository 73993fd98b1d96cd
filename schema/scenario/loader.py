"""Read a scenario file, validate it strictly and check it for consistency.

Every problem is reported with its JSON path (``$.people[3].bpjs.coverages[0].end``), all of
them at once, so a hand-written scenario can be fixed in one pass.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from schema.enums import ClaimStatus
from schema.identifiers import is_valid_nik, nik_matches
from schema.scenario.models import AGENCY_BLOCKS, Person, Scenario

_DUPLICATE = "\x00duplicate:"


@dataclass(frozen=True, slots=True)
class ScenarioIssue:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ScenarioError(ValueError):
    """A scenario that cannot be served; ``issues`` names every problem by JSON path."""

    def __init__(self, issues: list[ScenarioIssue], source: str = "scenario") -> None:
        self.issues = issues
        self.source = source
        lines = "\n".join(f"  {issue}" for issue in issues)
        super().__init__(f"{source}: {len(issues)} error(s)\n{lines}")


def load_scenario(path: str | Path) -> Scenario:
    """Load and check the scenario at ``path``; raise ScenarioError on any problem."""
    path = Path(path)
    try:
        text = path.read_bytes()
    except OSError as exc:
        issue = ScenarioIssue("$", f"cannot read file: {exc.strerror}")
        raise ScenarioError([issue], str(path)) from None
    return parse_scenario(text, source=str(path))


def parse_scenario(text: str | bytes, source: str = "scenario") -> Scenario:
    try:
        raw = json.loads(text, object_pairs_hook=_pairs)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ScenarioError([ScenarioIssue("$", f"not valid JSON: {exc}")], source) from None
    return validate_scenario(raw, source)


def validate_scenario(raw: Any, source: str = "scenario") -> Scenario:
    """Validate a decoded JSON document (dicts and lists) as a scenario."""
    singles = _listify_blocks(raw)
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        issues = [_issue(err, singles) for err in exc.errors(include_url=False)]
        raise ScenarioError(issues, source) from None
    issues = list(_consistency(scenario, singles))
    if issues:
        raise ScenarioError(issues, source)
    return scenario


def validate_people(raw: Any, source: str = "people") -> list[Person]:
    """One person or a list of people, in the scenario's format (an agency block may be one
    record or a list); raise ScenarioError naming each problem by JSON path (``$[0].p2mi``)."""
    items = raw if isinstance(raw, list) else [raw]
    singles = _listify_blocks({"people": items})
    people: list[Person] = []
    issues: list[ScenarioIssue] = []
    for index, item in enumerate(items):
        try:
            people.append(Person.model_validate(item))
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                issue = _issue({**err, "loc": ("people", index, *err["loc"])}, singles)
                issues.append(
                    ScenarioIssue("$" + issue.path.removeprefix("$.people"), issue.message)
                )
    if issues:
        raise ScenarioError(issues, source)
    return people


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            out[_DUPLICATE + key] = value  # reported by extra="forbid" at the right path
        else:
            out[key] = value
    return out


def _listify_blocks(raw: Any) -> set[tuple[int, str]]:
    """Wrap single agency blocks in lists; return which ones were single, for error paths."""
    singles: set[tuple[int, str]] = set()
    people = raw.get("people") if isinstance(raw, dict) else None
    if not isinstance(people, list):
        return singles
    for index, person in enumerate(people):
        if not isinstance(person, dict):
            continue
        for block in AGENCY_BLOCKS:
            value = person.get(block)
            if isinstance(value, dict):
                person[block] = [value]
                singles.add((index, block))
            elif value is None and block in person:
                del person[block]
    return singles


def _json_path(loc: tuple[Any, ...], singles: set[tuple[int, str]]) -> str:
    parts = ["$"]
    skip_next = False
    for position, item in enumerate(loc):
        if skip_next:
            skip_next = False
            continue
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(f".{item}")
        if position >= 2 and loc[0] == "people" and position == 2 and (loc[1], item) in singles:
            skip_next = True  # the block was one record, not a list: no index in its path
    return "".join(parts)


def _issue(err: Any, singles: set[tuple[int, str]]) -> ScenarioIssue:
    loc = tuple(err["loc"])
    last = loc[-1] if loc else None
    if isinstance(last, str) and last.startswith(_DUPLICATE):
        name = last.removeprefix(_DUPLICATE)
        return ScenarioIssue(_json_path((*loc[:-1], name), singles), "duplicate key in object")
    if err["type"] == "extra_forbidden":
        return ScenarioIssue(_json_path(loc, singles), "unknown key")
    message = err["msg"].removeprefix("Value error, ")
    return ScenarioIssue(_json_path(loc, singles), message)


def _block_path(index: int, block: str, item: int, singles: set[tuple[int, str]]) -> str:
    base = f"$.people[{index}].{block}"
    return base if (index, block) in singles else f"{base}[{item}]"


def _consistency(scenario: Scenario, singles: set[tuple[int, str]]) -> Iterator[ScenarioIssue]:
    missions = {m.code for m in scenario.missions}
    licences = {a.licenseNumber for a in scenario.placementAgencies}
    yield from _unique((f"$.missions[{i}].code", m.code) for i, m in enumerate(scenario.missions))
    yield from _unique(
        (f"$.placementAgencies[{i}].licenseNumber", a.licenseNumber)
        for i, a in enumerate(scenario.placementAgencies)
    )
    yield from _unique((f"$.people[{i}].key", p.key) for i, p in enumerate(scenario.people))
    yield from _unique((f"$.people[{i}].nik", p.nik) for i, p in enumerate(scenario.people))
    local_ids: dict[str, list[tuple[str, str]]] = {b: [] for b in (*AGENCY_BLOCKS, "placement")}
    for index, person in enumerate(scenario.people):
        yield from _person_issues(index, person, scenario, missions, licences, singles)
        for block, attr in (
            ("kemnaker", "jobSeekerId"),
            ("p2mi", "pmiId"),
            ("bpjs", "kpj"),
            ("embassy", "recordId"),
        ):
            for item, record in enumerate(getattr(person, block)):
                path = _block_path(index, block, item, singles)
                local_ids[block].append((f"{path}.{attr}", getattr(record, attr)))
        for item, record in enumerate(person.p2mi):
            for j, placement in enumerate(record.placements):
                path = f"{_block_path(index, 'p2mi', item, singles)}.placements[{j}].placementId"
                local_ids["placement"].append((path, placement.placementId))
    for pairs in local_ids.values():
        yield from _unique(pairs)


def _unique(pairs: Iterator[tuple[str, str]] | list[tuple[str, str]]) -> Iterator[ScenarioIssue]:
    seen: dict[str, str] = {}
    for path, value in pairs:
        if value in seen:
            yield ScenarioIssue(path, f"duplicate {value!r}, first used at {seen[value]}")
        else:
            seen[value] = path


def _person_issues(
    index: int,
    person: Person,
    scenario: Scenario,
    missions: set[str],
    licences: set[str],
    singles: set[tuple[int, str]],
) -> Iterator[ScenarioIssue]:
    here = f"$.people[{index}]"
    if not is_valid_nik(person.nik):
        yield ScenarioIssue(f"{here}.nik", "not a valid NIK (16 digits, PPKKCC DDMMYY NNNN)")
    elif not nik_matches(person.nik, person.birthDate, person.sex):
        yield ScenarioIssue(f"{here}.nik", "NIK does not encode this birthDate and sex")
    if person.birthDate > scenario.asOf:
        yield ScenarioIssue(f"{here}.birthDate", "birth date after the scenario's asOf")
    for j, passport in enumerate(person.passports):
        if passport.issuedOn and passport.expiresOn and passport.expiresOn < passport.issuedOn:
            yield ScenarioIssue(f"{here}.passports[{j}].expiresOn", "expires before it was issued")
    for item, record in enumerate(person.p2mi):
        base = _block_path(index, "p2mi", item, singles)
        for j, placement in enumerate(record.placements):
            where = f"{base}.placements[{j}]"
            start, end = placement.contractStart, placement.contractEnd
            if start and end and end < start:
                yield ScenarioIssue(f"{where}.contractEnd", "contract ends before it starts")
            if (
                placement.returnedOn
                and placement.departedOn
                and (placement.returnedOn < placement.departedOn)
            ):
                yield ScenarioIssue(f"{where}.returnedOn", "returned before departing")
            if placement.agencyLicense is not None and placement.agencyLicense not in licences:
                yield ScenarioIssue(
                    f"{where}.agencyLicense", "no placement agency with this licence number"
                )
    for item, record in enumerate(person.bpjs):
        base = _block_path(index, "bpjs", item, singles)
        for j, coverage in enumerate(record.coverages):
            if coverage.end < coverage.start:
                yield ScenarioIssue(f"{base}.coverages[{j}].end", "coverage ends before it starts")
        for j, claim in enumerate(record.claims):
            if claim.paidOn is None:
                continue
            if claim.status != ClaimStatus.PAID:
                yield ScenarioIssue(f"{base}.claims[{j}].paidOn", "only a PAID claim has paidOn")
            elif claim.paidOn < claim.submittedOn:
                yield ScenarioIssue(f"{base}.claims[{j}].paidOn", "paid before it was submitted")
    placement_ids = {pl.placementId for rec in person.p2mi for pl in rec.placements}
    for item, record in enumerate(person.embassy):
        base = _block_path(index, "embassy", item, singles)
        for j, report in enumerate(record.reports):
            if report.mission not in missions:
                yield ScenarioIssue(f"{base}.reports[{j}].mission", "unknown mission code")
        for j, contract in enumerate(record.endorsedContracts):
            if contract not in placement_ids:
                yield ScenarioIssue(
                    f"{base}.endorsedContracts[{j}]", "not a placementId of this person"
                )
