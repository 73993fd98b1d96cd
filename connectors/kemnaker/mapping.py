"""Kemnaker's native records -> schema.records, each with its provenance."""

from __future__ import annotations

from datetime import UTC, datetime

from connectors.kemnaker.models import LICENSE_STATUS, SEX_CODES, JobSeeker, Licence
from schema.enums import Agency, LicenseStatus, Sex
from schema.records import LicenseRecord, PersonRecord, Provenance, RecordSet

AGENCY = Agency.KEMNAKER.value
SYSTEM = "SIAPkerja"


def _blank_to_none(value: str | None) -> str | None:
    return value if value and value.strip() else None


def person_record(native: JobSeeker, fetched_at: datetime | None = None) -> PersonRecord:
    """A SIAPkerja job seeker as a PersonRecord: no passports, no cross references."""
    local_id = native.id_pencari_kerja
    return PersonRecord(
        agency=AGENCY,
        local_id=local_id,
        name=native.nama_lengkap,
        provenance=Provenance(AGENCY, SYSTEM, local_id, fetched_at or datetime.now(UTC)),
        nik=_blank_to_none(native.nik),
        birth_date=native.tanggal_lahir,
        sex=Sex(SEX_CODES[native.jenis_kelamin]) if native.jenis_kelamin else None,
        phone=_blank_to_none(native.nomor_hp),
    )


def record_set(native: JobSeeker, fetched_at: datetime | None = None) -> RecordSet:
    return RecordSet(person=person_record(native, fetched_at))


def license_record(native: Licence, fetched_at: datetime | None = None) -> LicenseRecord:
    """A P3MI licence; a status this connector does not know reads UNKNOWN, never ACTIVE."""
    status = LICENSE_STATUS.get(native.status_izin.strip().upper(), LicenseStatus.UNKNOWN.value)
    number = native.nomor_izin
    return LicenseRecord(
        license_number=number,
        name=native.nama_perusahaan,
        status=LicenseStatus(status),
        provenance=Provenance(AGENCY, SYSTEM, number, fetched_at or datetime.now(UTC)),
        phone=_blank_to_none(native.nomor_telepon),
        address=_blank_to_none(native.alamat),
    )
