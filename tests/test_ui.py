"""The Textual app, driven by a Pilot as a person at a keyboard would (layer 5).

Assertions are on the session (record, result, status) and on what is on screen.
"""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import DataTable, Input

from ras_chat.ui.app import EXIT_SAVE_FAILED, make_app
from ras_chat.ui.screens.result import ResultScreen
from ras_chat.ui.testing import TEXT, fast_forward, fixed_session, keys_for
from ras_chat.ui.themes import theme_name
from ras_chat.ui.widgets.answers import ChoiceButton
from ras_chat.ui.widgets.chat import ChatLog
from ras_chat.ui.widgets.worker import WorkerPanel

SIZE = (100, 40)
MAX_TURNS = 150


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """The cache in a temporary folder; the loaders unwrapped again afterwards."""
    monkeypatch.setenv("RAS_CHAT_CACHE_DIR", str(tmp_path / "cache"))
    yield
    from ras_chat import cache

    cache.uninstall()


def run(coro):
    return asyncio.run(coro)


async def answer_current(pilot, app) -> None:
    question = app.session.current_question
    await pilot.press(*keys_for(question))
    await pilot.pause()


async def answer_until(pilot, app, state: str | None = None) -> None:
    """Answer by keyboard until the question in `state` is asked (or to the end)."""
    for _ in range(MAX_TURNS):
        if app.session.finished:
            return
        if state and app.session.current_question.state == state:
            return
        await answer_current(pilot, app)
    raise AssertionError(f"no end after {MAX_TURNS} answers; stuck at {app.session.state.state}")


def shown(app, role: str | None = None) -> list[tuple[str, str, str]]:
    """(role, kind, text) of the messages in the chat log."""
    found = app.chat_screen.query_one(ChatLog).messages
    return [m for m in found if role is None or m[0] == role]


@pytest.mark.slow
def test_a_whole_conversation_by_keyboard_alone_reaches_the_handoff_and_shows_the_result():
    session = fixed_session()
    saved: list[int] = []

    async def go():
        app = make_app(session, on_turn=lambda s, new: saved.append(len(new)))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert "Who is answering today?" in app.chat_texts()
            await answer_until(pilot, app)
            await pilot.pause()
            assert isinstance(app.screen, ResultScreen)
            table = app.screen.query_one(DataTable)
            rows = [table.get_row_at(i) for i in range(table.row_count)]
            await pilot.press("escape")
            await pilot.pause()
            on_screen = app.chat_texts()
            # after the end: help and back are dimmed, and keys send nothing more
            count = len(session.state.transcript)
            await pilot.press("ctrl+b", "f1", "1")
            await pilot.pause()
            assert len(session.state.transcript) == count
            assert app.check_action("back", ()) is None and not app.chat_screen.query_one("#entry").display
            await pilot.press("ctrl+q")
        return rows, on_screen, app

    rows, on_screen, app = run(go())
    assert session.finished and session.state.status == "handed_off"
    record = session.record()
    for area in ("health", "choice", "work", "community"):
        assert (getattr(record.areas, area).need, getattr(record.areas, area).risk, getattr(record.areas, area).unpaid_support) == (3, 3, "some")
    assert record.what_matters == TEXT
    result = session.result()
    assert result is not None and result.eligible
    # the table shows the engine's own figures: one row per element, then week, year, range
    labels = [str(r[0]) for r in rows]
    assert labels[: len(result.elements)] == [e.name for e in result.elements]
    assert labels[-3:] == ["Total a week", "Total a year", "Range a week"]
    weekly_row = rows[labels.index("Total a week")]
    assert str(weekly_row[1]) == f"£{result.weekly:,.2f}"
    assert f"£{result.range.low:,.2f}" in str(rows[-1][1]) and f"£{result.range.high:,.2f}" in str(rows[-1][1])
    # the chat kept everything the session said, in order, ending with the goodbye
    assistant_said = [m.text for m in session.state.transcript if m.role == "assistant" and m.text]
    assert [t for t in on_screen if t in assistant_said] == assistant_said
    assert on_screen[-1] == assistant_said[-1]
    # saved after the opening, every answer, and once more on ctrl+q
    turns = sum(m.role == "person" for m in session.state.transcript)
    assert len(saved) == 1 + turns + 1 and saved[-1] == 0
    assert app.return_code == 0 and app.stopped_by == "finished"


def test_choices_are_buttons_with_numbers_and_the_person_sees_the_words_they_picked():
    session = fixed_session()

    async def go():
        app = make_app(session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            buttons = list(app.screen.query(ChoiceButton))
            labels = [str(b.label) for b in buttons]
            focused = app.focused
            await pilot.press("2")
            await pilot.pause()
            return labels, focused, [m[2] for m in shown(app, "person")], app.focused

    labels, focused, person, focused_after = run(go())
    assert labels[0].startswith("1. ") and labels[1].startswith("2. ")
    # the text box has the focus on a choice question too: typed words go there
    assert isinstance(focused, Input) and focused.id == "answer"
    assert session.state.answers["who"] == session.dialogue.states["who"].choices[1].value
    assert person == [labels[1][3:]]
    # the next question is free text: the text box has the focus
    assert isinstance(focused_after, Input)


def test_a_choice_can_be_clicked_or_typed_in_words():
    session = fixed_session()

    async def go():
        app = make_app(session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.click("#choice-1")
            await pilot.pause()
            first = session.state.answers.get("who")
            await fast_forward(pilot, "confirm_areas")
            app.query_one("#answer", Input).focus()
            await pilot.press(*"work", "enter")
            await pilot.pause()
            return first, app.chat_texts()

    first, texts = run(go())
    assert first == session.dialogue.states["who"].choices[0].value
    assert session.state.answers["confirm_areas"] == "work"
    assert "work" in texts


def test_ctrl_b_goes_back_to_the_last_question_and_says_what_was_answered():
    session = fixed_session()

    async def go():
        app = make_app(session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("1")
            await pilot.pause()
            assert session.current_question.state != "who"
            await pilot.press("ctrl+b")
            await pilot.pause()
            return app.chat_texts(), app.focused

    texts, focused = run(go())
    assert session.current_question.state == "who"
    assert texts[-1] == session.current_question.text
    assert isinstance(focused, Input) and focused.id == "answer"
    assert any(m.role == "person" and m.state == "who" for m in session.state.transcript)


def test_f1_gives_help_for_the_question_on_screen_and_asks_it_again():
    session = fixed_session()

    async def go():
        app = make_app(session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            before = len(shown(app))
            await pilot.press("f1")
            await pilot.pause()
            return shown(app)[before:]

    new = run(go())
    assert "help" in [kind for _, kind, _ in new]
    assert new[-1][2] == session.current_question.text
    assert session.current_question.state == "who"


def test_the_worker_panel_opens_with_ctrl_w_and_updates_after_every_answer():
    session = fixed_session()

    async def go():
        app = make_app(session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert not app.chat_screen.worker_shown and not app.query(WorkerPanel)  # made when first shown
            app.query_one("#answer", Input).focus()  # ctrl+w works even in the text box
            await pilot.press("ctrl+w")
            await pilot.pause()
            panel = app.query_one(WorkerPanel)
            shown = panel.display
            app.screen.query(ChoiceButton).first().focus()
            first = str(panel.query_one("#worker-text").render())
            await fast_forward(pilot, "area_support")
            after_need = str(panel.query_one("#worker-text").render())
            await pilot.press("ctrl+w")
            await pilot.pause()
            return shown, first, after_need, panel.display

    shown, first, after_need, hidden_again = run(go())
    assert shown and not hidden_again
    assert "Reference: test-session" in first and "Not yet" in first
    assert "need 3/4" in after_need
    assert "Health and well-being" in after_need
    assert "running allocation" in after_need.lower()
    assert "Indicative weekly" in after_need


def test_every_answer_is_saved_before_the_next_question_is_shown():
    session = fixed_session()
    seen: list[tuple[int, bool]] = []
    holder = {}

    def on_turn(s, new):
        app = holder.get("app")
        on_screen = app.chat_texts() if app and app.screen_stack else []
        last_question = next((m.text for m in reversed(new) if m.kind == "question"), None)
        seen.append((s.state.answer_count, last_question is None or last_question not in on_screen[-1:]))

    async def go():
        app = make_app(session, on_turn=on_turn)
        holder["app"] = app
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            for _ in range(4):
                await answer_current(pilot, app)

    run(go())
    assert [n for n, _ in seen] == [0, 1, 2, 3, 4]
    assert all(not_yet_shown for _, not_yet_shown in seen)


@pytest.mark.parametrize("key, how", [("ctrl+s", "saved"), ("ctrl+q", "quit")])
def test_save_and_stop_and_quit_both_save_first(key, how):
    session = fixed_session()
    calls: list[int] = []

    async def go():
        app = make_app(session, on_turn=lambda s, new: calls.append(len(new)))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("1")
            await pilot.pause()
            await pilot.press(key)
            await pilot.pause()
        return app

    app = run(go())
    assert calls[-1] == 0 and len(calls) == 3
    assert app.return_code == 0 and app.stopped_by == how


def test_a_failed_save_is_said_on_screen_and_the_talk_goes_on():
    session = fixed_session()

    def broken(s, new):
        raise OSError("disk full")

    async def go():
        app = make_app(session, on_turn=broken)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("1")
            await pilot.pause()
            notes = [n.message for n in app._notifications]
            await pilot.press("ctrl+q")
        return app, notes

    app, notes = run(go())
    assert any("could not be saved: disk full" in n for n in notes)
    assert session.state.answers.get("who")
    assert app.return_code == EXIT_SAVE_FAILED


def test_many_choices_are_ticked_with_number_keys_and_sent_with_enter():
    session = fixed_session()

    async def go():
        app = make_app(session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await fast_forward(pilot, "area_outcomes")
            q = session.current_question
            assert q.multiple
            await pilot.press("1", "2")
            await pilot.pause()
            ticked = [b.number for b in app.screen.query(ChoiceButton) if b.ticked]
            focused = app.focused
            await pilot.press("enter")
            await pilot.pause()
            return ticked, focused

    ticked, focused = run(go())
    assert ticked == [1, 2]
    assert isinstance(focused, Input) and focused.id == "answer"  # the focus stays: Enter sends
    area = session.state.cursor["area"]
    picked = session.state.answers[f"area_outcomes:{area}"]
    options = {o.number: o.value for o in session.options()} if session.current_question.state == "area_outcomes" else None
    assert len(picked) == 2 and options is None  # both ticked choices sent; the talk moved on


def test_high_contrast_theme_is_registered_and_used():
    session = fixed_session()

    async def go():
        app = make_app(session, theme="high-contrast")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            return app.theme, app.current_theme.background, app.animation_level

    name, background, animation = run(go())
    assert name == "high-contrast" and background.upper() == "#000000"
    assert animation == "none"


def test_no_color_is_honoured_and_focus_is_still_shown_without_colour(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    session = fixed_session()

    async def go():
        app = make_app(session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            box = app.focused
            box_border = box.styles.border_top[0]
            await pilot.press("up")  # to the choices
            button = app.focused
            return app.no_color, box, box_border, box.styles.border_top[0], button, button.styles.text_style

    no_color, box, focused_border, unfocused_border, button, style = run(go())
    assert no_color
    # the text box shows its focus by the shape of its border, a button by bold reverse
    assert box.id == "answer" and focused_border != unfocused_border
    assert isinstance(button, ChoiceButton) and style.reverse and style.bold


def test_unknown_themes_are_refused_with_the_names_that_exist():
    assert theme_name("HIGH_CONTRAST") == "high-contrast"
    with pytest.raises(ValueError, match="default, high-contrast"):
        theme_name("neon")


def test_run_app_refuses_an_unknown_theme_before_starting(capsys):
    import argparse

    from ras_chat.ui.app import run_app

    code = run_app(argparse.Namespace(theme="neon", policy=None, resume=None, db=None, plain=False))
    assert code == 2
    assert "no theme 'neon'" in capsys.readouterr().err


def test_run_app_says_plainly_when_there_is_no_saved_conversation_to_carry_on(tmp_path, capsys):
    import argparse

    from ras_chat.ui.app import run_app

    args = argparse.Namespace(theme=None, policy=None, resume="nothing-here", db=str(tmp_path / "s.db"), plain=False)
    assert run_app(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("ras-chat: ") and "nothing-here" in err


def test_arrow_keys_move_between_choices_and_enter_picks_one():
    session = fixed_session()

    async def go():
        app = make_app(session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            count = len(list(app.screen.query(ChoiceButton)))
            await pilot.press("up")  # from the text box to the last choice
            last = app.focused.id
            await pilot.press("up")
            before_last = app.focused.id
            await pilot.press("down")
            again = app.focused.id
            await pilot.press("up", "enter")
            await pilot.pause()
            return count, last, before_last, again

    count, last, before_last, again = run(go())
    assert count >= 2
    assert (last, before_last, again) == (f"choice-{count}", f"choice-{count - 1}", f"choice-{count}")
    # Enter pressed the focused button: the one before the last
    assert session.state.answers["who"] == session.dialogue.states["who"].choices[count - 2].value
