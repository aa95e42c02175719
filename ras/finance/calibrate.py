"""Fit a method's money figures to what past cases actually cost (In Control's RAS
calibration: score real cases, find what their support cost, set the figures from the two).

What is fitted, by least squares on the eligible cases that have a cost:

- `points`: a price per point for each client group, through the origin:
  cost = price x sum over areas of (area points x (1 - unpaid support reduction)).
  The carer adjustment stays as it is: only the price moves.
- `bands`: for each band, cost = base + step x (score - first score of the band), on the
  cases in that band (band edges stay). A band's cap, if it has one, is scaled by the
  same ratio as the band's top amount, so a cap that did not bite still does not.
  Score 0 always gives 0 (no area has a share), so those cases tell nothing.
- `grid`: the amount for each risk level, through the origin:
  cost = sum over levels of amount[level] x (sum over areas with need of support factor).
  Amounts below 0 are set to 0.
- `costed`: one multiplier on every hours figure, through the origin:
  cost = multiplier x the current costed amount (before rounding).

Fitted pounds are rounded to pence, hours to hundredths, the multiplier to 4 places.
A figure with no cases to go on is kept as it was, and a note says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np

from ras.finance import figures, stats
from ras.finance.history import History
from ras.finance.plots import Curve
from ras.finance.vectorised import annual_pence, eligible, scores, weekly_pence
from ras.models import AREA_IDS, CLIENT_GROUPS, SUPPORT_LEVELS
from ras.policy.model import PolicyAt

PENNY = Decimal("0.01")
HUNDREDTH = Decimal("0.01")
MULTIPLIER_PLACES = Decimal("0.0001")


def _dec(value: float, places: Decimal = PENNY) -> Decimal:
    return Decimal(repr(float(value))).quantize(places, rounding=ROUND_HALF_UP)


def _arr(values) -> np.ndarray:
    return np.array([float(v) for v in values], dtype=np.float64)


@dataclass
class Fit:
    file_value: Any
    fitted: Any
    previous: Any
    x: np.ndarray
    x_label: str
    lines: list[Curve]
    notes: list[str] = field(default_factory=list)


@dataclass
class Calibration:
    method: str
    policy: PolicyAt
    fitted_policy: PolicyAt
    history: History
    """The cases used (eligible, with a cost)."""
    excluded: dict[str, int]
    fit: Fit
    actual: np.ndarray  # pence
    before: np.ndarray  # pence, under the policy as it is
    after: np.ndarray  # pence, under the fitted figures

    def report(self) -> dict:
        h = self.history
        after = stats.fit(self.actual, self.after)
        before = stats.fit(self.actual, self.before)
        weeks = float(self.policy.general.weeks_per_year)
        yearly_before = int(annual_pence(self.before, self.policy).sum())
        yearly_after = int(annual_pence(self.after, self.fitted_policy).sum())
        return {
            "method": self.method,
            "policy": self.policy.id,
            "policy_as_of": self.policy.as_of.isoformat(),
            "history": h.source,
            "synthetic_cases": h.synthetic,
            "bad_lines": len(h.problems),
            "problems": [{"line": p.line, "message": p.message} for p in h.problems[:100]],
            "cases": len(h),
            "excluded": self.excluded,
            **after,
            "before": before,
            "fitted": self.fit.fitted,
            "previous": self.fit.previous,
            "by_client_group": stats.by_group(h.group, self.actual, self.before, self.after),
            "yearly": {
                "actual": stats.money(self.actual.sum() * weeks),
                "before": stats.money(yearly_before),
                "after": stats.money(yearly_after),
                "change": stats.money(yearly_after - yearly_before),
            },
            "notes": self.fit.notes,
        }


# ----- the four fits ---------------------------------------------------------------------


def _fit_points(h: History, y: np.ndarray, policy: PolicyAt) -> Fit:
    t = policy.points
    need_pts = _arr(t.need_points)
    weight = _arr(t.area_weight[a] for a in AREA_IDS)
    risk_pts = _arr(t.risk_points)
    keep = 1.0 - _arr(t.support_reduction[s] for s in SUPPORT_LEVELS)
    x = ((need_pts[h.need] * weight + risk_pts[h.risk]) * keep[h.support]).sum(axis=1)
    value: dict[str, Decimal] = {}
    notes = []
    lines = []
    for g, group in enumerate(CLIENT_GROUPS):
        m = h.group == g
        sxx = float((x[m] ** 2).sum())
        if sxx == 0:
            value[group] = t.price_per_point[group]
            notes.append(f"No {group} cases with points: its price per point is kept at {t.price_per_point[group]}.")
            continue
        value[group] = _dec((x[m] * y[m]).sum() / sxx)
        top = float(x[m].max())
        lines.append(
            Curve(f"{group}: £{value[group]} a point", np.array([0.0, top]), np.array([0.0, top * float(value[group])]), g)
        )
    return Fit(
        file_value=value,
        fitted={g: float(v) for g, v in value.items()},
        previous={g: float(v) for g, v in t.price_per_point.items()},
        x=x,
        x_label="points after the unpaid-support adjustment",
        lines=lines,
        notes=notes,
    )


def _fit_bands(h: History, y: np.ndarray, policy: PolicyAt) -> Fit:
    s = scores(h)
    rules = []
    fitted = {}
    notes = []
    lines = []
    for rule in policy.bands.bands:
        m = (s >= rule.from_) & (s <= rule.to) & (s > 0)
        if rule.to == 0:
            rules.append(figures.band_dict(rule))
            continue
        k = (s[m] - rule.from_).astype(np.float64)
        if not m.any():
            base, step = rule.base, rule.step
            notes.append(f"No cases in band {rule.band}: its amounts are kept.")
        elif len(np.unique(k)) == 1:
            step = rule.step
            base = _dec(max(0.0, float((y[m] - float(step) * k).mean())))
            notes.append(f"Band {rule.band}: cases at one score only, so only its base was fitted.")
        else:
            design = np.column_stack([np.ones_like(k), k])
            (b, st), *_ = np.linalg.lstsq(design, y[m], rcond=None)
            if b < 0 or st < 0:
                notes.append(f"Band {rule.band}: a fitted figure came out below 0 and was set to 0.")
            base, step = _dec(max(0.0, b)), _dec(max(0.0, st))
        cap = rule.cap
        if cap is not None:
            old_top = rule.base + rule.step * (rule.to - rule.from_)
            new_top = base + step * (rule.to - rule.from_)
            cap = (cap * new_top / old_top).quantize(PENNY, rounding=ROUND_HALF_UP) if old_top > 0 else cap
        rules.append(figures.band_dict(rule, base=base, step=step, cap=cap))
        fitted[rule.band] = {"base": float(base), "step": float(step)} | ({"cap": float(cap)} if cap is not None else {})
        xs = np.arange(rule.from_, rule.to + 1, dtype=np.float64)
        ys = float(base) + float(step) * (xs - rule.from_)
        if cap is not None:
            ys = np.minimum(ys, float(cap))
        lines.append(Curve(f"{rule.band}: £{base} + £{step} a point", xs, ys))
    previous = {
        r.band: {"base": float(r.base), "step": float(r.step)} | ({"cap": float(r.cap)} if r.cap is not None else {})
        for r in policy.bands.bands
        if r.to > 0
    }
    return Fit(rules, fitted, previous, s.astype(np.float64), "score (need + risk in every area)", lines, notes)


def _fit_grid(h: History, y: np.ndarray, policy: PolicyAt) -> Fit:
    t = policy.grid
    factor = _arr(t.support_factor[s] for s in SUPPORT_LEVELS)
    counts = (h.need >= t.min_need) * factor[h.support]
    design = np.column_stack([((h.risk == r) * counts).sum(axis=1) for r in range(5)])
    used = np.flatnonzero((design**2).sum(axis=0) > 0)
    amounts = list(t.amount_by_risk)
    notes = []
    if len(used):
        coef, *_ = np.linalg.lstsq(design[:, used], y, rcond=None)
        for r, c in zip(used, coef):
            if c < 0:
                notes.append(f"Risk level {r}: the fitted amount came out below 0 and was set to 0.")
            amounts[r] = _dec(max(0.0, c))
    for level in sorted(set(range(5)) - set(used.tolist())):
        notes.append(f"No cases with need at risk level {level}: its amount is kept at {t.amount_by_risk[level]}.")
    if any(b < a for a, b in zip(amounts, amounts[1:])):
        notes.append("The fitted amounts do not rise with every risk level: look at the cases before using them.")
    x = design @ _arr(amounts)
    top = float(x.max()) if len(x) else 0.0
    return Fit(
        file_value=amounts,
        fitted={str(r): float(a) for r, a in enumerate(amounts)},
        previous={str(r): float(a) for r, a in enumerate(t.amount_by_risk)},
        x=x,
        x_label="the grid's amount with the fitted figures (before rounding)",
        lines=[Curve("fitted amount = actual", np.array([0.0, top]), np.array([0.0, top]))],
        notes=notes,
    )


def _fit_costed(h: History, y: np.ndarray, policy: PolicyAt) -> Fit:
    t = policy.costed
    keep = 1.0 - _arr(t.support_reduction[s] for s in SUPPORT_LEVELS)
    hours = np.vstack([_arr(t.hours_by_need[a]) for a in AREA_IDS])  # (4, 5)
    rate = _arr(t.service_rates[t.area_service[a]] for a in AREA_IDS)
    x = (hours[np.arange(4), h.need] * keep[h.support] * rate).sum(axis=1)
    sxx = float((x**2).sum())
    notes = []
    if sxx == 0:
        multiplier = Decimal(1)
        notes.append("No cases with hours: the hours are kept.")
    else:
        multiplier = _dec((x * y).sum() / sxx, MULTIPLIER_PLACES)
    value = {a: [(hh * multiplier).quantize(HUNDREDTH, rounding=ROUND_HALF_UP) for hh in t.hours_by_need[a]] for a in AREA_IDS}
    top = float(x.max()) if len(x) else 0.0
    return Fit(
        file_value=value,
        fitted=float(multiplier),
        previous=1.0,
        x=x,
        x_label="costed amount with the current hours (pounds a week)",
        lines=[Curve(f"x {multiplier}", np.array([0.0, top]), np.array([0.0, top * float(multiplier)]))],
        notes=notes,
    )


FITS = {"points": _fit_points, "bands": _fit_bands, "grid": _fit_grid, "costed": _fit_costed}


def calibrate(history: History, policy: PolicyAt, method: str) -> Calibration:
    """Fit `method`'s figures to the history's actual costs. Pure: no files, no clock."""
    if method not in FITS:
        raise ValueError(f"unknown method {method!r}")
    has_cost = ~np.isnan(history.cost)
    ok = eligible(history, policy)
    used = history.subset(ok & has_cost)
    excluded = {
        "not_eligible": int((~ok & has_cost).sum()),
        "no_cost": int((~has_cost).sum()),
    }
    if len(used) == 0:
        raise ValueError("no eligible cases with an actual cost to calibrate on")
    actual = np.round(used.cost * 100).astype(np.int64)
    result = FITS[method](used, used.cost, policy)
    fitted_policy = figures.replace(policy, method, result.file_value)
    return Calibration(
        method=method,
        policy=policy,
        fitted_policy=fitted_policy,
        history=used,
        excluded=excluded,
        fit=result,
        actual=actual,
        before=weekly_pence(used, policy, method),
        after=weekly_pence(used, fitted_policy, method),
    )
