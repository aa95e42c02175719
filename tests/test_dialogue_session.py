"""The headless session: deterministic, saved and restored as data, kind at every question."""

from __future__ import annotations

import datetime as dt
import json

from ras_chat.dialogue.session import Message, Session, SessionState

T0 = dt.datetime(2026, 5, 4, 9, 30, tzinfo=dt.UTC)
FARZANA_START = ["1", "Farzana", "I want to go to college", "yes", "I like people", "some help most days", "no one", "3"]


def clock():
    return T0


def new(**kw) -> Session:
    s = Session.start(session_id="s1", clock=clock, **kw)
    s.opening()
    return s


def drive(inputs, session=None) -> Session:
    s = session or new()
    for text in inputs:
        s.send(text)
    return s


def questions(messages: list[Message]) -> list[Message]:
    return [m for m in messages if m.kind == "question"]


def test_same_answers_and_same_clock_give_the_same_state():
    a = drive(FARZANA_START).state.model_dump(mode="json")
    b = drive(FARZANA_START).state.model_dump(mode="json")
    assert a == b


def test_a_session_saved_as_json_and_restored_carries_on_exactly_the_same():
    whole = drive(FARZANA_START + ["1 and 4", "I like toast", "3"])
    half = drive(FARZANA_START)
    saved = json.loads(json.dumps(half.state.model_dump(mode="json")))
    restored = Session.restore(SessionState.model_validate(saved), clock=clock)
    drive(["1 and 4", "I like toast", "3"], restored)
    assert restored.state.model_dump(mode="json") == whole.state.model_dump(mode="json")


def test_a_restored_session_opens_by_asking_the_current_question_again():
    s = drive(FARZANA_START[:3])
    restored = Session.restore(s.state.model_dump(mode="json"), clock=clock)
    out = restored.opening()
    assert out[0].text.startswith("Welcome back")
    assert out[-1].kind == "question" and out[-1].state == s.state.state


def test_the_opening_welcomes_and_asks_who_is_answering():
    s = Session.start(session_id="s1", clock=clock)
    out = s.opening()
    assert "Hello" in out[0].text
    assert out[-1].kind == "question" and [c.number for c in out[-1].choices] == [1, 2, 3]
    assert s.current_question.text == out[-1].text
    assert s.state.transcript == out


def test_every_send_records_the_persons_words_and_at_least_one_reply():
    s = new()
    out = s.send("1")
    assert out[0].role == "person" and out[0].text == "1"
    assert any(m.role == "assistant" for m in out)
    assert s.state.transcript[-len(out):] == out


def test_help_explains_then_asks_the_same_question_again():
    s = drive(["1", "skip"])
    out = s.help()
    assert out[1].kind == "help"
    assert questions(out)[0].state == "what_matters_most"
    assert s.state.state == "what_matters_most" and s.state.answer_count == 2


def test_what_does_this_mean_is_help_too():
    s = drive(["1", "skip"])
    assert s.send("What does this mean?")[1].kind == "help"


def test_repeat_asks_the_same_question_again_and_records_nothing():
    s = drive(["1", "skip"])
    before = dict(s.state.answers)
    out = s.repeat()
    assert questions(out)[0].state == "what_matters_most" and s.state.answers == before


def test_back_at_the_first_question_says_so_kindly():
    s = new()
    out = s.go_back()
    assert "first question" in out[1].text and s.state.state == "who"


def test_back_returns_to_the_last_question_and_shows_the_earlier_answer():
    s = drive(FARZANA_START[:6])
    assert s.state.state == "area_support"
    out = s.go_back()
    assert s.state.state == "area_need"
    assert any("Before, you said: Some help most days" in m.text for m in out)


def test_changing_an_answer_after_going_back_keeps_the_later_answers():
    s = drive(FARZANA_START)  # now at the work outcome question
    s.go_back()
    s.go_back()
    s.go_back()  # back at need
    s.send("a lot of help every day")
    # support and risk were answered already: we are straight back where we were
    assert s.state.state == "outcome_ways"
    assert s.state.answers["area_need:work"] == "3"
    assert s.state.answers["area_support:work"] == "none"


def test_a_need_changed_to_none_skips_that_areas_other_questions():
    s = drive(["1", "skip", "college", "I like people", "no help needed"])
    assert s.state.state == "area_intro" or s.state.cursor["area"] != "work"
    assert "area_support:work" not in s.state.answers


def test_skip_is_recorded_as_skipped_and_flagged_never_as_an_answer():
    s = drive(["1", "skip", "college", "I like people", "skip"])
    assert s.state.answers["area_need:work"] == {"unknown": "skipped"}
    assert s.state.flags[-1].code == "skipped" and "Economic" in s.state.flags[-1].text


def test_i_dont_know_is_recorded_as_such_and_flagged():
    s = drive(["1", "skip", "college", "I like people", "I don't know"])
    assert s.state.answers["area_need:work"] == {"unknown": "dont_know"}
    assert s.state.flags[-1].code == "dont_know"


def test_three_misses_offer_numbers_and_a_fourth_moves_on_never_a_loop():
    s = drive(["1", "skip", "college", "I like people"])
    first = s.send("purple")
    assert first[1].kind == "error"
    s.send("green")
    third = s.send("orange")
    assert "number" in third[1].text
    assert any(f.code == "hard_to_match" for f in s.state.flags)
    s.send("blue")
    assert s.state.state != "area_need"
    assert s.state.answers["area_need:work"] == {"unknown": "gave_up"}


def test_an_empty_answer_is_asked_again_kindly():
    s = drive(["1", "skip"])
    out = s.send("   ")
    assert out[1].kind == "error" and s.state.state == "what_matters_most"


def test_control_characters_are_removed_and_very_long_text_is_cut():
    s = drive(["1", "skip"])
    s.send("college\x00\x1b[31m" + "x" * 10_000)
    text = s.state.answers["what_matters_most"]
    assert "\x00" not in text and "\x1b" not in text
    assert len(text) <= 2003


def test_free_text_is_matched_to_an_option_by_its_words():
    s = drive(["1", "skip", "college", "I like people"])
    s.send("I need a lot of help")
    assert s.state.answers["area_need:work"] == "3"


def test_a_choice_label_that_mentions_danger_is_not_a_safety_disclosure():
    s = drive(FARZANA_START[:7])
    assert s.state.state == "area_risk"
    s.send("I would be in danger straight away")
    assert s.state.answers["area_risk:work"] == "4"
    assert not any(f.code == "safety" for f in s.state.flags)


def test_a_safety_disclosure_ends_questioning_with_an_urgent_flag():
    s = drive(["1", "skip"])
    out = s.send("sometimes I want to end my life")
    assert s.finished and s.state.status == "handed_off"
    assert any("999" in m.text for m in out) and all(m.kind != "question" for m in out)
    flag = s.state.flags[-1]
    assert flag.code == "safety" and flag.level == "urgent"
    assert s.current_question is None


def test_a_finished_session_answers_kindly_and_changes_nothing():
    s = drive(["1", "skip"])
    s.send("he hits me")
    before = s.state.state
    out = s.send("hello?")
    assert out[-1].role == "assistant" and s.state.state == before


def test_progress_names_the_part_of_life_in_the_persons_words():
    s = drive(FARZANA_START[:4])
    assert s.progress() == (2, 6, "Part 2 of 6: Work, learning and money")
    assert new().progress()[0] == 1


def test_worker_view_uses_professional_terms_and_a_running_allocation():
    s = drive(FARZANA_START + ["1 and 4"])
    view = s.worker_view()
    work = view["areas"]["work"]
    assert work["worker_name"] == "Economic and educational participation"
    assert work["need"] == 2 and work["risk"] == 2 and work["unpaid_support"] == "none"
    assert work["outcomes"][0]["ways"] == ["without_help", "takes_longer"]
    assert work["outcomes"][0]["regulation"].startswith("reg. 2(2)(h)")
    assert view["allocation"]["method"] == "bands" and view["allocation"]["elements"]
    assert view["eligibility"]["draft"] is True
    json.dumps(view)  # ready for any panel or API


def test_no_result_is_shown_before_the_person_has_checked_their_answers():
    s = drive(FARZANA_START)
    assert s.result() is None
    assert s.record() is not None


def test_a_record_is_none_before_any_part_of_life_is_answered():
    assert drive(["1", "skip", "college"]).record() is None


def test_when_nothing_matches_what_matters_most_the_person_picks_where_to_start():
    s = drive(["1", "skip", "hmm"])
    q = s.current_question
    assert q.text == "Thank you. Which part of your life shall we start with?"
    assert [c.value for c in q.choices] == ["health", "choice", "work", "community"]


def test_the_result_is_never_a_bare_number():
    from pathlib import Path

    from ras_chat.dialogue.testplan import run_plan

    run = run_plan(Path(__file__).parent / "plans" / "farzana.plan")
    results = [m.text for m in run.session.state.transcript if m.kind == "result"]
    money = [t for t in results if "£" in t]
    assert money and all(len(t.split()) >= 6 for t in money)
    joined = " ".join(results)
    for words in ("a week", "Over a year", "from about", "starting point", "each part of the money"):
        assert words in joined


def test_the_carer_talk_offered_for_later_is_flagged_for_the_worker():
    from pathlib import Path

    from ras_chat.dialogue.testplan import run_plan

    run = run_plan(Path(__file__).parent / "plans" / "farzana.plan")
    assert [f.level for f in run.session.state.flags if f.code == "carer_later"] == ["info"]


def test_resume_without_a_saved_session_is_a_clear_error():
    import argparse
    import io

    from ras_chat.conversation import run_conversation

    args = argparse.Namespace(plain=True, resume="nope", db=None, policy=None, theme=None)
    assert run_conversation(args, stdin=io.StringIO(""), stdout=io.StringIO()) == 2


def test_changing_what_matters_most_at_the_check_asks_again_where_to_start_and_keeps_the_rest():
    from pathlib import Path

    plan = Path(__file__).parent / "plans" / "farzana.plan"
    answers = [ln.strip()[1:].strip() for ln in plan.read_text().splitlines() if ln.strip().startswith(">")]
    s = drive(answers[: answers.index("later") + 1])  # up to "Is this right?"
    assert s.state.state == "check_answers"
    before = {k: v for k, v in s.state.answers.items() if k.startswith("area_")}
    s.send("change")
    s.send("what matters most")  # the one answer, picked from the list
    assert s.state.state == "what_matters_most"
    out = s.send("Seeing my friends more")
    # where to start follows from the new words, said back (not asked); every part of
    # life was answered and what is going well was asked once: straight back to the check
    assert any("We will start with friends, family and getting out" in m.text for m in out)
    assert s.state.area_order[0] == "community"
    assert s.state.state == "check_answers"
    assert {k: v for k, v in s.state.answers.items() if k.startswith("area_")} == before
    s.send("yes")
    assert s.state.state == "money_offer" and str(s.result().weekly) == "195.00"
    s.send("no")
    assert s.finished


def test_the_summary_keeps_a_capital_i_inside_a_sentence():
    from pathlib import Path

    from ras_chat.dialogue.testplan import run_plan

    run = run_plan(Path(__file__).parent / "plans" / "carer_mr_and_mrs_okafor.plan")
    summary = [m.text for m in run.session.state.transcript if m.kind == "summary"]
    assert any(t.endswith(": I would be in danger straight away.") for t in summary)
