"""Webhook URLs: https to a public host only (outside dev and test), nothing internal."""

from __future__ import annotations

import pytest

from hub.cases.lifecycle import CaseError
from hub.cases.webhooks import WebhookStore

STORE = WebhookStore(engine=None, allow_http=False)  # type: ignore[arg-type]  # URLs only


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10:8443/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://localhost/hook",
        "https://db.internal/hook",
        "http://agency.example.go.id/hook",
        "https://user:pw@agency.example.go.id/hook",
    ],
)
def test_internal_or_insecure_targets_are_refused(url: str) -> None:
    with pytest.raises(CaseError) as refused:
        STORE.check_url(url)
    assert refused.value.code == "BAD_USER_INPUT"


def test_a_public_https_url_is_accepted() -> None:
    assert STORE.check_url(" https://siskop2mi.example.go.id/hooks/cases ") == (
        "https://siskop2mi.example.go.id/hooks/cases"
    )
