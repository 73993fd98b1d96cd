"""Names of codes as people read them, in Indonesian and English."""

from __future__ import annotations

from hub.protection.text import Text
from schema.enums import (
    Agency,
    CaseKind,
    CaseStatus,
    PlacementStatus,
    ProtectionLevel,
    ProtectionPhase,
    Sector,
    Severity,
)

AGENCIES = {
    Agency.KEMNAKER: Text(
        "Kemnaker (SIAPkerja dan perizinan P3MI)", "Kemnaker (SIAPkerja and P3MI licensing)"
    ),
    Agency.P2MI: Text("P2MI (SISKOP2MI)", "P2MI (SISKOP2MI)"),
    Agency.BPJS_KETENAGAKERJAAN: Text("BPJS Ketenagakerjaan", "BPJS Ketenagakerjaan"),
    Agency.EMBASSY: Text("Perwakilan RI (Kemlu)", "Indonesian missions (Kemlu)"),
}

COUNTRIES = {
    "AE": Text("Uni Emirat Arab", "United Arab Emirates"),
    "BH": Text("Bahrain", "Bahrain"),
    "BN": Text("Brunei Darussalam", "Brunei Darussalam"),
    "DE": Text("Jerman", "Germany"),
    "DZ": Text("Aljazair", "Algeria"),
    "EG": Text("Mesir", "Egypt"),
    "HK": Text("Hong Kong", "Hong Kong"),
    "IQ": Text("Irak", "Iraq"),
    "IR": Text("Iran", "Iran"),
    "JO": Text("Yordania", "Jordan"),
    "KH": Text("Kamboja", "Cambodia"),
    "LA": Text("Laos", "Laos"),
    "MM": Text("Myanmar", "Myanmar"),
    "JP": Text("Jepang", "Japan"),
    "KR": Text("Korea Selatan", "South Korea"),
    "KW": Text("Kuwait", "Kuwait"),
    "LB": Text("Lebanon", "Lebanon"),
    "LY": Text("Libya", "Libya"),
    "MA": Text("Maroko", "Morocco"),
    "MR": Text("Mauritania", "Mauritania"),
    "MY": Text("Malaysia", "Malaysia"),
    "OM": Text("Oman", "Oman"),
    "PK": Text("Pakistan", "Pakistan"),
    "PS": Text("Palestina", "Palestine"),
    "QA": Text("Qatar", "Qatar"),
    "SA": Text("Arab Saudi", "Saudi Arabia"),
    "SD": Text("Sudan", "Sudan"),
    "SG": Text("Singapura", "Singapore"),
    "SS": Text("Sudan Selatan", "South Sudan"),
    "SY": Text("Suriah", "Syria"),
    "TN": Text("Tunisia", "Tunisia"),
    "TW": Text("Taiwan", "Taiwan"),
    "YE": Text("Yaman", "Yemen"),
}

CASE_KINDS = {
    CaseKind.DETENTION: Text("penahanan", "detention"),
    CaseKind.DEATH: Text("kematian", "death"),
    CaseKind.ILLNESS: Text("sakit", "illness"),
    CaseKind.ACCIDENT: Text("kecelakaan", "accident"),
    CaseKind.ABUSE: Text("kekerasan", "abuse"),
    CaseKind.WAGE_DISPUTE: Text("sengketa upah", "wage dispute"),
    CaseKind.TRAFFICKING: Text("perdagangan orang (TPPO)", "human trafficking"),
    CaseKind.UNDOCUMENTED: Text("tidak berdokumen", "undocumented"),
    CaseKind.REPATRIATION: Text("pemulangan", "repatriation"),
    CaseKind.MISSING: Text("hilang kontak", "missing"),
    CaseKind.OTHER: Text("lainnya", "other"),
    CaseKind.DEATH_PENALTY: Text("ancaman hukuman mati", "facing the death penalty"),
    CaseKind.SEXUAL_VIOLENCE: Text("kekerasan seksual", "sexual violence"),
    CaseKind.DOCUMENT_WITHHELD: Text("dokumen ditahan", "documents withheld"),
    CaseKind.FAILED_DEPARTURE: Text("gagal berangkat", "failed departure"),
}

CASE_STATUSES = {
    CaseStatus.OPEN: Text("terbuka", "open"),
    CaseStatus.IN_PROGRESS: Text("sedang ditangani", "in progress"),
    CaseStatus.CLOSED: Text("ditutup", "closed"),
}

SECTORS = {
    Sector.DOMESTIC: Text("pekerja rumah tangga", "domestic worker"),
    Sector.CARE: Text("perawat/pengasuh", "caregiver"),
}

PLACEMENT_STATUSES = {
    PlacementStatus.DEPARTED: Text("sudah berangkat", "departed"),
    PlacementStatus.WORKING: Text("sedang bekerja", "working"),
}

PHASES = {
    ProtectionPhase.PRE_PLACEMENT: Text("prapenempatan", "pre-placement"),
    ProtectionPhase.PLACEMENT: Text("penempatan", "placement"),
    ProtectionPhase.POST_PLACEMENT: Text("purnapenempatan", "post-placement"),
    ProtectionPhase.UNKNOWN: Text("tidak diketahui", "unknown"),
}

LEVELS = {
    ProtectionLevel.PROTECTED: Text("TERLINDUNGI", "PROTECTED"),
    ProtectionLevel.AT_RISK: Text("BERISIKO", "AT RISK"),
    ProtectionLevel.UNPROTECTED: Text("TIDAK TERLINDUNGI", "UNPROTECTED"),
    ProtectionLevel.EMERGENCY: Text("DARURAT", "EMERGENCY"),
    ProtectionLevel.UNKNOWN: Text("TIDAK DIKETAHUI", "UNKNOWN"),
}

SEVERITIES = {
    Severity.CRITICAL: Text("KRITIS", "CRITICAL"),
    Severity.HIGH: Text("TINGGI", "HIGH"),
    Severity.MEDIUM: Text("SEDANG", "MEDIUM"),
    Severity.LOW: Text("RENDAH", "LOW"),
    Severity.INFO: Text("INFO", "INFO"),
}


def agency(code: str) -> Text:
    """An agency's name; a further agency (configured, not in the contract) by its code."""
    try:
        return AGENCIES[Agency(code)]
    except ValueError:
        return Text(code, code)


def country(code: str) -> Text:
    """``Arab Saudi (SA)``; the bare code for a country not in the table."""
    name = COUNTRIES.get(code)
    return Text(f"{name.id} ({code})", f"{name.en} ({code})") if name else Text(code, code)


def sector(value: Sector) -> Text:
    return SECTORS.get(value, Text(value.value.lower(), value.value.lower()))
