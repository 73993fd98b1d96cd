"""Field access for one principal and one worker: scopes, self, break-glass, NIK masking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from auth.access import Access
from auth.breakglass import BreakGlass
from auth.errors import Forbidden
from auth.principal import Principal
from schema.identifiers import mask_nik

NIK = "3201014508900007"
READS = ("worker.identity:read", "placement:read", "social_security:read", "case:read")


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


def test_scopes_open_their_fields_only() -> None:
    access = Access(principal({"worker.identity:read", "placement:read"}), "W-1")
    assert access.allows("worker.identity:read") and access.allows("placement:read")
    assert not access.allows("social_security:read") and not access.allows("case:read")
    assert access.allows(None)  # a field that needs no scope
    with pytest.raises(Forbidden) as caught:
        access.check("case:read")
    assert caught.value.extensions()["scope"] == "case:read"
    assert caught.value.extensions()["code"] == "FORBIDDEN"


def test_the_nik_scope_is_a_scope_like_the_others() -> None:
    assert mask_nik(NIK) == "3201********0007"
    assert not Access(principal({"worker.identity:read"}), "W-1").allows("worker.nik:read")
    full = Access(principal({"worker.identity:read", "worker.nik:read"}), "W-1")
    assert full.allows("worker.nik:read")


def test_a_self_token_reads_only_what_the_policy_lets_it_on_its_own_record() -> None:
    me = principal({"self"}, worker_id="W-1")
    own = Access(me, "W-1")
    assert all(own.allows(scope, self_reads=True) for scope in READS)
    assert not any(own.allows(scope) for scope in READS)  # a field self does not read
    assert own.allows("worker.nik:read", self_reads=True)  # the policy lets self see its NIK
    assert not own.allows("case:write")
    other = Access(me, "W-2")
    assert not any(other.allows(scope, self_reads=True) for scope in READS)


def test_break_glass_lifts_field_scopes_for_that_worker() -> None:
    officer = principal({"emergency"})
    lifted = Access(officer, "W-1", grant("W-1"))
    assert all(lifted.allows(scope) for scope in READS)
    assert lifted.allows("worker.nik:read")
    assert not lifted.allows("case:write")  # a mutation, not a field
    assert not Access(officer, "W-2").allows("worker.identity:read")
