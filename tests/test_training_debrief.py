"""The debrief and "what if" (issue 9): a planted difference is found and priced; a
changed answer moves the right elements; the training core never imports Textual."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

from ras_chat.training import BadChange, debrief, debrief_lines, load_case, replay, what_if
from ras_chat.training.show import case_policy

CASE = load_case("learning-at-college")
PA = case_policy(CASE)


def _planted(index: int, answer: str):
    script = list(CASE.script)
    script[index] = answer
    return replay(CASE, script).record()


def test_the_debrief_of_the_reference_script_finds_no_difference_and_says_same_answers_same_start():
    d = debrief(replay(CASE).record(), CASE.record, PA)
    assert d.matches and not d.differences
    assert all(m.difference == 0 for m in d.money)
    assert any("same starting point" in t for t in d.tips)


def test_the_debrief_finds_a_planted_difference_in_one_answer_and_prices_it_under_each_method():
    # the first part asked is work, learning and money; answer 5 is its need: "some help most days" (2)
    assert CASE.script[4] == "some help most days"
    d = debrief(_planted(4, "a lot, every day"), CASE.record, PA)
    assert [x.path for x in d.differences] == ["areas.work.need"]
    diff = d.differences[0]
    assert (diff.yours, diff.reference) == (3, 2)
    work = next(a for a in d.areas if a.area == "work")
    assert not work.same and all(a.same for a in d.areas if a.area != "work")
    money = {m.method: m for m in d.money}
    assert money["bands"].yours == Decimal("215.00") and money["bands"].reference == Decimal("195.00")
    assert money["grid"].difference == 0  # the grid counts an area with need, whatever its level
    assert money["points"].difference > 0 and money["costed"].difference > 0
    assert "points +22.40" in diff.money_line()
    text = "\n".join(debrief_lines(d))
    assert "DIFFERENT" in text and "help needed" in text and "Tips:" in text


def test_a_planted_missing_everyday_thing_is_found_and_the_debrief_says_it_decides_eligibility():
    # "getting to the shops" untouched, but the ways for it answered "none of these": not unable
    i = CASE.script.index("it's not safe")
    d = debrief(_planted(i, "no, I can manage that"), CASE.record, PA)
    assert [x.path for x in d.differences] == ["outcomes.community_services"]
    assert "eligibility" in d.differences[0].why
    assert any("Ask what matters" in t for t in d.tips)


def test_the_debrief_lists_the_rules_that_fired_for_each_method():
    d = debrief(CASE.record, CASE.record, PA)
    rules = {r.method: r for r in d.rules}
    assert set(rules) == {"points", "bands", "grid", "costed"}
    assert "bands.band" in rules["bands"].yours and "costed.area" in rules["costed"].yours
    assert rules["bands"].only_yours == ()


def test_the_debrief_tips_include_the_starting_point_and_plain_words():
    d = debrief(CASE.record, CASE.record, PA)
    text = " ".join(d.tips)
    assert "starting point" in text and "jargon" in text and "what matters" in text.lower()


def test_what_if_more_risk_in_one_area_moves_only_that_areas_elements():
    w = what_if(CASE.record, ("areas.community.risk", 3), PA)
    assert (w.value_before, w.value_after) == (1, 3)
    points = w.method("points")
    assert [e.area for e in points.elements] == ["community"] and points.after > points.before
    assert [e.area for e in w.method("grid").elements] == ["community"]
    assert w.method("costed").change == 0  # costed counts hours by need, not risk
    assert w.method("bands").after >= w.method("bands").before


def test_what_if_unpaid_support_moves_points_grid_and_costed_but_not_bands():
    w = what_if(CASE.record, ("areas.health.unpaid_support", "none"), PA)
    assert w.method("bands").change == 0
    for m in ("points", "grid", "costed"):
        assert w.method(m).change > 0, m
        assert [e.area for e in w.method(m).elements] == ["health"], m


def test_what_if_unticking_outcomes_can_make_someone_ineligible_and_every_amount_zero():
    w = what_if(CASE.record, ("outcomes.work_education", False), PA)
    w = what_if(w.record_after, ("outcomes.home_environment", False), PA)
    assert w.eligible_before and not w.eligible_after
    assert all(m.after == 0 for m in w.methods)


def test_what_if_no_need_in_an_area_also_clears_its_risk_and_support():
    w = what_if(CASE.record, ("areas.health.need", 0), PA)
    health = w.record_after.areas.health
    assert (health.need, health.risk, health.unpaid_support) == (0, 0, "none")


def test_what_if_refuses_an_answer_that_does_not_exist_or_a_value_out_of_range():
    with pytest.raises(BadChange):
        what_if(CASE.record, ("areas.garden.need", 2), PA)
    with pytest.raises(BadChange):
        what_if(CASE.record, ("areas.health.need", 7), PA)


def test_the_training_core_never_imports_textual():
    code = "import sys, ras_chat.training, ras_chat.training.show; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_what_if_text_reads_a_typed_or_picked_value_and_an_empty_value_toggles_an_everyday_thing():
    from ras_chat.training import what_if_text

    assert what_if_text(CASE.record, "areas.community.risk", "3", PA) == what_if(CASE.record, ("areas.community.risk", 3), PA)
    assert what_if_text(CASE.record, "fluctuating", "yes", PA).value_after is True
    ticked = "work_education" in CASE.record.unable_outcomes
    assert what_if_text(CASE.record, "outcomes.work_education", "", PA).value_after is (not ticked)
    with pytest.raises(BadChange):
        what_if_text(CASE.record, "outcomes.work_education", "maybe", PA)


def test_heard_answers_offer_only_what_was_heard_with_the_other_values_and_leave_the_session_alone():
    from ras_chat.training import heard_answers, what_if_text

    session = replay(CASE, CASE.script[:12])  # part way through
    state = session.state.model_dump_json()
    answers = heard_answers(session)
    paths = [a.path for a in answers]
    assert paths and all(p.startswith(("areas.", "outcomes.")) for p in paths)
    assert "client_group" not in paths  # not asked yet
    for a in answers:
        assert a.now not in [v for _, v in a.values]  # only other values are offered
        for _, value in a.values:  # every value offered is one what-if takes
            what_if_text(session.record(), a.path, value, PA)
    assert session.state.model_dump_json() == state
    assert heard_answers(replay(CASE, CASE.script[:1])) == ()  # nothing about a part of life yet
