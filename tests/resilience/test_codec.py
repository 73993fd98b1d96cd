"""The cache codec: every record shape round-trips through JSON bytes, garbage is refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import orjson
import pytest

from hub.resilience.codec import CodecError, decode, encode
from hub.resilience.stale import mark_stale
from schema.enums import ClaimStatus, Program, ProtectionPhase
from schema.records import (
    ClaimRecord,
    ConsularReportRecord,
    ContactRecord,
    ContributionRecord,
    CoverageRecord,
    CrossRef,
    EndorsementRecord,
    MembershipRecord,
    MissionRecord,
    Provenance,
    RecordSet,
)
from tests.resilience.fakes import license_record, provenance, record_set


def rich_record_set() -> RecordSet:
    """Every record kind, optional fields set and unset, two time zones."""
    base = record_set("PMI-1")
    person = replace(
        base.person,
        nik="3506124508900003",
        phone="+6281234567890",
        next_of_kin=ContactRecord("Sahroni", "father", "+628111111111"),
        cross_refs=(CrossRef("KEMNAKER", "LOCAL_ID", "AK1-2024-000123"),),
    )
    wib = timezone(timedelta(hours=7))
    membership = MembershipRecord(
        kpj="24001234567",
        provenance=provenance("24001234567"),
        coverages=(
            CoverageRecord(
                Program.JKK, ProtectionPhase.PLACEMENT, date(2024, 3, 1), date(2027, 1, 31)
            ),
        ),
        contributions=(ContributionRecord("2024-03", 370_000, date(2024, 2, 20)),),
        claims=(ClaimRecord(Program.JKM, ClaimStatus.PAID, date(2025, 1, 2), amount=None),),
    )
    report = ConsularReportRecord(
        reported_on=date(2024, 3, 10),
        provenance=Provenance(
            "EMBASSY", "PEDULIWNI", "HKG-1", datetime(2026, 11, 24, 9, tzinfo=wib)
        ),
        mission=MissionRecord("HKG", "KJRI Hong Kong", "Hong Kong", "HK"),
        last_contact_on=None,
    )
    return RecordSet(
        person=person,
        placements=base.placements,
        memberships=(membership,),
        reports=(report,),
        endorsements=(EndorsementRecord("PL-1", provenance("PL-1")),),
        cases=base.cases,
    )


@pytest.mark.parametrize(
    "value",
    [
        rich_record_set(),
        mark_stale(rich_record_set()),
        license_record("KEP.045/2021"),
        ("PMI-1", "PMI-2"),
        (),
        None,
    ],
    ids=["recordset", "stale-recordset", "license", "ids", "no-ids", "absent"],
)
def test_round_trip(value: object) -> None:
    raw = encode(value, 123.5)  # type: ignore[arg-type]
    decoded, fresh_until = decode(raw)
    assert decoded == value
    assert fresh_until == 123.5


def test_round_trip_keeps_types_and_time_zones() -> None:
    value = rich_record_set()
    decoded, _ = decode(encode(value, 0))
    assert isinstance(decoded, RecordSet)
    coverage = decoded.memberships[0].coverages[0]
    assert type(coverage.program) is Program and type(coverage.start) is date
    fetched = decoded.reports[0].provenance.fetched_at
    assert fetched.utcoffset() == timedelta(hours=7)
    assert decoded.person.provenance.fetched_at.tzinfo is not None
    assert decoded.person.provenance.fetched_at == value.person.provenance.fetched_at
    assert decoded.cases[0].opened_at == datetime(2026, 11, 24, 8, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        b"{}",
        b'{"f": 1, "t": "unknown", "d": null}',
        b'{"f": 1, "t": "lic", "d": {"license_number": "K"}}',
        b'{"f": 1, "t": "lic", "d": [1, 2]}',
        b'{"f": "x", "t": "none"}',
        b'{"f": 1, "t": "ids", "d": "abc"}',
        b'{"f": 1, "t": "ids", "d": [1]}',
    ],
)
def test_garbage_is_refused_with_a_codec_error(raw: bytes) -> None:
    with pytest.raises(CodecError):
        decode(raw)


def test_a_renamed_field_is_refused_not_guessed() -> None:
    body = orjson.loads(encode(license_record("KEP.1"), 0))
    body["d"]["licence_no"] = body["d"].pop("license_number")
    with pytest.raises(CodecError):
        decode(orjson.dumps(body))


def test_only_cache_values_can_be_encoded() -> None:
    with pytest.raises(CodecError):
        encode({"a": 1}, 0)  # type: ignore[arg-type]
