"""The optional money part after the result (issue 6), and the budget statement."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from ras_chat.dialogue.session import Session
from ras_chat.dialogue.testplan import FIXED_TIME
from ras_chat.dialogue.understand import read_amount

FARZANA = Path(__file__).parent / "plans" / "farzana.plan"


def at_money_offer() -> Session:
    answers = [ln.strip()[1:].strip() for ln in FARZANA.read_text().splitlines() if ln.strip().startswith(">")]
    s = Session.start(session_id="money", clock=lambda: FIXED_TIME, as_of=FIXED_TIME.date())
    s.opening()
    for a in answers:
        if s.state.state == "money_offer":
            break
        s.send(a)
    assert s.state.state == "money_offer"
    return s


def test_the_money_part_is_offered_after_the_result_in_plain_words_and_can_be_skipped():
    s = at_money_offer()
    q = s.current_question
    # it says what it is before saying it can be skipped (issue 15)
    assert q.text.startswith("Next, I can make a first guess at what you might pay")
    assert "you can skip it" in q.text
    # the plan's 27 answers before the money part (what matters is asked once, not per part)
    assert s.state.answer_count == 27 and s.state.money_answer_count == 0
    out = s.send("no thanks")
    assert any("money check will work out what you pay" in m.text for m in out)
    assert s.finished and s.charge() is None and s.finance_record() is None
    st = s.budget_statement()
    assert st is not None and not st.parts_known and st.weekly_total == Decimal("195.00")
    assert s.state.answer_count == 27 and s.state.money_answer_count == 1


def test_answers_give_a_charge_kept_in_the_state_as_json():
    s = at_money_offer()
    # offer, savings, age, couple?, partner's age, children, wages, pensions, benefits, Carer's Allowance,
    # which daily living benefit, daily living, mobility, other, rent and council tax, mortgage etc., extra costs
    for a in ("yes", "£15,750", "2", "no", "no", "none", "0", "0", "250", "0", "no", "0", "28.70", "0", "0", "0", "skip"):
        s.send(a)
    assert s.finished
    charge = s.charge()
    # the 2026-27 figures: £250 + £6 - £120.40 = £135.60; the council £195 - £135.60 = £59.40
    assert charge.weekly_charge == Decimal("135.60") and charge.council_pays == Decimal("59.40")
    assert s.finance_record().capital == Decimal("15750.00")
    data = json.loads(json.dumps(s.state.model_dump(mode="json")))
    again = Session.restore(data, clock=lambda: FIXED_TIME)
    assert again.charge() == charge and again.finance_record() == s.finance_record()
    assert again.budget_statement().person_weekly == Decimal("135.60")
    view = s.worker_view()
    assert view["money"]["charge"]["weekly_charge"] == "135.60"
    assert not any(f.code in ("skipped", "dont_know") for f in s.state.flags)


def test_skipping_a_required_money_question_gives_no_guess_but_says_the_money_check_will():
    s = at_money_offer()
    s.send("yes")
    s.send("skip")  # savings: needed for a guess
    for _ in range(15):
        s.send("skip")
    assert s.finished and s.charge() is None
    assert any("cannot make a first guess" in m.text for m in s.state.transcript)
    assert "not answered: savings" in s.state.money_missing


def test_back_in_the_money_part_goes_to_the_previous_money_question():
    s = at_money_offer()
    s.send("yes")
    s.send("1000")
    assert "How old" in s.current_question.text
    s.send("back")
    assert "savings" in s.current_question.text
    s.send("2000")
    assert s.finance_answers()["savings"] == "2000.00"


def test_help_in_the_money_part_comes_from_the_question_list():
    s = at_money_offer()
    s.send("yes")
    out = s.send("help")
    assert any(m.kind == "help" and "Do not count the home you live in" in m.text for m in out)


def test_amounts_in_words_people_type():
    assert read_amount("about £1,250.50").amount == Decimal("1250.50")
    a = read_amount("120 a month")
    assert (a.amount, a.period) == (Decimal("120.00"), "month")
    assert a.weekly == Decimal("27.69")  # 120 x 12 / 52 = 27.692...
    assert read_amount("nothing").amount == Decimal("0")
    assert read_amount("between 100 and 200") is None
    assert read_amount("some") is None


def test_a_monthly_amount_is_turned_into_a_weekly_one_and_said():
    s = at_money_offer()
    for a in ("yes", "100", "2", "no", "no", "none", "520 a month"):
        out = s.send(a)
    # 520 x 12 / 52 = 120: the sum is said back before it is used
    assert any("£520 a month is £120 a week (£520 x 12 / 52)" in m.text for m in out), [m.text for m in out]
    assert s.finance_answers()["wages"] == "120.00"


def test_a_money_answer_that_is_not_an_amount_is_asked_again_kindly():
    s = at_money_offer()
    s.send("yes")
    out = s.send("quite a bit")
    assert any("did not get an amount" in m.text for m in out) and "savings" in s.current_question.text
