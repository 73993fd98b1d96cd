"""ACRO (SACRO's output checker, PyPI ``acro``) checks sample releases independently.

ACRO recomputes each table from the microdata and flags the cells its rules fail: fewer than
``safe_threshold`` persons, N-K dominance (n=2, k=0.9) and the p-ratio (0.1) on sums. Every
cell it flags must be suppressed in the hub's release. Its threshold is set to 11 (the hub
suppresses 1-10, the CMS rule; ACRO's default 10 fails only 1-9), and zeros are not disclosive
(the hub publishes a zero unless it is structural): the only two settings changed. ACRO's
threshold check still fails an empty cell (0 < 11); the one disagreement, by the hub's rule,
is that an empty cell is published as 0 (asserted, not ignored).
"""

from __future__ import annotations

import asyncio
import logging
import random
from typing import Any

import pytest

from hub.runtime import hub_services
from hub.service import Hub
from hub.settings import Settings
from hub.statistics.cube import Cube, TableSpec
from hub.statistics.disclosure import publish
from hub.statistics.releases import Releases
from hub.statistics.rules import Rules
from hub.statistics.run import agency_rows
from hub.statistics.tally import Tally
from tests.statistics.conftest import AS_OF, Released

acro = pytest.importorskip("acro", reason="acro is a dev dependency (pyproject)")
pd = pytest.importorskip("pandas")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore::Warning"),  # pandas and statsmodels inside acro
]


def checker() -> Any:
    logging.getLogger("acro").setLevel(logging.ERROR)
    checked = acro.ACRO(suppress=False)
    checked.sdc_checks.risk_appetite["safe_threshold"] = Rules().threshold + 1
    checked.sdc_checks.risk_appetite["zeros_are_disclosive"] = False
    return checked


def flagged(checked: Any, table: Any) -> set[tuple[str, str]]:
    """(row label, column label) of every cell ACRO's last check failed."""
    output = list(checked.results.results.values())[-1]
    cells: set[tuple[str, str]] = set()
    for _check, positions in output.sdc["cells"].items():
        for row, col in positions:
            cells.add((str(table.index[row]), str(table.columns[col])))
    return cells


@pytest.fixture(scope="module")
def microdata(released: Released) -> Any:
    """The run's own input, one row per worker, countries pooled as the release pools them."""

    async def collect() -> list[Any]:
        settings = Settings.from_environ(released.stack.environ)
        async with hub_services(settings) as (engine, connectors):
            hub = Hub(settings=settings, engine=engine, connectors=connectors)
            try:
                return [seen.row async for seen in agency_rows(hub, AS_OF, 400)]
            finally:
                await hub.cases.aclose()

    rows = asyncio.run(collect())
    tally = Tally()
    for row in rows:
        tally.add(row)
    frame = pd.DataFrame([{f: getattr(r, f) for f in r.__dataclass_fields__} for r in rows])
    frame["country"] = frame["country"].map(tally.pooled)
    return frame


@pytest.mark.parametrize(
    ("table", "row", "column"),
    [
        ("enrolment_by_country", "country", "enrolled"),
        ("enrolment_by_sector", "sector", "enrolled"),
        ("enrolment_by_age", "age_band", "enrolled"),
        ("placed_not_enrolled_by_country", "country", "placed_not_enrolled"),
        ("no_lapor_diri_by_scheme", "scheme", "no_lapor_diri"),
        ("verdict_by_level_phase", "level", "phase"),
    ],
)
def test_every_cell_acro_flags_is_suppressed_in_the_release(
    released: Released, microdata: Any, table: str, row: str, column: str
) -> None:
    data = microdata.dropna(subset=[row, column])
    checked = checker()
    crosstab = checked.crosstab(data[row], data[column])
    crosstab.index = crosstab.index.astype(str)
    crosstab.columns = crosstab.columns.astype(str)
    body = Releases(released.engine()).table(released.report.release.id, table)
    assert body is not None
    ours = {tuple(c["key"]): c["count"] for c in body["cells"]}
    unsafe = flagged(checked, crosstab)
    for key in unsafe:
        empty = int(crosstab.loc[key[0], key[1]]) == 0
        assert ours[key] is None or (empty and ours[key] == 0), (table, key)
    # and every count the release shows is the count ACRO computed from the microdata
    for r in crosstab.index:
        for c in crosstab.columns:
            shown = ours[(str(r), str(c))]
            assert shown is None or shown == int(crosstab.loc[r, c]), (table, r, c)
    assert any(v is not None and v > 0 for v in ours.values())


def test_acro_and_the_hub_agree_on_dominated_claim_amounts() -> None:
    """A crafted sample release of claim amounts: ACRO's N-K and p-ratio failures are
    suppressed amounts in the hub's table."""
    rng = random.Random(19)
    claims = []
    for benefit in ("JKK", "JKM", "JHT", "OTHER"):
        for outcome in ("PAID", "REJECTED"):
            n = rng.choice([12, 15, 25, 40])
            amounts = [rng.randrange(1_000_000, 3_000_000) for _ in range(n)]
            if rng.random() < 0.4:  # one or two claims dwarf the rest
                amounts[0] = 400_000_000
            claims += [(benefit, outcome, a) for a in amounts]
    frame = pd.DataFrame(claims, columns=["benefit", "outcome", "amount"])
    checked = checker()
    crosstab = checked.crosstab(
        frame["benefit"], frame["outcome"], values=frame["amount"], aggfunc="sum"
    )
    unsafe = flagged(checked, crosstab)
    assert unsafe, "the sample plants dominated cells"
    cats = {"benefit": ("JKK", "JKM", "JHT", "OTHER"), "outcome": ("PAID", "REJECTED")}
    spec = TableSpec("claims", "k", "c", ("benefit", "outcome"), cats, amounts=True)
    cube = Cube(spec)
    for benefit, outcome, amount in claims:
        cube.add((benefit, outcome), amount)
    ours = {it.key: it.amount for it in publish(cube, Rules()).items}
    for key in unsafe:
        assert ours[key] is None, key
