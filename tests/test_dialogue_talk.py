"""Issue 15 in the conversation: the name, retirement, answers settled by words said
before, and a check-your-answers list that shows everything and changes one answer."""

from __future__ import annotations

import datetime as dt

from ras_chat.dialogue.session import Session

T0 = dt.datetime(2026, 5, 4, 9, 30, tzinfo=dt.UTC)


def drive(inputs: list[str]) -> tuple[Session, list[str]]:
    s = Session.start(session_id="talk", clock=lambda: T0)
    said = [m.text for m in s.opening()]
    for text in inputs:
        said += [m.text for m in s.send(text)[1:]]
    return s, said


def test_the_name_is_kept_without_the_words_around_it_and_said_back():
    s, said = drive(["1", "you can call me sam please"])
    assert s.fields()["name"] == "Sam"
    assert "Thank you. We will use the name Sam." in said
    assert s.state.state == "what_matters_most"


def test_the_name_can_be_left_out_in_every_way_and_nothing_is_flagged():
    for words in ("skip", "I'd rather not", "no thanks", "   "):
        s, said = drive(["1", words])
        assert s.state.state == "what_matters_most", words
        assert s.fields()["name"] == {"unknown": "skipped"}
        assert not s.state.flags, words
        assert "That is fine." in said


def retired_man(retired_words: str) -> tuple[Session, list[str]]:
    # what matters is about his home (running your home), so work is not raised
    # where to start is said back, not asked; what matters is not asked again in each part
    answers = ["1", "Ken", "staying in my own home", "I like my garden", "no help needed",
               "no help needed", retired_words]
    return drive(answers)


def test_someone_retired_who_did_not_raise_work_is_never_asked_about_it():
    s, said = retired_man("yes, I retired years ago")
    assert "Are you retired from work?" in said
    assert not any("work, learning and money" in t and t.endswith("?") for t in said)
    assert any(t.startswith("OK. Then I will not ask about work") for t in said)
    assert s.state.state != "area_matters" or s.state.cursor.get("area") != "work"
    record = s.record()
    assert record is not None and record.areas.work.need == 0
    assert "Retired" in (record.area_notes or {}).get("work", "")


def test_someone_not_retired_is_asked_about_work_as_usual():
    s, said = retired_man("no, I still work")
    assert "Let us talk about work, learning and money." in said
    assert s.state.cursor.get("area") == "work"


def test_i_am_retired_said_before_settles_the_question_and_is_said_back():
    answers = ["1", "Ken", "staying in my own home", "I'm retired and I like my garden", "no help needed",
               "no help needed"]
    s, said = drive(answers)
    assert "Are you retired from work?" not in said
    assert "You said \u201cI'm retired and I like my garden\u201d, so I have put: yes, I am retired." in said
    assert s.answer("retired") == "yes" and s.state.readings[s.key_for("retired")].how == "earlier"


def test_my_wife_does_all_of_it_to_how_much_help_puts_who_helps_without_asking_again():
    s, said = drive(["1", "skip", "washing and dressing", "I like music", "my wife does all of it"])
    # the need itself is not known from those words: asked again, who helps is kept
    assert "Thank you. I have put who helps: family or friends do most of it and can keep on." in said
    assert s.state.state == "area_need"
    out = [m.text for m in s.send("a lot, every day")]
    assert "You said \u201cmy wife does all of it\u201d, so I have put: family or friends do most of it and can keep on." in out
    assert s.state.state == "area_risk"
    assert s.answer("areas.{area}.unpaid_support", area="health") == "most"


def test_a_less_sure_reading_of_earlier_words_is_put_to_the_person():
    # "retired" said of someone, not "I am retired": not sure enough to keep without asking
    answers = ["1", "Ken", "staying in my own home", "my garden, since my husband retired", "no help needed",
               "no help needed"]
    s, said = drive(answers)
    q = s.current_question
    assert s.state.state == "ask_retired" and q is not None
    assert q.text.startswith("You said \u201cmy garden, since my husband retired\u201d. It sounds like")
    assert q.text.endswith("Is that right?")
    s.send("no")  # not what she meant: the question itself is asked
    assert s.state.state == "ask_retired" and s.state.pending is None
    assert not s.answered("retired")


FARZANA = ["1", "Farzana", "I want to go to college and learn skills so I can live on my own one day",
           "I am kind", "some help most days", "no one", "3", "1 and 4",
           # looking after herself: she picks eating, then says none of the ways is true
           "3", "2", "3", "eating", "none of these, I can manage it"]


def test_the_summary_never_calls_a_thing_hard_after_none_of_these_and_shows_the_persons_words():
    s, _ = drive(FARZANA + ["no help needed", "no help needed", "learning disability", "no", "no"])
    assert s.state.state == "check_answers"
    lines = [m.text for m in s.state.transcript if m.kind == "summary"]
    assert "What to call you: Farzana." in lines
    assert "What is going well with work, learning and money: I am kind." in lines
    assert "What is hard with looking after yourself and staying well: none of these are hard for me." in lines
    assert "How eating and drinking is hard: none of these, I can manage it." in lines
    assert "Who helps with work, learning and money: no one helps, or they cannot keep on helping (you said \u201cno one\u201d)." in lines
    assert not any("eating and drinking" in t and "Hard" in t for t in lines)


def test_change_goes_to_the_one_answer_shows_what_was_said_and_comes_back_to_the_check():
    s, _ = drive(FARZANA + ["no help needed", "no help needed", "learning disability", "no", "no"])
    answers_before = dict(s.state.answers)
    s.send("change")
    assert s.state.state == "change_what"
    names = [c.label for c in s.current_question.choices]
    assert "How much help you need with running your home and your day" in names
    out = [m.text for m in s.send("How much help you need with friends, family and getting out")]
    assert "Before, you said: No help needed." in out
    assert s.state.state == "area_need" and s.state.cursor["area"] == "community"
    s.send("a little help now and then")
    # what depends on it is asked (who helps, what would happen, what is hard), then the check
    for text in ("no one", "it would be harder but I would manage", "none of these"):
        assert s.state.state != "check_answers"
        s.send(text)
    assert s.state.state == "check_answers"
    kept = {k: v for k, v in s.state.answers.items() if not k.endswith(":community")}
    assert kept == {k: v for k, v in answers_before.items() if not k.endswith(":community")}
