"""The statistics run on a real stack: what it keeps, what it audits, what it publishes."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select, text

from hub.audit.tables import AuditEntryRow
from hub.statistics.catalogue import TABLES
from hub.statistics.releases import Releases
from tests.statistics.conftest import Released
from tests.statistics.ground_truth import blocks, days_to_payment, money, placed_not_enrolled

pytestmark = pytest.mark.e2e


def test_the_run_keeps_only_a_release_and_one_audit_entry(released: Released) -> None:
    grew = {
        t: released.after[t] - released.before.get(t, 0)
        for t in released.after
        if released.after[t] != released.before.get(t, 0)
    }
    audit_tables = {t for t in grew if t.startswith("audit")}
    assert grew.pop("statistics_release") == 1
    assert grew.pop("statistics_table") == len(TABLES)
    assert grew.pop("statistics_exact") == len(TABLES)  # cell counts, for the DP service
    assert grew.pop("audit_entry") == 1
    # the audit chain's own bookkeeping (its head) may move; nothing else may change
    assert set(grew) <= audit_tables, grew


def test_nothing_per_person_survives_the_run(released: Released) -> None:
    """The run's only writes (release, tables, audit entry) name no worker and no identifier,
    name or birth date of anyone in the population; the row counts above show it wrote nothing
    else."""
    engine = released.engine()
    with engine.connect() as connection:
        workers = set(connection.execute(text("SELECT id FROM worker")).scalars())
        stored = [
            *connection.execute(text("SELECT body FROM statistics_table")).scalars(),
            *connection.execute(text("SELECT meta FROM statistics_release")).scalars(),
            *connection.execute(
                text("SELECT * FROM audit_entry WHERE purpose = 'STATISTICS'")
            ).first(),
        ]
    engine.dispose()
    assert len(workers) > 500
    personal = set(workers)
    for person in released.raw["people"]:
        personal |= {person["name"], person.get("nik") or "", person.get("birthDate") or ""}
        personal |= {p["number"] for p in person.get("passports", [])}
        for block in blocks(person, "bpjs"):
            personal.add(block["kpj"])
        for block in blocks(person, "p2mi"):
            personal.add(block["pmiId"])
    personal.discard("")
    words = set()
    for value in stored:
        words |= set(re.split(r"[\s\"',:\[\]{}]+", str(value)))
    assert not words & personal
    assert all(json.loads(body)["cells"] for body in stored[: len(TABLES)])


def test_the_run_is_one_audit_event_with_purpose_statistics(released: Released) -> None:
    engine = released.engine()
    with engine.connect() as connection:
        rows = connection.execute(
            select(AuditEntryRow).where(AuditEntryRow.purpose == "STATISTICS")  # type: ignore[arg-type]
        ).all()
    engine.dispose()
    assert len(rows) == 1
    assert rows[0].worker_id is None and rows[0].operation == "pmihub stats run"


def test_no_published_count_lies_in_1_to_10_and_totals_add_up(released: Released) -> None:
    releases = Releases(released.engine())
    release = released.report.release
    for name in releases.table_names(release.id):
        body = releases.table(release.id, name)
        assert body is not None
        for cell in body["cells"]:
            assert cell["count"] is None or not 1 <= cell["count"] <= 10, (name, cell)
        if body["geography"] == "national":
            cells = {tuple(c["key"]): c["count"] for c in body["cells"]}
            first = [k for k in cells if k[1:] == ("TOTAL",) * (len(k) - 1)]
            parts = [cells[k] for k in first if k[0] != "TOTAL"]
            if None not in parts:
                assert sum(parts) == body["total"], name


def test_the_release_reproduces_the_ground_truth(released: Released) -> None:
    """Placed but not enrolled, nationally and per published country, against the scenario."""
    abroad, unenrolled = placed_not_enrolled(released.raw)
    body = Releases(released.engine()).table(
        released.report.release.id, "placed_not_enrolled_by_country"
    )
    assert body is not None
    cells = {tuple(c["key"]): c for c in body["cells"]}
    national = cells[("TOTAL", "NO_MEMBERSHIP")]
    truth = sum(unenrolled.values()) / sum(abroad.values())
    assert body["total"] == pytest.approx(sum(abroad.values()), rel=0.02)  # linkage errors
    assert national["rate"] == pytest.approx(truth, abs=0.02)
    compared = 0
    for country, n in abroad.items():
        cell = cells.get((country, "NO_MEMBERSHIP"))
        if cell is not None and cell["rate"] is not None:
            assert cell["rate"] == pytest.approx(unenrolled[country] / n, abs=0.03), country
            compared += 1
    assert compared >= 2
    meta = released.report.release.meta
    assert meta["referenceDate"] == "2026-11-24" and meta["rulesVersion"]
    assert set(meta["freshness"]) == {"KEMNAKER", "P2MI", "BPJS_KETENAGAKERJAAN", "EMBASSY"}
    assert meta["linkage"]["byMethod"]["NIK"] > 50


def test_days_to_payment_counts_every_paid_claim_of_the_scenario(released: Released) -> None:
    """F8: the exact cells (before disclosure control) are the scenario's paid claims by
    programme and days from submission to payment; none without a payment day."""
    exact = Releases(released.engine()).exact(released.report.release.id, "claims_days_to_payment")
    assert exact is not None
    counted = {tuple(key): n for key, n in exact["counts"] if n}
    truth = days_to_payment(released.raw)
    assert counted == dict(truth)
    assert sum(truth.values()) >= 3 and not any(band == "UNKNOWN" for _, band in truth)


def test_the_claims_ratio_table_holds_the_scenario_s_sums(released: Released) -> None:
    """F9: every published amount is the scenario's sum for that year and flow, and a
    published ratio is the two published amounts' quotient."""
    body = Releases(released.engine()).table(released.report.release.id, "claims_ratio_by_year")
    assert body is not None and body["amountRatio"] == [
        "flow",
        "BENEFITS_PAID",
        "CONTRIBUTIONS",
    ]
    truth = money(released.raw)
    cells = {tuple(c["key"]): c for c in body["cells"]}
    published = 0
    for (year, flow), cell in cells.items():
        if year != "TOTAL" and flow != "TOTAL" and cell["amount"] is not None:
            assert cell["amount"] == truth[(year, flow)], (year, flow)
            published += 1
        if flow == "BENEFITS_PAID" and cell["rate"] is not None:
            below = cells[(year, "CONTRIBUTIONS")]["amount"]
            assert cell["rate"] == pytest.approx(cell["amount"] / below, abs=1e-4)
    assert published >= 3  # contributions of several years at least
    for flow in ("CONTRIBUTIONS", "BENEFITS_PAID"):  # margins too, where published
        national = cells[("TOTAL", flow)]["amount"]
        assert national in (None, sum(v for (_, f), v in truth.items() if f == flow)), flow


def test_releases_are_immutable_and_can_be_withdrawn(released: Released) -> None:
    from datetime import UTC, datetime

    import sqlalchemy.exc

    engine = released.engine()
    releases = Releases(engine)
    release_id = released.report.release.id
    for statement in (
        "UPDATE statistics_table SET body = '{}'",
        "DELETE FROM statistics_table",
        "DELETE FROM statistics_release",
        "UPDATE statistics_release SET meta = '{}'",
    ):
        with pytest.raises(sqlalchemy.exc.DBAPIError), engine.begin() as connection:
            connection.execute(text(statement))
    assert releases.table(release_id, "enrolment_by_country") is not None
    # a second release of the same day is a new version, the first one stands
    second = releases.store(
        released.report.release.reference_date,
        released.report.release.rules,
        {"note": "copy"},
        [],
        datetime.now(UTC),
    )
    assert second.version > released.report.release.version
    done = releases.withdraw(second.id, "test withdrawal", datetime.now(UTC))
    assert done.status == "WITHDRAWN"
    with pytest.raises(sqlalchemy.exc.DBAPIError), engine.begin() as connection:
        connection.execute(
            text("UPDATE statistics_release SET status = 'PUBLISHED' WHERE id = :i"),
            {"i": second.id},
        )
    assert releases.latest().id == release_id  # type: ignore[union-attr]
    engine.dispose()
