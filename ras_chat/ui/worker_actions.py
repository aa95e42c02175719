"""The worker's panel and "what if" in the app (worked out by ras_chat.training, on a copy).

A mixin of `RasChatApp`: its handlers are found by name (`on_what_if_asked`), as Textual
finds them on any class of the app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

from ras_chat.ui.events import WhatIfAsked

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from textual.screen import Screen

    from ras.models import AssessmentRecord
    from ras_chat.dialogue.session import Session
    from ras_chat.training.whatif import WhatIf
    from ras_chat.ui.screens.chat import ChatScreen


class Asker(Protocol):
    """What `WhatIfAsked.asker` is (the panel's "what if" box): it shows the answer or a note."""

    def show_note(self, text: str) -> None: ...

    def show_what_if(self, result: WhatIf) -> None: ...


class _App(Protocol):
    """What these handlers use of the app they are mixed into (`RasChatApp`)."""

    session: Session | None
    last_what_if: WhatIf | None

    @property
    def live(self) -> Session: ...

    @property
    def chat_screen(self) -> ChatScreen: ...

    @property
    def screen(self) -> Screen[object]: ...

    def pop_screen(self) -> object: ...

    def _later(self, step: Callable[[], Awaitable[None]]) -> bool: ...

    def _show_worker(self, screen: ChatScreen) -> None: ...

    def what_if_record(self) -> AssessmentRecord | None: ...

    async def action_toggle_worker(self) -> None: ...


class WorkerActions:
    """ctrl+w and the "what if" a worker asks from the panel (mixed into `RasChatApp`)."""

    last_what_if: WhatIf | None = None
    """The last "what if" worked out (a `ras_chat.training.WhatIf`), for tests and training."""

    def _show_worker(self: _App, screen: ChatScreen) -> None:
        from ras_chat.training.whatif import heard_answers  # only with the panel open: loaded late

        session = self.live
        screen.show_worker_view(session.worker_view(), heard_answers(session))

    def what_if_record(self: _App) -> AssessmentRecord | None:
        """The record a "what if" starts from: the session's record so far (None before any
        part of life is answered). The training app falls back on the case's reference."""
        return self.live.record()

    def on_what_if_asked(self: _App, event: WhatIfAsked) -> None:
        from ras_chat.training.whatif import BadChange, what_if_text

        asker = cast(Asker, event.asker)  # the event's contract: the widget that asked shows the answer
        record = self.what_if_record()
        if record is None:
            asker.show_note("Nothing to change yet: no part of life has been answered.")
            return
        try:
            self.last_what_if = what_if_text(record, event.path, event.value, self.live.policy_at)
        except BadChange as exc:
            asker.show_note(str(exc))
            return
        asker.show_what_if(self.last_what_if)

    async def action_toggle_worker(self: _App) -> None:
        if self.session is None:  # nothing heard yet: opens once the session is ready
            self._later(self.action_toggle_worker)
            return
        screen = self.chat_screen
        if self.screen is not screen:
            self.pop_screen()
        shown = not screen.worker_shown
        await screen.set_worker_shown(shown)
        if shown:
            self._show_worker(screen)
