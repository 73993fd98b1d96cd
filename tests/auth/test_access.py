"""Field access for one principal and one worker: scopes, self, break-glass, NIK masking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from auth.access import SECTION_SCOPES, Access
from auth.breakglass import BreakGlass
from auth.errors import Forbidden
from auth.principal import Principal
from schema.identifiers import mask_nik

NIK = "3201014508900007"


def principal(scopes: set[str], worker_id: str | None = None) -> Principal:
    return Principal(
        client_id="c",
        subject=worker_id or "officer",
        scopes=frozenset(scopes),
        token_id="j",
        issuer="i",
        expires_at=0,
        worker_id=worker_id,
    )


def grant(worker_id: str) -> BreakGlass:
    now = datetime.now(UTC)
    return BreakGlass("g", "c", "officer", worker_id, "reason", "j", now, now + timedelta(hours=1))


def test_scopes_open_their_sections_only() -> None:
    access = Access(principal({"worker.identity:read", "placement:read"}), "W-1")
    assert access.section("identity") and access.section("placements")
    assert not access.section("socialSecurity") and not access.section("nextOfKin")
    with pytest.raises(Forbidden) as caught:
        access.check(SECTION_SCOPES["cases"])
    assert caught.value.extensions()["scope"] == "case:read"
    assert caught.value.extensions()["code"] == "FORBIDDEN"


def test_the_nik_is_masked_without_its_scope() -> None:
    assert mask_nik(NIK) == "3201********0007"
    assert Access(principal({"worker.identity:read"}), "W-1").nik(NIK) == "3201********0007"
    full = Access(principal({"worker.identity:read", "worker.nik:read"}), "W-1")
    assert full.nik(NIK) == NIK


def test_a_self_token_reads_only_its_own_record() -> None:
    me = principal({"self"}, worker_id="W-1")
    own = Access(me, "W-1")
    assert all(own.section(name) for name in SECTION_SCOPES)
    assert own.nik(NIK) == NIK
    assert not own.allows("case:write")
    other = Access(me, "W-2")
    assert not any(other.section(name) for name in SECTION_SCOPES)
    assert other.nik(NIK) == mask_nik(NIK)


def test_break_glass_lifts_field_scopes_for_that_worker() -> None:
    officer = principal({"emergency"})
    lifted = Access(officer, "W-1", grant("W-1"))
    assert all(lifted.section(name) for name in SECTION_SCOPES)
    assert lifted.nik(NIK) == NIK
    assert not lifted.allows("case:write")  # a mutation, not a field
    assert not Access(officer, "W-2").section("identity")
