"""The app: one session, its turns, and the screens that show them.

`make_app(session, on_turn=..., theme=...)` is the factory the command line, `ras-chat
serve` and the tests share. The app never works anything out: it passes what the person
did to the session and hands the session's replies and state to the screens.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Callable

from textual import on
from textual.app import App
from textual.binding import Binding

from ras_chat.dialogue.session import Message, Session
from ras_chat.startup import resume_collector
from ras_chat.ui.events import (
    AnswerSubmitted,
    ChatMounted,
    ChoicePicked,
    ChoicesSubmitted,
    ConversationFinished,
    WhatIfAsked,
)
from ras_chat.ui.screens.chat import ChatScreen
from ras_chat.ui.themes import HIGH_CONTRAST, hold_still, theme_name

OnTurn = Callable[[Session, list[Message]], None]

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_SAVE_FAILED = 3


class RasChatApp(App[int]):
    """A chat a worker and a person can sit in front of together."""

    TITLE = "ras-chat"
    CSS_PATH = "styles/app.tcss"
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
        session: Session,
        *,
        on_turn: OnTurn | None = None,
        theme: str | None = "default",
        resume_hint: str | None = None,
        worker_panel: bool = False,
        show_result: bool = True,
    ) -> None:
        super().__init__()
        self.session = session
        self.on_turn = on_turn
        self.resume_hint = resume_hint
        self._theme_choice = theme_name(theme)
        self._worker_at_start = worker_panel
        self._show_result = show_result
        hold_still(self)
        self.save_error: str | None = None
        self.stopped_by: str | None = None
        """How the app ended: "finished", "saved" (ctrl+s) or "quit" (ctrl+q)."""
        self.last_what_if = None
        """The last "what if" worked out (a `ras_chat.training.WhatIf`), for tests and training."""

    # -- start --

    def get_default_screen(self) -> ChatScreen:
        return ChatScreen()

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        self.theme = self._theme_choice

    @on(ChatMounted)
    async def _chat_mounted(self, event: ChatMounted) -> None:
        if self.session.state.transcript and self.chat_texts():
            resume_collector()
            return  # already open
        screen = self.chat_screen
        screen.set_worker_shown(self._worker_at_start)
        await self._turn(self.session.opening)
        self.call_after_refresh(resume_collector, freeze=True)  # the first question is on screen (ras_chat/startup.py)

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
        s = self.session
        screen = self.chat_screen
        await screen.show_turn(replies, s.current_question, self._progress_text())
        if screen.worker_shown:
            self._show_worker(screen)
        self.refresh_bindings()
        if s.finished:
            self.post_message(ConversationFinished())

    def _progress_text(self) -> str:
        text = self.session.progress()[2]
        return f"Finished. {text}" if self.session.finished else text

    def _save(self, replies: list[Message]) -> bool:
        if self.on_turn is None:
            return True
        try:
            self.on_turn(self.session, replies)
        except Exception as exc:  # the store's own errors are plain words; keep the talk going
            self.save_error = str(exc) or exc.__class__.__name__
            self.notify(f"Your answers could not be saved: {self.save_error}", title="Not saved", severity="error", timeout=30)
            return False
        self.save_error = None
        return True

    def on_conversation_finished(self, event: ConversationFinished) -> None:
        """The conversation has ended: show the result screen. The public hook for what
        happens at the end: a subclass overrides this handler and calls
        `event.prevent_default()` to show something else instead (the training app's debrief)."""
        result = self.session.result()
        if result is not None and self._show_result:
            from ras_chat.ui.screens.result import ResultScreen  # not needed to start: loaded late

            self.push_screen(ResultScreen(result, self.session.state.id, statement=self.session.budget_statement()))

    # -- the worker's panel and "what if" (worked out by ras_chat.training, on a copy) --

    def _show_worker(self, screen: ChatScreen) -> None:
        from ras_chat.training.whatif import heard_answers  # only with the panel open: loaded late

        screen.show_worker_view(self.session.worker_view(), heard_answers(self.session))

    def what_if_record(self):
        """The record a "what if" starts from: the session's record so far (None before any
        part of life is answered). The training app falls back on the case's reference."""
        return self.session.record()

    @on(WhatIfAsked)
    def _what_if_asked(self, event: WhatIfAsked) -> None:
        from ras_chat.training.whatif import BadChange, what_if_text

        asker = event.asker
        record = self.what_if_record()
        if record is None:
            asker.show_note("Nothing to change yet: no part of life has been answered.")
            return
        try:
            self.last_what_if = what_if_text(record, event.path, event.value, self.session.policy_at)
        except BadChange as exc:
            asker.show_note(str(exc))
            return
        asker.show_what_if(self.last_what_if)

    # -- what the person did (posted by widgets) --

    @on(AnswerSubmitted)
    async def _answered(self, event: AnswerSubmitted) -> None:
        await self._send(event.text)

    @on(ChoicePicked)
    async def _picked(self, event: ChoicePicked) -> None:
        # send the choice's own words: the session matches them exactly, and the chat
        # then reads "Me, for myself" rather than "1"
        question = self.session.current_question
        labels = {c.number: c.label for c in question.choices} if question else {}
        await self._send(labels.get(event.number, str(event.number)))

    @on(ChoicesSubmitted)
    async def _picked_many(self, event: ChoicesSubmitted) -> None:
        await self._send(" and ".join(str(n) for n in event.numbers))

    async def _send(self, text: str) -> None:
        if self.session.finished:
            self.bell()
            return
        await self._turn(lambda: self.session.send(text))

    # -- keys --

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("help", "back") and self.session.finished:
            return None  # shown dimmed in the footer
        return True

    async def action_help(self) -> None:
        if not self.session.finished:
            await self._turn(self.session.help)

    async def action_back(self) -> None:
        if not self.session.finished:
            await self._turn(self.session.go_back)

    def action_toggle_worker(self) -> None:
        screen = self.chat_screen
        if self.screen is not screen:
            self.pop_screen()
        shown = not screen.worker_shown
        screen.set_worker_shown(shown)
        if shown:
            self._show_worker(screen)

    def action_save_and_stop(self) -> None:
        self._stop("saved")

    async def action_quit(self) -> None:
        self._stop("quit")

    def _stop(self, how: str) -> None:
        saved = self._save([])
        self.stopped_by = "finished" if self.session.finished else how
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
    """`ras-chat` on a terminal: build the session as the plain mode does, run the app, and
    leave a few lines in the terminal afterwards (the amount, or how to carry on)."""
    from ras_chat.app import make_session, persistence
    from ras_chat.app.summary import handoff_summary

    theme = getattr(args, "theme", None) or os.environ.get("RAS_CHAT_THEME") or "default"
    try:
        theme_name(theme)
    except ValueError as exc:
        print(f"ras-chat: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    from ras_chat.store import StoreError

    try:
        store = persistence(args)
        session = make_session(args, store)
    except StoreError as exc:
        print(f"ras-chat: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except LookupError as exc:  # as the plain mode says it
        print(f"ras-chat: {exc.args[0]}", file=sys.stderr)
        return EXIT_BAD_INPUT
    hint = store.resume_hint(session) if store.resume_hint else None
    app = make_app(session, on_turn=store.on_turn, theme=theme, resume_hint=hint)
    code = app.run()
    if code is None:
        code = app.return_code or EXIT_OK
    if after:
        if session.finished:
            print("\n".join(handoff_summary(session)).strip("\n"))
        elif app.stopped_by:
            print("We stopped here for now.")
            if store.on_turn is None:
                print("Your answers were not saved this time.")
            elif hint:
                print(hint)
        if app.save_error:
            print(f"ras-chat: the last save failed: {app.save_error}", file=sys.stderr)
    return int(code)
