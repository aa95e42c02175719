"""The review shows urgent flags first (marked URGENT, in the flag's words), a safety stop
as a stop, and the carer's own part with its reg. 3 result: on the review screen (Textual
Pilot) and in `ras-chat review --show`."""

from __future__ import annotations

import asyncio
from pathlib import Path

from store_helpers import seed_from_plan
from textual.widgets import Static

from ras_chat.__main__ import main
from ras_chat.store import open_store
from ras_chat.ui.review import make_review_app

PLANS = Path(__file__).parent / "plans"


def shown(tmp_path, plan: str) -> tuple[str, str, bool]:
    db = str(tmp_path / "s.db")
    with open_store(db) as store:
        sid = seed_from_plan(store, PLANS / plan)

    async def go():
        app = make_review_app(db, sid, who="Jo Worker")
        async with app.run_test(size=(120, 45)) as pilot:
            await pilot.pause()
            banner = app.query_one("#urgent", Static)
            return str(banner.render()), str(app.query_one("#handoff-text", Static).render()), bool(banner.display)

    return asyncio.run(go())


def test_a_safety_stop_opens_with_an_urgent_banner_in_the_flags_words(tmp_path):
    banner, body, visible = shown(tmp_path, "safety_disclosure.plan")
    assert visible
    assert banner.startswith("URGENT: safety: Possible risk of harm")
    assert "My son takes my money" in banner
    first = body.splitlines()[0]
    assert "stopped at a possible disclosure of harm" in first and "handed off" not in first
    assert body.splitlines()[1].startswith("URGENT: safety:")  # before the record


def test_an_ordinary_hand_off_has_no_banner(tmp_path):
    banner, body, visible = shown(tmp_path, "farzana.plan")
    assert not visible and banner == ""
    assert "handed off for review" in body.splitlines()[0]
    assert "Carer's own assessment" not in body


def test_the_review_screen_shows_the_carers_part_and_reg_3_result(tmp_path):
    banner, body, _ = shown(tmp_path, "carer_mr_and_mrs_okafor.plan")
    # 70 hours, health at risk, two outcomes not achieved, a big effect: reg. 3 met
    line = next(ln for ln in body.splitlines() if ln.startswith("Carer's own assessment"))
    assert "eligible (reg. 3) yes" in line
    assert "70 hours caring a week" in body and "coping at breaking point" in body
    assert "relationships, recreation" in body
    # a carer at breaking point is urgent, and comes first
    assert "URGENT: carer_struggling:" in banner


def test_review_show_prints_urgent_first_and_the_carer(tmp_path, capsys):
    db = str(tmp_path / "s.db")
    with open_store(db) as store:
        sid = seed_from_plan(store, PLANS / "carer_mr_and_mrs_okafor.plan")
    assert main(["review", sid, "--show", "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("URGENT: carer_struggling:")
    assert any(ln.startswith("Carer's own assessment (Care Act s.10): eligible (reg. 3) yes") for ln in lines)
