"""Snapshots of key screens (pytest-textual-snapshot; Textual pinned exactly in pyproject).

Deterministic: fixed clock, day, session id and terminal size; no animation, no blinking.
Update after a deliberate change of look or wording with `pytest --snapshot-update`
and look at the SVGs under tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

from ras_chat.ui.app import make_app
from ras_chat.ui.testing import fast_forward, fixed_session

SIZE = (100, 40)


def answer_until(state: str | None):
    async def run_before(pilot) -> None:
        await fast_forward(pilot, state)

    return run_before


def test_welcome(snap_compare):
    async def run_before(pilot) -> None:
        await pilot.pause()

    assert snap_compare(make_app(fixed_session()), terminal_size=SIZE, run_before=run_before)


def test_a_question_with_choices(snap_compare):
    assert snap_compare(make_app(fixed_session()), terminal_size=SIZE, run_before=answer_until("area_need"))


def test_the_worker_panel(snap_compare):
    async def run_before(pilot) -> None:
        await answer_until("area_outcomes")(pilot)
        await pilot.press("ctrl+w")
        await pilot.pause()

    assert snap_compare(make_app(fixed_session()), terminal_size=SIZE, run_before=run_before)


def test_the_result_screen(snap_compare):
    assert snap_compare(make_app(fixed_session()), terminal_size=SIZE, run_before=answer_until(None))


def test_the_high_contrast_theme(snap_compare):
    assert snap_compare(
        make_app(fixed_session(), theme="high-contrast"), terminal_size=SIZE, run_before=answer_until("area_need")
    )


def test_a_question_with_many_choices_at_80x24_is_in_view(snap_compare):
    assert snap_compare(make_app(fixed_session()), terminal_size=(80, 24), run_before=answer_until("area_need"))


def test_a_question_with_many_choices_at_60x20_is_in_view(snap_compare):
    assert snap_compare(make_app(fixed_session()), terminal_size=(60, 20), run_before=answer_until("area_need"))
