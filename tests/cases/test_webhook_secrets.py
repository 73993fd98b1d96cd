"""Webhook secrets at rest: sealed at registration, never stored or listed in clear, and
migration 0008 seals the secrets an older database kept in clear."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from auth.sealing import SealError
from hub.cases import Actor, WebhookStore
from hub.cases.tables import WebhookRow
from hub.cases.webhook_secrets import SecretOpener
from hub.storage import make_engine
from hub.storage.migrate import upgrade
from tests.databases import throwaway_postgres

KEY = "webhook-test-key-secret-0123456789"
P2MI = Actor("p2mi-system", "p2mi-system", "P2MI", "CASE_HANDLING")


def _row_text(engine: Engine, webhook_id: str) -> str:
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT * FROM hub_webhook WHERE id = :id"), {"id": webhook_id}
        ).one()
    return " ".join(str(v) for v in row)


def test_the_secret_is_sealed_shown_once_and_rotated_by_registering_again(engine: Engine) -> None:
    store = WebhookStore(engine, key_secret=KEY)
    hook, secret = store.add(P2MI, "https://p2mi.example/hooks", None)
    # never in the row, in clear or in its base64 part; never in what the list answers
    assert secret not in _row_text(engine, hook.id)
    assert secret.removeprefix("whsec_") not in _row_text(engine, hook.id)
    assert secret not in repr(store.list())
    with engine.connect() as connection:
        sealed = connection.execute(
            select(WebhookRow.secret_sealed).where(WebhookRow.id == hook.id)  # type: ignore[arg-type]
        ).scalar_one()
    assert SecretOpener(KEY).open(hook.id, sealed) == secret
    with pytest.raises(SealError):
        SecretOpener("another-key-secret-0123456789").open(hook.id, sealed)
    with pytest.raises(SealError):  # bound to its webhook: not movable to another row
        SecretOpener(KEY).open("wh_other", sealed)
    # rotation: register again, then remove the old one
    again, new_secret = store.add(P2MI, "https://p2mi.example/hooks", None)
    assert new_secret != secret and store.remove(hook.id, client_id="p2mi-system")
    assert [h.id for h in store.list()] == [again.id]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_at_0007(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database whose webhook kept its secret in clear, as before 0008."""

    def fill(url: str) -> Iterator[Engine]:
        engine = make_engine(url)
        upgrade(engine, "0007")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO hub_webhook (id, url, mission_code, secret, client_id, subject, "
                    "agency, purpose, created_at, active) VALUES ('wh_old', "
                    "'https://p2mi.example/h', NULL, 'whsec_b2xkLXNlY3JldA==', 'p2mi-system', "
                    "'p2mi-system', 'P2MI', NULL, :at, :active)"
                ),
                {"at": datetime(2026, 11, 1, tzinfo=UTC), "active": True},
            )
        try:
            yield engine
        finally:
            engine.dispose()

    if request.param == "sqlite":
        yield from fill(f"sqlite:///{tmp_path / 'hub.db'}")
    else:
        with throwaway_postgres() as url:
            yield from fill(url)


def test_the_migration_seals_secrets_kept_in_clear(
    database_at_0007: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUB_AUTH_KEY_SECRET", KEY)
    upgrade(database_at_0007)
    text_of_row = _row_text(database_at_0007, "wh_old")
    assert "whsec_" not in text_of_row and "b2xkLXNlY3JldA" not in text_of_row
    with database_at_0007.connect() as connection:
        sealed = connection.execute(
            text("SELECT secret_sealed FROM hub_webhook WHERE id = 'wh_old'")
        ).scalar_one()
    assert SecretOpener(KEY).open("wh_old", sealed) == "whsec_b2xkLXNlY3JldA=="


def test_without_the_key_secret_the_migration_stops_and_changes_nothing(
    database_at_0007: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUB_ENV", "production")
    monkeypatch.setenv("HUB_PSEUDONYM_KEY", "p" * 32)
    with pytest.raises(RuntimeError, match="HUB_AUTH_KEY_SECRET is required"):
        upgrade(database_at_0007)
    assert "whsec_b2xkLXNlY3JldA==" in _row_text(database_at_0007, "wh_old")
