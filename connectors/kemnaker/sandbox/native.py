"""How the Kemnaker sandbox speaks: canonical scenario data rendered into its JSON dialect.

Also its error shape (``{"kode", "pesan", "message"}``: a stable code, Indonesian text for
people, English text) and the malformed body the ``garbage`` fault answers.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

from connectors.sandbox.data import SandboxData
from schema.enums import LicenseStatus, Sex
from schema.scenario.models import KemnakerRecord, Person, PlacementAgency

Native = dict[str, Any]

STATUS_IZIN = {
    LicenseStatus.ACTIVE: "AKTIF",
    LicenseStatus.SUSPENDED: "DIBEKUKAN",
    LicenseStatus.REVOKED: "DICABUT",
    LicenseStatus.EXPIRED: "KEDALUWARSA",
}
PESAN = {  # the Indonesian text of each error code
    "NOT_FOUND": "Sumber daya tidak ditemukan",
    "JOB_SEEKER_NOT_FOUND": "Pencari kerja tidak ditemukan",
    "METHOD_NOT_ALLOWED": "Metode HTTP tidak diizinkan",
    "BAD_REQUEST": "Permintaan tidak valid",
    "INVALID_PARAMETER": "Parameter permintaan tidak valid",
    "INVALID_CURSOR": "Cursor tidak valid",
    "BATCH_TOO_LARGE": "Jumlah nilai melebihi batas per permintaan",
    "INVALID_TOKEN": "Token akses tidak ada, tidak dikenal, atau sudah kedaluwarsa",
    "INSUFFICIENT_SCOPE": "Token akses tidak memiliki cakupan (scope) yang diperlukan",
    "RATE_LIMITED": "Terlalu banyak permintaan, coba lagi nanti",
    "SERVICE_DOWN": "Layanan sedang tidak tersedia",
    "INTERNAL_ERROR": "Terjadi kesalahan internal pada server",
}


def render_error(status: int, code: str, message: str) -> Response:
    """Kemnaker's error shape, for its own errors and the sandbox kit's (404/405/429/5xx)."""
    body = {"kode": code, "pesan": PESAN.get(code, "Terjadi kesalahan"), "message": message}
    return JSONResponse(body, status_code=status)


def garbage() -> Response:
    """A truncated JSON body, as a proxy cutting the answer short would leave it."""
    return Response(b'{"data": [{"id_pencari_kerja": "AK1-20', media_type="application/json")


def job_seeker(person: Person, record: KemnakerRecord) -> Native:
    """One AK/1 record as SIAPkerja serves it."""
    sex = "P" if person.sex is Sex.FEMALE else "L"
    return {
        "id_pencari_kerja": record.jobSeekerId,
        "nik": person.nik if record.nikKnown else None,
        "nama_lengkap": record.nameAs or person.name,
        "tanggal_lahir": (record.birthDateAs or person.birthDate).isoformat(),
        "jenis_kelamin": sex,
        "nomor_hp": person.phone,
        "tanggal_daftar": record.registeredOn.isoformat() if record.registeredOn else None,
    }


def licence(agency: PlacementAgency) -> Native:
    return {
        "nomor_izin": agency.licenseNumber,
        "nama_perusahaan": agency.name,
        "status_izin": STATUS_IZIN.get(agency.status, "TIDAK_DIKETAHUI"),
        "nomor_telepon": agency.phone,
        "alamat": agency.address,
    }


class JobSeekerIndex:
    """The AK/1 records in listing order, by id and by NIK; rebuilt when the data changes."""

    def __init__(self, data: SandboxData) -> None:
        self._data = data
        self._version: int | None = None
        self._all: list[Native] = []
        self._by_id: dict[str, Native] = {}
        self._by_nik: dict[str, list[Native]] = {}

    def _fresh(self) -> None:
        if self._version == self._data.version:
            return
        records = [job_seeker(p, r) for p in self._data.people() for r in p.kemnaker]
        self._all = records
        self._by_id = {r["id_pencari_kerja"]: r for r in records}
        self._by_nik = {}
        for record in records:
            if record["nik"]:
                self._by_nik.setdefault(record["nik"], []).append(record)
        self._version = self._data.version

    def all(self) -> list[Native]:
        self._fresh()
        return self._all

    def by_ids(self, ids: list[str]) -> list[Native]:
        self._fresh()
        return [self._by_id[i] for i in ids if i in self._by_id]

    def by_niks(self, niks: list[str]) -> list[Native]:
        self._fresh()
        return [record for nik in niks for record in self._by_nik.get(nik, [])]

    def get(self, local_id: str) -> Native | None:
        self._fresh()
        return self._by_id.get(local_id)
