"""Procedural placement, the company's licence and the contract, scenario by scenario."""

from __future__ import annotations

import pytest

from schema.enums import ProtectionLevel as L
from schema.enums import ProtectionPhase as P
from tests.protection.people import (
    Case,
    bpjs,
    case,
    check,
    cover,
    day,
    embassy,
    judge,
    p2mi,
    placement,
    report,
    worker,
)

CASES = [
    Case("procedural worker, everything in order", worker(), L.PROTECTED),
    Case(
        "known only at the embassy: non-procedural, not enrolled",
        worker(kemnaker=None, p2mi=None, bpjs=None, embassy=embassy(endorsed=())),
        L.UNPROTECTED,
        ("NOT_IN_SISKOP2MI", "BPJS_NOT_ENROLLED"),
        says="Known to KJRI Hong Kong",
    ),
    Case(
        "a mission case but no lapor diri and no placement",
        worker(p2mi=None, embassy=embassy(reports=(), endorsed=(), cases=(case(),))),
        L.UNPROTECTED,
        ("NOT_IN_SISKOP2MI", "NOT_REPORTED_TO_MISSION", "OPEN_CASE"),
        says="Known to an Indonesian mission",
    ),
    Case(
        "only a cancelled placement, yet at the embassy",
        worker(p2mi=p2mi(placement(status="CANCELLED", departedOn=None)), bpjs=None),
        L.UNPROTECTED,
        ("NOT_IN_SISKOP2MI", "BPJS_NOT_ENROLLED"),
    ),
    Case(
        "returned, then a new lapor diri abroad with no new placement",
        worker(
            p2mi=p2mi(
                placement(status="RETURNED", contractEnd="2025-12-31", returnedOn="2026-01-05")
            ),
            bpjs=bpjs(cover("PLACEMENT", "2025-06-01", "2026-01-31")),
            embassy=embassy(reports=(report("2025-06-10"), report("2026-06-01", "KUL"))),
        ),
        L.UNPROTECTED,
        # the old stay's cover ended before the new lapor diri: not cover, and not "expired"
        ("NOT_IN_SISKOP2MI", "BPJS_PHASE_NOT_COVERED", "JHT_NOT_ENROLLED"),
        says="Known to KBRI Kuala Lumpur",
    ),
    Case(
        # UU 18/2017 Art. 58(2): the placed worker's cover stands; the company stays liable
        "company licence revoked, worker already placed: MEDIUM",
        worker(p2mi=p2mi(placement(agencyLicense="KEP.123/2022"))),
        L.AT_RISK,
        ("PLACEMENT_AGENCY_LICENSE_REVOKED",),
        says="PT Sinar Jaya Abadi (KEP.123/2022) has been revoked",
    ),
    Case(
        "company licence revoked before departure: HIGH, stop the process",
        worker(
            p2mi=p2mi(
                placement(
                    agencyLicense="KEP.123/2022",
                    status="REGISTERED",
                    departedOn=None,
                    contractStart=day(90),
                    contractEnd=day(820),
                )
            ),
            bpjs=bpjs(cover("PRE_PLACEMENT", day(-30), day(120))),
        ),
        L.UNPROTECTED,
        ("PLACEMENT_AGENCY_LICENSE_REVOKED",),
        phase=P.PRE_PLACEMENT,
    ),
    Case(
        "company licence suspended",
        worker(p2mi=p2mi(placement(agencyLicense="KEP.077/2023"))),
        L.AT_RISK,
        ("PLACEMENT_AGENCY_LICENSE_SUSPENDED",),
    ),
    Case(
        "company licence expired",
        worker(p2mi=p2mi(placement(agencyLicense="KEP.010/2015"))),
        L.AT_RISK,
        ("PLACEMENT_AGENCY_LICENSE_EXPIRED",),
    ),
    Case(
        "company licence of unknown status",
        worker(p2mi=p2mi(placement(agencyLicense="KEP.999/2020"))),
        L.AT_RISK,
        ("PLACEMENT_AGENCY_LICENSE_UNVERIFIED",),
    ),
    Case(
        "company licence number not in the registry",
        worker(),
        L.AT_RISK,
        ("PLACEMENT_AGENCY_LICENSE_UNVERIFIED",),
        options={"unregistered": ["KEP.045/2021"]},
        says="PT Mitra Karya Migran (KEP.045/2021) cannot be verified",
    ),
    Case(
        "revoked licence of a returned worker's company, post-placement window",
        worker(
            p2mi=p2mi(
                placement(agencyLicense="KEP.123/2022", status="RETURNED", returnedOn=day(-5))
            ),
            bpjs=bpjs(cover("POST_PLACEMENT", day(-5), day(40))),
        ),
        L.AT_RISK,
        ("PLACEMENT_AGENCY_LICENSE_REVOKED",),
        phase=P.POST_PLACEMENT,
    ),
    Case(
        "revoked licence long after the return: nothing running",
        worker(
            p2mi=p2mi(
                placement(agencyLicense="KEP.123/2022", status="RETURNED", returnedOn="2026-01-05")
            )
        ),
        L.PROTECTED,
        ("RETURNED_HOME",),
        phase=P.POST_PLACEMENT,
    ),
    Case(
        "housemaid in Saudi Arabia (SPSK cannot be told from the records)",
        worker(p2mi=p2mi(placement(country="SA"))),
        L.UNPROTECTED,
        ("MORATORIUM_DESTINATION",),
        says="verify the scheme",
    ),
    Case(
        "caregiver in the Emirates, about to depart",
        worker(
            p2mi=p2mi(
                placement(
                    country="AE",
                    sector="CARE",
                    status="READY",
                    departedOn=None,
                    contractStart=day(20),
                    contractEnd=day(750),
                )
            ),
            bpjs=bpjs(cover("PRE_PLACEMENT", day(-30), day(60))),
        ),
        L.UNPROTECTED,
        ("MORATORIUM_DESTINATION",),
        phase=P.PRE_PLACEMENT,
        says="caregiver with a household employer (employer kind not recorded) in United Arab "
        "Emirates (AE), a destination closed",
    ),
    Case(
        "housemaid in Saudi Arabia since before the moratorium",
        worker(
            p2mi=p2mi(placement(country="SA", departedOn="2015-06-30", contractStart="2015-06-30"))
        ),
        L.PROTECTED,
    ),
    Case(
        "factory work in Saudi Arabia is not under the moratorium",
        worker(
            p2mi=p2mi(
                placement(country="SA", sector="MANUFACTURING", occupation="Machine operator")
            )
        ),
        L.PROTECTED,
    ),
    Case(
        "departed without recorded orientation",
        worker(p2mi=p2mi(placement(orientationCompleted=False))),
        L.AT_RISK,
        ("ORIENTATION_MISSING",),
    ),
    Case(
        "departed, orientation not recorded at all",
        worker(p2mi=p2mi(placement(orientationCompleted=None))),
        L.AT_RISK,
        ("ORIENTATION_MISSING",),
    ),
    Case(
        "ready to depart without orientation",
        worker(
            p2mi=p2mi(
                placement(
                    status="READY",
                    departedOn=None,
                    orientationCompleted=False,
                    contractStart=day(20),
                )
            ),
            bpjs=bpjs(cover("PRE_PLACEMENT", day(-30), day(60))),
        ),
        L.AT_RISK,
        ("ORIENTATION_MISSING",),
        phase=P.PRE_PLACEMENT,
    ),
    Case(
        "just registered: orientation comes later",
        worker(
            p2mi=p2mi(
                placement(
                    status="REGISTERED",
                    departedOn=None,
                    orientationCompleted=False,
                    contractStart=day(90),
                )
            ),
            bpjs=bpjs(cover("PRE_PLACEMENT", day(-30), day(60))),
        ),
        L.PROTECTED,
        phase=P.PRE_PLACEMENT,
    ),
    Case(
        "contract not endorsed at a mission",
        worker(embassy=embassy(endorsed=())),
        L.AT_RISK,
        ("CONTRACT_NOT_ENDORSED",),
    ),
    Case(
        # UU 18/2017 Art. 25: within the month of cover the company must report (MEDIUM)
        "contract ended yesterday, still recorded as working",
        worker(p2mi=p2mi(placement(contractEnd=day(-1)))),
        L.AT_RISK,
        ("CONTRACT_ENDED_NOT_REPORTED",),
        says="ended on 2026-11-23 (yesterday)",
    ),
    Case(
        "contract ended more than a month ago, still recorded as working",
        worker(p2mi=p2mi(placement(contractEnd=day(-40)))),
        L.UNPROTECTED,
        ("CONTRACT_EXPIRED_STILL_ABROAD",),
        says="ended on 2026-10-15 (40 days ago)",
    ),
    Case(
        "contract ending today is still running",
        worker(p2mi=p2mi(placement(contractEnd=day(0)))),
        L.PROTECTED,
    ),
]


@pytest.mark.parametrize("row", CASES, ids=str)
def test_verdict(row: Case) -> None:
    check(row)


def test_revoked_licence_cites_the_registry_and_the_placement() -> None:
    # given a worker placed by a company whose licence Kemnaker revoked
    person = worker(p2mi=p2mi(placement(agencyLicense="KEP.123/2022")))
    # when
    (finding,) = judge(person).findings
    # then the evidence names both records, by agency, system and record id
    assert [(e.agency, e.system, e.record_id) for e in finding.evidence] == [
        ("P2MI", "SISKOP2MI", "PL-2025-0000001"),
        ("KEMNAKER", "SIAPkerja", "KEP.123/2022"),
    ]


def test_contract_expiry_gives_the_end_of_placement_cover() -> None:
    # given a contract that ended on the last day of February
    person = worker(p2mi=p2mi(placement(contractEnd="2026-02-28")))
    # when
    finding = next(f for f in judge(person).findings if f.code == "CONTRACT_EXPIRED_STILL_ABROAD")
    # then cover lasts one month more, to the same day of March
    assert "cover ended on 2026-03-28" in finding.message_in("EN")
    assert "berakhir 2026-03-28" in finding.message_in("ID")
