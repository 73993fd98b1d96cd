"""Findings the engine itself writes about its sources, defined here so they are documented
and versioned like every rule."""

from __future__ import annotations

from hub.protection.law import Law
from hub.protection.rule import ALL_STAGES, Rule
from hub.protection.text import Text
from schema.enums import Severity, SourceState

SOURCE_UNAVAILABLE = Rule(
    code="SOURCE_UNAVAILABLE",
    severity=Severity.MEDIUM,
    law=Law(
        "DESIGN.md, principles: never a false 'protected'; missing data lowers certainty and "
        "says so"
    ),
    condition="An agency that a rule or the phase needed answered UNAVAILABLE or DENIED, or "
    "was not consulted. One finding per agency, naming it and nothing else; the rules that "
    "needed it do not conclude, and the verdict is incomplete and never PROTECTED.",
    message=Text(
        "Data {agency} tidak dapat dibaca ({reason}); penilaian ini belum lengkap.",
        "Data from {agency} could not be read ({reason}); this verdict is incomplete.",
    ),
    action=Text(
        "Coba lagi nanti atau tanyakan langsung ke {agency}; jangan anggap pekerja terlindungi "
        "sebelum data lengkap.",
        "Try again later or ask {agency} directly; do not treat the worker as protected until "
        "the data is complete.",
    ),
    needs=frozenset(),
    stages=frozenset(ALL_STAGES),
    check=None,
)

SOURCE_STALE = Rule(
    code="SOURCE_STALE",
    severity=Severity.INFO,
    law=Law("DESIGN.md, principles: stale data lowers certainty and says so"),
    condition="An agency's answer was served from the hub's cache (state STALE). Its data is "
    "used as it is; this finding says so, and the records keep stale=true in their provenance.",
    message=Text(
        "Data {agency} berasal dari cache, bukan jawaban langsung; perubahan terbaru mungkin "
        "belum terlihat.",
        "Data from {agency} was served from cache, not read live; the latest changes may be "
        "missing.",
    ),
    action=Text(
        "Periksa ulang bila keputusan bergantung pada data ini.",
        "Check again if a decision depends on this data.",
    ),
    needs=frozenset(),
    stages=frozenset(ALL_STAGES),
    check=None,
)

REASONS = {
    SourceState.UNAVAILABLE: Text("layanan tidak tersedia", "service unavailable"),
    SourceState.DENIED: Text("akses ditolak", "access denied"),
    None: Text("tidak diminta", "not consulted"),
}

NOTICES = (SOURCE_UNAVAILABLE, SOURCE_STALE)
