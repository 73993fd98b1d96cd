"""The release over GraphQL (statistics:read, no purpose) and as public CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import httpx
import pytest

from hub.statistics.catalogue import TABLES
from hub.statistics.releases import Releases
from tests.statistics.conftest import Released

pytestmark = pytest.mark.e2e

TABLE = """query($t: String!, $r: ID) { coverageStatistics(table: $t, release: $r) {
  release table referenceDate rulesVersion disclosureRule disclosureRuleId total titleEn
  dimensionNames
  cells { dimensions { name value } count suppressed rate }
  sources { agency answered unavailable } linkage { method percent } } }"""


def ask(released: Released, client: str, table: str = "enrolment_by_country", release=None):
    answer = released.stack.graphql(TABLE, {"t": table, "r": release}, client=client, purpose=None)
    return answer.json()


@pytest.mark.parametrize("client", ["embassy-system", "statistics-partner"])
def test_a_statistics_reader_gets_the_latest_release_without_a_purpose(
    released: Released, client: str
) -> None:
    names = released.stack.graphql("{ statisticsTables }", client=client, purpose=None).json()
    assert sorted(names["data"]["statisticsTables"]) == sorted(t.name for t in TABLES)
    body = ask(released, client)
    table = body["data"]["coverageStatistics"]
    assert table["release"] == released.report.release.id
    assert table["referenceDate"] == "2026-11-24" and table["rulesVersion"]
    assert "1-10" in table["disclosureRule"]
    # the same rule in Indonesian, from the release's own rules (the release keeps the English)
    assert "sel berisi 1-10 orang disembunyikan" in table["disclosureRuleId"]
    assert table["disclosureRuleId"].split(":")[0] == table["disclosureRule"].split(":")[0]
    assert table["dimensionNames"] == ["country", "enrolled"]
    total = [c for c in table["cells"] if {d["value"] for d in c["dimensions"]} == {"TOTAL"}]
    assert total[0]["count"] == table["total"] > 0
    assert all(c["suppressed"] == (c["count"] is None) for c in table["cells"])
    assert {s["agency"] for s in table["sources"]} >= {"P2MI", "BPJS_KETENAGAKERJAAN"}
    assert any(m["method"] == "NIK" for m in table["linkage"])


def test_the_partner_reads_statistics_and_no_worker(released: Released) -> None:
    body = released.stack.graphql(
        '{ worker(id: "wk_00000000000000000000") { id } }',
        client="statistics-partner",
        purpose="CASE_HANDLING",
    ).json()
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_without_the_scope_the_answer_is_forbidden_naming_it(released: Released) -> None:
    body = ask(released, "kemnaker-system")
    assert body["data"] is None or body["data"]["coverageStatistics"] is None
    error = body["errors"][0]["extensions"]
    assert error["code"] == "FORBIDDEN" and error["scope"] == "statistics:read"


@pytest.mark.parametrize(
    ("table", "release", "code"),
    [
        ("Robert'); DROP TABLE", None, "BAD_USER_INPUT"),
        ("enrolment_by_country", "../etc", "BAD_USER_INPUT"),
        ("enrolment_by_country", "stat-1999-01-01-v1", "NOT_FOUND"),
        ("enrolment_by_country\n", None, "BAD_USER_INPUT"),  # `$` matched before a newline
        ("enrolment_by_country", "stat-1999-01-01-v1\n", "BAD_USER_INPUT"),
    ],
)
def test_bad_arguments_are_typed_errors(released: Released, table, release, code) -> None:
    body = ask(released, "embassy-system", table, release)
    assert body["errors"][0]["extensions"]["code"] == code
    assert " / " in body["errors"][0]["message"]  # Indonesian / English


def test_an_unknown_table_is_null(released: Released) -> None:
    body = ask(released, "embassy-system", "no_such_table")
    assert body["data"]["coverageStatistics"] is None and "errors" not in body


def test_the_public_csv_carries_its_metadata_and_the_same_counts(released: Released) -> None:
    url = released.stack.hub_url
    answer = httpx.get(f"{url}/statistics/latest/enrolment_by_country.csv", timeout=10)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.text)))
    meta = {r[0]: r[1:] for r in rows if r[0].startswith("#")}
    assert meta["# reference date"] == ["2026-11-24"]
    assert meta["# release"] == [released.report.release.id]
    assert "1-10" in meta["# disclosure rule"][0]
    assert any(k.startswith("# freshness") for k in meta)
    header = next(r for r in rows if not r[0].startswith("#"))
    assert header == ["country", "enrolled", "count", "rate"]
    data = rows[rows.index(header) + 1 :]
    cells = ask(released, "embassy-system")["data"]["coverageStatistics"]["cells"]
    assert len(data) == len(cells)
    for row, cell in zip(data, cells, strict=True):
        assert row[:2] == [d["value"] for d in cell["dimensions"]]
        assert row[2] == ("" if cell["count"] is None else str(cell["count"]))
    listing = httpx.get(f"{url}/statistics/releases", timeout=10).json()
    assert released.report.release.id in {r["id"] for r in listing["releases"]}


def test_the_csv_refuses_bad_paths_and_withdrawn_releases(released: Released) -> None:
    url = released.stack.hub_url
    bad = httpx.get(f"{url}/statistics/latest/Bad-Name.csv", timeout=10)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "BAD_USER_INPUT"
    for path in ("latest/enrolment_by_country%0A.csv", "stat-1999-01-01-v1%0A/x_y.csv"):
        newline = httpx.get(f"{url}/statistics/{path}", timeout=10)
        assert newline.status_code == 400, path
    missing = httpx.get(f"{url}/statistics/latest/no_such_table.csv", timeout=10)
    assert missing.status_code == 404
    engine = released.engine()
    releases = Releases(engine)
    extra = releases.store(
        released.report.release.reference_date,
        released.report.release.rules,
        {},
        [],
        datetime.now(UTC),
    )
    releases.withdraw(extra.id, "wrong reference date", datetime.now(UTC))
    engine.dispose()
    gone = httpx.get(f"{url}/statistics/{extra.id}/enrolment_by_country.csv", timeout=10)
    assert gone.status_code == 410 and gone.json()["error"]["code"] == "RELEASE_WITHDRAWN"
    body = ask(released, "embassy-system", release=extra.id)
    assert body["errors"][0]["extensions"]["code"] == "RELEASE_WITHDRAWN"
