"""Random conversations: whatever a person types, the session never crashes, never goes
silent, never loops without end, and can always be brought to the hand-off."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ras_chat.dialogue.session import Session, SessionState

T0 = dt.datetime(2026, 5, 4, 9, 30, tzinfo=dt.UTC)
COMMANDS = ["back", "help", "repeat", "skip", "I don't know", "what does this mean?", "go back", "not sure"]
CHOICES = ["1", "2", "3", "4", "5", "6", "9", "0", "1 and 3", "yes", "no", "none", "change", "a lot", "some help"]
WEIRD = ["", " ", "\x00", "\x1b[2J", "\r\n", "\t\t", "\u202e", "🙂" * 50, "x" * 5000, "?" * 10, "1" * 400, "-1", "3.5"]

answers = st.one_of(
    st.sampled_from(CHOICES),
    st.sampled_from(COMMANDS),
    st.sampled_from(WEIRD),
    st.text(max_size=80),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F), max_size=20),
    st.integers(min_value=-5, max_value=20).map(str),
)

FINISH_WITHIN = 400
"""Answering "1" to everything from any point must reach the end within this many turns."""


def clock():
    return T0


def finish(session: Session) -> int:
    turns = 0
    while not session.finished:
        out = session.send("1")
        assert any(m.role == "assistant" for m in out)
        turns += 1
        assert turns < FINISH_WITHIN, f"stuck at {session.state.state}"
    return turns


@pytest.mark.slow
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(answers, min_size=1, max_size=60))
def test_random_answers_never_crash_never_go_silent_and_can_always_reach_the_hand_off(inputs):
    s = Session.start(session_id="random", clock=clock)
    s.opening()
    for text in inputs:
        out = s.send(text)
        assert out[0].role == "person"
        assert any(m.role == "assistant" for m in out)
        if not s.finished:
            assert s.current_question is not None
    # the state always survives a save and restore
    again = Session.restore(SessionState.model_validate(s.state.model_dump(mode="json")), clock=clock)
    assert again.state.state == s.state.state
    finish(again)
    assert again.finished and again.state.status == "handed_off"
    if not any(f.code == "safety" for f in again.state.flags):
        assert again.result() is not None and again.record() is not None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["purple", "", "zzz", "42"]), min_size=1, max_size=200))
def test_answers_that_match_nothing_still_move_the_conversation_on(inputs):
    s = Session.start(session_id="misses", clock=clock)
    s.opening()
    seen_states = set()
    for text in inputs:
        s.send(text)
        seen_states.add(s.state.state)
        if s.finished:
            break
    # a question gives way after at most miss_limit + 1 unmatched answers (an empty answer
    # is asked again without counting as a miss, so only non-empty ones count here)
    assert len(seen_states) >= min(len([t for t in inputs if t]) // 5, 5)


@pytest.mark.slow
@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(["back", "1", "2", "help", "skip"]), max_size=120))
def test_going_back_any_number_of_times_never_breaks_the_session(inputs):
    s = Session.start(session_id="back", clock=clock)
    s.opening()
    for text in inputs:
        s.send(text)
    assert len(s.state.history) <= s.state.answer_count
    finish(s)


@settings(max_examples=60, deadline=None)
@given(st.lists(answers, max_size=40))
def test_the_same_answers_with_the_same_clock_always_give_the_same_state(inputs):
    def play():
        s = Session.start(session_id="same", clock=clock)
        s.opening()
        for text in inputs:
            s.send(text)
        return s.state.model_dump(mode="json")

    assert play() == play()
