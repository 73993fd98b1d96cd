"""The verdict's addressed actions through GraphQL execution of the served ``Finding`` type."""

from __future__ import annotations

import strawberry

from hub.graphql.protection import ProtectionStatus
from tests.protection.people import embassy, judge, worker


def _schema(status: ProtectionStatus) -> strawberry.Schema:
    @strawberry.type
    class Query:
        @strawberry.field
        def protection(self) -> ProtectionStatus:
            return status

    return strawberry.Schema(query=Query)


QUERY = """
{ protection { findings {
    code
    worker: actionsFor(party: WORKER, lang: EN)
    company: actionsFor(party: P3MI, lang: ID)
    officer: actionsFor(party: OFFICER, lang: EN)
    bpjs: actionsFor(party: BPJS)
    evidence { agency }
} } }
"""


def test_each_party_reads_its_own_actions() -> None:
    # given a worker abroad with no lapor diri
    status = ProtectionStatus.of(judge(worker(embassy=embassy(reports=()))))
    # when
    result = _schema(status).execute_sync(QUERY)
    # then
    assert result.errors is None
    (finding,) = result.data["protection"]["findings"]
    assert finding["code"] == "NOT_REPORTED_TO_MISSION"
    assert finding["worker"] == [
        "Report yourself to the Indonesian mission through the Peduli WNI portal, so that we "
        "can reach you in an emergency."
    ]
    assert finding["company"][0].startswith("Laporkan keberangkatan pekerja")
    assert finding["officer"][0].startswith("Ask the worker to self-report")
    assert finding["bpjs"] == []
    assert finding["evidence"] == [{"agency": "P2MI"}]


def test_an_unknown_party_is_a_typed_error() -> None:
    status = ProtectionStatus.of(judge(worker()))
    result = _schema(status).execute_sync(
        "{ protection { findings { actionsFor(party: EMPLOYER) } } }"
    )
    assert result.errors and "EMPLOYER" in result.errors[0].message
