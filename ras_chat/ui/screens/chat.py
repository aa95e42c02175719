"""The chat screen: progress line, the conversation, the answer bar, the worker's panel."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static

from ras_chat.ui.events import ChatMounted
from ras_chat.ui.widgets.answers import AnswerBar
from ras_chat.ui.widgets.chat import ChatLog
from ras_chat.ui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from ras_chat.training.whatif import Answer
    from ras_chat.ui.shown import Said as Message  # the session's Message, or the first screen's
    from ras_chat.ui.widgets.worker import WorkerPanel


class ChatScreen(Screen):
    """Renders what the app hands it; the app talks to the session."""

    BINDINGS = [Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)]
    AUTO_FOCUS = "#answer"
    """The text box has the focus from the first frame (keys typed at once go there)."""

    def __init__(
        self, first_question: Message | None = None, *, first_messages: Sequence[Message] = (), first_progress: str = "", **kwargs
    ) -> None:
        """`first_question`, `first_messages` and `first_progress`: drawn with the screen,
        in its first frame (the first screen of a new session)."""
        super().__init__(**kwargs)
        self._first_question = first_question
        self._first_messages = first_messages
        self._first_progress = first_progress

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="conversation"):
                yield Static(self._first_progress, id="progress")
                yield ChatLog(id="chat", messages=self._first_messages)
                yield AnswerBar(id="answers", question=self._first_question)
            # the worker's panel is made the first time it is shown (ctrl+w): not needed to start
        yield KeysFooter()

    def on_mount(self) -> None:
        self.post_message(ChatMounted())

    # -- rendering, called by the app --

    async def show_turn(
        self, messages: Iterable[Message], question: Message | None, progress: str, *, asked: int | None = None, fresh: bool = False
    ) -> None:
        """Add `messages` to the chat (`fresh`: in place of all shown so far) and show
        `question`'s choices; `asked` numbers the question for the answers given to it."""
        log = self.query_one(ChatLog)
        if fresh:
            log.clear_messages()
        log.add_messages(messages)
        self.query_one("#progress", Static).update(progress)
        await self.query_one(AnswerBar).show_question(question, asked)
        # the answer bar may now be taller: once laid out, the newest message is in view
        self.call_after_refresh(log.keep_newest_in_view)

    def show_progress(self, text: str) -> None:
        self.query_one("#progress", Static).update(text)

    def show_worker_view(self, view: dict, answers: Sequence[Answer] = ()) -> None:
        """`session.worker_view()`, and the answers heard so far for "what if"."""
        panel = self.worker_panel
        if panel is not None:
            panel.show_view(view, answers)

    @property
    def worker_panel(self) -> WorkerPanel | None:
        found = self.query("#worker")  # by id: the panel's module is loaded only when it is made
        return found.first() if found else None  # type: ignore[return-value]

    @property
    def worker_shown(self) -> bool:
        panel = self.worker_panel
        return panel is not None and bool(panel.display)

    async def set_worker_shown(self, shown: bool) -> None:
        panel = self.worker_panel
        if panel is None:
            if not shown:
                return
            from ras_chat.ui.widgets.worker import WorkerPanel as Panel

            panel = Panel(id="worker")
            await self.query_one("#main").mount(panel)
        panel.display = shown

    # -- keys --

    def action_pick(self, number: int) -> None:
        self.query_one(AnswerBar).action_pick(number)
