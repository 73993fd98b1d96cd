"""Where the worker stands today: the stage of the migration cycle, read from the records.

The stage comes from the latest placement that was not cancelled (latest by its most recent
date: return, departure or contract start). REGISTERED and READY are pre-placement; DEPARTED
and WORKING are placement; RETURNED is post-placement for ``post_return_days`` after the
return day (day 0), the BPJS post-placement cover window, and HOME after that: the phase
stays POST_PLACEMENT, the cover window is over but the rights of UU 18/2017 Art. 24 are not
(unpaid rights, claims, reintegration), and the verdict says so with the INFO finding
RETURNED_HOME. A RETURNED placement without a return date counts as within the window: we do
not assume the window is over.

A worker the missions know (a lapor diri, a consular case or a mission record) with no such
placement, or with a lapor diri made after the last return, is abroad without a placement on
record: stage PLACEMENT. A lapor diri whose recorded purpose is not work (study, family,
other) does not count, nor does the mission's record that holds only such reports: every
citizen staying abroad over six months reports, and students and spouses are not migrant
workers (UU 18/2017 Art. 4(2)). A lapor diri of unrecorded purpose counts. Nothing of this:
UNKNOWN. Cancelled placements never set the stage (the failed-departure benefit reads them).

Reading the stage needs SISKOP2MI always, and the missions whenever SISKOP2MI shows no
pre-placement or placement (they alone can show a stay abroad); ``missing`` names those that
could not be read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from hub.protection.config import RulesConfig
from hub.protection.facts import EMBASSY, P2MI, WorkerFacts
from schema.enums import PlacementStatus, ProtectionPhase, StayPurpose
from schema.records import ConsularReportRecord, PlacementRecord, Provenance

PRE = frozenset({PlacementStatus.REGISTERED, PlacementStatus.READY})
ABROAD = frozenset({PlacementStatus.DEPARTED, PlacementStatus.WORKING})


class Stage(StrEnum):
    PRE_PLACEMENT = "PRE_PLACEMENT"
    PLACEMENT = "PLACEMENT"
    POST_PLACEMENT = "POST_PLACEMENT"  # within the post-return window
    HOME = "HOME"  # returned, window over: phase POST_PLACEMENT with no obligations running
    UNKNOWN = "UNKNOWN"

    @property
    def phase(self) -> ProtectionPhase:
        return _PHASES[self]


_PHASES = {
    s: ProtectionPhase.POST_PLACEMENT if s is Stage.HOME else ProtectionPhase(s) for s in Stage
}


@dataclass(frozen=True, slots=True)
class Situation:
    stage: Stage
    placement: PlacementRecord | None  # the current one; None when abroad without one
    unplaced_abroad: tuple[Provenance, ...]  # mission records showing a stay with no placement
    cycle_start: date | None  # records of this phase ending before it belong to an earlier stay
    missing: frozenset[str]  # agencies the stage needed but could not read


def latest_placement(placements: tuple[PlacementRecord, ...]) -> PlacementRecord | None:
    live = [p for p in placements if p.status != PlacementStatus.CANCELLED]
    return max(live, key=_recency, default=None)


def _recency(p: PlacementRecord) -> tuple[date, str]:
    latest = date.min
    for day in (p.returned_on, p.departed_on, p.contract_start):
        if day is not None and day > latest:
            latest = day
    return latest, p.placement_id


def situate(
    facts: WorkerFacts, today: date, config: RulesConfig, readable: frozenset[str]
) -> Situation:
    missing = set() if P2MI in readable else {P2MI}
    current = latest_placement(facts.placements)
    if current is not None and current.status in PRE:
        earlier = [p.returned_on for p in facts.placements if p.returned_on and p is not current]
        return Situation(
            Stage.PRE_PLACEMENT, current, (), max(earlier, default=None), frozenset(missing)
        )
    if current is not None and current.status in ABROAD:
        start = current.departed_on or current.contract_start
        return Situation(Stage.PLACEMENT, current, (), start, frozenset(missing))
    if EMBASSY not in readable:
        missing.add(EMBASSY)
    if current is None:
        seen = _known_to_missions(facts)
        stage = Stage.PLACEMENT if seen else Stage.UNKNOWN
        return Situation(stage, None, seen, None, frozenset(missing))
    returned_on = current.returned_on  # the latest live placement is RETURNED
    later = [
        r
        for r in facts.reports
        if returned_on is not None and r.reported_on > returned_on and for_work(r)
    ]
    if later:
        # abroad again: the new stay began at the latest with its first lapor diri
        start = min(r.reported_on for r in later)
        seen = tuple(dict.fromkeys(r.provenance for r in later))
        return Situation(Stage.PLACEMENT, None, seen, start, frozenset(missing))
    if returned_on is None or (today - returned_on).days <= config.post_return_days:
        return Situation(Stage.POST_PLACEMENT, current, (), returned_on, frozenset(missing))
    return Situation(Stage.HOME, current, (), returned_on, frozenset(missing))


def for_work(report: ConsularReportRecord) -> bool:
    """A lapor diri for work, or of unrecorded purpose (not known not to be for work)."""
    return report.purpose is None or report.purpose is StayPurpose.WORK


def _known_to_missions(facts: WorkerFacts) -> tuple[Provenance, ...]:
    """Mission records of a worker: lapor diri, the mission's person records, its cases; a
    mission's record whose every lapor diri is for another purpose than work does not count."""
    cases = [c.provenance for c in facts.cases if c.provenance.agency == EMBASSY]
    working = [r.provenance for r in facts.reports if for_work(r)]
    if facts.reports and not working and not cases:
        return ()
    found = working + [p.provenance for p in facts.persons if p.agency == EMBASSY] + cases
    return tuple(dict.fromkeys(found))
