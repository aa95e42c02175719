"""Simulation: who gains and who loses, checked on a tiny hand-made history."""

from __future__ import annotations

import json
from decimal import Decimal

from ras.finance import figures
from ras.finance.history import parse_history
from ras.finance.simulate import simulate


def case(case_id, group, need, risk, support="none", eligible=True):
    return json.dumps(
        {
            "id": case_id,
            "schema": "ras-assessment/1",
            "client_group": group,
            "impairment": True,
            "wellbeing_impact": True,
            "unable_outcomes": ["nutrition", "hygiene"] if eligible else ["nutrition"],
            "areas": {"health": {"need": need, "risk": risk, "unpaid_support": support}},
        }
    )


def test_a_higher_price_for_one_group_makes_its_cases_winners_and_leaves_others_unchanged(policy):
    prices = dict(policy.points.price_per_point)
    prices["older_people"] = Decimal("5.60")  # was 4.60: one pound a point more
    prices["mental_health"] = Decimal("4.00")  # was 4.40: forty pence less
    proposed = figures.replace(policy, "points", prices)
    history = parse_history(
        [
            case("a", "older_people", 3, 3),  # 9 x 3 + 5 = 32 points
            case("b", "older_people", 1, 0, "most"),  # 2 x 3 = 6 points, 30% off
            case("c", "mental_health", 2, 2),  # 5 x 3 + 2 = 17 points
            case("d", "learning_disability", 4, 4),  # unchanged price
            case("e", "older_people", 4, 4, eligible=False),  # nothing either way
        ]
    )
    report = simulate(history, proposed, policy, "points").report()
    assert report["cases"] == 5
    assert report["winners"]["count"] == 2
    assert report["losers"]["count"] == 1
    assert report["unchanged"] == 2
    # a: 32 points x £1 more = £32.00; b: 6 x £1 x 0.7 = £4.20; c: 17 x 40p less = £6.80
    assert report["winners"]["largest"] == 32.00
    assert report["winners"]["weekly_total"] == 36.20
    assert report["losers"]["largest"] == 6.80
    assert report["weekly"]["change"] == 29.40
    assert report["yearly"]["change"] == round(29.40 * 52, 2)
    groups = report["by_client_group"]
    assert groups["older_people"] == {
        "cases": 3, "winners": 2, "losers": 0, "unchanged": 1, "mean_change": round(36.20 / 3, 2), "weekly_change": 36.20,
    }
    assert groups["mental_health"]["losers"] == 1 and groups["mental_health"]["weekly_change"] == -6.80
    assert groups["learning_disability"]["unchanged"] == 1
    assert [c["id"] for c in report["largest_gains"]] == ["a", "b"]
    assert [c["id"] for c in report["largest_losses"]] == ["c"]


def test_the_same_policy_against_itself_changes_nothing(policy):
    history = parse_history([case("a", "older_people", 3, 3), case("b", "mental_health", 1, 4, "some")])
    report = simulate(history, policy, policy, "grid").report()
    assert report["unchanged"] == 2 and report["weekly"]["change"] == 0


def test_two_methods_can_be_compared_on_the_same_cases(policy):
    history = parse_history([case("a", "learning_disability", 2, 2, "some")])
    report = simulate(history, policy, policy, "bands", "grid").report()
    # health: bands score 4 -> basic 20 + 10 x 3 = £50.00; grid: £60 x 0.5 = £30.00
    assert report["weekly"] == {"policy": 50.00, "against": 30.00, "change": 20.00}
