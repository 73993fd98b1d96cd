"""The tables of the coverage evaluation pack (docs/statistics.md lists them with their rules).

Each table counts one population (workers, claims, cases or crosswalk links) over one to three
dimensions. A figure's outcome (enrolled or not, lapsed or not...) is itself a dimension, so
the rate's denominator is a published margin and the complement of a small count is never
published beside it. Unknown answers are a category of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from hub.statistics.facts import AGE_BANDS, DAYS_BANDS, UNKNOWN
from schema.enums import (
    Benefit,
    CaseKind,
    CaseStatus,
    MatchMethod,
    PlacementScheme,
    Program,
    ProtectionLevel,
    ProtectionPhase,
    Sector,
)
from schema.regions import PROVINCES

# Dimensions whose categories are public lists; the others (country, years) come from the data
# and are pooled (countries) or sorted (years) when the run ends.
FIXED: dict[str, tuple[str, ...]] = {
    "sector": (*(s.value for s in Sector), UNKNOWN),
    "sex": ("FEMALE", "MALE", UNKNOWN),
    "age_band": AGE_BANDS,
    "phase": tuple(p.value for p in ProtectionPhase),
    "level": tuple(v.value for v in ProtectionLevel),
    "scheme": tuple(s.value for s in PlacementScheme),
    "employer": ("HOUSEHOLD", "COMPANY", UNKNOWN),
    "province": (*sorted(PROVINCES), UNKNOWN),
    "enrolled": ("YES", "NO", UNKNOWN),
    "placed_not_enrolled": ("NO_MEMBERSHIP", "MEMBER", UNKNOWN),
    "cover_lapsed": ("LAPSED", "COVERED", UNKNOWN),
    "departed_uncovered": ("NOT_COVERED", "COVERED", UNKNOWN),
    "not_in_siskop2mi": ("NOT_IN_SISKOP2MI", "IN_SISKOP2MI", UNKNOWN),
    "no_lapor_diri": ("NOT_REPORTED", "REPORTED", UNKNOWN),
    "jht": ("JHT", "NO_JHT"),
    "programme": tuple(p.value for p in Program),
    "benefit": (*(b.value for b in Benefit), UNKNOWN),
    "outcome": ("PAID", "REJECTED", "PENDING"),
    "days": DAYS_BANDS,
    "flow": ("CONTRIBUTIONS", "BENEFITS_PAID"),
    "kind": tuple(k.value for k in CaseKind),
    "status": tuple(s.value for s in CaseStatus),
    "agency": ("KEMNAKER", "P2MI", "BPJS_KETENAGAKERJAAN", "EMBASSY"),
    "method": tuple(m.value for m in MatchMethod),
}
OPEN = ("country", "departure_year", "year")


@dataclass(frozen=True, slots=True)
class TableDef:
    name: str
    unit: str  # workers, claims, cases, links, money
    dimensions: tuple[str, ...]
    title_id: str
    title_en: str
    rate_of: tuple[str, str] | None = None
    amounts: bool = False
    amount_ratio: tuple[str, str, str] | None = None


def _by(figure: str, outcome: str, rate: str, title_id: str, title_en: str, dims: list[str]):
    def short(dim: str) -> str:
        return dim.replace("_band", "").replace("departure_", "")

    return [
        TableDef(
            f"{figure}_by_{'_'.join(short(d) for d in dim)}",
            "workers",
            (*dim, outcome),
            f"{title_id} menurut {', '.join(dim)}",
            f"{title_en} by {', '.join(dim)}",
            (outcome, rate),
        )
        for dim in ([d] if isinstance(d, str) else d for d in dims)
    ]


TABLES: tuple[TableDef, ...] = (
    *_by(
        "enrolment",
        "enrolled",
        "YES",
        "Kepesertaan JKK dan JKM aktif",
        "Enrolment (JKK and JKM cover in force)",
        [
            "country",
            "sex",
            "age_band",
            "sector",
            "scheme",
            "employer",
            "phase",
            "departure_year",
            "province",
            ["country", "sex"],
        ],
    ),
    *_by(
        "placed_not_enrolled",
        "placed_not_enrolled",
        "NO_MEMBERSHIP",
        "Ditempatkan tanpa kepesertaan BPJS Ketenagakerjaan",
        "Placed, not enrolled",
        ["country", "sector", "province"],
    ),
    *_by(
        "cover_lapsed_abroad",
        "cover_lapsed",
        "LAPSED",
        "Perlindungan berakhir saat masih di luar negeri",
        "Cover lapsed while abroad",
        ["country"],
    ),
    *_by(
        "departed_without_cover",
        "departed_uncovered",
        "NOT_COVERED",
        "Berangkat tanpa perlindungan sebelum bekerja",
        "Departed without pre-work cover",
        ["departure_year", "country"],
    ),
    *_by(
        "abroad_not_in_siskop2mi",
        "not_in_siskop2mi",
        "NOT_IN_SISKOP2MI",
        "Bekerja di luar negeri, tidak tercatat di SISKOP2MI",
        "Working abroad, not in SISKOP2MI",
        ["country"],
    ),
    *_by(
        "no_lapor_diri",
        "no_lapor_diri",
        "NOT_REPORTED",
        "Belum lapor diri 30 hari setelah berangkat",
        "No lapor diri 30 days after departure",
        ["country", "scheme"],
    ),
    *_by("jht_uptake", "jht", "JHT", "Kepesertaan JHT", "JHT uptake", ["country"]),
    TableDef(
        "verdict_by_level_phase",
        "workers",
        ("level", "phase"),
        "Status perlindungan menurut tahap",
        "Protection level by phase",
    ),
    TableDef(
        "claims_by_programme_benefit",
        "claims",
        ("programme", "benefit", "outcome"),
        "Klaim menurut program, manfaat dan hasil (jumlah rupiah dibayar)",
        "Claims by programme, benefit and outcome (rupiah paid)",
        rate_of=("outcome", "REJECTED"),
        amounts=True,
    ),
    TableDef(
        "claims_by_benefit_year",
        "claims",
        ("benefit", "year"),
        "Klaim menurut manfaat dan tahun pengajuan",
        "Claims by benefit and year submitted",
    ),
    TableDef(
        "claims_days_to_payment",
        "claims",
        ("programme", "days"),
        "Klaim dibayar menurut program dan hari dari pengajuan sampai pembayaran",
        "Paid claims by programme and days from submission to payment",
    ),
    TableDef(
        "claims_ratio_by_year",
        "money",
        ("year", "flow"),
        "Rasio klaim: manfaat dibayar atas iuran diterima, menurut tahun pembayaran",
        "Claims ratio: benefits paid over contributions collected, by year paid",
        amounts=True,
        amount_ratio=("flow", "BENEFITS_PAID", "CONTRIBUTIONS"),
    ),
    TableDef(
        "cases_by_kind_status",
        "cases",
        ("kind", "status"),
        "Kasus menurut jenis dan status",
        "Cases by kind and status",
    ),
    TableDef(
        "cases_by_kind_country",
        "cases",
        ("kind", "country"),
        "Kasus menurut jenis dan negara",
        "Cases by kind and country",
    ),
    TableDef(
        "cases_by_kind_year",
        "cases",
        ("kind", "year"),
        "Kasus menurut jenis dan tahun (total nasional)",
        "Cases by kind and year (national totals)",
    ),
    TableDef(
        "linkage_by_agency_method",
        "links",
        ("agency", "method"),
        "Rekaman tertaut menurut instansi dan metode",
        "Linked records by agency and method",
    ),
)
BY_NAME = {t.name: t for t in TABLES}
assert len(BY_NAME) == len(TABLES), "table names are unique"

# Countries with fewer people than this in the run are published as their region.
POOL_BELOW = 100
REGIONS: dict[str, tuple[str, ...]] = {
    "REGION_EAST_ASIA": ("TW", "HK", "MO", "JP", "KR", "CN"),
    "REGION_SOUTHEAST_ASIA": ("MY", "SG", "BN", "TH", "KH", "PH", "VN", "LA", "MM", "TL"),
    "REGION_MIDDLE_EAST": ("SA", "AE", "QA", "KW", "OM", "BH", "JO", "TR", "IL", "LB", "EG"),
    "REGION_EUROPE": ("DE", "IT", "PL", "NL", "GB", "FR", "ES", "PT", "AT", "BE", "RO", "HU"),
}
REGION_OF = {c: r for r, countries in REGIONS.items() for c in countries}


def region(country: str) -> str:
    return REGION_OF.get(country, "REGION_OTHER")


__all__ = ["BY_NAME", "FIXED", "OPEN", "POOL_BELOW", "TABLES", "TableDef", "region"]
