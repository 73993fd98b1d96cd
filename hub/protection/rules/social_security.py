"""BPJS Ketenagakerjaan cover for the current phase (Permenaker 4/2023).

Coverage counts for the phase it was bought for. Records of this phase that ended before the
current stay began (departure for placement, return for post-placement, the previous return for
pre-placement) belong to an earlier stay and are ignored, so an old placement's cover reads
neither as "expired" nor as cover. Back-to-back records (an extension starting the day after,
or overlapping) are joined into one span.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from hub.protection import labels
from hub.protection.config import RulesConfig
from hub.protection.facts import BPJS
from hub.protection.rule import Context, Hit, rule
from hub.protection.situation import Stage
from hub.protection.text import Text, count, days_since, days_until, join, join_and
from schema.enums import Program, Severity
from schema.records import CoverageRecord, Provenance

STAGES = (Stage.PRE_PLACEMENT, Stage.PLACEMENT, Stage.POST_PLACEMENT)
WINDOWS = "Permenaker 4/2023 (cover windows per phase; an extension needs a new payment)"
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class ProgramState:
    program: Program
    active_until: date | None  # end of the span in force today
    ended_on: date | None  # when nothing is in force: the end of the last span of this stay


def program_states(ctx: Context) -> tuple[ProgramState, ...]:
    """The compulsory programmes' state for the current phase, computed once per evaluation."""
    states = ctx.memo.get("bpjs")
    if states is None:
        phase, start = ctx.situation.stage.phase, ctx.situation.cycle_start
        coverages = sorted(
            (
                c
                for m in ctx.facts.memberships
                for c in m.coverages
                if c.phase == phase and (start is None or c.end >= start)
            ),
            key=lambda c: c.start,
        )
        states = ctx.memo["bpjs"] = tuple(
            _state(p, [c for c in coverages if c.program == p], ctx.today)
            for p in ctx.config.compulsory_programs
        )
    return states


def _state(program: Program, coverages: list[CoverageRecord], today: date) -> ProgramState:
    until: date | None = None
    for c in coverages:  # sorted by start
        if until is None:
            if c.start <= today <= c.end:
                until = c.end
        elif c.start > until + ONE_DAY:
            break
        else:
            until = max(until, c.end)
    if until is not None:
        return ProgramState(program, until, None)
    ended = max((c.end for c in coverages if c.end < today), default=None)
    return ProgramState(program, None, ended)


def _evidence(ctx: Context) -> tuple[Provenance, ...]:
    return (*(m.provenance for m in ctx.facts.memberships), *ctx.placement_evidence)


def _renewal(ctx: Context) -> Text:
    return renewal(ctx.situation.stage, ctx.config)


def renewal(stage: Stage, config: RulesConfig) -> Text:
    """How long cover of the stage's phase lasts by law: the ``{renewal}`` of the actions."""
    if stage is Stage.PRE_PLACEMENT:
        months = count(config.pre_departure_months, "bulan", "month")
        return Text(
            f"Perlindungan prapenempatan berlaku paling lama {months.id} sejak pembayaran; bila "
            "belum berangkat, daftar dan bayar ulang.",
            f"Pre-placement cover lasts at most {months.en} from payment; a worker who has not "
            "departed by then registers and pays again.",
        )
    if stage is Stage.PLACEMENT:
        months = count(config.placement_grace_months, "bulan", "month")
        return Text(
            f"Perlindungan masa penempatan berlaku sampai {months.id} setelah kontrak berakhir; "
            "perpanjangan kontrak memerlukan pembayaran baru.",
            f"Placement cover runs until {months.en} after the contract ends; a contract "
            "extension needs a new payment.",
        )
    days = count(config.post_return_days, "hari", "day")
    return Text(
        f"Perlindungan purnapenempatan berlaku {days.id} sejak tiba di Indonesia.",
        f"Post-placement cover lasts {days.en} from arrival in Indonesia.",
    )


def _by_date(pairs: list[tuple[date, Program]]) -> dict[date, list[str]]:
    grouped: dict[date, list[str]] = {}
    for day, program in sorted(pairs, key=lambda pair: pair[0]):
        grouped.setdefault(day, []).append(program.value)
    return grouped


@rule(
    code="BPJS_NOT_ENROLLED",
    severity=Severity.HIGH,
    basis="UU 18/2017 Art. 5 (a social-security number is a requirement); Permenaker 4/2023 "
    "(JKK and JKM compulsory)",
    condition="BPJS Ketenagakerjaan holds no membership (KPJ) for the worker, in pre-placement, "
    "placement or the post-return window.",
    message=Text(
        "Tidak terdaftar sebagai peserta BPJS Ketenagakerjaan; {programs} wajib bagi pekerja "
        "migran.",
        "Not a member of BPJS Ketenagakerjaan; {programs} are compulsory for migrant workers.",
    ),
    action=Text(
        "Daftarkan pekerja ke BPJS Ketenagakerjaan ({programs}): sebelum berangkat melalui "
        "P3MI atau LTSA, di luar negeri melalui perwakilan atau aplikasi JMO.",
        "Enrol the worker with BPJS Ketenagakerjaan ({programs}): before departure through the "
        "placement company or the one-stop service (LTSA), abroad through the mission or the "
        "JMO app.",
    ),
    needs=(BPJS,),
    stages=STAGES,
)
def bpjs_not_enrolled(ctx: Context) -> Iterator[Hit]:
    if not ctx.facts.memberships:
        programs = join_and([p.value for p in ctx.config.compulsory_programs])
        yield Hit({"programs": programs}, ctx.placement_evidence)


@rule(
    code="BPJS_PHASE_NOT_COVERED",
    severity=Severity.HIGH,
    basis=WINDOWS,
    condition="The worker is a member, but for a compulsory programme ({c.compulsory_programs}) "
    "no coverage of the current phase is recorded for this stay, or only one starting after "
    "today.",
    message=Text(
        "Terdaftar di BPJS Ketenagakerjaan, tetapi tidak ada perlindungan {programs} untuk tahap "
        "{phase} yang berlaku hari ini.",
        "Enrolled with BPJS Ketenagakerjaan, but no {programs} coverage for the {phase} phase "
        "is in force today.",
    ),
    action=Text(
        "Bayar iuran tahap {phase} agar {programs} berlaku. {renewal}",
        "Pay the {phase} contribution so that {programs} apply. {renewal}",
    ),
    needs=(BPJS,),
    stages=STAGES,
)
def bpjs_phase_not_covered(ctx: Context) -> Iterator[Hit]:
    if not ctx.facts.memberships:
        return
    bare = [s.program.value for s in program_states(ctx) if not s.active_until and not s.ended_on]
    if bare:
        params = {
            "programs": join_and(bare),
            "phase": labels.PHASES[ctx.situation.stage.phase],
            "renewal": _renewal(ctx),
        }
        yield Hit(params, _evidence(ctx))


@rule(
    code="BPJS_COVERAGE_EXPIRED",
    severity=Severity.HIGH,
    basis=WINDOWS,
    condition="For a compulsory programme no coverage of the current phase is in force today "
    "and the last one of this stay ended before today.",
    message=Text(
        "Perlindungan BPJS Ketenagakerjaan ({programs}) untuk tahap {phase} berakhir {end}, {ago}.",
        "BPJS Ketenagakerjaan coverage ({programs}) for the {phase} phase ended on {end}, {ago}.",
    ),
    action=Text(
        "Perpanjang atau daftarkan ulang kepesertaan. {renewal}",
        "Renew or re-register the coverage. {renewal}",
    ),
    needs=(BPJS,),
    stages=STAGES,
)
def bpjs_coverage_expired(ctx: Context) -> Iterator[Hit]:
    ended = [(s.ended_on, s.program) for s in program_states(ctx) if s.ended_on]
    for end, programs in _by_date(ended).items():
        params = {
            "programs": join(programs),
            "phase": labels.PHASES[ctx.situation.stage.phase],
            "end": end,
            "ago": days_since((ctx.today - end).days),
            "renewal": _renewal(ctx),
        }
        yield Hit(params, _evidence(ctx))


@rule(
    code="BPJS_COVERAGE_ENDS_SOON",
    severity=Severity.MEDIUM,
    basis=WINDOWS,
    condition="A compulsory programme's coverage of the current phase is in force today "
    "(start <= today <= end) and ends within {c.coverage_ends_soon_days} days: ending today "
    "(0 days), tomorrow (1) up to in {c.coverage_ends_soon_days} days is reported, later is not.",
    message=Text(
        "Kepesertaan BPJS Ketenagakerjaan ({programs}) berakhir {end}, {when}.",
        "BPJS Ketenagakerjaan coverage ({programs}) ends on {end}, {when}.",
    ),
    action=Text(
        "Perpanjang kepesertaan sebelum {end}. {renewal}",
        "Renew the coverage before {end}. {renewal}",
    ),
    needs=(BPJS,),
    stages=STAGES,
)
def bpjs_coverage_ends_soon(ctx: Context) -> Iterator[Hit]:
    limit = ctx.config.coverage_ends_soon_days
    soon = [
        (s.active_until, s.program)
        for s in program_states(ctx)
        if s.active_until and (s.active_until - ctx.today).days <= limit
    ]
    for end, programs in _by_date(soon).items():
        params = {
            "programs": join(programs),
            "end": end,
            "when": days_until((end - ctx.today).days),
            "renewal": _renewal(ctx),
        }
        yield Hit(params, _evidence(ctx))


@rule(
    code="JHT_NOT_ENROLLED",
    severity=Severity.INFO,
    basis="Permenaker 4/2023 (JHT optional for migrant workers, Rp50,000-600,000 a month)",
    condition="The worker is a member but has no JHT coverage in force today, in pre-placement "
    "or placement.",
    message=Text(
        "Tidak ada kepesertaan JHT (Jaminan Hari Tua) yang berlaku; JHT sukarela bagi pekerja "
        "migran.",
        "No JHT (old-age savings) coverage is in force; JHT is optional for migrant workers.",
    ),
    action=Text(
        "Informasikan manfaat JHT kepada pekerja (iuran sukarela Rp50.000-600.000 per bulan).",
        "Tell the worker about JHT (a voluntary contribution of Rp50,000-600,000 a month).",
    ),
    needs=(BPJS,),
    stages=(Stage.PRE_PLACEMENT, Stage.PLACEMENT),
)
def jht_not_enrolled(ctx: Context) -> Iterator[Hit]:
    memberships = ctx.facts.memberships
    if memberships and not any(
        c.program == Program.JHT and c.active_on(ctx.today)
        for m in memberships
        for c in m.coverages
    ):
        yield Hit({}, tuple(m.provenance for m in memberships))


RULES = (
    bpjs_not_enrolled,
    bpjs_phase_not_covered,
    bpjs_coverage_expired,
    bpjs_coverage_ends_soon,
    jht_not_enrolled,
)
