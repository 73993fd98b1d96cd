"""A partner token holds the scope partner alone and declares only consent purposes."""

from __future__ import annotations

import pytest

from auth.errors import InvalidToken, PurposeError
from auth.purpose import PARTNER_PURPOSES, Purpose, check_allowed
from auth.verify import principal_from_claims

CLAIMS = {"client_id": "partner-sbmi", "sub": "partner-sbmi", "jti": "j", "iss": "i", "exp": 9}


def test_a_token_mixing_partner_with_an_agency_scope_is_refused() -> None:
    with pytest.raises(InvalidToken):
        principal_from_claims({**CLAIMS, "scope": "partner worker.identity:read"})
    principal = principal_from_claims(
        {**CLAIMS, "scope": "partner", "agency": "SBMI"}, "CASE_ASSISTANCE"
    )
    assert principal.is_partner and not principal.is_self and principal.agency == "SBMI"


@pytest.mark.parametrize("purpose", sorted(PARTNER_PURPOSES))
def test_consent_purposes_are_a_partners_only(purpose: Purpose) -> None:
    assert check_allowed(purpose, {"partner"}) is purpose
    for scopes in ({"case:read"}, {"self"}, {"emergency", "case:read"}):
        with pytest.raises(PurposeError):
            check_allowed(purpose, scopes)


@pytest.mark.parametrize("purpose", sorted(set(Purpose) - PARTNER_PURPOSES))
def test_a_partner_declares_no_agency_purpose(purpose: Purpose) -> None:
    with pytest.raises(PurposeError):
        check_allowed(purpose, {"partner"})
