"""The review screen (Textual Pilot): a change with a reason, one without (refused on screen), sign-off."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

import pytest
from store_helpers import seed_from_plan
from textual.widgets import Button, Input, Select, Static

from ras_chat.review import load_review
from ras_chat.store import open_store
from ras_chat.ui.review import ConfirmSignOff, make_review_app

FARZANA = Path(__file__).parent / "plans" / "farzana.plan"


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def choose(pilot, app, what: str) -> None:
    app.query_one("#what", Select).value = what
    await pilot.pause()


async def type_into(pilot, app, selector: str, value: str) -> None:
    box = app.query_one(selector, Input)
    box.focus()
    box.value = ""
    await pilot.press(*value)


@pytest.mark.slow
def test_the_review_screen_saves_a_change_with_a_reason_refuses_one_without_and_signs_off(tmp_path):
    asyncio.run(_change_refuse_and_sign_off(tmp_path))


async def _change_refuse_and_sign_off(tmp_path):
    db = str(tmp_path / "s.db")
    with open_store(db) as store:
        sid = seed_from_plan(store, FARZANA)
    app = make_review_app(db, sid, who="Jo Worker")
    async with app.run_test(size=(120, 45)) as pilot:
        shown = text(app, "#handoff-text")
        for words in ("health", "2 / 2 / some", "Original result: £195.00", "shortfall", "[x]", "In their own words"):
            assert words in shown
        # a change without a reason: refused, on screen, nothing saved
        await choose(pilot, app, "areas.health.need")
        await type_into(pilot, app, "#value", "4")
        await pilot.click("#save")
        await pilot.pause()
        assert "Not saved: a reason is required" in text(app, "#message")
        assert app.query_one("#message").has_class("error")
        assert app.focused is app.query_one("#reason", Input)
        # the same change with a reason, by keyboard (Enter in the reason saves)
        await pilot.press(*"Seen at home: needs help to wash", "enter")
        await pilot.pause()
        assert "Saved #1: areas.health.need: 2 -> 4" in text(app, "#message")
        assert "Seen at home" in text(app, "#trail")
        assert "-> 4 / 2 / some" in text(app, "#handoff-text")
        # a different amount, then ctrl+s
        await choose(pilot, app, "amount")
        await type_into(pilot, app, "#value", "480.00")
        await type_into(pilot, app, "#reason", "Night sitting, outside the tables")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Agreed amount £480.00" in text(app, "#message")
        # sign off: ctrl+o, a confirm that also wants a reason
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmSignOff)
        await pilot.press("enter")
        await pilot.pause()
        assert "Not signed off: a reason is required" in text(app, "#confirm-message")
        await pilot.press(*"Agreed with Farzana and her aunt", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmSignOff)
        assert "Signed off: agreed at £480.00 a week" in text(app, "#message")
        assert app.query_one("#signoff", Button).disabled
        # after sign-off no more changes
        await choose(pilot, app, "areas.work.need")
        await type_into(pilot, app, "#value", "4")
        await type_into(pilot, app, "#reason", "late")
        await pilot.press("enter")
        await pilot.pause()
        assert "no more changes" in text(app, "#message")
    with open_store(db) as store:
        entries = store.audit_entries(sid)
        snap = store.load(sid)
        review = load_review(store, sid)
        assert store.verify_audit() == []
    assert [e.what["kind"] for e in entries] == ["set", "amount", "sign_off"]
    assert {e.who for e in entries} == {"Jo Worker"}
    assert snap["status"] == "agreed" and review.agreed_weekly == Decimal("480.00")
    assert review.original_record.areas.health.need == 2


def test_the_review_screen_says_why_a_session_in_progress_cannot_be_signed_off(tmp_path):
    asyncio.run(_in_progress(tmp_path))


async def _in_progress(tmp_path):
    db = str(tmp_path / "s.db")
    with open_store(db) as store:
        sid = seed_from_plan(store, FARZANA, session_id="part", stop_after=12)
    app = make_review_app(db, sid, who="Jo Worker")
    async with app.run_test(size=(120, 45)) as pilot:
        assert app.query_one("#signoff", Button).disabled
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmSignOff)
        assert "still in progress" in text(app, "#message")
    with open_store(db) as store:
        assert store.load(sid)["status"] == "in_progress" and store.audit_entries() == []


def test_the_review_screen_neither_animates_nor_blinks(tmp_path):
    async def go():
        db = str(tmp_path / "s.db")
        with open_store(db) as store:
            sid = seed_from_plan(store, FARZANA)
        Input.cursor_blink = True  # Textual's own default, as if no other app had run first
        app = make_review_app(db, sid, who="Jo Worker")
        async with app.run_test(size=(120, 45)) as pilot:
            await pilot.pause()
            return app.animation_level, [box.cursor_blink for box in app.query(Input)]

    level, blinking = asyncio.run(go())
    assert level == "none"
    assert blinking and not any(blinking)
