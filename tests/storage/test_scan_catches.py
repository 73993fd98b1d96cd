"""The at-rest scan is not hollow: each way of storing an identifier it claims to catch, planted
in a migrated database, is reported; the same rows with keyed digests are not."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert
from sqlalchemy.engine import Engine

from hub.crosswalk.tables import AgencyRecordRow, RecordKeyRow, SyncCursorRow, WorkerRow
from hub.resilience.cache_secrets import CacheSecrets
from tests.storage.scan import Identifiers, scan_database, scan_value

PERSON = {
    "nik": "3506124508900003",
    "name": "Siti Aminah",
    "birthDate": "1990-08-05",
    "sex": "FEMALE",
    "phone": "+6281234567890",
    "passports": [{"number": "C1234567"}],
    "bpjs": [{"kpj": "24001234567", "nameAs": "SITI AMINAH"}],
}
NOW = datetime(2026, 12, 4, tzinfo=UTC)


def known() -> Identifiers:
    found = Identifiers()
    found.add_person(PERSON)
    return found


def _plant(
    engine: Engine, fingerprint: str, digest: str, local_id: str = "AK1-1", cursor: str = "c"
) -> None:
    with engine.begin() as connection:
        connection.execute(
            insert(SyncCursorRow.__table__).values(agency="KEMNAKER", cursor=cursor, updated_at=NOW)  # type: ignore[attr-defined]
        )
        connection.execute(insert(WorkerRow.__table__).values(id="wk_1", created_at=NOW))  # type: ignore[attr-defined]
        connection.execute(
            insert(AgencyRecordRow.__table__).values(  # type: ignore[attr-defined]
                agency="KEMNAKER",
                local_id=local_id,
                worker_id="wk_1",
                method="NEW",
                fingerprint=fingerprint,
                updated_at=NOW,
            )
        )
        connection.execute(
            insert(RecordKeyRow.__table__).values(  # type: ignore[attr-defined]
                kind="NIK", digest=digest, agency="KEMNAKER", local_id=local_id
            )
        )


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


PLANTED = {
    # today's unkeyed crosswalk fingerprint: nik ␟ name ␟ birth date ␟ sex
    "unkeyed sha256 of record fingerprint": hashlib.sha256(
        "\x1f".join(["3506124508900003", "SITI AMINAH", "1990-08-05", "FEMALE"]).encode()
    ).hexdigest(),
    "unkeyed sha256 of NIK": hashlib.sha256(b"3506124508900003").hexdigest(),
    "unkeyed sha1 of passport joined with attributes": base64.b64encode(
        hashlib.sha1(b"C1234567|Siti Aminah").digest()  # noqa: S324 - what an attacker tries
    ).decode(),
    "unkeyed md5 of KPJ": _b64url(hashlib.md5(b"24001234567").digest()),  # noqa: S324
    "unkeyed sha256 of phone joined with attributes": "page-2:"
    + hashlib.sha256(b"1990-08-05:+6281234567890").hexdigest(),
}


@pytest.mark.parametrize(("what", "planted"), list(PLANTED.items()))
def test_the_scan_catches_an_unkeyed_digest(engine: Engine, what: str, planted: str) -> None:
    _plant(engine, "0" * 64, "1" * 64, cursor=planted)
    findings = scan_database(engine, known())
    assert [f.what for f in findings] == [what], findings


def test_the_scan_catches_a_plain_identifier(engine: Engine) -> None:
    _plant(engine, "0" * 64, "1" * 64, local_id="24001234567")
    assert {(f.column, f.what) for f in scan_database(engine, known())} == {
        ("local_id", "plain KPJ")
    }


def test_keyed_digests_pass_the_scan(engine: Engine) -> None:
    key = b"k" * 32
    keyed = hmac.new(key, b"NIK\x1f3506124508900003", hashlib.sha256).hexdigest()
    _plant(engine, hmac.new(key, b"fp", hashlib.sha256).hexdigest(), keyed)
    assert scan_database(engine, known()) == []


def test_the_scan_catches_the_response_caches_unkeyed_key_and_passes_the_keyed_one() -> None:
    found = known()
    nik = b"3506124508900003"
    unkeyed = "pmihub:cache:v1:P2MI:find:NIK:" + hashlib.blake2b(nik, digest_size=16).hexdigest()
    keyed = "pmihub:cache:v1:" + CacheSecrets(b"k" * 32).name("P2MI", "find:NIK", nik.decode())
    pattern = found.plain_pattern()
    assert set(scan_value(unkeyed.encode(), found, pattern)) == {"unkeyed blake2b-128 of NIK"}
    assert list(scan_value(keyed.encode(), found, pattern)) == []
