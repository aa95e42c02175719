"""The app: one session, its turns, and the screens that show them.

`make_app(session, on_turn=..., theme=...)` is the factory the command line, `ras-chat
serve` and the tests share. The app never works anything out: it passes what the person
did to the session and hands the session's replies and state to the screens.
"""

from __future__ import annotations

import argparse
import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import App, CSSPathType
from textual.binding import Binding
from textual.screen import Screen

from ras_chat.startup import resume_collector
from ras_chat.ui.events import (
    AnswerSubmitted,
    ChatMounted,
    ChoicePicked,
    ChoicesSubmitted,
    ConversationFinished,
)
from ras_chat.ui.ready import EXIT_BAD_INPUT, EXIT_OK, EXIT_SAVE_FAILED, Loaded, Loader, OnTurn, Ready, plain_error
from ras_chat.ui.screens.chat import ChatScreen
from ras_chat.ui.themes import HIGH_CONTRAST, hold_still, theme_name
from ras_chat.ui.widgets.answers import AnswerBar
from ras_chat.ui.words import word
from ras_chat.ui.worker_actions import WorkerActions

if TYPE_CHECKING:  # not imported to start: the first screen is drawn without them
    from ras_chat.dialogue.session import Message, Session
    from ras_chat.training.whatif import WhatIf
    from ras_chat.ui.first import FirstScreen

# what callers and tests take from here, wherever it is defined now
__all__ = ["EXIT_BAD_INPUT", "EXIT_OK", "EXIT_SAVE_FAILED", "Loader", "OnTurn", "RasChatApp", "Ready", "make_app", "run_app"]


class RasChatApp(WorkerActions, App[int]):
    """A chat a worker and a person can sit in front of together."""

    TITLE = "ras-chat"
    CSS_PATH: ClassVar[CSSPathType | None] = "styles/app.tcss"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("f1", "help", "Help", priority=True),
        Binding("ctrl+b", "back", "Go back", priority=True),
        Binding("ctrl+s", "save_and_stop", "Save and stop", priority=True),
        Binding("ctrl+w", "toggle_worker", "Worker panel", priority=True),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        session: Session | None,
        *,
        on_turn: OnTurn | None = None,
        theme: str | None = "default",
        resume_hint: str | None = None,
        worker_panel: bool = False,
        show_result: bool = True,
        loader: Loader | None = None,
        first_screen: FirstScreen | None = None,
        keep_first: Callable[[FirstScreen], Any] | None = None,
        first_key: str | None = None,
        warm: Callable[[Any], None] | None = None,
        keep_styles: bool = False,
    ) -> None:
        """`session`, or None with a `loader` that builds it in a background thread while
        `first_screen` (what a new session showed last time) is already on screen.
        `keep_first(screen)` is given the session's real first screen (under `first_key`)
        when it differs from `first_screen`, to be kept for next time. `warm` runs in the
        background once the first question is answerable (the understanding model).
        `keep_styles`: Textual's parsed styles are read from the cache and kept there
        (`ras_chat.ui.first.read_styles`), for the command's own start."""
        super().__init__()
        # only for the theme Textual starts with: another theme parses every sheet again
        # with its own colours once the app is mounted
        self._keep_styles = keep_styles and theme_name(theme) == self.theme
        self._styles_read: frozenset[tuple] = frozenset()
        if self._keep_styles:
            from ras_chat.ui.first import read_styles

            self._styles_read = read_styles(self.stylesheet)
        if session is None and loader is None:
            raise ValueError("give a session or a loader")
        self.session = session
        self.on_turn = on_turn
        self.resume_hint = resume_hint
        self._theme_choice = theme_name(theme)
        self._worker_at_start = worker_panel
        self._show_result = show_result
        self._loader = loader
        self._first = first_screen
        self._keep_first = keep_first
        self._first_key = first_key or (first_screen.key if first_screen else None)
        self._warm = warm
        self._waiting: list[Callable[[], Awaitable[None]]] | None = [] if session is None else None
        """What the person did before the session was ready, in order (sent when it is)."""
        self._asked = 0
        self._asked_as: tuple | None = None
        hold_still(self)
        self.save_error: str | None = None
        self.start_error: str | None = None
        """Why the session could not be built in the background (the app then ends)."""
        self.stopped_by: str | None = None
        """How the app ended: "finished", "saved" (ctrl+s) or "quit" (ctrl+q)."""
        self.last_what_if: WhatIf | None = None
        self.ready = threading.Event()
        """Set once the session is ready and its opening is on screen (tests, benchmarks)."""

    # -- start --

    def get_default_screen(self) -> Screen[Any]:
        first = self._first
        if first is None or self.session is not None:
            return ChatScreen()
        return ChatScreen(first.question, first_messages=first.messages, first_progress=first.progress)

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        self.theme = self._theme_choice

    @on(ChatMounted)
    async def _chat_mounted(self, event: ChatMounted) -> None:
        screen = self.chat_screen
        if self.session is None:  # the session is built in the background
            first = self._first
            if first is not None:  # its messages were drawn with the screen
                await screen.show_turn((), first.question, first.progress, asked=self._number(first.question))
            else:
                screen.show_progress("Getting ready...")
            self.call_after_refresh(self._start_loading)  # once the first screen is drawn
            return
        if self.live.state.transcript and self.chat_texts():
            resume_collector()
            return  # already open
        await screen.set_worker_shown(self._worker_at_start)
        await self._opening()
        self._keep_styles_now()  # the first start: kept before its first frame, for the next start
        self.call_after_refresh(self._after_start)  # the first question is on screen

    async def _opening(self) -> None:
        """The session's welcome and first question; not drawn again when the first screen
        already shows exactly them."""
        s = self.live
        replies = s.opening()
        self._save(replies)
        screen = self.chat_screen
        question = s.current_question
        progress = self._progress_text()
        first = self._first
        if first is None or not first.matches(replies, question, progress):
            await screen.show_turn(replies, question, progress, asked=self._number(question), fresh=first is not None)
            if self._keep_first is not None and self._first_key:
                from ras_chat.ui.first import from_session

                self._keep_first(from_session(self._first_key, replies, question, progress))
        if screen.worker_shown:
            self._show_worker(screen)
        self.refresh_bindings()
        if s.finished:
            self.post_message(ConversationFinished())

    def _after_start(self) -> None:
        self._keep_styles_now()  # any sheet met only with the first frame (the footer's keys)
        resume_collector(freeze=True)  # what is loaded lives as long as the app (ras_chat/startup.py)
        self.ready.set()
        if self._warm is not None:
            threading.Thread(target=self._warm_quietly, name="ras-chat-warm", daemon=True).start()

    def _warm_quietly(self) -> None:
        try:
            if self._warm is not None:
                self._warm(self.session)
        except Exception:  # only a head start: the session loads what it needs when it needs it
            pass

    # -- the session built in the background --

    def _keep_styles_now(self) -> None:
        """Keep the styles parsed so far (`ras_chat.ui.first.keep_styles`) when some were
        not read from the cache."""
        if self._keep_styles:
            from ras_chat.ui.first import keep_styles

            self._styles_read = keep_styles(self.stylesheet, self._styles_read) or self._styles_read

    def _start_loading(self) -> None:
        self._keep_styles_now()  # only when something was parsed (a first start after an update)
        threading.Thread(target=self._load_in_background, name="ras-chat-start", daemon=True).start()

    def _load_in_background(self) -> None:
        assert self._loader is not None
        try:
            result: Ready | BaseException = self._loader()
        except BaseException as exc:  # handed to the app, which says it and ends
            result = exc
        self.post_message(Loaded(result))

    @on(Loaded)
    async def _loaded(self, event: Loaded) -> None:
        result = event.result
        if isinstance(result, BaseException):
            self.start_error = plain_error(result)
            self.exit(EXIT_BAD_INPUT, return_code=EXIT_BAD_INPUT)
            return
        if result.connect is not None:
            try:
                result.on_turn, result.resume_hint = result.connect()
            except Exception as exc:
                self.start_error = plain_error(exc)
                self.exit(EXIT_BAD_INPUT, return_code=EXIT_BAD_INPUT)
                return
        self.session = result.session
        self.on_turn = result.on_turn
        self.resume_hint = result.resume_hint
        await self._opening()
        waiting, self._waiting = self._waiting or [], None
        for step in waiting:  # what the person did meanwhile, in the order they did it
            await step()
        self.call_after_refresh(self._after_start)

    def _later(self, step: Callable[[], Awaitable[None]]) -> bool:
        """Keep `step` for when the session is ready; True if it was kept."""
        if self._waiting is None:
            return False
        self._waiting.append(step)
        return True

    def _number(self, question: Any) -> int:
        """The number of `question` on screen: the same question asked again (after help,
        or an answer not understood) keeps its number, a new one gets the next."""
        mark = None
        if question is not None:
            mark = (question.state, question.text, question.multiple, tuple((c.number, c.label) for c in question.choices))
        if mark != self._asked_as or mark is None:
            self._asked += 1
            self._asked_as = mark
        return self._asked

    def _stale(self, asked: int | None) -> bool:
        """An answer given to a question that is no longer on screen."""
        return asked is not None and asked != self._asked

    @property
    def live(self) -> Session:
        """The session, once it is ready. Everything that needs it runs after it arrives
        (what the person does before then waits in `_later`)."""
        if self.session is None:
            raise LookupError("the conversation is not ready yet")
        return self.session

    @property
    def chat_screen(self) -> ChatScreen:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, ChatScreen):
                return screen
        raise LookupError("no chat screen")

    # -- one turn: ask the session, save, then show --

    async def _turn(self, step: Callable[[], list[Message]]) -> None:
        replies = step()
        self._save(replies)
        s = self.live
        screen = self.chat_screen
        question = s.current_question
        await screen.show_turn(replies, question, self._progress_text(), asked=self._number(question))
        if screen.worker_shown:
            self._show_worker(screen)
        self.refresh_bindings()
        if s.finished:
            self.post_message(ConversationFinished())

    def _progress_text(self) -> str:
        text = self.live.progress()[2]
        return f"Finished. {text}" if self.live.finished else text

    def _save(self, replies: list[Message]) -> bool:
        if self.on_turn is None:
            return True
        try:
            self.on_turn(self.live, replies)
        except Exception as exc:  # the store's own errors are plain words; keep the talk going
            self.save_error = str(exc) or exc.__class__.__name__
            self.notify(word("screen.save_failed", error=self.save_error), title=word("screen.not_saved_title"), severity="error", timeout=30)
            return False
        self.save_error = None
        return True

    def on_conversation_finished(self, event: ConversationFinished) -> None:
        """The conversation has ended: show the result screen. The public hook for what
        happens at the end: a subclass overrides this handler and calls
        `event.prevent_default()` to show something else instead (the training app's debrief)."""
        result = self.live.result()
        if result is not None and self._show_result:
            from ras_chat.app.summary import carer_ending
            from ras_chat.ui.screens.result import ResultScreen  # not needed to start: loaded late

            self.push_screen(
                ResultScreen(result, self.live.state.id, statement=self.live.budget_statement(), carer=carer_ending(self.live))
            )

    # -- what the person did (posted by widgets) --

    @on(AnswerSubmitted)
    async def _answered(self, event: AnswerSubmitted) -> None:
        if self._later(lambda: self._answered(event)):
            return
        if self._stale(event.asked):
            # typed for a question already answered (one fast write): back in the box,
            # neither lost nor sent to a question the person has not read
            self.chat_screen.query_one(AnswerBar).restore_text(event.text)
            return
        await self._send(event.text)

    @on(ChoicePicked)
    async def _picked(self, event: ChoicePicked) -> None:
        if self._later(lambda: self._picked(event)):
            return
        question = self.live.current_question
        labels = {c.number: c.label for c in question.choices} if question else {}
        if self._stale(event.asked) or event.number not in labels:
            self.bell()  # a second key for a question already answered: one key, one answer
            return
        # send the choice's own words: the session matches them exactly, and the chat
        # then reads "Me, for myself" rather than "1"
        await self._send(labels[event.number])

    @on(ChoicesSubmitted)
    async def _picked_many(self, event: ChoicesSubmitted) -> None:
        if self._later(lambda: self._picked_many(event)):
            return
        if self._stale(event.asked):
            self.bell()
            return
        await self._send(" and ".join(str(n) for n in event.numbers))

    async def _send(self, text: str) -> None:
        if self.live.finished:
            self.bell()
            return
        await self._turn(lambda: self.live.send(text))

    # -- keys --

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("help", "back") and self.session is not None and self.session.finished:
            return None  # shown dimmed in the footer
        return True

    async def action_help(self) -> None:
        if self._later(self.action_help):
            return
        if not self.live.finished:
            await self._turn(self.live.help)

    async def action_back(self) -> None:
        if self._later(self.action_back):
            return
        if not self.live.finished:
            await self._turn(self.live.go_back)

    async def action_save_and_stop(self) -> None:
        if self._later(self.action_save_and_stop):  # saved once there is a session to save
            return
        self._stop("saved")

    async def action_quit(self) -> None:
        if self._later(self.action_quit):
            return
        self._stop("quit")

    def _stop(self, how: str) -> None:
        saved = self._save([])
        self.stopped_by = "finished" if self.live.finished else how
        code = EXIT_OK if saved else EXIT_SAVE_FAILED
        self.exit(code, return_code=code)

    # -- reading what is on screen (tests, benchmarks) --

    def chat_texts(self) -> list[str]:
        from ras_chat.ui.widgets.chat import ChatLog

        return self.chat_screen.query_one(ChatLog).texts()


def make_app(
    session: Session,
    *,
    on_turn: OnTurn | None = None,
    theme: str | None = "default",
    resume_hint: str | None = None,
    worker_panel: bool = False,
    show_result: bool = True,
) -> RasChatApp:
    """The app over `session`. `on_turn(session, new_messages)` runs after every turn (and on
    ctrl+s / ctrl+q), before the next question is shown: that is where saving plugs in."""
    return RasChatApp(
        session,
        on_turn=on_turn,
        theme=theme,
        resume_hint=resume_hint,
        worker_panel=worker_panel,
        show_result=show_result,
    )



def run_app(args: argparse.Namespace, *, after: bool = True) -> int:
    """`ras-chat` on a terminal (`ras_chat.ui.terminal.run_app`, loaded when asked)."""
    from ras_chat.ui.terminal import run_app as run

    return run(args, after=after)
