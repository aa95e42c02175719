"""Typed words are never thrown away, and a key answers one question only (issue 15).

Keys are sent the way a fast typist, a screen reader or a terminal's one write sends
them: all at once, with no pause between (`write`, every key event handed to the app
before it has handled the first; and `pilot.press` with many keys). Assertions are on the
session's answers and transcript, and on what stays in the text box.
"""

from __future__ import annotations

import asyncio
import re

import pytest
from textual.widgets import Input

from ras_chat.ui.app import make_app
from ras_chat.ui.testing import fast_forward, fixed_session, people_said, planned_answer, settle, write
from ras_chat.ui.widgets.answers import ChoiceButton
from ras_chat.ui.widgets.chat import ChatLog

SIZE = (100, 40)
FRAME = "│╭╮╰╯─┃━┏┓┗┛═║╔╗╚╝·"


def run(coro):
    return asyncio.run(coro)


def box(app) -> str:
    return app.query_one("#answer", Input).value


def choice_value(session, state: str, number: int) -> str:
    return session.dialogue.states[state].choices[number - 1].value


# ----- words typed on a choice question go to the text box ------------------------------------


@pytest.mark.parametrize("how", ["write", "press"])
def test_words_typed_on_a_choice_question_are_the_answer_not_the_first_choice(how):
    session = fixed_session()
    words = "someone else, I am doing it for my dad"

    async def go():
        app = make_app(session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert session.current_question.state == "who" and session.current_question.choices
            if how == "write":
                await write(pilot, *words, "enter")
            else:
                await pilot.press(*words, "enter")
                await settle(pilot)
            return app.chat_texts(), box(app)

    texts, left = run(go())
    # the words were sent as they were typed, and read as the third choice, not the first
    assert people_said(session) == [("who", words)]
    assert session.state.answers["who"] == choice_value(session, "who", 3) != choice_value(session, "who", 1)
    assert words in texts and left == ""


def test_a_number_inside_words_is_part_of_the_words():
    session = fixed_session()

    async def go():
        app = make_app(session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await write(pilot, *"me 1", "enter")

    run(go())
    assert people_said(session) == [("who", "me 1")]


# ----- one key, one question --------------------------------------------------------------------


@pytest.mark.parametrize("how", ["write", "press"])
def test_one_and_enter_at_once_answer_one_question_only(how):
    session = fixed_session()

    async def go():
        app = make_app(session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            if how == "write":
                await write(pilot, "1", "enter")
            else:
                await pilot.press("1", "enter")
                await settle(pilot)
            return session.current_question.state

    now_at = run(go())
    # "1" picked "Me, for myself"; Enter in the empty box sent nothing to the next question
    assert people_said(session) == [("who", "Me, for myself")]
    assert session.state.answers["who"] == choice_value(session, "who", 1)
    assert now_at == "ask_name" and "ask_name" not in session.state.answers


def test_a_second_number_in_the_same_write_does_not_answer_the_next_question():
    session = fixed_session()

    async def go():
        app = make_app(session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await write(pilot, "2", "2")

    run(go())
    assert people_said(session) == [("who", session.dialogue.states["who"].choices[1].label)]


def test_words_typed_after_a_number_in_one_write_wait_in_the_box_for_the_next_question():
    session = fixed_session()

    async def go():
        app = make_app(session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await write(pilot, "1", *"Sam Jones", "enter")
            left = box(app)
            at = session.current_question.state
            await write(pilot, "enter")  # now, having read the new question, the person sends them
            return left, at

    left, at = run(go())
    # the Enter was pressed before the next question was on screen: the words were not
    # sent to it then, nor lost; they waited in the box until Enter was pressed again
    assert left == "Sam Jones" and at == "ask_name"
    assert people_said(session) == [("who", "Me, for myself"), ("ask_name", "Sam Jones")]


# ----- tick boxes -------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["write", "press"])
def test_a_tick_and_enter_at_once_send_the_tick_every_time(how):
    session = fixed_session()

    async def go():
        app = make_app(session)
        sent = []
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            for _ in range(150):  # the whole talk; every tick-box question answered "1" + Enter
                question = session.current_question
                if question is None:
                    break
                if not question.multiple:
                    answer = planned_answer(question)
                    keys = [*answer, "enter"] if isinstance(answer, str) else [str(answer[0])]
                    await write(pilot, *keys)
                    continue
                before = len(session.state.transcript)
                if how == "write":
                    await write(pilot, "1", "enter")
                else:
                    await pilot.press("1", "enter")
                    await settle(pilot)
                said = [m for m in session.state.transcript[before:] if m.role == "person"]
                sent.append((question.state, [m.text for m in said], session.current_question is not question))
        return sent

    sent = run(go())
    assert session.finished
    assert len(sent) >= 4  # this talk has at least four tick-box questions
    for state, said, _ in sent:
        assert said == ["1"], (state, said)  # the tick was sent, once, every time


def test_two_ticks_and_enter_at_once_send_both():
    session = fixed_session()

    async def go():
        app = make_app(session)
        async with app.run_test(size=SIZE) as pilot:
            await fast_forward(pilot, "area_outcomes")
            area = session.state.cursor["area"]
            values = [c.value for c in session.current_question.choices]
            await write(pilot, "1", "3", "enter")
            return area, values

    area, values = run(go())
    assert session.state.answers[f"area_outcomes:{area}"] == [values[0], values[2]] or sorted(
        session.state.answers[f"area_outcomes:{area}"]
    ) == sorted([values[0], values[2]])
    assert people_said(session)[-1] == ("area_outcomes", "1 and 3")


def test_numbers_then_words_on_a_tick_box_question_are_sent_as_typed():
    session = fixed_session()

    async def go():
        app = make_app(session)
        async with app.run_test(size=SIZE) as pilot:
            await fast_forward(pilot, "area_outcomes")
            await write(pilot, "1")
            ticked_after_one = [b.number for b in app.screen.query(ChoiceButton) if b.ticked]
            await write(pilot, *" and 3")
            ticked_after_words, typed = [b.number for b in app.screen.query(ChoiceButton) if b.ticked], box(app)
            await write(pilot, "enter")
            return ticked_after_one, ticked_after_words, typed

    one, after_words, typed = run(go())
    # "1" ticked box 1; the words that followed made it text: the box holds what was typed
    assert one == [1] and after_words == [] and typed == "1 and 3"
    assert people_said(session)[-1] == ("area_outcomes", "1 and 3")


def test_backspace_in_the_empty_box_unticks_the_last_number_pressed():
    session = fixed_session()

    async def go():
        app = make_app(session)
        async with app.run_test(size=SIZE) as pilot:
            await fast_forward(pilot, "area_outcomes")
            await write(pilot, "1", "2", "backspace", "enter")

    run(go())
    assert people_said(session)[-1] == ("area_outcomes", "1")


def test_enter_with_nothing_ticked_and_nothing_typed_sends_nothing():
    session = fixed_session()

    async def go():
        app = make_app(session)
        async with app.run_test(size=SIZE) as pilot:
            await fast_forward(pilot, "area_outcomes")
            before = len(session.state.transcript)
            await write(pilot, "enter")
            return before, str(app.query_one("#hint").render())

    before, hint = run(go())
    assert len(session.state.transcript) == before
    assert "Tick at least one" in hint


# ----- the question asked is in view -------------------------------------------------------------


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", "".join(" " if ch in FRAME else ch for ch in text)).strip()


def question_in_view(app) -> tuple[bool, str]:
    """Whether the whole of the question asked now is within the chat's visible lines."""
    log = app.chat_screen.query_one(ChatLog)
    height = log.scrollable_content_region.height
    top = round(log.scroll_y)
    visible = _plain(" ".join(strip.text for strip in log.lines[top : top + height]))
    return _plain(app.session.current_question.text) in visible, visible


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (100, 40)])
def test_the_question_asked_is_always_in_view(size):
    session = fixed_session()

    async def go():
        app = make_app(session)
        hidden, asked = [], 0
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            for _ in range(150):
                question = session.current_question
                if question is None:
                    break
                asked += 1
                ok, visible = question_in_view(app)
                if not ok:
                    hidden.append((question.state, question.text, visible[-200:]))
                answer = planned_answer(question)
                if isinstance(answer, str):
                    await write(pilot, *answer, "enter")
                else:
                    await write(pilot, *(str(n) for n in answer), *(["enter"] if question.multiple else []))
        return hidden, asked

    hidden, asked = run(go())
    assert asked > 20 and session.finished
    assert hidden == []
