"""50 concurrent queries against a hub on PostgreSQL leave one linear audit chain, no gaps."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from hub.audit import AuditSigner, AuditTrail
from hub.storage import make_engine
from schema.scenario import Scenario
from tests.databases import throwaway_postgres
from tests.e2e.queries import BY_NIK
from tests.e2e.stack import running_stack

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


def test_fifty_concurrent_queries_leave_one_linear_chain(
    small_scenario: Scenario, tmp_path: Path
) -> None:
    with (
        throwaway_postgres("pmihub_audit_e2e") as url,
        running_stack(small_scenario, tmp_path, database_url=url) as stack,
    ):
        headers = {"Authorization": f"Bearer {stack.token()}", "X-Purpose": "EMERGENCY"}
        niks = [p.nik for p in small_scenario.people]

        async def run() -> list[httpx.Response]:
            async with httpx.AsyncClient(timeout=60, headers=headers) as client:
                answers = await asyncio.gather(
                    *(
                        client.post(
                            f"{stack.hub_url}/graphql",
                            json={"query": BY_NIK, "variables": {"nik": niks[i % len(niks)]}},
                        )
                        for i in range(50)
                    )
                )
            return list(answers)

        answers = asyncio.run(run())
        assert {a.status_code for a in answers} == {200}
        # one entry per query that returned a worker (one of the five is unknown by NIK)
        returned = sum(1 for a in answers if a.json()["data"]["workerBy"] is not None)
        engine = make_engine(url)
        trail = AuditTrail(engine, AuditSigner.from_environ(stack.environ))
        report = trail.verify()
        with engine.connect() as connection:
            seqs = [
                row[0]
                for row in connection.exec_driver_sql("SELECT seq FROM audit_entry ORDER BY seq")
            ]
        engine.dispose()
    assert report.ok, report.text()
    assert seqs == list(range(1, returned + 1)) and returned == 40
