"""``Idempotency-Key`` records (hub/edge/idempotency.py) on SQLite and PostgreSQL: a key is the
principal's, the same request finds the first attempt's result, another request is refused,
and after 24 hours the key starts anew; the header is checked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from hub.edge.idempotency import Idempotency, IdempotencyError, IdempotencyRow, check_key
from tests.databases import migrated_engine

SECRET = b"a-test-pseudonym-key-0123456789"
T0 = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
EMBASSY = ("embassy-system", "embassy-system")
CASE = {"workerId": "wk_1", "kind": "ABUSE", "summary": "Majikan menahan paspor"}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with migrated_engine(request.param, tmp_path, "idempotency_test") as made:
        yield made


def key(raw: str = "k-1", who: tuple[str, str] = EMBASSY, **changed: str) -> Idempotency:
    return Idempotency.of(SECRET, raw, who, "openCase", {**CASE, **changed})


def test_the_same_request_finds_the_first_and_another_is_refused(engine: Engine) -> None:
    with Session(engine) as session:
        assert key().prior(session, T0) is None
        key().keep(session, "CASE-HUB-2026-000001", T0)
        session.commit()
    with Session(engine) as session:
        assert key().prior(session, T0 + timedelta(hours=23)) == "CASE-HUB-2026-000001"
        with pytest.raises(IdempotencyError) as refused:
            key(summary="Majikan menahan gaji").prior(session, T0 + timedelta(hours=1))
        assert refused.value.code == "IDEMPOTENCY_KEY_REUSED"
        other = Idempotency.of(SECRET, "k-1", EMBASSY, "referCase", CASE)
        with pytest.raises(IdempotencyError):
            other.prior(session, T0)
        # another principal's same key, or another key: not found
        assert key(who=("p2mi-system", "p2mi-system")).prior(session, T0) is None
        assert key("k-2").prior(session, T0) is None
        # after 24 hours the key starts anew (and a new keep forgets the old ones)
        assert key(summary="lain").prior(session, T0 + timedelta(hours=24)) is None
        key("k-3").keep(session, "CASE-HUB-2026-000002", T0 + timedelta(hours=25))
        session.commit()
        assert [r.result_id for r in session.exec(select(IdempotencyRow)).all()] == [
            "CASE-HUB-2026-000002"
        ]


def test_the_digests_are_keyed_and_hide_the_key_and_the_arguments() -> None:
    made = key("secret-key-42")
    assert "secret-key-42" not in made.key and len(made.key) == 64
    assert made != Idempotency.of(
        b"another-pseudonym-key-000000", "secret-key-42", EMBASSY, "openCase", CASE
    )
    assert key('"k-1"') == key("k-1")  # a structured-field string: quotes optional


@pytest.mark.parametrize("raw", ["", " ", "two words", "x" * 256, "tab\there", "ümlaut"])
def test_a_malformed_header_is_bad_input(raw: str) -> None:
    with pytest.raises(IdempotencyError) as refused:
        check_key(raw)
    assert refused.value.code == "BAD_USER_INPUT"
