"""One whole training round in Textual (Pilot): pick a case, read the story, type the
person's answers, see the debrief, and move an amount with "what if"."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest
from textual.widgets import DataTable, Input, OptionList, Select

from ras_chat.training import load_case, load_cases
from ras_chat.ui.training import DebriefScreen, StoryScreen, make_training_app
from ras_chat.ui.widgets.worker import WhatIfBox


async def _what_if_in_the_worker_panel(app, pilot):
    state = app.session.state.model_dump_json()
    await pilot.press("ctrl+w")
    await pilot.pause()
    box = app.chat_screen.query_one(WhatIfBox)
    box.query_one("#whatif-answer", Select).value = "areas.health.need"
    await pilot.pause()
    box.query_one("#whatif-new", Select).value = "4"
    box.query_one("#whatif-new", Select).focus()
    await pilot.press("ctrl+t")
    await pilot.pause()
    assert app.session.state.model_dump_json() == state
    await pilot.press("ctrl+w")  # close the panel, back to the talk
    await pilot.pause()
    return app.last_what_if


@pytest.mark.slow
def test_a_whole_training_round_picks_a_case_holds_the_talk_and_shows_the_debrief_with_what_if():
    case = load_case("learning-at-college")
    script = list(case.script)
    script[4] = "a lot, every day"  # a planted difference: the debrief must find it

    async def go():
        app = make_training_app()
        async with app.run_test(size=(110, 40)) as pilot:
            await pilot.pause()
            options = app.screen.query_one(OptionList)
            options.highlighted = [c.id for c in load_cases()].index(case.id)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, StoryScreen)
            await pilot.press("enter")  # "Start the conversation"
            await pilot.pause()
            assert "Who is answering today?" in app.chat_texts()
            for n, answer in enumerate(script):
                if n == 12:  # part way: "what if" in the worker panel works in training too
                    panel_what_if = await _what_if_in_the_worker_panel(app, pilot)
                box = app.chat_screen.query_one("#answer", Input)
                box.focus()
                box.value = answer
                await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, DebriefScreen)
            money = app.screen.query_one("#money", DataTable)
            bands = money.get_row("bands")
            app.screen.query_one("#whatif-path", Select).value = "areas.community.risk"
            app.screen.query_one("#whatif-value", Input).value = "3"
            await pilot.click("#whatif-go")
            await pilot.pause()
            moved = app.screen.query_one("#whatif-table", DataTable).get_row("points")
            await pilot.press("ctrl+q")
        return app, bands, moved, panel_what_if

    app, bands, moved, panel_what_if = asyncio.run(go())
    assert panel_what_if.path == "areas.health.need" and panel_what_if.value_after == 4
    assert app.session.finished
    d = app.last_debrief
    assert [x.path for x in d.differences] == ["areas.work.need"]
    assert bands[:3] == ["bands", "215.00", "195.00"]
    assert app.last_what_if.path == "areas.community.risk"
    assert Decimal(moved[2]) > Decimal(moved[1]) and "Friends, family and getting out" in moved[4]
