"""The vocabulary of the BPJS Ketenagakerjaan PMI API: envelope codes and coded fields.

Every answer is ``{"metaData": {"code": "<string>", "message": "..."}, "response": ...}``;
``code`` is always a string, as in VClaim. The codes this API uses:

    code  HTTP  meaning
    200   200   OK; ``response`` is encrypted (crypto.py)
    201   404   Data tidak ditemukan / Data not found
    202   400   Parameter tidak valid / Invalid parameter (ids, paging, body)
    203   400   Jumlah data melebihi batas / Too many ids in one request
    204   400   Kursor tidak valid / Invalid cursor
    401   401   Header otentikasi tidak lengkap / Authentication headers missing
    402   401   Consumer ID tidak terdaftar / Unknown consumer id
    403   401   Signature tidak valid / Invalid signature
    405   405   Metode tidak diizinkan / Method not allowed
    406   401   Timestamp di luar batas waktu / Timestamp outside the allowed window
    407   403   user_key tidak valid / Invalid user_key
    404   404   Layanan tidak ditemukan / No such service (unknown path)
    429   429   Terlalu banyak permintaan / Too many requests (with Retry-After)
    500   500   Terjadi kesalahan sistem / Internal error
    503   503   Layanan sedang tidak tersedia / Service unavailable

Error answers carry ``"response": null``. Coded fields in the payload are ``{"kode",
"keterangan"}`` pairs, again as in VClaim (``statusPeserta``, ``fase``, ``status``).
"""

from __future__ import annotations

from schema.enums import Benefit, ClaimStatus, ProtectionPhase, Sex

BASE = "/pmi-rest"  # the API's path prefix
SYSTEM = "BPJSTK-PMI"  # the system name records carry in their provenance
OK = "200"
NOT_FOUND = "201"

# symbolic code -> (BPJS code, message); the sandbox kit passes its own symbolic codes
MESSAGES: dict[str, tuple[str, str]] = {
    "OK": (OK, "OK"),
    "DATA_NOT_FOUND": (NOT_FOUND, "Data tidak ditemukan / Data not found"),
    "BAD_REQUEST": ("202", "Parameter tidak valid / Invalid parameter"),
    "TOO_MANY_IDS": ("203", "Jumlah data melebihi batas / Too many ids in one request"),
    "BAD_CURSOR": ("204", "Kursor tidak valid / Invalid cursor"),
    "MISSING_HEADERS": (
        "401",
        "Header otentikasi tidak lengkap / Authentication headers missing",
    ),
    "UNKNOWN_CONSUMER": ("402", "Consumer ID tidak terdaftar / Unknown consumer id"),
    "BAD_SIGNATURE": ("403", "Signature tidak valid / Invalid signature"),
    "METHOD_NOT_ALLOWED": ("405", "Metode tidak diizinkan / Method not allowed"),
    "TIMESTAMP_EXPIRED": (
        "406",
        "Timestamp di luar batas waktu / Timestamp outside the allowed window",
    ),
    "BAD_USER_KEY": ("407", "user_key tidak valid / Invalid user_key"),
    "NOT_FOUND": ("404", "Layanan tidak ditemukan / No such service"),
    "RATE_LIMITED": ("429", "Terlalu banyak permintaan / Too many requests"),
    "INTERNAL_ERROR": ("500", "Terjadi kesalahan sistem / Internal error"),
    "SERVICE_DOWN": ("503", "Layanan sedang tidak tersedia / Service unavailable"),
}

SEX_CODES: dict[Sex, str] = {Sex.MALE: "L", Sex.FEMALE: "P"}  # laki-laki / perempuan

PHASES: dict[ProtectionPhase, tuple[str, str]] = {
    ProtectionPhase.PRE_PLACEMENT: ("1", "SEBELUM BEKERJA"),
    ProtectionPhase.PLACEMENT: ("2", "SELAMA BEKERJA"),
    ProtectionPhase.POST_PLACEMENT: ("3", "SETELAH BEKERJA"),
    ProtectionPhase.UNKNOWN: ("9", "TIDAK DIKETAHUI"),
}

CLAIM_STATUSES: dict[ClaimStatus, tuple[str, str]] = {
    ClaimStatus.SUBMITTED: ("1", "DIAJUKAN"),
    ClaimStatus.VERIFIED: ("2", "DIVERIFIKASI"),
    ClaimStatus.PAID: ("3", "DIBAYAR"),
    ClaimStatus.REJECTED: ("4", "DITOLAK"),
}

PROGRAM_NAMES = {
    "JKK": "JAMINAN KECELAKAAN KERJA",
    "JKM": "JAMINAN KEMATIAN",
    "JHT": "JAMINAN HARI TUA",
}

MEMBER_ACTIVE = ("1", "AKTIF")
MEMBER_INACTIVE = ("0", "TIDAK AKTIF")

# ``kodeManfaat`` of a claim: the benefit of Permenaker 4/2023 Art. 27 and 34 it asks for.
BENEFITS: dict[Benefit, str] = {
    Benefit.DEATH: "SANTUNAN_KEMATIAN",
    Benefit.WORK_ACCIDENT: "KECELAKAAN_KERJA",
    Benefit.FAILED_DEPARTURE: "GAGAL_BERANGKAT",
    Benefit.PROBLEM_RETURN: "PEMULANGAN_BERMASALAH",
    Benefit.NOT_PER_CONTRACT: "TIDAK_SESUAI_PERJANJIAN",
    Benefit.DISMISSAL: "PHK_SEPIHAK",
    Benefit.SEXUAL_VIOLENCE: "KEKERASAN_SEKSUAL",
    Benefit.OLD_AGE: "JAMINAN_HARI_TUA",
}
BENEFIT_BY_CODE = {code: benefit for benefit, code in BENEFITS.items()}

PHASE_BY_CODE = {code: phase for phase, (code, _) in PHASES.items()}
CLAIM_STATUS_BY_CODE = {code: status for status, (code, _) in CLAIM_STATUSES.items()}
SEX_BY_CODE = {code: sex for sex, code in SEX_CODES.items()}
