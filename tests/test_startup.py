"""The collector pauses while `ras-chat` starts and always comes back (ras_chat/startup.py).

Speed itself is measured in scripts/bench_startup.py, never in tests.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
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


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """The cache in a temporary folder; the loaders unwrapped again afterwards."""
    monkeypatch.setenv("RAS_CHAT_CACHE_DIR", str(tmp_path / "cache"))
    yield
    from ras_chat import cache

    cache.uninstall()


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


# ----- the cache of parsed and checked files (ras_chat/cache.py) ------------------------------

import pickle  # noqa: E402

from ras_chat import cache  # noqa: E402


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("RAS_CHAT_CACHE_DIR", str(folder))
    return folder


class Parsed:
    def __init__(self, text: str):
        self.text = text


def counting_loader(calls: list):
    def load(path: str, mtime_ns: int) -> Parsed:
        calls.append(path)
        text = open(path).read()
        if "broken" in text:
            raise ValueError("the file is broken")
        return Parsed(text)

    return load


def test_a_file_is_parsed_once_then_read_from_the_cache_by_its_contents(cache_dir, tmp_path):
    source = tmp_path / "policy.yaml"
    source.write_text("one")
    calls: list[str] = []
    first = cache.disk_cached("test", counting_loader(calls), Parsed)
    assert first(str(source), 1).text == "one" and len(calls) == 1
    # a new process (a new wrapper) with the same file: from the cache, the loader not called
    again = cache.disk_cached("test", counting_loader(calls), Parsed)
    assert again(str(source), 1).text == "one" and len(calls) == 1
    # the file changed (same size, same mtime given): its contents decide, so it is parsed again
    source.write_text("two")
    third = cache.disk_cached("test", counting_loader(calls), Parsed)
    assert third(str(source), 1).text == "two" and len(calls) == 2


def test_a_damaged_or_wrong_cache_entry_is_rebuilt(cache_dir, tmp_path):
    source = tmp_path / "dialogue.yaml"
    source.write_text("words")
    calls: list[str] = []
    cache.disk_cached("test", counting_loader(calls), Parsed)(str(source), 1)
    (entry,) = cache_dir.glob("test-*.cache")
    whole = entry.read_bytes()
    for damaged in (whole[: len(whole) // 2], whole[:-1] + bytes([whole[-1] ^ 1]), b"", b"not a cache entry"):
        entry.write_bytes(damaged)
        value = cache.disk_cached("test", counting_loader(calls), Parsed)(str(source), 1)
        assert value.text == "words"
    assert len(calls) == 5  # the first load, then once for each damaged entry
    assert entry.read_bytes() == whole  # written whole again
    # an entry that is whole but holds something else is not trusted either
    key = cache.key_of("test", source.read_bytes())
    cache.write_bytes("test", str(source), key, pickle.dumps({"not": "parsed"}))
    assert cache.disk_cached("test", counting_loader(calls), Parsed)(str(source), 1).text == "words"
    assert len(calls) == 6


def test_a_file_that_fails_its_checks_raises_and_is_not_cached(cache_dir, tmp_path):
    source = tmp_path / "bad.yaml"
    source.write_text("broken")
    calls: list[str] = []
    with pytest.raises(ValueError, match="broken"):
        cache.disk_cached("test", counting_loader(calls), Parsed)(str(source), 1)
    assert not list(cache_dir.glob("test-*.cache"))


def test_an_unwritable_cache_folder_only_means_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("RAS_CHAT_CACHE_DIR", str(blocker / "cache"))  # under a file: cannot be made
    source = tmp_path / "x.yaml"
    source.write_text("fine")
    calls: list[str] = []
    assert cache.disk_cached("test", counting_loader(calls), Parsed)(str(source), 1).text == "fine"
    assert cache.disk_cached("test", counting_loader(calls), Parsed)(str(source), 1).text == "fine"
    assert len(calls) == 2


def test_the_real_dialogue_and_policy_from_the_cache_equal_a_fresh_read(cache_dir):
    from ras.policy import loader as policy_loader
    from ras_chat.dialogue import loader as dialogue_loader

    original = (dialogue_loader._load, policy_loader._load)
    try:
        cache.install()
        cache.install()  # once is enough: not wrapped twice
        assert dialogue_loader._load.__wrapped__ is original[0]
        d1, p1 = dialogue_loader.load_dialogue(), policy_loader.load_policy("example")
        assert len(list(cache_dir.glob("dialogue-*.cache"))) == 1 and len(list(cache_dir.glob("policy-*.cache"))) == 1
        # as a new process would: the in-memory memo forgotten, read back from disk
        cache.uninstall()
        cache.install()
        d2, p2 = dialogue_loader.load_dialogue(), policy_loader.load_policy("example")
        assert d2 is not d1 and p2 is not p1
    finally:
        cache.uninstall()
        assert (dialogue_loader._load, policy_loader._load) == original
    fresh_d = original[0].__wrapped__(str(d1.path), 0)  # the loader's own parse, past its memo
    fresh_p = original[1].__wrapped__(str(p1.path), 0)
    assert d2.spec.model_dump() == fresh_d.spec.model_dump() and d2.line_of("states", "who") == fresh_d.line_of("states", "who")
    day = dt.date(2026, 6, 1)
    assert p2.at(day).model_dump() == fresh_p.at(day).model_dump()


def test_the_cache_folder_is_the_user_cache_folder_unless_set(monkeypatch, tmp_path):
    monkeypatch.delenv("RAS_CHAT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "ras-chat"
    monkeypatch.setenv("RAS_CHAT_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.cache_dir() == tmp_path / "mine"


# ----- `ras-chat` with no command does not load every command ------------------------------


def test_the_options_of_a_conversation_are_read_without_the_commands():
    from ras_chat.__main__ import conversation_args

    args = conversation_args(["--theme", "high-contrast", "--db", "x.db"])
    assert args is not None and (args.theme, args.db, args.func, args.command) == ("high-contrast", "x.db", None, None)
    assert conversation_args([]) is not None
    for argv in (["sessions"], ["--help"], ["-h"], ["--nonsense"], ["--theme"]):
        assert conversation_args(argv) is None, argv  # the full parser then runs (or explains)
