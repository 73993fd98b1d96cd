"""An attacker written apart from the hub's own: it reads only a published table.

It rebuilds every additive relation from the published keys alone (an item with TOTAL in a
dimension is the sum of the items with each category there) and solves, with scipy's HiGHS, the
lowest and highest value each suppressed item can take.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import linprog

TOTAL = "TOTAL"


def attack(rows: list[tuple[tuple[str, ...], float | None]]) -> dict[tuple[str, ...], tuple]:
    """rows: (key, published value or None). Returns {suppressed key: (lo, hi)}."""
    value = dict(rows)
    keys = list(value)
    ndim = len(keys[0])
    categories = [sorted({k[i] for k in keys if k[i] != TOTAL}) for i in range(ndim)]
    unknown = [k for k in keys if value[k] is None]
    col = {k: i for i, k in enumerate(unknown)}
    a_rows, b = [], []
    for k in keys:
        for i in range(ndim):
            if k[i] != TOTAL:
                continue
            row, known = np.zeros(len(unknown)), 0.0
            terms = [(k, 1.0)] + [((*k[:i], c, *k[i + 1 :]), -1.0) for c in categories[i]]
            for item, sign in terms:
                if value[item] is None:
                    row[col[item]] += sign
                else:
                    known += sign * value[item]
            if row.any():
                a_rows.append(row)
                b.append(-known)
    out = {}
    for k in unknown:
        c = np.zeros(len(unknown))
        c[col[k]] = 1
        if not a_rows:
            out[k] = (0.0, math.inf)
            continue
        lo = linprog(c, A_eq=np.array(a_rows), b_eq=np.array(b), bounds=(0, None), method="highs")
        hi = linprog(-c, A_eq=np.array(a_rows), b_eq=np.array(b), bounds=(0, None), method="highs")
        assert lo.status == 0, lo.message
        out[k] = (lo.fun, math.inf if hi.status == 3 else -hi.fun)
    return out
