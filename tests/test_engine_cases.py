"""The spec's worked figures and rule cases, as data (tests/cases/*.yaml), one test each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from ras.engine import calculate
from ras.models import AssessmentRecord
from ras.policy import load_policy

CASES = [
    case
    for path in sorted((Path(__file__).parent / "cases").glob("*.yaml"))
    for case in yaml.safe_load(path.read_text(encoding="utf-8"))
]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case_gives_the_expected_figures(case):
    policy = load_policy("example").at(dt.date.fromisoformat(str(case["date"])))
    record = AssessmentRecord.model_validate(case["input"])
    for method, want in case["expected"].items():
        got = calculate(record, policy, method)
        actual = {
            "eligible": got.eligible,
            "elements": [str(e.amount) for e in got.elements],
            "weekly": str(got.weekly),
            "annual": str(got.annual),
            "low": str(got.range.low),
            "high": str(got.range.high),
            "band": got.band,
            "reference_cost": str(got.reference_cost),
            "shortfall": str(got.shortfall),
        }
        for key, value in want.items():
            assert actual[key] == value, f"{method}.{key}: got {actual[key]!r}, want {value!r}"
        # the money in the explanation adds up to the total the person is told
        assert sum((e.amount for e in got.elements), Decimal(0)) == got.weekly
