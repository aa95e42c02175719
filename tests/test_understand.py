"""The language-understanding layer (issue 14): reading people's own words.

Every expected value is written here by hand from the policy's scales (need: 0 none,
1 a little now and then, 2 some most days, 3 a lot every day, 4 all the time; options
are shown numbered from 1, so option 4 is value "3").
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from ras_chat.dialogue.understand import Understanding, read_amount
from ras_chat.dialogue.understand.fields import options_for, sample_session


@pytest.fixture(scope="module")
def u(tmp_path_factory):
    return Understanding.load(cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def session():
    return sample_session()


def read(u, session, field, text, area=None):
    _state, options, multi = options_for(session, field, area)
    return u.read(field, text, options, multi)


# ----- the lines quoted in the issue ---------------------------------------------------


def test_a_fair_bit_of_help_is_a_lot_every_day_not_a_little(u, session):
    r = read(u, session, "areas.health.need", "she needs a fair bit of help")
    assert r.values == ("3",)  # "A lot of help every day"; it used to be stored as "A little help now and then"
    assert r.action in ("accept", "confirm")


def test_the_shower_is_the_problem_ticks_only_washing(u, session):
    r = read(u, session, "unable_outcomes", "I can eat and use the loo on my own, it's the shower that's the problem", area="health")
    assert r.values == ("hygiene",)
    assert set(r.fine) == {"nutrition", "toilet"}  # said to be fine: kept for the worker, not ticked


def test_eating_is_ok_but_the_stairs_are_a_nightmare(u, session):
    r = read(u, session, "unable_outcomes", "eating is ok, but the stairs are a nightmare", area="health")
    assert r.values == ("home_safety",)
    assert "nutrition" in r.fine


def test_not_seeing_friends_is_a_real_answer_not_a_cancelled_one(u, session):
    r = read(u, session, "unable_outcomes", "I don't see my friends any more", area="community")
    assert r.values == ("relationships",)


def test_a_wife_typing_for_her_husband_is_answering_with_help(u, session):
    r = read(u, session, "who", "my wife is typing, I am telling her what to put")
    assert r.values == ("with_help",)
    assert r.action != "ask_again"


def test_no_time_for_myself_is_a_carer_outcome_not_none(u, session):
    r = read(u, session, "carer.unable_outcomes", "I have no time for myself at all")
    assert r.values == ("recreation",)


# ----- typos, numbers and number words -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("evry day", "3"),  # a typo of "every day": a lot every day
        ("4 I guess", "3"),  # option 4 of 5 is value 3
        ("number three please", "2"),  # option 3 is value 2
        ("5", "4"),
        ("24/7", "4"),  # all the time
        ("none at all", "0"),
    ],
)
def test_need_in_numbers_typos_and_short_words(u, session, text, value):
    r = read(u, session, "areas.health.need", text)
    assert r.values == (value,)
    assert r.action in ("accept", "confirm")


def test_a_number_no_answer_has_is_asked_again(u, session):
    r = read(u, session, "areas.health.need", "7")
    assert r.values == () and r.action == "ask_again"


def test_yes_please_is_yes(u, session):
    r = read(u, session, "fluctuating", "yes please")
    assert r.values == ("yes",) and r.action == "accept"


def test_all_of_them_and_none_of_those(u, session):
    _s, options, _m = options_for(session, "unable_reasons")
    every = tuple(o.value for o in options if not o.only)
    assert every == ("without_help", "pain_or_distress", "unsafe", "takes_longer")
    assert u.read("unable_reasons", "all of them", options, True).values == every
    r = u.read("unable_reasons", "none of those", options, True)
    assert r.values == ("none",)


def test_numbers_for_pick_several(u, session):
    _s, options, _m = options_for(session, "unable_reasons")
    r = u.read("unable_reasons", "1 and 3", options, True)
    assert r.values == ("without_help", "unsafe") and r.action == "accept"
    r = u.read("unable_reasons", "two and four", options, True)
    assert r.values == ("pain_or_distress", "takes_longer")
    # "none" with something else contradicts itself
    assert u.read("unable_reasons", "1 and 5", options, True).values == ()


def test_hours_and_ages_said_as_numbers(u, session):
    assert read(u, session, "carer.hours_caring_per_week", "about 40 hours").values == ("35",)  # 20 to 49
    assert read(u, session, "carer.hours_caring_per_week", "60 hours a week").values == ("70",)  # 50 or more
    assert read(u, session, "carer.hours_caring_per_week", "maybe 12 hours").values == ("10",)  # under 20
    assert read(u, session, "carer.hours_caring_per_week", "24/7").values == ("70",)
    assert read(u, session, "money.age", "I'm 67").values == ("pension",)
    assert read(u, session, "money.age", "23").values == ("under-25",)
    assert read(u, session, "money.age", "im 45").values == ("25-pension",)


def test_the_exact_label_is_read_for_sure(u, session):
    r = read(u, session, "areas.health.need", "Some help most days")
    assert r.values == ("2",) and r.confidence == 1.0 and r.action == "accept" and r.how == "label"


# ----- negation by clause ------------------------------------------------------------------


def test_not_a_lot_is_never_read_as_a_lot(u, session):
    r = read(u, session, "areas.health.need", "not a lot")
    assert r.values != ("3",)


def test_negated_reasons_are_left_out(u, session):
    _s, options, _m = options_for(session, "unable_reasons")
    r = u.read("unable_reasons", "it doesn't hurt, but I can't do it without someone", options, True)
    assert r.values == ("without_help",)
    assert "pain_or_distress" in r.fine


def test_two_hard_things_in_one_clause_are_both_read(u, session):
    r = read(u, session, "unable_outcomes", "the loo and the stairs", area="health")
    assert r.values == ("toilet", "home_safety")


# ----- never a silent guess ------------------------------------------------------------------


def test_words_that_mean_nothing_here_are_not_accepted(u, session):
    for text in ("purple elephant", "I'm not sure I feel safe at home", "banana"):
        r = read(u, session, "areas.health.need", text)
        assert r.action != "accept", text


def test_an_empty_answer_is_asked_again(u, session):
    r = read(u, session, "areas.health.need", "   ")
    assert r.values == () and r.action == "ask_again"


def test_off_topic_and_questions_back_get_a_reply_and_no_value(u, session):
    r = read(u, session, "areas.health.need", "is the 52 bus running?")
    assert r.kind == "off_topic" and r.values == () and r.action == "ask_again" and r.reply
    r = read(u, session, "client_group", "why do you need to know?")
    assert r.kind == "question_back" and r.values == () and r.reply
    assert "skip" in r.reply  # the honest reply says the person need not answer


def test_a_confirm_offers_the_next_best_answers(u, session):
    r = read(u, session, "areas.health.need", "not much, odd bit here and there")
    assert r.values == ("1",)
    assert all(v != "1" for v, _s in r.alternatives)


# ----- amounts ------------------------------------------------------------------------------


def test_amounts_as_people_say_them():
    assert read_amount("about 8 grand in an ISA").amount == Decimal("8000.00")
    a = read_amount("about £20k")
    assert a.amount == Decimal("20000.00") and a.about and a.said == "£20,000"
    assert read_amount("1.2k").amount == Decimal("1200.00")
    assert read_amount("two hundred and fifty pounds").amount == Decimal("250.00")
    a = read_amount("forty quid a week")
    assert (a.amount, a.period, a.weekly) == (Decimal("40.00"), "week", Decimal("40.00"))
    assert read_amount("nothing").amount == Decimal("0.00")
    assert read_amount("between 100 and 200") is None  # two amounts: ask again
    assert read_amount("my son has it") is None
    assert read_amount("100000000000000000000000000") is None  # a pasted number, not an amount (found by fuzzing)


def test_a_monthly_amount_is_turned_into_a_week_and_the_sum_is_said():
    a = read_amount("£300 a month")
    # 300 x 12 = 3,600 a year; 3,600 / 52 = 69.2307... -> £69.23
    assert a.weekly == Decimal("69.23")
    assert a.period == "month" and a.said == "£300 a month"
    assert a.arithmetic == "£300 a month is £69.23 a week (£300 x 12 / 52)"
    # 12,000 / 52 = 230.769... -> £230.77
    assert read_amount("£12,000 a year").weekly == Decimal("230.77")
    # 65 / 2 = 32.50
    assert read_amount("65 a fortnight").weekly == Decimal("32.50")


def test_a_money_question_without_options_reads_the_amount(u, session):
    r = read(u, session, "money.savings", "about 8 grand")
    assert r.values == ("8000.00",) and r.amount is not None and r.amount.said == "£8,000"


# ----- nothing a person types breaks it ------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FIELDS = ["who", "areas.health.need", "areas.work.unpaid_support", "unable_outcomes", "unable_reasons", "carer.hours_caring_per_week", "money.age", "money.savings", "check"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=0, max_size=300), field=st.sampled_from(FIELDS))
def test_any_text_gives_a_reading_and_a_safety_level(u, session, text, field):
    _s, options, multi = options_for(session, field)
    r = u.read(field, text, options, multi)
    assert 0.0 <= r.confidence <= 1.0
    assert r.action in ("accept", "confirm", "ask_again")
    assert set(r.values) <= {o.value for o in options} or field == "money.savings"
    assert u.safety(text).level in ("none", "check", "stop")


@given(text=st.text(alphabet="0123456789£$.,kKmM -abcdegiklmnoprstuwyh", max_size=40))
def test_any_amount_text_is_an_amount_or_nothing(text):
    a = read_amount(text)
    assert a is None or (a.amount >= 0 and a.said.startswith("£"))


# ----- lone words, long answers, parts that disagree -----------------------------------


@pytest.mark.parametrize(
    ("field", "text", "area"),
    [
        ("areas.health.need", "when", None),
        ("areas.health.risk", "feel", None),
        ("areas.health.risk", "ok", None),
        ("client_group", "feel", None),
        ("fluctuating", "when", None),
        ("unable_reasons", "when", "health"),
        ("unable_outcomes", "feel", "health"),
    ],
)
def test_a_lone_word_is_never_read_as_a_sure_answer(u, session, field, text, area):
    r = read(u, session, field, text, area)
    assert r.action != "accept", r


def test_a_lone_word_is_no_disclosure(u):
    assert u.safety("feel").level == "none"


def test_ok_alone_to_a_question_that_is_not_yes_or_no_is_not_stored(u, session):
    # "If you did not get this help, what would happen?" "ok" answers nothing for sure
    assert read(u, session, "areas.health.risk", "ok").action != "accept"
    assert read(u, session, "areas.health.need", "yes").action != "accept"
    # unless it is an answer's own words: "no thanks" to "Would you like to try it now?" is "skip"
    r = read(u, session, "money.offer", "no thanks")
    assert r.values == ("skip",) and r.action == "accept"


def test_one_word_answers_that_are_answers_are_still_read(u, session):
    assert read(u, session, "unable_outcomes", "washing", "health").values == ("hygiene",)
    assert read(u, session, "unable_reasons", "hurts", "health").values == ("pain_or_distress",)
    r = read(u, session, "areas.health.need", "loads")  # 3: "A lot of help every day"
    assert r.values == ("3",) and r.action == "accept"


def test_a_long_answer_that_says_how_much_first_is_read_by_that_part(u, session):
    # "a fair bit" is "A lot of help every day" (value 3); the rest says who helps
    r = read(u, session, "areas.choice.need", "a fair bit, my wife does the cleaning and the meals now")
    assert r.values == ("3",) and r.action in ("accept", "confirm")
    assert r.how == "clause"


def test_parts_that_say_different_amounts_are_put_to_the_person(u, session):
    # "a little" (1) and "help with everything all day" (4): never stored without asking
    r = read(u, session, "areas.health.need", "a little, she needs help with everything all day")
    assert r.action != "accept"
    r = read(u, session, "areas.health.need", "none, he needs someone with him every minute")
    assert r.action != "accept"


def test_help_to_get_on_the_loo_is_a_lot_of_help(u, session):
    r = read(u, session, "areas.health.need", "he needs help to get on the loo")
    assert r.values == ("3",) and r.action in ("accept", "confirm")


def test_cannot_do_it_on_her_own_is_hard_not_mixed(u, session):
    r = read(u, session, "unable_outcomes", "she cant cook a meal on her own", "health")
    assert r.values == ("nutrition",) and r.action == "accept"
    r = read(u, session, "unable_outcomes", "she can cook a meal on her own, its the shower", "health")
    assert r.values == ("hygiene",) and "nutrition" in r.fine


def test_a_part_that_says_why_names_no_new_thing(u, session):
    # "I'm scared of falling" says why the bath is hard; it does not tick moving round the home
    r = read(u, session, "unable_outcomes", "getting in the bath, I'm scared of falling", "health")
    assert r.values == ("hygiene",)
    # alone, a fall is moving round the home; and a thing named beside a fine one still counts
    assert read(u, session, "unable_outcomes", "I keep falling", "health").values == ("home_safety",)
    assert read(u, session, "unable_outcomes", "the stairs are fine but i cant cook any more", "health").values == ("nutrition",)


def test_ok_alone_agrees_to_a_check_but_is_put_to_the_person_at_a_question_about_how_things_are(u, session):
    # "Does the help you need change a lot from week to week?" - "ok" may mean "I'm ok"
    for field in ("fluctuating", "retired", "carer.present", "carer.health_at_risk"):
        r = read(u, session, field, "ok")
        assert r.values == ("yes",) and r.action == "confirm", field
    # "Is this right?" - "ok" is a yes
    r = read(u, session, "check", "ok")
    assert r.values == ("yes",) and r.action == "accept"
    # a plain "yes" is still a sure yes everywhere
    assert read(u, session, "fluctuating", "yes").action == "accept"


def test_every_field_that_takes_ok_as_a_yes_is_a_real_field():
    from ras_chat.dialogue.fields import FIELDS
    from ras_chat.dialogue.understand.data import default_examples_path, read_examples

    data, _ = read_examples(default_examples_path())
    # "check" is the field-less "Is this right?" (the examples name it so)
    assert data.agree_only and set(data.agree_yes) <= set(FIELDS) | {"check"}
