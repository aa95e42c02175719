"""Plain measures of how well the tables' amounts match what support actually cost.

All money goes in as whole pence (int64 arrays) so "less than the actual cost" is an
exact comparison; figures come out in pounds, rounded to pence.
"""

from __future__ import annotations

import numpy as np

from ras.models import CLIENT_GROUPS


def money(pence_value: float | np.floating) -> float:
    return round(float(pence_value) / 100.0, 2)


def fit(actual: np.ndarray, model: np.ndarray) -> dict:
    """R squared, mean absolute error, and how often (and by how much) the tables fall short."""
    n = len(actual)
    if n == 0:
        return {"r2": None, "mae": None, "share_below_actual": None, "mean_shortfall": None, "median_shortfall": None}
    a = actual.astype(np.float64)
    m = model.astype(np.float64)
    residual = a - m
    total = ((a - a.mean()) ** 2).sum()
    r2 = 1.0 - (residual**2).sum() / total if total > 0 else None
    below = model < actual
    short = (actual - model)[below]
    return {
        "r2": None if r2 is None else round(float(r2), 4),
        "mae": money(np.abs(residual).mean()),
        "share_below_actual": round(float(below.mean()), 4),
        "mean_shortfall": money(short.mean()) if len(short) else 0.0,
        "median_shortfall": money(np.median(short)) if len(short) else 0.0,
    }


def by_group(group: np.ndarray, actual: np.ndarray, before: np.ndarray, after: np.ndarray) -> dict:
    """For each client group: cases, mean actual and tables' amounts, error, shortfalls, spread of differences."""
    out = {}
    for g, name in enumerate(CLIENT_GROUPS):
        m = group == g
        if not m.any():
            continue
        diff = (actual[m] - after[m]).astype(np.float64)
        f = fit(actual[m], after[m])
        out[name] = {
            "cases": int(m.sum()),
            "mean_actual": money(actual[m].mean()),
            "mean_before": money(before[m].mean()),
            "mean_after": money(after[m].mean()),
            "mae": f["mae"],
            "share_below_actual": f["share_below_actual"],
            "mean_shortfall": f["mean_shortfall"],
            "difference_p10": money(np.percentile(diff, 10)),
            "difference_median": money(np.median(diff)),
            "difference_p90": money(np.percentile(diff, 90)),
        }
    return out
