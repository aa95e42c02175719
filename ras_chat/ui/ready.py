"""What the app's start-up hands it: the session built (in the background, or first), how
to save it, and the exit codes. Nothing here draws anything."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message as TextualMessage

if TYPE_CHECKING:  # not imported to start: the first screen is drawn without them
    from ras_chat.dialogue.session import Message, Session

OnTurn = Callable[["Session", "list[Message]"], None]


@dataclass
class Ready:
    """What the start-up in the background hands the app: the session and how to save it."""

    session: Session
    on_turn: OnTurn | None = None
    resume_hint: str | None = None
    connect: Callable[[], tuple[OnTurn | None, str | None]] | None = None
    """Run on the app's own thread when the session arrives: opens the store (a SQLite
    connection can be used only on the thread that opened it) and gives `on_turn` and
    `resume_hint`. Its errors end the app like the loader's."""


Loader = Callable[[], Ready]
"""Builds the session (and opens the store); run in a background thread."""


class Loaded(TextualMessage):
    """The background start-up has finished (`result` is a `Ready` or the exception)."""

    def __init__(self, result: Ready | BaseException) -> None:
        super().__init__()
        self.result = result


EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_SAVE_FAILED = 3


def plain_error(exc: BaseException) -> str:
    if isinstance(exc, LookupError) and exc.args:
        return str(exc.args[0])
    return str(exc) or exc.__class__.__name__


def load_session(args: argparse.Namespace) -> Ready:
    """The session for `args` as the plain mode builds it (the store opened, the council's
    files checked), with the dialogue and policy read through the cache."""
    from ras_chat import cache

    cache.install()
    from ras_chat.app import make_session, persistence

    store = persistence(args)
    session = make_session(args, store)
    hint = store.resume_hint(session) if store.resume_hint else None
    return Ready(session, store.on_turn, hint)


def prepare_new_session(args: argparse.Namespace) -> Ready:
    """A new session for `args`, built in a background thread (the dialogue, the policy
    and the engine loaded there); the store is opened later on the app's thread."""
    from ras_chat import cache

    cache.install()
    from ras_chat.app import Persistence, make_session, persistence
    from ras_chat.store import open_store  # noqa: F401 - loaded here, opened on the app's thread

    session = make_session(args, Persistence())

    def connect() -> tuple[OnTurn | None, str | None]:
        store = persistence(args)  # the files are in memory by now: this opens the store
        return store.on_turn, (store.resume_hint(session) if store.resume_hint else None)

    return Ready(session, connect=connect)
