"""The verdict as a person reads it at the terminal."""

from __future__ import annotations

import pytest

from hub.protection import UnsupportedLanguage, render_verdict
from tests.protection.people import embassy, judge, p2mi, placement, worker

REVOKED = worker(p2mi=p2mi(placement(agencyLicense="KEP.123/2022")))


def test_indonesian() -> None:
    # given a worker placed by a company whose licence was revoked (MEDIUM once placed, UU
    # 18/2017 Art. 58(2)), BPJS read from cache
    verdict = judge(REVOKED, stale=["BPJS_KETENAGAKERJAAN"])
    # when
    text = render_verdict(verdict)
    # then
    lines = text.splitlines()
    assert lines[:4] == [
        "Status pelindungan",
        "  Tingkat      BERISIKO (AT_RISK)",
        "  Tahap        Penempatan (PLACEMENT)",
        "  Kelengkapan  lengkap",
    ]
    assert lines[4].startswith("  Dievaluasi   2026-11-24T02:30:00+00:00, aturan 2.")
    assert "Temuan (2):" in lines
    assert "  1. [SEDANG] PLACEMENT_AGENCY_LICENSE_REVOKED" in lines
    assert "  2. [INFO] SOURCE_STALE" in lines
    assert (
        "       Izin SIP3MI perusahaan penempatan PT Sinar Jaya Abadi (KEP.123/2022) telah" in lines
    )
    assert "         - P2MI · SISKOP2MI · PL-2025-0000001" in lines
    assert "         - KEMNAKER · SIAPkerja · KEP.123/2022" in lines
    assert any(line.startswith("       Tindakan: Laporkan ke KP2MI") for line in lines)
    assert all(len(line) <= 88 for line in lines)


def test_english_and_incomplete() -> None:
    # given BPJS could not be read
    verdict = judge(worker(), unavailable=["BPJS_KETENAGAKERJAAN"])
    # when
    text = render_verdict(verdict, lang="EN")
    # then
    assert "  Level        UNKNOWN\n" in text
    assert "  Completeness INCOMPLETE: a source could not be read\n" in text
    assert "  1. [MEDIUM] SOURCE_UNAVAILABLE\n" in text
    assert "Evidence" not in text  # a missing source has none


def test_stale_evidence_is_marked() -> None:
    verdict = judge(worker(embassy=embassy(endorsed=())), stale=["P2MI"])
    assert "- P2MI · SISKOP2MI · PL-2025-0000001 (from cache)" in render_verdict(verdict, "EN")


def test_no_findings() -> None:
    text = render_verdict(judge(worker()), "EN")
    assert text.endswith("\nNo findings.\n")
    assert "  Level        PROTECTED\n" in text


def test_unsupported_language() -> None:
    with pytest.raises(UnsupportedLanguage):
        render_verdict(judge(worker()), lang="JV")
