"""A source error names the agency in words in both languages; the code stays in
``extensions.agency`` for programs."""

from __future__ import annotations

import pytest

from connectors.kit.errors import AgencyRejected, AgencyTimeout, AgencyUnavailable
from hub.graphql.errors import source_error


@pytest.mark.parametrize(
    ("error", "text_id", "text_en"),
    [
        (
            AgencyUnavailable("BPJS_KETENAGAKERJAAN", "down"),
            "Sumber BPJS Ketenagakerjaan tidak tersedia",
            "Source BPJS Ketenagakerjaan is unavailable",
        ),
        (
            AgencyTimeout("EMBASSY", "slow"),
            "Sumber Perwakilan RI (Kemlu) tidak menjawab tepat waktu",
            "Source Indonesian missions (Kemlu) timed out",
        ),
        (
            AgencyRejected("KEMNAKER", "401"),
            "Sumber Kemnaker (SIAPkerja dan perizinan P3MI) menolak kredensial hub",
            "Source Kemnaker (SIAPkerja and P3MI licensing) rejected the hub",
        ),
    ],
)
def test_the_agency_is_named_in_words(error: Exception, text_id: str, text_en: str) -> None:
    found = source_error(error, ["worker", "socialSecurity"])  # type: ignore[arg-type]
    assert found.extensions["messageId"] == text_id
    assert found.extensions["messageEn"] == text_en
    assert found.extensions["agency"] == error.agency  # type: ignore[attr-defined]
    assert "_" not in found.message


def test_an_unknown_agency_keeps_its_code() -> None:
    found = source_error(AgencyUnavailable("IMIGRASI", "down"))
    assert found.extensions["messageEn"] == "Source IMIGRASI is unavailable"
