"""Scripted conversations (tests/plans/*.plan) from welcome to hand-off, with no UI."""

from __future__ import annotations

from pathlib import Path

import pytest

from ras_chat.dialogue.testplan import run_plan

PLANS = sorted((Path(__file__).parent / "plans").glob("*.plan"))


def test_there_are_plans_for_at_least_six_people():
    assert len(PLANS) >= 6


@pytest.mark.parametrize("plan", PLANS, ids=[p.stem for p in PLANS])
def test_plan_runs_from_welcome_to_its_expected_end(plan):
    run = run_plan(plan)
    assert run.checks > 0
