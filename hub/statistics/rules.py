"""The disclosure rules of a release (docs/statistics.md, research domain-2026 section 2.4).

A release carries the ``Rules`` it was made under; changing any number here means a new
``version``, never a silent change to published tables.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SENSITIVE_CATEGORIES = frozenset(
    {
        "DEATH",
        "SEXUAL_VIOLENCE",
        "DETENTION",
        "DEATH_PENALTY",
        "DISABILITY",
    }
)


@dataclass(frozen=True, slots=True)
class Rules:
    version: str = "sdc-2026.12-1"
    # Threshold rule: a cell of 1..threshold persons is never published (0 is).
    threshold: int = 10
    # Counts of sub-national tables (province and below) are rounded to this base.
    round_base: int = 5
    # A rate is shown only over a denominator of at least this many persons.
    min_denominator: int = 50
    # N-K dominance on amounts: the n largest contributions make up >= k of the cell.
    dominance_n: int = 2
    dominance_k: float = 0.9
    # p-ratio: the rest of the cell after the two largest is below p x the largest.
    p_ratio: float = 0.1
    # Secondary suppression: an attacker's interval for a protected count must be this wide,
    # and for a protected amount this share of its value.
    count_protection: int = 10
    amount_protection: float = 0.2
    # Sensitive categories appear only in national yearly totals.
    sensitive: frozenset[str] = field(default=SENSITIVE_CATEGORIES)
    # Dimensions a sensitive category may be crossed with (besides its own).
    sensitive_may_cross: frozenset[str] = frozenset({"year"})

    def describe(self, lang: str = "EN") -> str:
        """The rules in one sentence, for ``StatisticsTable.disclosureRule`` and the CSV
        (English, kept in each release as published) and ``disclosureRuleId`` (Indonesian)."""
        if lang == "ID":
            return self._describe_id()
        return (
            f"{self.version}: cells of 1-{self.threshold} persons suppressed; secondary "
            f"suppression until no suppressed cell can be narrowed by a linear program to "
            f"less than {self.count_protection} persons ({self.amount_protection:.0%} of an "
            f"amount); sub-national counts rounded to base {self.round_base} (11 and 12 shown "
            f"as 15); rates only over denominators of {self.min_denominator} or more; amounts "
            f"suppressed when {self.dominance_n} claims make up {self.dominance_k:.0%} or more "
            f"(N-K) or the rest is under {self.p_ratio:.0%} of the largest (p-ratio); "
            f"{', '.join(sorted(self.sensitive))} only as national yearly totals"
        )

    def _describe_id(self) -> str:
        return (
            f"{self.version}: sel berisi 1-{self.threshold} orang disembunyikan; penyembunyian "
            f"sekunder sampai tidak ada sel tersembunyi yang dapat dipersempit oleh program "
            f"linear hingga kurang dari {self.count_protection} orang ("
            f"{self.amount_protection:.0%} dari suatu jumlah uang); angka di bawah tingkat "
            f"nasional dibulatkan ke kelipatan {self.round_base} (11 dan 12 ditampilkan sebagai "
            f"15); persentase hanya atas penyebut {self.min_denominator} atau lebih; jumlah uang "
            f"disembunyikan bila {self.dominance_n} klaim mencakup {self.dominance_k:.0%} atau "
            f"lebih (N-K) atau sisanya di bawah {self.p_ratio:.0%} dari yang terbesar (p-ratio); "
            f"{', '.join(sorted(self.sensitive))} hanya sebagai total nasional tahunan"
        )

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["sensitive"] = sorted(self.sensitive)
        data["sensitive_may_cross"] = sorted(self.sensitive_may_cross)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Rules:
        values = dict(data)
        values["sensitive"] = frozenset(values.get("sensitive", SENSITIVE_CATEGORIES))  # type: ignore[arg-type]
        values["sensitive_may_cross"] = frozenset(values.get("sensitive_may_cross", ("year",)))  # type: ignore[arg-type]
        return cls(**values)  # type: ignore[arg-type]


DEFAULT_RULES = Rules()

__all__ = ["DEFAULT_RULES", "SENSITIVE_CATEGORIES", "Rules"]
