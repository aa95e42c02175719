"""The numpy evaluation gives the engine's amounts to the penny, for every method."""

from __future__ import annotations

import json
import random
from decimal import Decimal

import numpy as np
import pytest

from ras.engine import calculate
from ras.finance import figures
from ras.finance.history import parse_history
from ras.finance.synth import history_lines, make_cases
from ras.finance.vectorised import annual_pence, weekly_pence
from ras.models import AREA_IDS, CLIENT_GROUPS, METHODS, OUTCOME_IDS, SUPPORT_LEVELS, AssessmentRecord


def random_records(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    records = []
    for _ in range(n):
        areas = {}
        for area in AREA_IDS:
            if rng.random() < 0.1:
                continue  # an area left out counts as need 0, risk 0, no unpaid support
            areas[area] = {
                "need": rng.randint(0, 4),
                "risk": rng.randint(0, 4),
                "unpaid_support": rng.choice(SUPPORT_LEVELS),
            }
        records.append(
            {
                "schema": "ras-assessment/1",
                "client_group": rng.choice(CLIENT_GROUPS),
                "impairment": rng.random() < 0.95,
                "wellbeing_impact": rng.random() < 0.95,
                "unable_outcomes": rng.sample(OUTCOME_IDS, rng.choice([0, 1, 2, 2, 3, 5])),
                "fluctuating": rng.random() < 0.2,
                "areas": areas,
            }
        )
    return records


def odd_figures(policy):
    """Figures with awkward fractions, so half-pennies turn up and rounding is tested."""
    p = figures.scale(policy, "points", "1.0731")
    p = figures.scale(p, "bands", "1.137")
    p = figures.scale(p, "grid", "0.8573")
    return figures.scale(p, "costed", "1.0427")


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("odd", [False, True], ids=["example figures", "odd figures"])
def test_vectorised_amounts_equal_the_engine_to_the_penny(policy, method, odd):
    tables = odd_figures(policy) if odd else policy
    records = random_records(1500, seed=7)
    history = parse_history(json.dumps(r) + "\n" for r in records)
    assert not history.problems
    fast = weekly_pence(history, tables, method)
    annual = annual_pence(fast, tables)
    for i, raw in enumerate(records):
        alloc = calculate(AssessmentRecord.model_validate(raw), tables, method)
        assert Decimal(int(fast[i])) / 100 == alloc.weekly, (method, raw)
        assert Decimal(int(annual[i])) / 100 == alloc.annual, (method, raw)


def test_made_up_lines_read_back_as_the_same_cases(policy):
    cases = make_cases(300, seed=3)
    cases.cost = np.round(np.linspace(0, 500, 300), 2)
    back = parse_history(history_lines(cases, seed=3), require_cost=True)
    assert not back.problems
    assert back.synthetic == 300
    assert back.ids[0] == "synth-000001"
    for name in ("need", "risk", "support", "group", "impairment", "wellbeing", "unable", "fluctuating"):
        assert np.array_equal(getattr(back, name), getattr(cases, name)), name
    assert np.allclose(back.cost, cases.cost)
    for method in METHODS:
        assert np.array_equal(weekly_pence(back, policy, method), weekly_pence(cases, policy, method))
