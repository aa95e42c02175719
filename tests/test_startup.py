"""The collector pauses while `ras-chat` starts and always comes back (ras_chat/startup.py).

Speed itself is measured in scripts/bench_startup.py, never in tests.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import io

import pytest

from ras_chat.__main__ import main
from ras_chat.conversation import run_conversation
from ras_chat.startup import pause_collector, resume_collector
from ras_chat.ui.app import make_app
from ras_chat.ui.testing import fixed_session


@pytest.fixture(autouse=True)
def collector_on_afterwards():
    yield
    resume_collector()
    gc.enable()


def test_the_collector_is_back_when_a_command_has_run(tmp_path, capsys):
    assert main(["sessions"]) == 0  # the default (temporary) data folder: "No saved sessions yet."
    assert gc.isenabled()


def test_the_collector_is_back_when_a_command_fails(tmp_path, capsys):
    assert main(["export", "nobody", "--db", str(tmp_path / "s.db")]) != 0
    assert gc.isenabled()


def test_plain_mode_collects_as_usual_during_the_conversation(tmp_path):
    pause_collector()
    assert not gc.isenabled()
    args = argparse.Namespace(plain=True, resume=None, db=str(tmp_path / "s.db"), policy=None, theme=None)
    out = io.StringIO()
    assert run_conversation(args, stdin=io.StringIO("1\n"), stdout=out) == 0
    assert gc.isenabled() and "Hello" in out.getvalue()


def test_the_app_collects_again_once_the_first_question_is_on_screen():
    async def go():
        pause_collector()
        app = make_app(fixed_session())
        async with app.run_test(size=(100, 40)) as pilot:
            while "Who is answering today?" not in app.chat_texts():
                await pilot.pause(0.01)
            await pilot.pause()
            return gc.isenabled()

    assert asyncio.run(go())


def test_a_collector_someone_else_turned_off_stays_off():
    gc.disable()
    pause_collector()
    resume_collector(freeze=True)
    assert not gc.isenabled()
