"""The partner query service (Tier B): counts with differential privacy, on a yearly budget.

A partner (a union, an NGO, a university holding ``statistics:read``) asks for a table of a
release; it gets every cell of the table's full cross, over the table's published categories
(public keys: no key is learned from the answer), each count with discrete Gaussian noise
(OpenDP), and the margins as sums of the noisy cells (consistent totals, non-negative integers).

- Privacy unit: one worker. Only tables that count each worker once (``unit == "workers"``)
  are answered: adding or removing a worker changes one cell by one (L2 sensitivity 1), so a
  query with noise scale sigma costs rho = 1 / (2 sigma^2) in zero-concentrated DP.
- Budget: ``YEARLY_RHO`` (0.5) per partner and calendar year, spent in an append-only ledger
  (``statistics_privacy_ledger``: the database refuses updates and deletes) before the answer
  is computed; once a query would overspend it is refused (``PRIVACY_BUDGET_SPENT``).
- Every answer carries its noise scale, its rho and what is left of the year's budget.

OpenDP is an optional extra (``pip install 'pmihub[stats]'``); without it the service answers
``PRIVACY_UNAVAILABLE``.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Engine

from hub.statistics.catalogue import BY_NAME
from hub.statistics.cube import TOTAL
from hub.statistics.releases import Release, ReleaseError, Releases
from hub.statistics.tables import PrivacyLedgerRow

LEDGER = PrivacyLedgerRow.__table__  # type: ignore[attr-defined]
YEARLY_RHO = 0.5
DEFAULT_RHO = 0.05
MIN_RHO, MAX_RHO = 0.001, YEARLY_RHO


class PrivacyError(ReleaseError):
    pass


@dataclass(frozen=True, slots=True)
class NoisyAnswer:
    release: Release
    table: str
    dimensions: tuple[str, ...]
    cells: tuple[tuple[tuple[str, ...], int], ...]  # cells and margins (TOTAL), noisy
    rho: float
    noise_scale: float  # the discrete Gaussian's sigma
    spent: float  # this year, this query included
    budget: float

    @property
    def remaining(self) -> float:
        return max(0.0, self.budget - self.spent)

    def describe(self) -> str:
        return (
            f"discrete Gaussian noise, sigma {self.noise_scale:.2f} per cell; "
            f"rho {self.rho:g} (zCDP, one worker per table); "
            f"{self.remaining:.3f} of {self.budget:g} left this year"
        )


def sigma_for(rho: float) -> float:
    return math.sqrt(1.0 / (2.0 * rho))


class PartnerQueries:
    def __init__(self, engine: Engine, budget: float = YEARLY_RHO) -> None:
        self.engine = engine
        self.budget = budget
        self.releases = Releases(engine)

    def spent(self, client_id: str, year: int) -> float:
        with self.engine.connect() as connection:
            return float(
                connection.execute(
                    select(func.coalesce(func.sum(LEDGER.c.rho), 0.0)).where(
                        LEDGER.c.client_id == client_id, LEDGER.c.year == year
                    )
                ).scalar_one()
            )

    def answer(
        self, client_id: str, table: str, rho: float, at: datetime, release_id: str | None = None
    ) -> NoisyAnswer:
        measurement = _measurement(rho)  # before spending: a bad rho spends nothing
        definition = BY_NAME.get(table)
        if definition is None or definition.unit != "workers":
            raise PrivacyError(
                "BAD_USER_INPUT",
                "Tabel ini tidak tersedia untuk kueri mitra (hanya tabel yang menghitung "
                "setiap pekerja sekali)",
                "This table is not open to partner queries (only tables counting each worker once)",
            )
        release = self.releases.resolve(release_id)
        exact = self.releases.exact(release.id, table)
        if exact is None:
            raise PrivacyError("NOT_FOUND", "Tabel tidak ada", "No such table")
        spent = self._spend(client_id, at, rho, release.id, table)
        counts = {tuple(key): n for key, n in exact["counts"]}
        noisy = {key: max(0, int(measurement(int(n)))) for key, n in counts.items()}
        dims = tuple(exact["dimensions"])
        return NoisyAnswer(
            release=release,
            table=table,
            dimensions=dims,
            cells=tuple(_with_margins(noisy, dims, exact["categories"])),
            rho=rho,
            noise_scale=sigma_for(rho),
            spent=spent,
            budget=self.budget,
        )

    def _spend(
        self, client_id: str, at: datetime, rho: float, release_id: str, table: str
    ) -> float:
        """Record the spending, or refuse it: one transaction, one client at a time."""
        year = at.year
        with self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(hashtext(:c))"), {"c": client_id}
                )
            spent = float(
                connection.execute(
                    select(func.coalesce(func.sum(LEDGER.c.rho), 0.0)).where(
                        LEDGER.c.client_id == client_id, LEDGER.c.year == year
                    )
                ).scalar_one()
            )
            if spent + rho > self.budget + 1e-12:
                raise PrivacyError(
                    "PRIVACY_BUDGET_SPENT",
                    f"Anggaran privasi tahun {year} tidak cukup: tersisa "
                    f"{max(0.0, self.budget - spent):.3f} dari {self.budget:g} (rho)",
                    f"The {year} privacy budget does not cover this query: "
                    f"{max(0.0, self.budget - spent):.3f} of {self.budget:g} (rho) left",
                )
            connection.execute(
                insert(LEDGER).values(
                    client_id=client_id[:80],
                    year=year,
                    rho=rho,
                    release_id=release_id,
                    query=f"counts of {table}"[:200],
                    at=at,
                )
            )
        return spent + rho


def _measurement(rho: float) -> Any:
    if not (isinstance(rho, float | int) and MIN_RHO <= rho <= MAX_RHO):
        raise PrivacyError(
            "BAD_USER_INPUT",
            f"rho harus {MIN_RHO}..{MAX_RHO}",
            f"rho must be {MIN_RHO}..{MAX_RHO}",
        )
    try:
        import opendp.prelude as dp
    except ImportError:
        raise PrivacyError(
            "PRIVACY_UNAVAILABLE",
            "Layanan kueri mitra memerlukan OpenDP (pmihub[stats])",
            "The partner query service needs OpenDP (pmihub[stats])",
        ) from None
    dp.enable_features("contrib")
    measurement = dp.m.make_gaussian(
        dp.atom_domain(T=int), dp.absolute_distance(T=int), scale=sigma_for(rho)
    )
    assert abs(measurement.map(1) - rho) < 1e-9, "OpenDP's rho for sensitivity 1 is ours"
    return measurement


def _with_margins(
    noisy: dict[tuple[str, ...], int], dims: tuple[str, ...], categories: dict[str, list[str]]
) -> list[tuple[tuple[str, ...], int]]:
    """Every cell and margin; a margin is the sum of the noisy cells under it."""
    out = []
    for key in itertools.product(*((*categories[d], TOTAL) for d in dims)):
        out.append(
            (
                key,
                sum(
                    n
                    for cell, n in noisy.items()
                    if all(k in (TOTAL, c) for k, c in zip(key, cell, strict=True))
                ),
            )
        )
    return out


__all__ = ["DEFAULT_RHO", "YEARLY_RHO", "NoisyAnswer", "PartnerQueries", "PrivacyError"]
