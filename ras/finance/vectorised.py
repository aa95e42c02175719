"""Each method over many cases at once, to the penny the engine gives.

The engine works one record at a time with `Decimal`. Every method's area element
depends only on a few answers (client group, need, risk, unpaid support), and
eligibility only on (impairment, impact on wellbeing, how many outcomes): the batch
path's tables (`ras.batch.tables.Tables`) hold what the engine itself gives for each
of those, so every case here is a table look-up done by numpy, with no arithmetic of
a method's own. Bands depend only on the total score, so there is one amount per
score, taken from the engine's own `band_for`. Amounts are whole pence (int64).

Nothing here holds a figure of its own: all come from the `PolicyAt` passed in.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from ras.batch.tables import Tables, times_rounded
from ras.finance.history import History
from ras.methods.bands import band_for
from ras.models import AREA_IDS, OUTCOME_IDS, SUPPORT_LEVELS
from ras.money import pence
from ras.policy.model import PolicyAt

_L, _S = 5, len(SUPPORT_LEVELS)


def _p(value: Decimal) -> int:
    """Pounds (Decimal, rounded to pence half up) as whole pence."""
    return int(pence(value) * 100)


def tables(policy: PolicyAt) -> Tables:
    """The engine's own figures for `policy`, tabulated once per policy (as `ras calculate --batch` does)."""
    found: Tables = policy.memo(("batch.tables",), lambda: Tables(policy))
    return found


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
    """Care Act reg. 2 over every case, as the engine's `adult_eligibility` decides it."""
    unable = np.minimum(history.unable.astype(np.int64), len(OUTCOME_IDS))
    table: np.ndarray = tables(policy).eligible_table
    return table[history.impairment.astype(np.int64), history.wellbeing.astype(np.int64), unable]


def scores(history: History) -> np.ndarray:
    """The bands score: need + risk summed over the four areas (0 to 32)."""
    return (history.need.astype(np.int64) + history.risk).sum(axis=1)


def elements(history: History, policy: PolicyAt, method: str) -> np.ndarray:
    """Pence per area, shape (n, 4), before eligibility (not for `bands`)."""
    if method == "bands":
        raise ValueError(f"{method!r} has no per-area table (bands shares one amount by score)")
    table = tables(policy).elements(method)  # (client group, answer code, area)
    codes = (history.need.astype(np.int64) * _L + history.risk) * _S + history.support  # need x 15 + risk x 3 + support
    return table[history.group.astype(np.int64)[:, None], codes, np.arange(len(AREA_IDS))]


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
    return times_rounded(weekly, policy.general.weeks_per_year)


def pounds(pence_array: np.ndarray) -> np.ndarray:
    return pence_array.astype(np.float64) / 100.0
