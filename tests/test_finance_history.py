"""Reading a history: bad lines are reported by number and skipped, never silently."""

from __future__ import annotations

import json
import math

from ras.finance.history import parse_history

GOOD = {
    "schema": "ras-assessment/1",
    "client_group": "older_people",
    "impairment": True,
    "wellbeing_impact": True,
    "unable_outcomes": ["nutrition", "hygiene"],
    "areas": {"health": {"need": 3, "risk": 3, "unpaid_support": "some"}},
}


def line(**changes) -> str:
    rec = {**GOOD, **changes}
    return json.dumps({k: v for k, v in rec.items() if v is not ...})


def test_bad_lines_are_reported_by_number_and_the_rest_are_read():
    lines = [
        line(actual_weekly_cost=100, id="a"),
        "{not json",
        line(actual_weekly_cost=100, client_group="children"),
        "",
        line(actual_weekly_cost=-5),
        line(actual_weekly_cost=100, areas={"health": {"need": 7}}),
        "[1, 2]",
        line(actual_weekly_cost=100, impairment="yes"),
        line(actual_weekly_cost=120, id=42, synthetic=True),
        line(actual_weekly_cost=100, colour="blue"),
    ]
    history = parse_history(lines, require_cost=True)
    assert history.ids == ["a", "42"]
    assert history.lines.tolist() == [1, 9]
    assert history.synthetic == 1
    bad = {p.line: p.message for p in history.problems}
    assert sorted(bad) == [2, 3, 5, 6, 7, 8, 10]
    assert "not valid JSON" in bad[2]
    assert bad[3].startswith("client_group")
    assert bad[5].startswith("actual_weekly_cost")
    assert bad[6].startswith("areas.health.need")
    assert bad[8].startswith("impairment")
    assert bad[10] == "colour: unknown field"


def test_a_cost_is_needed_only_to_calibrate():
    without = [line()]
    assert parse_history(without, require_cost=True).problems[0].message.startswith("actual_weekly_cost")
    history = parse_history(without)
    assert not history.problems and math.isnan(history.cost[0])


def test_records_the_quick_check_passes_on_are_still_read_by_the_engine_model():
    # optional context fields go through the engine's own model and are accepted
    history = parse_history([line(notes="likes gardening", flags=["interpreter"], actual_weekly_cost=1)])
    assert not history.problems
    assert history.need[0].tolist() == [3, 0, 0, 0]
    assert history.support[0].tolist() == [1, 0, 0, 0]


def test_odd_types_where_levels_should_be_are_named_not_crashed_on():
    lines = [
        line(areas={"health": {"need": [1], "risk": 0, "unpaid_support": "none"}}),
        line(areas={"health": {"need": True, "risk": 0, "unpaid_support": "none"}}),
        line(areas={"health": {"need": 1.0, "risk": 0, "unpaid_support": "none"}}),
        line(areas={"health": {"need": 1, "risk": 0, "unpaid_support": {"a": 1}}}),
        line(areas={"health": {"need": 1, "risk": 0, "unpaid_support": "none"}}),
    ]
    history = parse_history(lines)
    assert [p.line for p in history.problems] == [1, 2, 3, 4]
    assert all(p.message.startswith("areas.health.") for p in history.problems)
    assert history.need[0].tolist() == [1, 0, 0, 0]
