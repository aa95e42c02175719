""""What if" in the worker panel (issue 9), by keyboard alone: pick an answer heard so
far, pick a new value, ctrl+t; the amounts shown are the training layer's, and the
session's record is not touched. Also: the end of a conversation is a public hook."""

from __future__ import annotations

import asyncio
import re
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import Select

import ras_chat.ui.app as app_module
from ras_chat.training import heard_answers, what_if
from ras_chat.ui.app import RasChatApp, make_app
from ras_chat.ui.events import ConversationFinished
from ras_chat.ui.testing import fast_forward, fixed_session
from ras_chat.ui.widgets.worker import WhatIfBox

SIZE = (100, 40)
ROW = re.compile(r"^(points|bands|grid|costed)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+([+-][\d.]+)$")


async def _tab_to(pilot, widget_id: str, limit: int = 30) -> None:
    for _ in range(limit):
        if pilot.app.focused is not None and pilot.app.focused.id == widget_id:
            return
        await pilot.press("tab")
    raise AssertionError(f"tab never reached #{widget_id}; at {pilot.app.focused}")


async def _pick(pilot, select: Select, index: int) -> None:
    """Open the focused list with Enter, move to option `index` (0 = the first real
    option) with the down arrow, and pick it with Enter."""
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press(*["down"] * (index + 1), "enter")
    await pilot.pause()


@pytest.mark.slow
def test_what_if_in_the_worker_panel_by_keyboard_shows_the_training_layers_amounts_and_changes_nothing():
    path, new = "areas.community.unpaid_support", "none"

    async def go():
        app = make_app(fixed_session())
        async with app.run_test(size=SIZE) as pilot:
            await fast_forward(pilot, "client_group")  # every part of life heard; eligible
            session = app.session
            state_before = session.state.model_dump_json()
            record_before = session.record()
            answers = heard_answers(session)
            await pilot.press("ctrl+w")
            await pilot.pause()
            await _tab_to(pilot, "whatif-answer")
            pick = app.screen.query_one("#whatif-answer", Select)
            await pilot.press("2")  # a number key here must not answer the person's question
            assert session.state.model_dump_json() == state_before
            await _pick(pilot, pick, [a.path for a in answers].index(path))
            assert pick.value == path
            await pilot.press("tab")
            assert app.focused.id == "whatif-new"
            values = [v for _, v in next(a for a in answers if a.path == path).values]
            await _pick(pilot, app.focused, values.index(new))
            assert app.screen.query_one("#whatif-new", Select).value == new
            await pilot.press("ctrl+t")
            await pilot.pause()
            shown = str(app.screen.query_one("#whatif-result").render())
            # the talk carries on as before
            question = session.current_question.state
            still = session.state.model_dump_json() == state_before and session.record() == record_before
            await pilot.press("ctrl+q")
        return shown, record_before, session, question, still

    shown, record, session, question, still = asyncio.run(go())
    expected = what_if(record, (path, new), session.policy_at)
    rows = {m[1]: (Decimal(m[2]), Decimal(m[3]), Decimal(m[4])) for m in map(ROW.match, shown.splitlines()) if m}
    assert rows == {m.method: (m.before, m.after, m.change) for m in expected.methods}
    assert any(m.change for m in expected.methods)  # the check means something
    for m in expected.methods:
        for e in m.elements:
            assert f"  {e.area}: {e.before} -> {e.after}" in shown
    assert shown.startswith("What if community: unpaid support were none, not some?")
    assert still and question == "client_group"


def test_the_worker_panel_shows_everyday_things_not_yet_asked_as_not_yet_asked():
    async def go():
        app = make_app(fixed_session(), worker_panel=True)
        async with app.run_test(size=SIZE) as pilot:
            await fast_forward(pilot, "area_outcomes")  # health answered; its everyday things next
            text = str(app.screen.query_one("#worker-text").render())
            box = app.screen.query_one(WhatIfBox)
            offered = [path for _, path in box.query_one("#whatif-answer", Select)._options if isinstance(path, str)]
            await pilot.press("ctrl+q")
        return text, offered

    text, offered = asyncio.run(go())
    assert "reported hard" not in text
    assert "reg. 2(2)(f) maintaining a habitable home environment\n      not yet asked" in text
    assert offered == ["areas.health.need", "areas.health.risk", "areas.health.unpaid_support"]


@pytest.mark.slow
def test_the_end_of_the_conversation_is_a_public_hook_a_subclass_can_replace():
    seen = []

    class Other(RasChatApp):
        CSS_PATH = str(Path(app_module.__file__).parent / RasChatApp.CSS_PATH)

        def on_conversation_finished(self, event: ConversationFinished) -> None:
            event.prevent_default()  # instead of the result screen
            seen.append(self.session.finished)

    async def go():
        app = Other(fixed_session())
        async with app.run_test(size=SIZE) as pilot:
            await fast_forward(pilot, None)
            await pilot.pause()
            screen = type(app.screen).__name__
            await pilot.press("ctrl+q")
        return screen

    assert asyncio.run(go()) == "ChatScreen"
    assert seen == [True]
