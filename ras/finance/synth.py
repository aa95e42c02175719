"""Made-up histories for demonstrations and tests, clearly marked as made up.

Each case is a history line (as `ras calibrate` and `ras simulate` read, and
`ras calculate --batch` too): a valid `ras-assessment/1` record with an id like
`synth-000001`, plus the history's own keys `"synthetic": true` and an
`actual_weekly_cost` that is the method's own amount under
"true" figures (the policy's, times an uplift, or any `PolicyAt` a test gives), times
random noise: cost = amount x max(0, 1 + noise x N(0, 1)), rounded to pence.

So calibration on a made-up history should find the true figures again: that is the
check that it works. The same seed always gives the same history.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import numpy as np

from ras.finance.history import History
from ras.finance.vectorised import pounds, weekly_pence
from ras.models import AREA_IDS, CLIENT_GROUPS, OUTCOME_IDS, SUPPORT_LEVELS
from ras.policy.model import PolicyAt

# How the made-up people are spread (relative weights): not policy figures, they price nothing.
GROUP_WEIGHTS = (9, 4, 4, 3)
SUPPORT_WEIGHTS = (11, 6, 3)
RISK_SHIFT = (-1, 0, 0, 1)
UNABLE_COUNTS = (0, 1, 2, 3, 4, 5, 6)
UNABLE_WEIGHTS = (2, 3, 25, 25, 20, 15, 10)


def _shares(weights: tuple[int, ...]) -> np.ndarray:
    w = np.asarray(weights, dtype=np.float64)
    return w / w.sum()


def make_cases(n: int, seed: int) -> History:
    """`n` made-up people, no costs. Needs are correlated across areas (one overall severity)."""
    if n < 0:
        raise ValueError("n must be 0 or more")
    rng = np.random.default_rng(seed)
    severity = rng.random(n)
    need = rng.binomial(4, severity[:, None], size=(n, len(AREA_IDS))).astype(np.int8)
    risk = np.clip(need + rng.choice(RISK_SHIFT, size=need.shape), 0, 4).astype(np.int8)
    support = rng.choice(len(SUPPORT_LEVELS), size=need.shape, p=_shares(SUPPORT_WEIGHTS)).astype(np.int8)
    group = rng.choice(len(CLIENT_GROUPS), size=n, p=_shares(GROUP_WEIGHTS)).astype(np.int8)
    impairment = rng.random(n) < 0.97
    wellbeing = rng.random(n) < 0.97
    unable = rng.choice(UNABLE_COUNTS, size=n, p=_shares(UNABLE_WEIGHTS)).astype(np.int16)
    fluctuating = rng.random(n) < 0.1
    return History(
        need=need,
        risk=risk,
        support=support,
        group=group,
        impairment=impairment,
        wellbeing=wellbeing,
        unable=unable,
        fluctuating=fluctuating,
        cost=np.full(n, np.nan),
        ids=[f"synth-{i:06d}" for i in range(1, n + 1)],
        lines=np.arange(1, n + 1, dtype=np.int64),
        synthetic=n,
        source="synthetic",
    )


def synth_history(n: int, seed: int, truth: PolicyAt, method: str, noise: float = 0.05) -> History:
    """Made-up cases whose actual cost is `method`'s amount under `truth`, with noise."""
    history = make_cases(n, seed)
    rng = np.random.default_rng([seed, 1])
    amount = pounds(weekly_pence(history, truth, method))
    factor = np.maximum(0.0, 1.0 + noise * rng.standard_normal(n))
    history.cost = np.round(amount * factor, 2)
    return history


def history_lines(history: History, seed: int) -> Iterator[str]:
    """The history as JSON lines: valid records plus `id`, `synthetic` and `actual_weekly_cost`."""
    rng = np.random.default_rng([seed, 2])
    outcomes = np.array(OUTCOME_IDS)
    dumps = json.dumps
    order = np.argsort(rng.random((len(history), len(OUTCOME_IDS))), axis=1)
    for i in range(len(history)):
        chosen = outcomes[order[i, : int(history.unable[i])]].tolist()
        record = {
            "id": history.ids[i],
            "synthetic": True,
            "schema": "ras-assessment/1",
            "client_group": CLIENT_GROUPS[history.group[i]],
            "impairment": bool(history.impairment[i]),
            "wellbeing_impact": bool(history.wellbeing[i]),
            "unable_outcomes": chosen,
            "fluctuating": bool(history.fluctuating[i]),
            "areas": {
                area: {
                    "need": int(history.need[i, k]),
                    "risk": int(history.risk[i, k]),
                    "unpaid_support": SUPPORT_LEVELS[history.support[i, k]],
                }
                for k, area in enumerate(AREA_IDS)
            },
        }
        cost = history.cost[i]
        if not np.isnan(cost):
            record["actual_weekly_cost"] = round(float(cost), 2)
        yield dumps(record, separators=(",", ":")) + "\n"
