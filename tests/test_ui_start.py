"""The first screen drawn before the session is built (issue 18), and what happens to
answers given before it is ready. The cache is always a temporary folder here.

Speed is measured in scripts/bench_startup.py, never in tests.
"""

from __future__ import annotations

import argparse
import asyncio
import threading
from pathlib import Path

import pytest
from textual import on
from textual.widgets import Input

from ras_chat.ui import first as first_screen
from ras_chat.ui.app import EXIT_BAD_INPUT, RasChatApp, Ready, make_app
from ras_chat.ui.events import ChatMounted
from ras_chat.ui.testing import fixed_session, people_said, settle, write
from ras_chat.ui.widgets.answers import ChoiceButton

SIZE = (100, 40)


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """The cache in a temporary folder; the loaders unwrapped again afterwards."""
    monkeypatch.setenv("RAS_CHAT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("RAS_CHAT_DIALOGUE", raising=False)
    monkeypatch.delenv("RAS_CHAT_POLICY", raising=False)
    yield
    from ras_chat import cache

    cache.uninstall()


def run(coro):
    return asyncio.run(coro)


def real_first_screen(key: str = "k") -> first_screen.FirstScreen:
    """The first screen a fixed session really shows (worked out by the session itself)."""
    s = fixed_session()
    replies = s.opening()
    return first_screen.from_session(key, replies, s.current_question, s.progress()[2])


def held_loader(session, release: threading.Event, connected: list):
    """A loader that waits until `release` is set, like a slow start."""

    def connect():
        connected.append(threading.get_ident())
        return (lambda s, new: None), "carry on with ras-chat --resume x"

    def load() -> Ready:
        assert release.wait(30)
        return Ready(session, connect=connect)

    return load


def test_the_first_screen_is_drawn_before_the_session_and_answers_given_meanwhile_are_sent_in_order():
    first = real_first_screen()
    session = fixed_session()
    release = threading.Event()
    connected: list[int] = []

    async def go():
        app = RasChatApp(None, loader=held_loader(session, release, connected), first_screen=first)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            before = (app.session, app.chat_texts(), [str(b.label) for b in app.screen.query(ChoiceButton)])
            await pilot.press("3")  # answered before the session exists
            await pilot.pause()
            waiting = app.session
            release.set()
            for _ in range(200):
                await pilot.pause()
                if app.ready.is_set():
                    break
            await settle(pilot)
            return before, waiting, app.chat_texts(), app, threading.get_ident()

    (no_session, texts, labels), waiting, after, app, app_thread = run(go())
    assert no_session is None and waiting is None
    assert texts == [m.text for m in first.messages] and "Who is answering today?" in texts
    assert labels[0].startswith("1. ") and len(labels) == len(first.question.choices)
    # once ready, the "3" pressed meanwhile answered the first question, once
    assert people_said(session) == [("who", first.question.choices[2].label)]
    assert session.state.answers["who"] == session.dialogue.states["who"].choices[2].value
    # the opening was not drawn twice: every message of it is on screen once
    assert after[: len(texts)] == texts and after.count("Who is answering today?") == 1
    # the store was opened on the app's own thread
    assert connected == [app_thread] and app.resume_hint == "carry on with ras-chat --resume x"


def test_a_first_screen_that_is_not_what_the_session_says_is_replaced_and_its_answers_are_not_sent():
    real = real_first_screen()
    wrong_q = first_screen.ShownMessage(
        role="assistant",
        text="An old question?",
        kind="question",
        state="old",
        choices=(first_screen.ShownChoice(1, "Old one"), first_screen.ShownChoice(2, "Old two")),
    )
    wrong = first_screen.FirstScreen(key="k", messages=(*real.messages[:-1], wrong_q), question=wrong_q, progress=real.progress)
    session = fixed_session()
    release = threading.Event()

    async def go():
        app = RasChatApp(None, loader=held_loader(session, release, []), first_screen=wrong)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await write(pilot, "2")  # a pick on the old screen
            await write(pilot, *"my words", "enter")  # words for the old question
            release.set()
            for _ in range(200):
                await pilot.pause()
                if app.ready.is_set():
                    break
            await settle(pilot)
            return app.chat_texts(), app.query_one("#answer", Input).value

    texts, box = run(go())
    # the session's own opening replaced the old one; nothing was sent to the real
    # question for a screen the person saw wrongly, and the typed words are back in the box
    assert "An old question?" not in texts and texts.count("Who is answering today?") == 1
    assert people_said(session) == []
    assert box == "my words"


def test_a_failed_start_in_the_background_ends_the_app_with_the_reason():
    def broken() -> Ready:
        raise LookupError("the sessions database is damaged")

    async def go():
        app = RasChatApp(None, loader=broken, first_screen=real_first_screen())
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(100):
                await pilot.pause()
                if app.start_error:
                    break
        return app

    app = run(go())
    assert app.start_error == "the sessions database is damaged"
    assert app.return_code == EXIT_BAD_INPUT


def test_an_app_needs_a_session_or_a_loader():
    with pytest.raises(ValueError):
        RasChatApp(None)


# ----- what is kept for next time --------------------------------------------------------------


def args(**kw) -> argparse.Namespace:
    base = dict(plain=False, resume=None, db=None, policy=None, theme=None)
    base.update(kw)
    return argparse.Namespace(**base)


def test_the_real_first_screen_is_kept_and_read_back_for_the_same_files():
    a = args()
    key = first_screen.screen_key(a)
    assert key and first_screen.read_first_screen(a) is None  # nothing kept yet
    kept = []

    async def go():
        app = make_app(fixed_session())
        app._first_key, app._keep_first = key, lambda screen: kept.append(first_screen.keep_first_screen(screen))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()

    run(go())
    assert kept == [True]
    back = first_screen.read_first_screen(a)
    assert back == real_first_screen(key)
    assert first_screen.read_first_screen(args(resume="last")) is None  # a resumed talk is not a new one


def test_a_kept_first_screen_is_not_used_for_other_files_or_when_damaged(tmp_path, monkeypatch):
    a = args()
    screen = real_first_screen(first_screen.screen_key(a))
    assert first_screen.keep_first_screen(screen)
    assert first_screen.read_first_screen(a) == screen
    # another policy: another key
    assert first_screen.screen_key(args(policy="example")) == screen.key  # the same file by name
    other = tmp_path / "policy.yaml"
    from ras.policy.loader import resolve_policy

    other.write_bytes(resolve_policy("example").read_bytes() + b"\n# changed\n")
    assert first_screen.read_first_screen(args(policy=str(other))) is None
    # a council's own dialogue file, changed by one byte: another key
    from ras_chat.dialogue.loader import resolve_dialogue

    mine = tmp_path / "assessment.yaml"
    mine.write_bytes(resolve_dialogue("assessment").read_bytes() + b"\n")
    monkeypatch.setenv("RAS_CHAT_DIALOGUE", str(mine))
    assert first_screen.screen_key(a) != screen.key and first_screen.read_first_screen(a) is None
    monkeypatch.delenv("RAS_CHAT_DIALOGUE")
    # damaged: one byte changed in the entry
    entry = next((tmp_path / "cache").glob("first-screen-*.cache"))
    data = bytearray(entry.read_bytes())
    data[-3] ^= 0x20
    entry.write_bytes(bytes(data))
    assert first_screen.read_first_screen(a) is None
    # cut short
    entry.write_bytes(bytes(data[:40]))
    assert first_screen.read_first_screen(a) is None


def test_run_app_starts_from_the_kept_first_screen_in_the_background(tmp_path, monkeypatch):
    """run_app chooses the background start when a first screen is kept (the app itself is
    replaced by one that records how it was built and stops at once)."""
    import ras_chat.ui.app as app_module
    import ras_chat.ui.terminal as terminal

    built = []

    class Recording(RasChatApp):
        def run(self, *a, **kw):  # no terminal in tests
            built.append(self)
            return 0

    monkeypatch.setattr(terminal, "RasChatApp", Recording)  # run_app builds the app there
    a = args(db=str(tmp_path / "s.db"))
    assert app_module.run_app(a, after=False) == 0  # nothing kept: the session is built first
    assert built[-1].session is not None and built[-1]._loader is None
    first_screen.keep_first_screen(real_first_screen(first_screen.screen_key(a)))
    assert app_module.run_app(a, after=False) == 0
    assert built[-1].session is None and built[-1]._loader is not None and built[-1]._first is not None
    # the loader builds a new session and opens the store only when asked (on the app's thread)
    ready = built[-1]._loader()
    assert ready.session.state.transcript == [] and ready.session.state.policy == "example"  # new, not yet opened
    on_turn, hint = ready.connect()
    assert callable(on_turn) and "--resume" in hint


def test_the_answer_bars_words_come_from_the_catalogue_and_are_kept_with_the_first_screen():
    """The answer bar's words are in dialogues/messages.en.yaml (where `dialogue check` reads
    them); a kept first screen carries them, so they are drawn before the catalogue loads."""
    from ras_chat.dialogue.catalogue import say

    screen = real_first_screen()
    words = dict(screen.words)
    assert words["screen.hint_pick"] == "Press the number of a choice. Or type your answer in words."
    assert words == {key: say(key) for key in ("screen.send", "screen.send_choices", "screen.hint_type",
                                                "screen.hint_tick", "screen.hint_pick", "screen.placeholder")}
    assert first_screen.keep_first_screen(first_screen.FirstScreen(
        key=first_screen.screen_key(args()) or "", messages=screen.messages, question=screen.question,
        progress=screen.progress, words=screen.words,
    ))
    back = first_screen.read_first_screen(args())
    assert back is not None and dict(back.words) == words


def test_preset_words_are_used_without_reading_the_catalogue(monkeypatch):
    import ras_chat.dialogue.catalogue as catalogue
    from ras_chat.ui import words

    def no_catalogue(key, **values):
        raise AssertionError(f"the catalogue was read for {key}")

    monkeypatch.setattr(words, "_preset", {})
    words.preset({"screen.hint_pick": "Pick one (kept)", "result.note": "not an answer-bar word"})
    monkeypatch.setattr(catalogue, "say", no_catalogue)
    assert words.word("screen.hint_pick") == "Pick one (kept)"  # from the kept first screen
    with pytest.raises(AssertionError, match="result.note"):  # only the answer bar's words are kept
        words.word("result.note", reference="x")


# ----- drawn in the first frame, and the styles kept for next time ---------------------------


def test_the_first_screens_messages_and_progress_are_drawn_with_the_screen_before_it_is_laid_out():
    """The kept opening is drawn as the chat screen is mounted (not after the log's first
    Resize, a frame later), at the log's real width; the text box has the focus from the start."""
    first = real_first_screen()
    release = threading.Event()
    seen = {}

    class Watching(RasChatApp):
        CSS_PATH = str(Path(first_screen.__file__).parent / "styles" / "app.tcss")  # relative to the class's module

        @on(ChatMounted)
        def _watch(self, event):  # the first moment the app hears of the screen (before its own handler)
            log = self.screen.query_one("#chat")
            seen.update(
                texts=log.texts(),
                lines=len(log.lines),
                width=log._drawn_width,
                progress=str(self.screen.query_one("#progress").render()),
                focused=self.screen.focused.id if self.screen.focused else None,
            )

    async def go():
        app = Watching(None, loader=held_loader(fixed_session(), release, []), first_screen=first)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            log = app.screen.query_one("#chat")
            real_width = log.scrollable_content_region.width
            release.set()
            return real_width

    real_width = run(go())
    assert seen["texts"] == [m.text for m in first.messages] and seen["lines"] > len(first.messages)
    assert seen["progress"] == first.progress
    assert seen["focused"] == "answer"
    # 100 columns less the log's padding (one each side) and its scroll bar (always there):
    # the width it has once laid out, so it is not drawn again
    assert seen["width"] == real_width == 100 - 2 - 1


def described(rules) -> list:
    """Parsed rules as text (Textual's layouts compare by identity, so rules never compare equal)."""
    return [(r.css, sorted(r.selector_names), r.is_default_rules, r.tie_breaker) for r in rules]


def test_the_parsed_styles_are_kept_and_read_back_instead_of_parsed_again(monkeypatch):
    import textual.css.stylesheet as textual_stylesheet
    from textual.app import App
    from textual.css.stylesheet import Stylesheet

    variables = App().get_css_variables()
    css_file = Path(first_screen.__file__).parent / "styles" / "app.tcss"

    def sheet():
        s = Stylesheet(variables=variables)
        s.read(css_file)
        return s

    one = sheet()
    one.parse()
    assert first_screen.keep_styles(one)
    assert not first_screen.keep_styles(one, first_screen.read_styles(sheet()))  # nothing new to keep

    def no_parsing(*a, **kw):
        raise AssertionError("parsed again")

    two = sheet()
    read = first_screen.read_styles(two)
    assert len(read) == 1
    with monkeypatch.context() as m:
        m.setattr(textual_stylesheet, "parse", no_parsing)
        two.parse()  # from what was kept
    assert described(two.rules) == described(one.rules) and len(two.rules) > 10

    # other colours (another theme): not read
    other = Stylesheet(variables={**variables, "primary": "#123456"})
    assert first_screen.read_styles(other) == frozenset()


def test_damaged_kept_styles_are_parsed_as_usual(tmp_path):
    from textual.app import App
    from textual.css.stylesheet import Stylesheet

    variables = App().get_css_variables()
    css_file = Path(first_screen.__file__).parent / "styles" / "app.tcss"
    one = Stylesheet(variables=variables)
    one.read(css_file)
    one.parse()
    assert first_screen.keep_styles(one)
    entry = next((tmp_path / "cache").glob("styles-*.cache"))
    data = bytearray(entry.read_bytes())
    data[-5] ^= 0x01
    entry.write_bytes(bytes(data))
    two = Stylesheet(variables=variables)
    assert first_screen.read_styles(two) == frozenset()
    two.read(css_file)
    two.parse()
    assert described(two.rules) == described(one.rules)


def test_a_first_start_keeps_every_style_the_next_quick_start_needs(monkeypatch):
    """The slow start (no first screen kept yet) keeps the styles before its first frame;
    the quick start that follows parses no stylesheet at all."""
    import textual.css.stylesheet as textual_stylesheet

    async def slow_start():
        app = RasChatApp(fixed_session(), keep_styles=True)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()

    run(slow_start())
    parsed = []
    real_parse = textual_stylesheet.parse

    def counting(scope, css, read_from, *a, **kw):
        parsed.append(read_from)
        return real_parse(scope, css, read_from, *a, **kw)

    monkeypatch.setattr(textual_stylesheet, "parse", counting)
    release = threading.Event()

    async def quick_start():
        app = RasChatApp(None, loader=held_loader(fixed_session(), release, []), first_screen=real_first_screen(), keep_styles=True)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            texts = app.chat_texts()
            release.set()
            return app._styles_read, texts

    read, texts = run(quick_start())
    assert "Who is answering today?" in texts
    assert len(read) > 5 and parsed == []


def test_styles_are_kept_only_for_the_theme_textual_starts_with(tmp_path):
    """Another theme parses every sheet again with its own colours once mounted: nothing
    to gain from kept styles, so none are read or written for it."""

    async def start(theme):
        app = RasChatApp(fixed_session(), keep_styles=True, theme=theme)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()

    run(start("high-contrast"))
    assert list((tmp_path / "cache").glob("styles-*.cache")) == []
    run(start("default"))
    assert len(list((tmp_path / "cache").glob("styles-*.cache"))) == 1
