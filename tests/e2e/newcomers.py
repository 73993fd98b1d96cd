"""People registered at the agencies after the hub's last sync: the live-linking path."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from schema.enums import Sex
from schema.identifiers import nik_for
from schema.scenario.models import AGENCY_BLOCKS
from tests.e2e.stack import AGENCIES, Stack


def newcomer(i: int, *, region: str = "350613") -> dict[str, Any]:
    """A person every agency knows (canonical scenario format); NIKs unlike the fixture's."""
    sex = Sex.FEMALE if i % 2 else Sex.MALE
    born = date(1992, 1, 1) + timedelta(days=i * 11)
    passport = f"E{i:07d}"
    placement = f"PL-2026-9{i:06d}"
    return {
        "key": f"newcomer-{i}",
        "nik": nik_for(region, born, sex, i + 1),
        "name": f"Pendatang {chr(65 + i % 26)}{i}",
        "birthDate": born.isoformat(),
        "sex": sex.value,
        "passports": [{"number": passport, "expiresOn": "2034-01-01"}],
        "kemnaker": {"jobSeekerId": f"AK1-2026-9{i:05d}"},
        "p2mi": {
            "pmiId": f"PMI-3506-2026-9{i:06d}",
            "placements": [
                {
                    "placementId": placement,
                    "status": "WORKING",
                    "scheme": "PRIVATE_AGENCY",
                    "country": "HK",
                    "occupation": "Domestic worker",
                    "sector": "DOMESTIC",
                    "agencyLicense": "KEP.045/2021",
                    "contractStart": "2026-01-01",
                    "contractEnd": "2028-01-01",
                    "orientationCompleted": True,
                    "departedOn": "2026-01-02",
                }
            ],
        },
        "bpjs": {
            "kpj": f"26{i:09d}",
            "coverages": [
                {"program": "JKK", "phase": "PLACEMENT", "start": "2026-01-02", "end": "2028-02-01"}
            ],
        },
        "embassy": {
            "recordId": f"HKG-WNI-2026-9{i:05d}",
            "nikKnown": False,
            "passportKnown": passport,
            "endorsedContracts": [placement],
            "reports": [{"mission": "HKG", "reportedOn": "2026-01-10"}],
        },
    }


def register_at_agencies(stack: Stack, people: list[dict[str, Any]]) -> None:
    """Every sandbox learns ``people`` now; the hub's crosswalk does not know them yet."""
    for agency in AGENCIES:
        with stack.sandbox(agency) as client:
            response = client.post("/_sandbox/people", json=[_listed(p) for p in people])
            assert response.status_code == 200, (agency, response.text)


def _listed(person: dict[str, Any]) -> dict[str, Any]:
    """The sandboxes' people endpoint takes each agency block as a list."""
    return {k: [v] if k in AGENCY_BLOCKS else v for k, v in person.items()}
