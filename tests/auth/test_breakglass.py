"""Break-glass grants: emergency scope, a substantive reason, one worker, a time limit, a record."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from auth.breakglass import BreakGlassService, check_reason
from auth.errors import BadBreakGlass, BreakGlassRefused, Forbidden, PurposeError
from auth.principal import Principal
from auth.purpose import Purpose
from tests.auth._support import FakeClock

REASON = "Pekerja ditahan di bandara Riyadh, keluarga melapor ke KBRI"


def officer(
    scopes: set[str] | None = None,
    subject: str = "petugas.kbri",
    purpose: Purpose = Purpose.EMERGENCY,
    client_id: str = "console-frontend",
) -> Principal:
    return Principal(
        client_id=client_id,
        subject=subject,
        scopes=frozenset(scopes if scopes is not None else {"emergency", "case:read"}),
        token_id="jti-1",
        issuer="http://127.0.0.1:8000",
        expires_at=0,
        agency="EMBASSY",
        purpose=purpose,
    )


@pytest.fixture
def service(engine: Engine, clock: FakeClock) -> BreakGlassService:
    return BreakGlassService(engine, minutes=60, clock=clock)


def test_an_officer_with_emergency_opens_a_grant_for_one_worker(
    service: BreakGlassService, clock: FakeClock
) -> None:
    # when
    grant = service.open(officer(), "W-0001", f"  {REASON}\n")
    # then
    assert grant.reason == REASON
    assert (grant.expires_at - grant.created_at).total_seconds() == 3600
    assert service.active(officer(), "W-0001") == grant
    assert service.active(officer(), "W-0002") is None
    assert service.active(officer(subject="someone.else"), "W-0001") is None
    assert service.list() == [grant]


def test_the_grant_ends_after_its_minutes(service: BreakGlassService, clock: FakeClock) -> None:
    grant = service.open(officer(), "W-0001", REASON)
    clock.advance(59 * 60)
    assert service.active(officer(), "W-0001") == grant
    clock.advance(61)
    assert service.active(officer(), "W-0001") is None
    assert service.list(active_only=True) == []
    assert service.list() == [grant]  # kept for review


def test_without_the_emergency_scope_it_is_forbidden(service: BreakGlassService) -> None:
    with pytest.raises(Forbidden) as caught:
        service.open(officer({"case:read"}), "W-0001", REASON)
    assert caught.value.scope == "emergency"
    assert caught.value.extensions()["code"] == "FORBIDDEN"
    assert service.list() == []


@pytest.mark.parametrize(
    "reason",
    [
        "",
        "urgent",
        "darurat darurat",  # 14 letters
        "a" * 25,  # one word
        "aaaaaaaaaa aaaaaaaaaaa",  # one letter repeated
        "x" * 600 + " " + "y" * 600,
        "Pekerja ditahan\x00 di bandara Riyadh",
        "lorem ipsum dolor sit amet",  # the probe's filler (issue #13)
        "lorem ipsum dolor sit amet consectetur",
        "asdfasdfasdf qwerqwerqwer",
        "test test test test test test",
        "sdfgh jklkj wrtzp qwrty",  # keyboard mash: no vowels
    ],
)
def test_a_reason_that_is_not_substantive_is_refused(
    reason: str, service: BreakGlassService
) -> None:
    with pytest.raises(BadBreakGlass) as caught:
        service.open(officer(), "W-0001", reason)
    error = caught.value
    assert error.code == "BAD_USER_INPUT"
    assert error.extensions()["argument"] == "reason"
    assert " / " in error.message
    assert service.list() == []


@pytest.mark.parametrize("worker_id", ["", " ", "W 1", "x" * 41, "W-1;DROP"])
def test_a_bad_worker_id_is_refused(worker_id: str, service: BreakGlassService) -> None:
    with pytest.raises(BadBreakGlass) as caught:
        service.open(officer(), worker_id, REASON)
    assert caught.value.extensions()["argument"] == "workerId"


def test_reasons_count_non_space_characters() -> None:
    assert check_reason("Lima belas huruf ditambah") == "Lima belas huruf ditambah"
    with pytest.raises(BadBreakGlass):
        check_reason("a b c d e f g h i j k l m n o p q r s")  # 19 letters


def test_active_grants_for_many_workers_in_one_go(service: BreakGlassService) -> None:
    service.open(officer(), "W-0001", REASON)
    service.open(officer(), "W-0003", REASON)
    found = service.active_for(officer(), ["W-0001", "W-0002", "W-0003"])
    assert sorted(found) == ["W-0001", "W-0003"]
    assert service.active_for(officer({"case:read"}), ["W-0001"]) == {}


def test_grants_are_listed_newest_first_and_filtered(
    service: BreakGlassService, clock: FakeClock
) -> None:
    first = service.open(officer(), "W-0001", REASON)
    clock.advance(10)
    second = service.open(officer(), "W-0002", REASON)
    assert service.list() == [second, first]
    assert service.list(worker_id="W-0001") == [first]
    assert service.list(since=second.created_at) == [second]
    assert service.list(limit=1) == [second]


def test_a_machine_client_cannot_break_the_glass(service: BreakGlassService) -> None:
    machine = officer(subject="embassy-system", client_id="embassy-system")
    with pytest.raises(BreakGlassRefused) as caught:
        service.open(machine, "W-0001", REASON)
    assert caught.value.extensions()["reason"] == "HUMAN_ONLY" and caught.value.status_code == 403
    assert service.list() == []


def test_only_under_purpose_emergency_and_the_grant_only_works_under_it(
    service: BreakGlassService,
) -> None:
    with pytest.raises(PurposeError) as caught:
        service.open(officer(purpose=Purpose.CASE_HANDLING), "W-0001", REASON)
    assert caught.value.code == "PURPOSE_NOT_ALLOWED"
    assert service.list() == []
    service.open(officer(), "W-0001", REASON)
    assert service.active_for(officer(), ["W-0001"])
    assert service.active_for(officer(purpose=Purpose.CASE_HANDLING), ["W-0001"]) == {}


def test_an_officer_opens_a_few_grants_an_hour(engine: Engine, clock: FakeClock) -> None:
    service = BreakGlassService(engine, minutes=60, per_hour=3, clock=clock)
    for n in range(3):
        service.open(officer(), f"W-000{n}", REASON)
    with pytest.raises(BreakGlassRefused) as caught:
        service.open(officer(), "W-0009", REASON)
    assert caught.value.extensions()["reason"] == "LIMIT" and caught.value.status_code == 429
    service.open(officer(subject="petugas.lain"), "W-0009", REASON)  # per officer
    clock.advance(3601)
    service.open(officer(), "W-0009", REASON)  # an hour later
    assert len(service.list()) == 5
