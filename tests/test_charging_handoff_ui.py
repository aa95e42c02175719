"""The result screen shows the person's and the council's parts from the session's budget
statement when the optional money part was answered (the screen works nothing out)."""

from __future__ import annotations

import asyncio
from decimal import Decimal as D

from textual.widgets import Static

from ras_chat.ui.app import make_app
from ras_chat.ui.screens.result import ResultScreen
from ras_chat.ui.testing import fixed_session, planned_text

SIZE = (100, 40)
# savings £15,750 (tariff £6), benefits £250 a week, 25 to pension age, single, no children:
# MIG £120.40 (the 2026-27 estimate: £112.50 x 1.07)
MONEY = {"savings": "15750", "age": "2", "household": "1", "children": "none", "benefits": "250"}


def session_at_last_money_question(answer_money: bool):
    """The fixed session driven with no UI to its last question: the money offer (skipped)
    or the last money question (answered)."""
    s = fixed_session()
    s.opening()
    for _ in range(200):
        q = s.current_question
        if q.state == "money_offer":
            if not answer_money:
                return s
            s.send("2")
            continue
        if q.state == "money_question":
            qid = s.money_question().id
            if qid == "extra_costs":
                return s
            s.send(MONEY.get(qid, "1" if q.choices else "0"))
            continue
        s.send(planned_text(q))
    raise AssertionError("did not reach the money part")


def finish_in_the_app(session, keys):
    async def go():
        app = make_app(session)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press(*keys)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ResultScreen)
            parts = screen.query("#result-parts")
            return str(parts.first(Static).render()) if parts else ""

    return asyncio.run(go())


def test_the_result_screen_shows_who_pays_what_when_the_money_part_was_answered():
    session = session_at_last_money_question(answer_money=True)
    text = finish_in_the_app(session, [*"skip", "enter"])
    assert session.finished and session.charge().person_pays is not None
    st = session.budget_statement()
    # £475.00 a week budget; £250 + £6 - £120.40 = £135.60 is the person's part (x 52 = £7,051.20);
    # the council's £475 - £135.60 = £339.40 (x 52 = £17,648.80)
    assert st.weekly_total == 475 and st.person_weekly == D("135.60") and st.council_weekly == D("339.40")
    assert "You pay £135.60 a week (£7,051.20 a year)." in text
    assert "The council pays £339.40 a week (£17,648.80 a year)." in text
    assert "first guess" in text and "finance officer" in text


def test_the_result_screen_says_the_parts_are_not_worked_out_when_the_money_part_was_skipped():
    session = session_at_last_money_question(answer_money=False)
    text = finish_in_the_app(session, ["1"])
    assert session.finished and session.charge() is None
    assert "not worked out yet" in text
    assert "You pay" not in text and "council pays" not in text
