"""The stage of the migration cycle, read from the records."""

from __future__ import annotations

from typing import Any

import pytest

from hub.protection.config import DEFAULT_CONFIG
from hub.protection.situation import Stage, situate
from tests.protection.people import TODAY, day, embassy, p2mi, placement, report, worker
from tests.protection.scenario_facts import facts_for

OLD = placement(
    placementId="PL-2019-0000001",
    status="RETURNED",
    contractStart="2019-01-01",
    contractEnd="2020-12-31",
    departedOn="2019-01-01",
    returnedOn="2021-01-03",
)
READY = placement(status="READY", departedOn=None, contractStart=day(20))

CURRENT, EARLIER = "PL-2025-0000001", "PL-2019-0000001"


def placed(**changes: Any) -> dict[str, Any]:
    return worker(p2mi=p2mi(placement(**changes)))


def after_old(*later: dict[str, Any], reports: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:
    return worker(p2mi=p2mi(OLD, *later), embassy=embassy(reports=reports, endorsed=()))


# (name, person, the stage, the current placement's id or None)
STAGES: list[tuple[str, dict[str, Any], Stage, str | None]] = [
    ("working", worker(), Stage.PLACEMENT, CURRENT),
    ("departed", placed(status="DEPARTED"), Stage.PLACEMENT, CURRENT),
    ("registered", placed(status="REGISTERED", departedOn=None), Stage.PRE_PLACEMENT, CURRENT),
    ("ready after an earlier stay", after_old(READY), Stage.PRE_PLACEMENT, CURRENT),
    ("working after an earlier stay", after_old(placement()), Stage.PLACEMENT, CURRENT),
    (
        "a cancelled newer placement is ignored",
        after_old(placement(status="CANCELLED", departedOn=None)),
        Stage.HOME,
        EARLIER,
    ),
    (
        "returned, date not recorded: obligations assumed running",
        placed(status="RETURNED"),
        Stage.POST_PLACEMENT,
        CURRENT,
    ),
    ("returned today", placed(status="RETURNED", returnedOn=day(0)), Stage.POST_PLACEMENT, CURRENT),
    (
        "returned 30 days ago",
        placed(status="RETURNED", returnedOn=day(-30)),
        Stage.POST_PLACEMENT,
        CURRENT,
    ),
    ("returned 31 days ago", placed(status="RETURNED", returnedOn=day(-31)), Stage.HOME, CURRENT),
    (
        "returned, then a lapor diri abroad",
        after_old(reports=(report(day(-60)),)),
        Stage.PLACEMENT,
        None,
    ),
    (
        "returned, lapor diri only from before",
        after_old(reports=(report("2019-02-01"),)),
        Stage.HOME,
        EARLIER,
    ),
    (
        "known only at a mission",
        worker(p2mi=None, embassy=embassy(endorsed=())),
        Stage.PLACEMENT,
        None,
    ),
    (
        "a mission record without lapor diri",
        worker(p2mi=None, embassy=embassy(reports=(), endorsed=())),
        Stage.PLACEMENT,
        None,
    ),
    ("a job seeker only", worker(p2mi=None, embassy=None), Stage.UNKNOWN, None),
]


@pytest.mark.parametrize(("name", "person", "stage", "current"), STAGES, ids=[s[0] for s in STAGES])
def test_stage(name: str, person: dict[str, Any], stage: Stage, current: str | None) -> None:
    facts = facts_for(person)
    # when
    found = situate(facts, TODAY, DEFAULT_CONFIG, facts.readable())
    # then
    placement_id = found.placement.placement_id if found.placement else None
    assert (found.stage, placement_id, found.missing) == (stage, current, frozenset())


def test_home_is_post_placement_to_the_outside() -> None:
    assert Stage.HOME.phase.value == "POST_PLACEMENT"
    assert {s.phase.value for s in Stage} == {
        "PRE_PLACEMENT",
        "PLACEMENT",
        "POST_PLACEMENT",
        "UNKNOWN",
    }


def test_the_missions_are_needed_only_when_siskop2mi_shows_no_stay() -> None:
    # given the missions could not be read
    abroad = facts_for(worker(), unavailable=["EMBASSY"])
    home = facts_for(worker(p2mi=p2mi(OLD), embassy=None), unavailable=["EMBASSY"])
    # then a worker SISKOP2MI places abroad is placed; one back home might have left again
    assert situate(abroad, TODAY, DEFAULT_CONFIG, abroad.readable()).missing == frozenset()
    assert situate(home, TODAY, DEFAULT_CONFIG, home.readable()).missing == {"EMBASSY"}
