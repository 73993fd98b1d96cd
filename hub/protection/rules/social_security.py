"""BPJS Ketenagakerjaan cover for the current phase (Permenaker 4/2023).

The obligation follows the payment structure of Permenaker 4/2023 Art. 18-19. A job seeker
merely REGISTERED, with no placement agreement signed, owes no contribution yet: the pre-work
fee falls due after the agreement is signed (Art. 19(1)(a)); such a worker gets no BPJS
finding but the INFO BPJS_ENROL_AFTER_AGREEMENT when not a member. Once the agreement is
signed, missing pre-placement cover is MEDIUM, and HIGH when the placement is READY or
departure is within ``departure_near_days``. Independent workers (scheme INDEPENDENT) buy no
pre-placement cover: one payment buys placement and post-placement cover, with one month of
JKM from payment until embarkation (Art. 18(2), the BPJS manual), so before departure the
rules look for that placement payment. One placement payment also buys the post-placement
cover (Art. 18(1)(b)): a returnee whose placement cover was in force on the return day is
covered for the post-return window even without a post-placement record.

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
from hub.protection.law import PERMENAKER_4_2023, Law
from hub.protection.rule import Context, Hit, rule
from hub.protection.rules.bpjs_due import (
    ENROL_WORKER,
    ENROLMENT,
    bpjs_enrol_after_agreement,
    bpjs_independent_cover_lapsed,
    independent_before_departure,
    independent_payment,
    obliged,
)
from hub.protection.situation import Stage
from hub.protection.text import Text, count, days_since, days_until, join, join_and
from hub.protection.verdict import Action, Party
from schema.enums import Program, ProtectionPhase, Severity
from schema.records import CoverageRecord, Provenance

STAGES = (Stage.PRE_PLACEMENT, Stage.PLACEMENT, Stage.POST_PLACEMENT)
WINDOWS = Law(
    "Permenaker 4/2023 Art. 18-19 (contributions by phase and contract length; the pre-work fee "
    "after the placement agreement; one payment for placement and post-placement) and the BPJS "
    "procedure manual (cover windows)",
    ("[S2]", "[S6]", "[S7]", "DOMAIN [63]"),
    since=PERMENAKER_4_2023,
    weak="The cover periods come from BPJS's procedure manual [S6]; the text of chapter IV of "
    "Permenaker 4/2023 was not retrieved.",
)
ONE_DAY = timedelta(days=1)
PAY_WORKER = Action(  # the worker's, for cover missing, lapsed or ending
    Party.WORKER,
    Text(
        "Bayar iuran BPJS Ketenagakerjaan Anda agar tetap terlindungi bila terjadi kecelakaan "
        "kerja atau meninggal dunia: melalui aplikasi JMO, perwakilan RI, atau kantor BPJS "
        "Ketenagakerjaan (telepon 175).",
        "Pay your BPJS Ketenagakerjaan contribution so that you stay covered for work accidents "
        "and death: through the JMO app, the Indonesian mission or a BPJS Ketenagakerjaan "
        "office (call 175).",
    ),
)


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
                *(
                    c
                    for m in ctx.facts.memberships
                    for c in m.coverages
                    if c.phase == phase and (start is None or c.end >= start)
                ),
                *_bought_with_placement(ctx),
            ),
            key=lambda c: c.start,
        )
        states = ctx.memo["bpjs"] = tuple(
            _state(p, [c for c in coverages if c.program == p], ctx.today)
            for p in ctx.config.compulsory_programs
        )
    return states


def _bought_with_placement(ctx: Context) -> Iterator[CoverageRecord]:
    """Post-placement cover bought with the placement payment (Art. 18(1)(b)): the window
    after the return day, for each programme whose placement cover was in force that day."""
    p, days = ctx.placement, ctx.config.post_return_days
    if ctx.situation.stage is not Stage.POST_PLACEMENT or p is None or p.returned_on is None:
        return
    back = p.returned_on
    for m in ctx.facts.memberships:
        for c in m.coverages:
            if c.phase is ProtectionPhase.PLACEMENT and c.active_on(back):
                yield CoverageRecord(
                    c.program, ProtectionPhase.POST_PLACEMENT, back, back + timedelta(days=days)
                )


def _window_end(ctx: Context) -> date | None:
    """After a return, the last day of the post-return window: cover reaching it is whole."""
    p = ctx.placement
    if ctx.situation.stage is not Stage.POST_PLACEMENT or p is None or p.returned_on is None:
        return None
    return p.returned_on + timedelta(days=ctx.config.post_return_days)


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
    law=ENROLMENT,
    condition="BPJS Ketenagakerjaan holds no membership (KPJ) for the worker, in placement, the "
    "post-return window, or pre-placement once the placement agreement is signed (MEDIUM; HIGH "
    "when READY or departure is within {c.departure_near_days} days). A REGISTERED job seeker "
    "with no placement agreement on record is not yet obliged (see BPJS_ENROL_AFTER_AGREEMENT).",
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
    actions=(ENROL_WORKER,),
    needs=(BPJS,),
    stages=STAGES,
)
def bpjs_not_enrolled(ctx: Context) -> Iterator[Hit]:
    weight = obliged(ctx)
    if not ctx.facts.memberships and weight is not None:
        programs = join_and([p.value for p in ctx.config.compulsory_programs])
        yield Hit({"programs": programs}, ctx.placement_evidence, weight)


@rule(
    code="BPJS_PHASE_NOT_COVERED",
    severity=Severity.HIGH,
    law=WINDOWS,
    condition="The worker is a member and owes cover now (as for BPJS_NOT_ENROLLED, with its "
    "severities), but for a compulsory programme ({c.compulsory_programs}) no coverage of the "
    "current phase is recorded for this stay, or only one starting after today. Post-placement "
    "cover includes the window bought with the placement payment. An independent worker before "
    "departure needs no pre-placement cover: the rule looks for the placement payment instead "
    "(any placement-phase cover or contribution of this stay).",
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
    actions=(PAY_WORKER,),
    needs=(BPJS,),
    stages=STAGES,
)
def bpjs_phase_not_covered(ctx: Context) -> Iterator[Hit]:
    weight = obliged(ctx)
    if not ctx.facts.memberships or weight is None:
        return
    if independent_before_departure(ctx):
        if independent_payment(ctx) is None:
            programs = join_and([p.value for p in ctx.config.compulsory_programs])
            params = {
                "programs": programs,
                "phase": labels.PHASES[ProtectionPhase.PLACEMENT],
                "renewal": _renewal(ctx),
            }
            yield Hit(params, _evidence(ctx), Severity.HIGH)
        return
    bare = [s.program.value for s in program_states(ctx) if not s.active_until and not s.ended_on]
    if bare:
        params = {
            "programs": join_and(bare),
            "phase": labels.PHASES[ctx.situation.stage.phase],
            "renewal": _renewal(ctx),
        }
        yield Hit(params, _evidence(ctx), weight)


@rule(
    code="BPJS_COVERAGE_EXPIRED",
    severity=Severity.HIGH,
    law=WINDOWS,
    condition="For a compulsory programme no coverage of the current phase is in force today "
    "and the last one of this stay ended before today (not for a job seeker not yet obliged, "
    "nor an independent worker before departure). Pre-placement cover also ends early on "
    "failure to depart, which is a benefit (FAILED_DEPARTURE_BENEFIT), not a renewal.",
    message=Text(
        "Perlindungan BPJS Ketenagakerjaan ({programs}) untuk tahap {phase} berakhir {end}, {ago}.",
        "BPJS Ketenagakerjaan coverage ({programs}) for the {phase} phase ended on {end}, {ago}.",
    ),
    action=Text(
        "Perpanjang atau daftarkan ulang kepesertaan. {renewal}",
        "Renew or re-register the coverage. {renewal}",
    ),
    actions=(PAY_WORKER,),
    needs=(BPJS,),
    stages=STAGES,
)
def bpjs_coverage_expired(ctx: Context) -> Iterator[Hit]:
    if obliged(ctx) is None or independent_before_departure(ctx):
        return
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
    law=WINDOWS,
    condition="A compulsory programme's coverage of the current phase is in force today "
    "(start <= today <= end), ends before the post-return window does (after a return: cover "
    "reaching the window's end is whole) and ends within {c.coverage_ends_soon_days} days: "
    "ending today (0 days), tomorrow (1) up to in {c.coverage_ends_soon_days} days is "
    "reported, later is not.",
    message=Text(
        "Kepesertaan BPJS Ketenagakerjaan ({programs}) berakhir {end}, {when}.",
        "BPJS Ketenagakerjaan coverage ({programs}) ends on {end}, {when}.",
    ),
    action=Text(
        "Perpanjang kepesertaan sebelum {end}. {renewal}",
        "Renew the coverage before {end}. {renewal}",
    ),
    actions=(PAY_WORKER,),
    needs=(BPJS,),
    stages=STAGES,
)
def bpjs_coverage_ends_soon(ctx: Context) -> Iterator[Hit]:
    if independent_before_departure(ctx):
        return
    limit, window_end = ctx.config.coverage_ends_soon_days, _window_end(ctx)
    soon = [
        (s.active_until, s.program)
        for s in program_states(ctx)
        if s.active_until
        and (s.active_until - ctx.today).days <= limit
        and (window_end is None or s.active_until < window_end)
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
    law=Law(
        "Permenaker 4/2023 (JHT optional for migrant workers, in seven monthly tiers of "
        "Rp50,000 to 600,000)",
        ("[S5]", "[S10]", "[S57]"),
        since=PERMENAKER_4_2023,
    ),
    condition="The worker is a member but has no JHT coverage in force today, in pre-placement "
    "or placement.",
    message=Text(
        "Tidak ada kepesertaan JHT (Jaminan Hari Tua) yang berlaku; JHT sukarela bagi pekerja "
        "migran.",
        "No JHT (old-age savings) coverage is in force; JHT is optional for migrant workers.",
    ),
    action=Text(
        "Informasikan manfaat JHT kepada pekerja (iuran sukarela Rp50.000, 100.000, 200.000, "
        "300.000, 400.000, 500.000 atau 600.000 per bulan).",
        "Tell the worker about JHT (a voluntary contribution of Rp50,000, 100,000, 200,000, "
        "300,000, 400,000, 500,000 or 600,000 a month).",
    ),
    actions=(
        Action(
            Party.WORKER,
            Text(
                "Bila mau, Anda dapat ikut JHT (tabungan hari tua) secara sukarela di BPJS "
                "Ketenagakerjaan, mulai Rp50.000 per bulan.",
                "If you wish, you can join JHT (old-age savings) voluntarily with BPJS "
                "Ketenagakerjaan, from Rp50,000 a month.",
            ),
        ),
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
    bpjs_enrol_after_agreement,
    bpjs_phase_not_covered,
    bpjs_independent_cover_lapsed,
    bpjs_coverage_expired,
    bpjs_coverage_ends_soon,
    jht_not_enrolled,
)
