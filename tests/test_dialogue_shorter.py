"""Issue 15, a shorter conversation: what was already said is not asked again.

- Where to start follows from what matters most; it is said back, not asked, and
  "back" still lets the person pick another part.
- What matters is asked once, at the start (and what is going well once, in the first
  part): the other parts go straight to how much help is needed.
- Someone in the family who does most of the help settles "does someone look after
  you?", said back; "my son lives with me but he doesn't look after me", or help from
  nobody, settles nothing.
"""

from __future__ import annotations

import datetime as dt

from ras_chat.dialogue.session import Session

T0 = dt.datetime(2026, 5, 4, 9, 30, tzinfo=dt.UTC)


def start() -> Session:
    s = Session.start(session_id="shorter", clock=lambda: T0)
    s.opening()
    return s


def field(s: Session) -> str | None:
    """The record field the current question sets, made concrete."""
    from ras_chat.dialogue.fields import concrete

    spec = s.spec
    c = s.state.cursor
    return concrete(spec.sets, area=c.get("area"), outcome=c.get("outcome")) if spec.sets else None


def said(out) -> list[str]:
    return [m.text for m in out]


def test_where_to_start_is_said_back_from_what_matters_and_back_picks_another_part():
    s = start()
    s.send("me")
    s.send("Sam")
    out = said(s.send("getting to college and keeping my job"))
    assert "Thank you. We will start with work, learning and money, as that sounds like what matters most. To start with another part, say back." in out
    # not asked: the first question of that part comes in the same turn
    assert field(s) == "areas.work.going_well"
    assert s.state.area_order[0] == "work"
    out = said(s.send("back"))
    assert s.state.state == "confirm_areas"
    assert "Before, you said: Work, learning and money." in out
    s.send("2")  # the second part offered: looking after yourself
    assert s.state.area_order[0] == "health" and field(s) == "areas.health.going_well"


def test_with_no_part_of_life_in_the_words_where_to_start_is_still_asked():
    s = start()
    s.send("me")
    s.send("skip")
    s.send("I am not sure")
    assert s.state.state == "confirm_areas"
    assert s.current_question is not None and s.current_question.text == "Thank you. Which part of your life shall we start with?"


def test_what_matters_is_asked_once_and_the_other_parts_start_with_the_help_needed():
    s = start()
    for text in ("me", "skip", "keeping my job"):
        s.send(text)
    asked = []
    # every part: no help needed, so each part is one question (two in the first part)
    for _ in range(8):
        f = field(s)
        if f is None or not f.startswith("areas."):
            break
        asked.append(f)
        s.send("no help needed" if f.endswith(".need") else "my friends are great")
    assert asked == [
        "areas.work.going_well", "areas.work.need",
        "areas.health.need", "areas.choice.need", "areas.community.need",
    ]
    assert not any(k.endswith(".what_matters") for k in s.fields() if k.startswith("areas."))


def to_health_support(s: Session) -> None:
    """Up to "Do family, friends or neighbours help you with this now?" in the first part."""
    for text in ("me", "skip", "washing and getting dressed", "I like music", "a lot, every day"):
        s.send(text)
    assert field(s) == "areas.health.unpaid_support"


def finish_areas(s: Session) -> list[str]:
    """Answer the rest of the parts of life and the questions about you, up to whether
    someone looks after them (or past it): returns everything said."""
    out: list[str] = []
    for _ in range(40):
        f = field(s)
        if f in ("carer.present", "carer.coping", "check") or s.state.state == "check_answers":
            break
        answer = {
            "areas.health.risk": "I could fall and get hurt",
            "unable_outcomes.health": "washing",
            "client_group": "my body, I had a stroke",
            "fluctuating": "no, it is about the same",
            "retired": "no",
        }.get(f or "", "no help needed")
        if f and f.startswith("unable_reasons."):
            answer = "I cannot do it on my own"
        out += said(s.send(answer))
    return out


def test_a_family_member_who_does_most_of_the_help_settles_that_someone_looks_after_you():
    s = start()
    to_health_support(s)
    s.send("my daughter does most of it")
    assert s.answer("areas.{area}.unpaid_support", area="health") == "most"
    out = finish_areas(s)
    # "does someone look after you?" is not asked: it is said back, and how they cope is asked
    assert "You said \u201cmy daughter does most of it\u201d. So I have put that someone looks after you." in out
    assert s.answer("carer.present") == "yes"
    assert s.state.readings[s.key_for("carer.present")].how == "earlier"
    assert field(s) == "carer.coping"


def test_someone_who_lives_with_you_but_does_not_look_after_you_settles_nothing():
    s = start()
    to_health_support(s)
    s.send("my son lives with me but he doesn't look after me")
    if s.state.pending is not None:  # a less sure reading is put to the person: it is "nobody"
        s.send("yes")
    assert s.answer("areas.{area}.unpaid_support", area="health") == "none"
    finish_areas(s)
    assert field(s) == "carer.present" and not s.answered("carer.present")


def test_some_help_from_family_is_not_enough_to_settle_it_the_question_is_asked():
    s = start()
    to_health_support(s)
    s.send("my son helps a bit at weekends")
    assert s.answer("areas.{area}.unpaid_support", area="health") == "some"
    finish_areas(s)
    assert field(s) == "carer.present" and not s.answered("carer.present")


def test_most_of_the_help_from_no_one_named_settles_nothing():
    s = start()
    to_health_support(s)
    s.send("most of it")
    assert s.answer("areas.{area}.unpaid_support", area="health") == "most"
    finish_areas(s)
    assert field(s) == "carer.present"


def test_a_part_that_names_how_often_is_not_overruled_by_a_part_that_only_says_what():
    # "most days" is some help most days (2); "she needs someone with her to go out" names
    # no amount: the reading is kept without "is that right?", and said back
    s = start()
    for text in ("someone else, for my niece", "skip", "seeing her friends", "she loves her music group"):
        s.send(text)
    assert field(s) == "areas.community.need"
    out = said(s.send("she needs someone with her to go out, most days really"))
    assert s.state.pending is None
    assert s.answer("areas.{area}.need", area="community") == "2"
    assert any(t.startswith("OK: some help most days") for t in out)


def test_parts_that_name_two_different_amounts_are_still_put_to_the_person():
    s = start()
    for text in ("me", "skip", "seeing my friends", "my music group"):
        s.send(text)
    s.send("a little, but I need help every day with the bus")
    assert s.state.pending is not None and s.state.pending.kind == "confirm"
    assert not s.answered("areas.{area}.need", area="community")
