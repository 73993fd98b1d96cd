"""Partner queries with differential privacy: noise printed, budget spent, refusal once spent."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy.exc
from sqlalchemy import text

from hub.statistics.privacy import YEARLY_RHO, PartnerQueries, PrivacyError, sigma_for
from hub.statistics.releases import Releases
from tests.statistics.conftest import Released

pytest.importorskip("opendp", reason="OpenDP is the stats extra (in the dev extras too)")
pytestmark = pytest.mark.e2e

QUERY = """query($t: String!, $rho: Float!) { partnerStatistics(table: $t, rho: $rho) {
  release table noiseScale rho budgetRemaining privacy
  cells { dimensions { name value } count suppressed } } }"""
NOW = datetime(2026, 12, 4, tzinfo=UTC)


def test_a_partner_gets_noisy_counts_with_the_noise_scale(released: Released) -> None:
    body = released.stack.graphql(
        QUERY, {"t": "enrolment_by_country", "rho": 0.05}, client="statistics-partner", purpose=None
    ).json()
    answer = body["data"]["partnerStatistics"]
    assert answer["noiseScale"] == pytest.approx(sigma_for(0.05))
    assert "sigma" in answer["privacy"] and answer["rho"] == 0.05
    assert answer["budgetRemaining"] == pytest.approx(YEARLY_RHO - 0.05)
    cells = {tuple(d["value"] for d in c["dimensions"]): c["count"] for c in answer["cells"]}
    assert all(c["count"] >= 0 and not c["suppressed"] for c in answer["cells"])
    exact = Releases(released.engine()).exact(answer["release"], "enrolment_by_country")
    assert exact is not None
    truth = {tuple(k): n for k, n in exact["counts"]}
    for key, n in truth.items():  # within 6 sigma of the truth, never exact by construction
        assert abs(cells[key] - n) <= 6 * answer["noiseScale"] + 1
    countries = exact["categories"]["country"]
    for value in exact["categories"]["enrolled"]:  # margins are sums of the noisy cells
        assert cells[("TOTAL", value)] == sum(cells[(c, value)] for c in countries)


def test_the_budget_is_spent_in_an_append_only_ledger_and_then_refused(
    released: Released,
) -> None:
    engine = released.engine()
    queries = PartnerQueries(engine)
    client = "budget-test-partner"
    first = queries.answer(client, "enrolment_by_sex", 0.25, NOW)
    assert first.remaining == pytest.approx(0.25) and "0.250 of 0.5" in first.describe()
    queries.answer(client, "enrolment_by_sex", 0.25, NOW)
    with pytest.raises(PrivacyError) as refused:
        queries.answer(client, "enrolment_by_sex", 0.001, NOW)
    assert refused.value.code == "PRIVACY_BUDGET_SPENT"
    assert queries.spent(client, 2026) == pytest.approx(0.5)  # the refusal spent nothing
    assert queries.answer(client, "enrolment_by_sex", 0.05, NOW.replace(year=2027)).rho == 0.05
    for statement in (
        "UPDATE statistics_privacy_ledger SET rho = 0",
        "DELETE FROM statistics_privacy_ledger",
    ):
        with pytest.raises(sqlalchemy.exc.DBAPIError), engine.begin() as connection:
            connection.execute(text(statement))
    engine.dispose()


@pytest.mark.parametrize(
    ("table", "rho"),
    [
        ("claims_by_programme_benefit", 0.05),  # a worker can count more than once
        ("linkage_by_agency_method", 0.05),
        ("enrolment_by_sex", 0.0),
        ("enrolment_by_sex", 0.6),
        ("no_such_table", 0.05),
    ],
)
def test_bad_queries_are_refused_and_spend_nothing(released: Released, table, rho) -> None:
    engine = released.engine()
    queries = PartnerQueries(engine)
    with pytest.raises(PrivacyError):
        queries.answer("refused-partner", table, rho, NOW)
    assert queries.spent("refused-partner", 2026) == 0
    engine.dispose()


def test_over_graphql_a_spent_budget_is_a_typed_refusal(released: Released) -> None:
    engine = released.engine()
    PartnerQueries(engine).answer("statistics-partner", "enrolment_by_age", 0.4, datetime.now(UTC))
    engine.dispose()
    body = released.stack.graphql(
        QUERY, {"t": "enrolment_by_age", "rho": 0.2}, client="statistics-partner", purpose=None
    ).json()
    assert body["errors"][0]["extensions"]["code"] == "PRIVACY_BUDGET_SPENT"
