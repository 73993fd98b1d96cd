"""The fields the law of 2023-2025 needs, end to end: scenario -> sandbox dialect -> connector
-> records (issue #17), and strict parsing of their codes."""

from __future__ import annotations

from datetime import date

import pydantic
import pytest
from defusedxml.ElementTree import fromstring

from connectors.bpjs.models import Claim
from connectors.embassy.dialect import NS
from connectors.embassy.models import SchemaViolation, parse_record
from connectors.p2mi.models import Penempatan
from schema.enums import Benefit, CaseKind, EmployerKind, StayPurpose
from tests.protection.people import bpjs, claim, cover, embassy, p2mi, placement, report, worker
from tests.protection.scenario_facts import facts_for

PERSON = worker(
    p2mi=p2mi(
        placement(
            employer={"name": "Chan Tai Man", "country": "HK", "kind": "HOUSEHOLD"},
            cardExpiresOn="2027-05-31",
            extensions=[{"contractEnd": "2029-05-31", "signedOn": "2027-04-01"}],
        ),
        complaints=(
            {
                "id": "ADU-2026-000001",
                "kind": "DOCUMENT_WITHHELD",
                "status": "OPEN",
                "filedOn": "2026-10-01",
                "summary": "Paspor ditahan",
            },
        ),
    ),
    bpjs=bpjs(
        cover("PLACEMENT", "2025-06-01", "2027-06-30"),
        claims=(claim("JKK", "PAID", "2026-01-10", "WORK_ACCIDENT"),),
    ),
    embassy=embassy(
        reports=(report() | {"purpose": "WORK"},),
        cases=(
            {
                "id": "HKG-2026-0001",
                "kind": "DEATH_PENALTY",
                "status": "OPEN",
                "severity": "CRITICAL",
                "openedAt": "2026-10-02T09:00:00+08:00",
                "summary": "Sentenced, appeal pending",
            },
        ),
    )
    | {
        "extensions": [
            {
                "placementId": "PL-2025-0000001",
                "contractEnd": "2029-05-31",
                "signedOn": "2027-05-01",
            }
        ]
    },
)


def test_every_new_field_reaches_the_records_through_the_real_connectors() -> None:
    facts = facts_for(PERSON)
    (pl,) = facts.placements
    assert pl.employer is not None and pl.employer.kind is EmployerKind.HOUSEHOLD
    assert pl.agreement_signed_on == date(2025, 4, 1)
    assert (pl.recruitment_permit, pl.recruitment_permit_country) == ("SIP2MI-2025-000001", "HK")
    assert pl.card_expires_on == date(2027, 5, 31)
    assert [(e.contract_end, e.signed_on) for e in pl.extensions] == [
        (date(2029, 5, 31), date(2027, 4, 1))
    ]
    (membership,) = facts.memberships
    assert [c.benefit for c in membership.claims] == [Benefit.WORK_ACCIDENT]
    assert [r.purpose for r in facts.reports] == [StayPurpose.WORK]
    signed = [e.extension for e in facts.endorsements if e.extension is not None]
    assert [(s.contract_end, s.signed_on) for s in signed] == [
        (date(2029, 5, 31), date(2027, 5, 1))
    ]
    assert {c.kind for c in facts.cases} == {CaseKind.DOCUMENT_WITHHELD, CaseKind.DEATH_PENALTY}
    assert all(e.provenance.agency == "EMBASSY" for e in facts.endorsements)


def test_absent_fields_stay_absent() -> None:
    facts = facts_for(worker(p2mi=p2mi(placement(sip2mi=None, sip2miCountry=None))))
    (pl,) = facts.placements
    assert pl.recruitment_permit is None and pl.card_expires_on is None
    assert pl.employer is not None and pl.employer.kind is None
    assert pl.extensions == () and pl.cancelled_on is None


def test_an_unknown_employer_kind_is_refused() -> None:
    wire = {
        "idPenempatan": "PL-1",
        "status": "BEKERJA",
        "skema": "P3MI",
        "negaraTujuan": "HK",
        "jabatan": "x",
        "sektor": "RUMAH_TANGGA",
        "pemberiKerja": {"nama": "x", "negara": "HK", "jenis": "KELUARGA_BESAR"},
    }
    with pytest.raises(pydantic.ValidationError):
        Penempatan.model_validate(wire)


def test_an_unknown_benefit_code_is_refused() -> None:
    wire = {
        "kodeProgram": "JKK",
        "status": {"kode": "3", "keterangan": "DIBAYAR"},
        "tglPengajuan": "2026-01-10",
        "kodeManfaat": "HADIAH",
    }
    with pytest.raises(pydantic.ValidationError):
        Claim.model_validate(wire)


def test_an_unknown_stay_purpose_is_refused() -> None:
    node = fromstring(
        f'<CitizenRecord xmlns="{NS}"><RecordId>HKG-1</RecordId><FullName>A</FullName>'
        "<SelfReports><SelfReport><ReportedOn>2026-01-01</ReportedOn><Purpose>WISATA</Purpose>"
        "</SelfReport></SelfReports></CitizenRecord>"
    )
    with pytest.raises(SchemaViolation):
        parse_record(node)


def test_a_crews_book_and_sea_service_agreement_travel_in_siskop2mis_dialect() -> None:
    # given a deckhand whose SISKOP2MI record carries his seafarer's book and PKL (PP 22/2022)
    book = {"number": "F 123456", "expiresOn": "2028-03-31"}
    pkl = {"signedOn": "2025-05-20", "endorsedOn": "2025-05-27"}
    crew = placement(sector="FISHERIES_SEA", seafarerBook=book, seaServiceAgreement=pkl)
    # when the real sandbox serves it and the real connector reads it
    (pl,) = facts_for(worker(p2mi=p2mi(crew))).placements
    # then the records hold them; a book without expiry and a PKL not endorsed stay partial
    assert pl.seafarer_book is not None and pl.sea_agreement is not None
    assert (pl.seafarer_book.number, pl.seafarer_book.expires_on) == ("F 123456", date(2028, 3, 31))
    assert (pl.sea_agreement.signed_on, pl.sea_agreement.endorsed_on) == (
        date(2025, 5, 20),
        date(2025, 5, 27),
    )
    bare = placement(seafarerBook={"number": "F 1"}, seaServiceAgreement={"signedOn": "2025-05-20"})
    (pl,) = facts_for(worker(p2mi=p2mi(bare))).placements
    assert pl.seafarer_book is not None and pl.seafarer_book.expires_on is None
    assert pl.sea_agreement is not None and pl.sea_agreement.endorsed_on is None
    (pl,) = facts_for(worker()).placements
    assert pl.seafarer_book is None and pl.sea_agreement is None


def test_the_sandbox_speaks_the_crews_fields_in_indonesian() -> None:
    wire = Penempatan.model_validate(
        {
            "idPenempatan": "PL-1",
            "status": "BEKERJA",
            "skema": "P3MI",
            "negaraTujuan": "TW",
            "jabatan": "Deckhand",
            "sektor": "PERIKANAN_LAUT",
            "bukuPelaut": {"nomor": "F 1", "berlakuSampai": "31-03-2028"},
            "pkl": {"tanggalTandaTangan": "20-05-2025"},
        }
    )
    assert wire.bukuPelaut is not None and wire.bukuPelaut.berlakuSampai == date(2028, 3, 31)
    assert wire.pkl is not None and wire.pkl.tanggalPengesahan is None
