"""SISKOP2MI's validated answers -> the hub's records."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from connectors.kit.base import LookupKey
from connectors.p2mi.dialect import SYSTEM
from connectors.p2mi.models import Penempatan, Pengaduan, Pmi
from schema.enums import Agency
from schema.records import (
    CaseRecord,
    ContactRecord,
    CrossRef,
    EmployerRecord,
    ExtensionRecord,
    PassportRecord,
    PersonRecord,
    PlacementRecord,
    Provenance,
    RecordSet,
    SeaAgreementRecord,
    SeafarerBookRecord,
)

AGENCY = Agency.P2MI.value
WIB = timezone(timedelta(hours=7), "WIB")  # Asia/Jakarta: complaints are filed by date, in WIB


def _provenance(record_id: str, fetched_at: datetime) -> Provenance:
    return Provenance(AGENCY, SYSTEM, record_id, fetched_at)


def person_record(pmi: Pmi, fetched_at: datetime) -> PersonRecord:
    kin = pmi.kontakKeluarga
    refs = [CrossRef(AGENCY, LookupKey.PLACEMENT_ID.value, p.idPenempatan) for p in pmi.penempatan]
    refs.append(CrossRef(AGENCY, LookupKey.PMI_ID.value, pmi.idPmi))
    refs.extend(
        CrossRef(Agency.KEMNAKER.value, LookupKey.LOCAL_ID.value, ak1) for ak1 in pmi.idSiapkerja
    )
    return PersonRecord(
        agency=AGENCY,
        local_id=pmi.idPmi,
        name=pmi.nama,
        provenance=_provenance(pmi.idPmi, fetched_at),
        nik=pmi.nik,
        birth_date=pmi.tanggalLahir,
        sex=pmi.jenisKelamin,
        passports=tuple(
            PassportRecord(p.nomor, p.tanggalTerbit, p.tanggalBerakhir) for p in pmi.paspor
        ),
        phone=pmi.noHp,
        address=pmi.alamat,
        next_of_kin=None
        if kin is None
        else ContactRecord(kin.nama, kin.hubungan, kin.noHp, kin.alamat),
        cross_refs=tuple(refs),
        countries=tuple(dict.fromkeys(p.negaraTujuan for p in pmi.penempatan)),
    )


def placement_record(pmi_id: str, item: Penempatan, fetched_at: datetime) -> PlacementRecord:
    employer = item.pemberiKerja
    agency = item.p3mi
    return PlacementRecord(
        placement_id=item.idPenempatan,
        pmi_id=pmi_id,
        status=item.status,
        scheme=item.skema,
        destination_country=item.negaraTujuan,
        occupation=item.jabatan,
        sector=item.sektor,
        provenance=_provenance(item.idPenempatan, fetched_at),
        card_number=item.nomorKartu,
        employer=None
        if employer is None
        else EmployerRecord(
            employer.nama, employer.negara, employer.kota, employer.telepon, employer.jenis
        ),
        agency_license=agency.nomorIzin if agency else None,
        agency_name=agency.nama if agency else None,
        contract_start=item.tanggalMulaiKontrak,
        contract_end=item.tanggalAkhirKontrak,
        orientation_completed=item.oppSelesai,
        departed_on=item.tanggalBerangkat,
        returned_on=item.tanggalKembali,
        agreement_signed_on=item.tanggalPerjanjianPenempatan,
        recruitment_permit=item.sip2mi.nomor if item.sip2mi else None,
        recruitment_permit_country=item.sip2mi.negara if item.sip2mi else None,
        card_expires_on=item.kartuBerlakuSampai,
        extensions=tuple(
            ExtensionRecord(e.tanggalAkhirKontrak, e.tanggalTandaTangan) for e in item.perpanjangan
        ),
        cancelled_on=item.tanggalBatal,
        seafarer_book=None
        if (book := item.bukuPelaut) is None
        else SeafarerBookRecord(book.nomor, book.berlakuSampai),
        sea_agreement=None
        if (pkl := item.pkl) is None
        else SeaAgreementRecord(pkl.tanggalTandaTangan, pkl.tanggalPengesahan),
    )


def case_record(item: Pengaduan, fetched_at: datetime) -> CaseRecord:
    return CaseRecord(
        id=item.idPengaduan,
        kind=item.jenis,
        status=item.status,
        severity=item.tingkat,
        opened_at=datetime.combine(item.tanggalPengaduan, time(0), WIB),
        summary=item.ringkasan,
        provenance=_provenance(item.idPengaduan, fetched_at),
        mission=None,
        agencies=(AGENCY,),
    )


def record_set(pmi: Pmi, fetched_at: datetime) -> RecordSet:
    return RecordSet(
        person=person_record(pmi, fetched_at),
        placements=tuple(placement_record(pmi.idPmi, p, fetched_at) for p in pmi.penempatan),
        cases=tuple(case_record(c, fetched_at) for c in pmi.pengaduan),
    )
