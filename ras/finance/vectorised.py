"""Each method over many cases at once, to the penny the engine gives.

The engine works one record at a time with `Decimal`. Every method's area element
depends only on a few answers (client group, need, risk, unpaid support), so this
module works out each possible element once, with the same `Decimal` arithmetic and
rounding as the engine, into a small table; then every case is a table look-up done
by numpy. Bands depend only on the total score, so there is one amount per score,
taken from the engine's own `band_for`. Amounts are whole pence (int64).

Nothing here holds a figure of its own: all come from the `PolicyAt` passed in.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from ras.finance.history import History
from ras.methods.bands import band_for
from ras.models import AREA_IDS, CLIENT_GROUPS, SUPPORT_LEVELS
from ras.money import pence
from ras.policy.model import PolicyAt

ONE = Decimal(1)
_G, _L, _S = len(CLIENT_GROUPS), 5, len(SUPPORT_LEVELS)


def _p(value: Decimal) -> int:
    """Pounds (Decimal, rounded to pence half up) as whole pence."""
    return int(pence(value) * 100)


def area_element(policy: PolicyAt, method: str, area: str, group: str, need: int, risk: int, support: str) -> Decimal:
    """One area's element, exactly as the engine's method works it out (Decimal, pence)."""
    if method == "points":
        t = policy.points
        points = t.need_points[need] * t.area_weight[area] + t.risk_points[risk]
        return pence(points * t.price_per_point[group] * (ONE - t.support_reduction[support]))
    if method == "grid":
        t = policy.grid
        if need < t.min_need:
            return pence(Decimal(0))
        return pence(t.amount_by_risk[risk] * t.support_factor[support])
    if method == "costed":
        t = policy.costed
        hours = t.hours_by_need[area][need] * (ONE - t.support_reduction[support])
        return pence(hours * t.service_rates[t.area_service[area]])
    raise ValueError(f"{method!r} has no per-area table (bands shares one amount by score)")


def element_table(policy: PolicyAt, method: str) -> np.ndarray:
    """Pence for every (area, client group, need, risk, unpaid support): shape (4, 4, 5, 5, 3)."""
    table = np.zeros((len(AREA_IDS), _G, _L, _L, _S), dtype=np.int64)
    for a, area in enumerate(AREA_IDS):
        for g, group in enumerate(CLIENT_GROUPS):
            for need in range(_L):
                for risk in range(_L):
                    for s, support in enumerate(SUPPORT_LEVELS):
                        table[a, g, need, risk, s] = _p(area_element(policy, method, area, group, need, risk, support))
    return table


def band_table(policy: PolicyAt) -> tuple[np.ndarray, list[str]]:
    """Pence and band name for every score 0 to 32 (the engine gives 0 for score 0: no area has a share)."""
    amounts = np.zeros(33, dtype=np.int64)
    names = []
    for score in range(33):
        rule, amount = band_for(score, policy)
        amounts[score] = _p(amount) if score else 0
        names.append(rule.band)
    return amounts, names


def eligible(history: History, policy: PolicyAt) -> np.ndarray:
    """Care Act reg. 2 over every case: impairment, enough outcomes, impact on wellbeing."""
    return history.impairment & history.wellbeing & (history.unable >= policy.general.min_unable_outcomes)


def scores(history: History) -> np.ndarray:
    """The bands score: need + risk summed over the four areas (0 to 32)."""
    return (history.need.astype(np.int64) + history.risk).sum(axis=1)


def elements(history: History, policy: PolicyAt, method: str) -> np.ndarray:
    """Pence per area, shape (n, 4), before eligibility (not for `bands`)."""
    table = element_table(policy, method).reshape(len(AREA_IDS), -1)
    g = history.group.astype(np.int64)[:, None]
    index = ((g * _L + history.need) * _L + history.risk) * _S + history.support
    return table[np.arange(len(AREA_IDS)), index.astype(np.int64)]


def weekly_pence(history: History, policy: PolicyAt, method: str) -> np.ndarray:
    """The weekly amount for every case in whole pence (0 where not eligible), as `ras.engine.calculate`."""
    ok = eligible(history, policy)
    if method == "bands":
        amounts, _names = band_table(policy)
        total = amounts[scores(history)]
    else:
        total = elements(history, policy, method).sum(axis=1)
    return np.where(ok, total, 0)


def annual_pence(weekly: np.ndarray, policy: PolicyAt) -> np.ndarray:
    """round(weekly x weeks a year) to pence, half up, for every case (whole pence in and out)."""
    weeks = policy.general.weeks_per_year
    sign, digits, exponent = weeks.as_tuple()
    scaled = int("".join(map(str, digits)))
    if exponent >= 0:
        return weekly * scaled * 10**exponent
    unit = 10 ** (-exponent)
    # weekly >= 0: round half up on whole pence
    return (weekly * scaled + unit // 2) // unit


def pounds(pence_array: np.ndarray) -> np.ndarray:
    return pence_array.astype(np.float64) / 100.0
