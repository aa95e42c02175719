"""Helpers for tests and the start-up benchmark: a session with a fixed clock and id, and
a simple way to answer any question (chosen by the question's state, not its wording)."""

from __future__ import annotations

import datetime as dt

from ras_chat.dialogue.session import Message, Session

FIXED_NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)
FIXED_DAY = FIXED_NOW.date()
FIXED_ID = "test-session"

SINGLE = {
    "who": 1,
    "confirm_areas": 1,
    "ask_retired": 2,  # not retired: work, learning and money is asked about too
    "area_need": 4,  # "A lot of help every day": need 3
    "area_support": 2,  # some unpaid support
    "area_risk": 4,  # "I could get hurt or ill...": risk 3
    "client_group": 1,
    "fluctuating": 2,
    "has_carer": 2,
    "check_answers": 1,
}
MULTI = {"area_outcomes": (1, 2), "outcome_ways": (1,)}
TEXT = "My garden"
TEXTS = {"ask_name": "Sam"}
"""Free-text answers by question (the rest get TEXT)."""


def fixed_clock() -> dt.datetime:
    return FIXED_NOW


def fixed_session(**kwargs) -> Session:
    """A new session that gives the same screens every time (fixed clock, day and id)."""
    kwargs.setdefault("policy_name", "example")
    return Session.start(as_of=FIXED_DAY, session_id=FIXED_ID, clock=fixed_clock, **kwargs)


def planned_answer(question: Message) -> tuple[int, ...] | str:
    """The numbers to pick (or the words to type) for `question`."""
    if not question.choices:
        return TEXTS.get(question.state, TEXT)
    numbers = [c.number for c in question.choices]
    if question.multiple:
        wanted = MULTI.get(question.state, (1,))
        picked = tuple(n for n in wanted if n in numbers)
        return picked or (numbers[0],)
    number = SINGLE.get(question.state, 1)
    return (number if number in numbers else numbers[0],)


def keys_for(question: Message) -> list[str]:
    """The keys a person would press to give the planned answer."""
    answer = planned_answer(question)
    if isinstance(answer, str):
        return [*answer, "enter"]
    if question.multiple:
        return [str(n) for n in answer] + ["enter"]
    return [str(answer[0])]


def planned_text(question: Message) -> str:
    """The planned answer as the words a person would type ("2", "1 and 3" or free text)."""
    answer = planned_answer(question)
    return answer if isinstance(answer, str) else " and ".join(str(n) for n in answer)


async def fast_forward(pilot, state: str | None = None, limit: int = 200) -> None:
    """Answer through the app (its handler, its save, its screens) without pressing every
    key, until the question in `state` is asked or the talk ends. Quicker than keys for
    getting a test to the part it is about."""
    from ras_chat.ui.events import AnswerSubmitted, ChoicePicked, ChoicesSubmitted

    app = pilot.app
    await pilot.pause()
    for _ in range(limit):
        question = app.session.current_question
        if question is None or (state and question.state == state):
            await pilot.pause()
            return
        answer = planned_answer(question)
        if isinstance(answer, str):
            app.post_message(AnswerSubmitted(answer))
        elif question.multiple:
            app.post_message(ChoicesSubmitted(answer))
        else:
            app.post_message(ChoicePicked(answer[0]))
        await pilot.pause()
    raise AssertionError(f"not at {state!r} after {limit} answers; at {app.session.state.state}")


# ----- keys as a terminal sends them ------------------------------------------------------


def key_event(key: str):
    """A Textual key event for `key` ("a", ",", "enter", "backspace")."""
    from textual import events
    from textual.keys import _character_to_key

    if key == "enter":
        return events.Key("enter", "\r")
    if key == "backspace":
        return events.Key("backspace", "\x08")
    if len(key) == 1:
        return events.Key(key if key.isalnum() else _character_to_key(key), key)
    return events.Key(key, None)


async def write(pilot, *keys: str) -> None:
    """Every key handed to the app at once, as one write to a terminal arrives (a fast
    typist, a screen reader, a paste of "1\r"), then wait until all of it is handled.
    `pilot.press` waits for the app between keys; this does not."""
    app = pilot.app
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        app._driver.send_message(event)
    await settle(pilot)


async def settle(pilot) -> None:
    """Wait until the app has handled everything sent to it (nothing changes any more)."""
    from textual.widgets import Input

    app = pilot.app
    last = None
    for _ in range(200):
        await pilot.pause()
        transcript = len(app.session.state.transcript) if app.session is not None else -1
        now = (transcript, app.query_one("#answer", Input).value, len(app.chat_texts()), app.ready.is_set())
        if now == last:
            return
        last = now
    raise AssertionError("the app did not settle")


def people_said(session: Session) -> list[tuple[str, str]]:
    """(state, words) of every answer the person gave, in order."""
    return [(m.state, m.text) for m in session.state.transcript if m.role == "person"]
