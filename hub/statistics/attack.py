"""The attacker's linear program against a published table.

The attacker knows every published figure exactly (before rounding, to be safe), that the
table adds up along every dimension, and that no count or amount is negative. For each
suppressed item the lowest and highest value consistent with that knowledge are two linear
programs (HiGHS, through scipy). A suppressed item is protected when that interval is wide.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence

import numpy as np
from scipy.optimize import linprog


def intervals(
    equations: Iterable[tuple[Hashable, Sequence[Hashable]]],
    published: Mapping[Hashable, float | None],
    targets: Iterable[Hashable],
) -> dict[Hashable, tuple[float, float]]:
    """For each target (a suppressed item, ``None`` in ``published``) its feasible [lo, hi].

    ``equations`` are (total, parts): total = sum(parts). ``hi`` is ``math.inf`` when nothing
    bounds the item from above.
    """
    hidden = sorted((k for k, v in published.items() if v is None), key=repr)
    index = {k: i for i, k in enumerate(hidden)}
    rows: list[np.ndarray] = []
    rhs: list[float] = []
    for total, parts in equations:
        row = np.zeros(len(hidden))
        known = 0.0
        for item, sign in ((total, 1.0), *((p, -1.0) for p in parts)):
            value = published[item]
            if value is None:
                row[index[item]] += sign
            else:
                known += sign * value
        if row.any():
            rows.append(row)
            rhs.append(-known)
    out: dict[Hashable, tuple[float, float]] = {}
    for target in targets:
        if published[target] is not None:
            raise ValueError(f"{target!r} is published, not suppressed")
        if not rows:
            out[target] = (0.0, math.inf)
            continue
        c = np.zeros(len(hidden))
        c[index[target]] = 1.0
        a_eq, b_eq = np.vstack(rows), np.asarray(rhs)
        low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        if low.status != 0:
            raise ValueError(f"the published table is inconsistent ({low.message})")
        hi = math.inf if high.status == 3 else -high.fun
        out[target] = (max(0.0, low.fun), hi)
    return out


__all__ = ["intervals"]
