"""The amount that stands: after a worker sets or agrees an amount, the hand-off's budget
statement, the summary printed on resume and the result screen all show it (with its own
"who pays what"), not the first figures. Real conversations saved in a real database.

Farzana (tests/plans/farzana_pays_part.plan): first figure £195.00 a week; 52 weeks a year in
the example policy. Her estimated part on 2026-05-04 is £250 + £6 - £120.40 = £135.60 a week.

- Agreed £480.00: a year is £480 x 52 = £24,960.00. The charge is worked out again on a
  care cost of £480: £135.60 is below it, so she still pays £135.60 (x 52 = £7,051.20) and
  the council £480 - £135.60 = £344.40 (£24,960.00 - £7,051.20 = £17,908.80 a year).
- Agreed £100.00: £100 x 52 = £5,200.00 a year. A charge is never more than the care cost
  (Care Act s.14(4)), so she pays £100.00 (£5,200.00 a year) and the council £0.00.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

from store_helpers import seed_from_plan
from textual.app import App
from textual.widgets import Static

from ras_chat.app.summary import handoff_summary, note_standing, standing_for
from ras_chat.dialogue.session import Session
from ras_chat.exports.handoff import build_handoff
from ras_chat.review import load_review, make_change, set_amount, sign_off
from ras_chat.store import open_store
from ras_chat.ui.screens.result import ResultScreen

PAYS_PART = Path(__file__).parent / "plans" / "farzana_pays_part.plan"


def agreed_at(db: str, amount: str, *, sign: bool = True) -> str:
    with open_store(db) as store:
        sid = seed_from_plan(store, PAYS_PART)
        make_change(store, sid, set_amount(amount), why="Night care, outside the tables", who="Jo Worker")
        if sign:
            make_change(store, sid, sign_off(), why="Agreed with Farzana", who="Jo Worker")
    return sid


def test_the_handoff_statement_is_for_the_agreed_amount_with_the_charge_worked_out_again(tmp_path):
    db = str(tmp_path / "s.db")
    sid = agreed_at(db, "480.00")
    with open_store(db) as store:
        h = build_handoff(store.details(sid))
    b = h.budget
    assert (b.weekly_total, b.yearly_total) == (D("480.00"), D("24960.00"))
    assert (b.person_weekly, b.person_yearly) == (D("135.60"), D("7051.20"))
    assert (b.council_weekly, b.council_yearly) == (D("344.40"), D("17908.80"))
    assert h.money.charge.weekly_charge == D("135.60") and h.money.finance.care_cost == D("195.00")  # as said


def test_an_agreed_amount_below_the_charge_caps_the_persons_part(tmp_path):
    db = str(tmp_path / "s.db")
    sid = agreed_at(db, "100.00")
    with open_store(db) as store:
        b = build_handoff(store.details(sid)).budget
    assert (b.weekly_total, b.yearly_total) == (D("100.00"), D("5200.00"))
    assert (b.person_weekly, b.person_yearly) == (D("100.00"), D("5200.00"))
    assert (b.council_weekly, b.council_yearly) == (D("0.00"), D("0.00"))


def resumed(db: str, sid: str) -> Session:
    with open_store(db) as store:
        note_standing(store, sid)
        return Session.restore(store.load(sid))


def test_the_summary_on_resume_shows_the_agreed_amount_not_the_first(tmp_path):
    db = str(tmp_path / "s.db")
    sid = agreed_at(db, "480.00")
    text = "\n".join(handoff_summary(resumed(db, sid)))
    assert "Agreed amount: £480.00 a week (£24,960.00 a year)." in text
    assert "The first amount was £195.00 a week." in text
    assert "You pay £135.60 a week. The council pays £344.40 a week." in text
    assert "Starting amount" not in text


def test_an_amount_set_but_not_yet_signed_off_is_said_as_set_by_a_worker(tmp_path):
    db = str(tmp_path / "s.db")
    sid = agreed_at(db, "480.00", sign=False)
    text = "\n".join(handoff_summary(resumed(db, sid)))
    assert "Amount a worker set: £480.00 a week (£24,960.00 a year)." in text
    with open_store(db) as store:
        assert load_review(store, sid).signed_off is None


def test_a_session_nobody_changed_keeps_its_first_figures(tmp_path):
    db = str(tmp_path / "s.db")
    with open_store(db) as store:
        sid = seed_from_plan(store, PAYS_PART)
    session = resumed(db, sid)
    assert standing_for(sid) is None
    text = "\n".join(handoff_summary(session))
    assert "Starting amount: £195.00 a week (£10,140.00 a year)." in text


def test_plain_resume_of_a_signed_off_session_prints_the_agreed_amount(tmp_path):
    """As a person does it: `ras-chat --plain --resume ID` in a real process."""
    db = str(tmp_path / "s.db")
    sid = agreed_at(db, "480.00")
    done = subprocess.run(
        [sys.executable, "-m", "ras_chat", "--plain", "--db", db, "--resume", sid[:8]],
        input="", capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "RAS_CHAT_DATA_DIR": str(tmp_path / "data"), "TERM": "dumb"},
    )
    assert done.returncode == 0, done.stderr
    assert "Agreed amount: £480.00 a week (£24,960.00 a year)." in done.stdout
    assert "Starting amount: £195.00" not in done.stdout


def test_the_result_screen_shows_the_amount_that_stands(tmp_path):
    db = str(tmp_path / "s.db")
    sid = agreed_at(db, "480.00")
    session = resumed(db, sid)

    class Show(App):
        def on_mount(self) -> None:
            self.push_screen(ResultScreen(session.result(), sid, statement=session.budget_statement()))

    async def go():
        app = Show()
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            screen = app.screen
            return str(screen.query_one("#result-title", Static).render()), str(screen.query_one("#result-parts", Static).render())

    title, parts = asyncio.run(go())
    assert title == "Your agreed amount: £480.00 a week"
    assert "You pay £135.60 a week (£7,051.20 a year)." in parts
    assert "The council pays £344.40 a week (£17,908.80 a year)." in parts
