"""Signing keys: rotation keeps old tokens valid until they expire; private keys sealed at rest."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from auth.clients import add_client
from auth.errors import InvalidToken
from auth.keys import KeyStore, KeyUnavailable
from auth.models import SigningKeyRow
from auth.sealing import SealError, seal, unseal
from auth.server import HubAuthorizationServer
from auth.settings import AuthSettings
from auth.tokens import TokenIssuer
from auth.verify import LocalVerifier
from tests.auth._support import FakeClock, segments


@pytest.fixture(autouse=True)
def registered(engine: Engine) -> None:
    """The client the tokens here are issued to (the verifier checks the registry)."""
    add_client(
        engine,
        client_id="svc-c",
        name="C",
        agency="P2MI",
        scopes=["case:read"],
        grant_types=["client_credentials"],
    )


def test_rotation_signs_with_the_new_key_and_still_verifies_the_old(
    server: HubAuthorizationServer, clock: FakeClock
) -> None:
    # given a token signed before rotation
    old = server.tokens.issue(client_id="svc-c", subject="svc-c", scopes={"case:read"})
    old_kid = segments(old.value)[0]["kid"]
    # when the keys rotate (as `pmihub keys rotate` in another process would)
    other_process = KeyStore(server.engine, server.settings, clock=clock)
    info = other_process.rotate()
    clock.advance(server.keys.reload_every)
    new = server.tokens.issue(client_id="svc-c", subject="svc-c", scopes={"case:read"})
    # then
    assert segments(new.value)[0]["kid"] == info.kid != old_kid
    assert server.verifier.verify_sync(old.value)["jti"] == old.jti
    assert server.verifier.verify_sync(new.value)["jti"] == new.jti
    assert {k["kid"] for k in server.keys.jwks()["keys"]} == {old_kid, info.kid}


def test_an_unknown_kid_makes_the_store_look_again(
    server: HubAuthorizationServer, clock: FakeClock
) -> None:
    # given a store that has loaded its keys, and a key another process added since
    server.keys.jwks()
    added = KeyStore(server.engine, server.settings, clock=clock).rotate()
    assert server.keys.signing_key().kid != added.kid  # still cached
    # when a token with the new kid arrives
    clock.advance(1)
    found = server.keys.verification_key(added.kid)
    # then
    assert found is not None and found.kid == added.kid
    assert server.keys.verification_key("never-existed") is None


def test_old_keys_retire_after_their_tokens_expire(
    server: HubAuthorizationServer, clock: FakeClock
) -> None:
    old = server.tokens.issue(client_id="svc-c", subject="svc-c", scopes={"case:read"})
    server.keys.rotate()
    clock.advance(server.settings.access_ttl + server.settings.leeway + 1)
    server.keys.rotate()
    kids = [k.kid for k in server.keys.list_keys()]
    assert segments(old.value)[0]["kid"] not in kids
    assert len(kids) == 2
    with pytest.raises(InvalidToken):
        server.verifier.verify_sync(old.value)


def test_rs256_keys_work_too(server: HubAuthorizationServer, clock: FakeClock) -> None:
    server.keys.rotate("RS256")
    issued = server.tokens.issue(client_id="svc-c", subject="svc-c", scopes={"case:read"})
    assert segments(issued.value)[0]["alg"] == "RS256"
    assert server.verifier.verify_sync(issued.value)["sub"] == "svc-c"


def test_an_unknown_algorithm_is_refused(server: HubAuthorizationServer) -> None:
    with pytest.raises(ValueError):
        server.keys.rotate("HS256")


def test_private_keys_are_sealed_in_the_database(
    engine: Engine, server: HubAuthorizationServer
) -> None:
    with Session(engine) as session:
        row = session.exec(select(SigningKeyRow)).one()
    assert "PRIVATE KEY" not in row.private_sealed
    assert row.private_sealed.startswith("v1.")
    assert '"d"' not in row.public_jwk
    assert "private_sealed" not in repr(row)


def test_a_wrong_key_secret_cannot_sign_but_its_tokens_still_verify(
    engine: Engine, server: HubAuthorizationServer, clock: FakeClock
) -> None:
    # given a token signed with a key another process can no longer unseal (S13)
    issued = server.tokens.issue(client_id="svc-c", subject="svc-c", scopes={"case:read"})
    wrong = AuthSettings(public_url=server.settings.public_url, key_secret="another-secret-value")
    store = KeyStore(engine, wrong, clock=clock)
    # then signing is refused by a typed error, the key is named, and verification still works
    with pytest.raises(KeyUnavailable):
        store.signing_key()
    assert store.unreadable == (segments(issued.value)[0]["kid"],)
    verifier = LocalVerifier(store, server.settings, clock=clock)
    assert verifier.verify_sync(issued.value)["jti"] == issued.jti
    assert [k["kid"] for k in store.jwks()["keys"]] == list(store.unreadable)


def test_an_unreadable_old_key_does_not_stop_the_new_one(
    engine: Engine, server: HubAuthorizationServer, clock: FakeClock
) -> None:
    # given a key sealed under an old secret, then a rotation under the new secret
    old = server.tokens.issue(client_id="svc-c", subject="svc-c", scopes={"case:read"})
    new_settings = AuthSettings(
        public_url=server.settings.public_url, key_secret="the-new-secret-value"
    )
    store = KeyStore(engine, new_settings, clock=clock)
    store.rotate()
    # then the new key signs, and both tokens verify
    new = TokenIssuer(store, new_settings, clock=clock).issue(
        client_id="svc-c", subject="svc-c", scopes={"case:read"}
    )
    verifier = LocalVerifier(store, new_settings, clock=clock)
    assert verifier.verify_sync(new.value)["jti"] == new.jti
    assert verifier.verify_sync(old.value)["jti"] == old.jti
    assert store.unreadable == (segments(old.value)[0]["kid"],)


def test_sealing_binds_the_key_id() -> None:
    sealed = seal("s" * 20, "kid-1", b"private")
    assert unseal("s" * 20, "kid-1", sealed) == b"private"
    with pytest.raises(SealError):
        unseal("s" * 20, "kid-2", sealed)
    with pytest.raises(SealError):
        unseal("s" * 20, "kid-1", "v1.garbage")


def test_an_empty_key_set_gets_its_first_key_on_first_use(
    engine: Engine, settings: AuthSettings
) -> None:
    store = KeyStore(engine, settings)
    assert store.list_keys() == []
    key = store.signing_key()
    assert [k.kid for k in store.list_keys()] == [key.kid]
    assert store.signing_key() == key
