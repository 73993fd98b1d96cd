"""BPJS participants (models.py) -> the hub's records (schema.records)."""

from __future__ import annotations

from datetime import datetime

from connectors.bpjs.dialect import (
    BENEFIT_BY_CODE,
    CLAIM_STATUS_BY_CODE,
    PHASE_BY_CODE,
    SEX_BY_CODE,
    SYSTEM,
)
from connectors.bpjs.models import Participant
from schema.enums import Agency, ProtectionPhase
from schema.records import (
    ClaimRecord,
    ContributionRecord,
    CoverageRecord,
    CrossRef,
    MembershipRecord,
    PassportRecord,
    PersonRecord,
    Provenance,
    RecordSet,
)

AGENCY = Agency.BPJS_KETENAGAKERJAAN.value


def provenance(kpj: str, fetched_at: datetime) -> Provenance:
    return Provenance(AGENCY, SYSTEM, kpj, fetched_at)


def to_person(native: Participant, fetched_at: datetime) -> PersonRecord:
    refs = [CrossRef(AGENCY, "KPJ", native.noKpj)]
    refs.extend(CrossRef(Agency.P2MI.value, "PMI_ID", pmi_id) for pmi_id in native.idPmi)
    passports = (PassportRecord(native.noPaspor),) if native.noPaspor else ()
    return PersonRecord(
        agency=AGENCY,
        local_id=native.noKpj,
        name=native.nama,
        provenance=provenance(native.noKpj, fetched_at),
        nik=native.nik,
        birth_date=native.tglLahir,
        sex=SEX_BY_CODE[native.sex] if native.sex else None,
        passports=passports,
        cross_refs=tuple(dict.fromkeys(refs)),
    )


def to_membership(native: Participant, fetched_at: datetime) -> MembershipRecord:
    member = native.kepesertaan
    return MembershipRecord(
        kpj=native.noKpj,
        provenance=provenance(native.noKpj, fetched_at),
        coverages=tuple(
            CoverageRecord(
                program=c.kode,
                # a phase code this connector does not know yet is no reason to drop coverage
                phase=PHASE_BY_CODE.get(c.fase.kode, ProtectionPhase.UNKNOWN),
                start=c.tglAwal,
                end=c.tglAkhir,
            )
            for c in member.program
        ),
        contributions=tuple(
            ContributionRecord(period=c.periode, amount=c.nominal, paid_on=c.tglBayar)
            for c in member.iuran
        ),
        claims=tuple(
            ClaimRecord(
                program=c.kodeProgram,
                status=CLAIM_STATUS_BY_CODE[c.status.kode],
                submitted_on=c.tglPengajuan,
                amount=c.nominal,
                benefit=BENEFIT_BY_CODE[c.kodeManfaat] if c.kodeManfaat else None,
                paid_on=c.tglBayar,
            )
            for c in member.klaim
        ),
    )


def to_record_set(native: Participant, fetched_at: datetime) -> RecordSet:
    return RecordSet(
        person=to_person(native, fetched_at),
        memberships=(to_membership(native, fetched_at),),
    )
