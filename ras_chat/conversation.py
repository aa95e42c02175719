"""`ras-chat` with no subcommand: start (or resume) a conversation.

The Textual app on a terminal (when `ras_chat.ui.app.run_app` exists); plain line mode
with `--plain`, when stdin or stdout is not a terminal, or when TERM=dumb.

Saving plugs in at one place, `persistence(args)`: it gives the `on_turn(session,
new_messages)` callback run after every turn, a way to load a saved session for
`--resume`, and the words that tell a person how to carry on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, TextIO

if TYPE_CHECKING:  # loaded when needed: the app draws its first screen without them
    from ras_chat.dialogue.session import Message, Session, SessionState

EXIT_BAD_INPUT = 2


@dataclass
class Persistence:
    on_turn: Callable[[Session, list[Message]], None] | None = None
    """Called after every turn with the session and the new messages: save `session.state` here."""
    load: Callable[[str], SessionState | None] | None = None
    """Gives the saved state for a `--resume` id (or "last"), or None."""
    resume_hint: Callable[[Session], str] | None = None
    """What to tell a person who stops, so they can carry on."""


def save_session_turn(store: Any, session: Session, new_messages: list[Message]) -> None:
    """Commit one turn of `session` to `store` (a `ras_chat.store.Store`): its state, the
    messages added since the last save, and its assessment record and result as they now are."""
    record = session.record()
    result = session.result()
    store.save_turn(
        session.state.model_dump(mode="json"),
        [m.model_dump(mode="json") for m in new_messages],
        record=record.dump() if record else None,
        result=result.dump() if result else None,
    )


def persistence(args: argparse.Namespace) -> Persistence:
    """The sessions store: every turn is committed before the next question is shown.

    `--db` or `RAS_CHAT_DB` chooses the database (a SQLite file or a postgresql://
    address); the default is sessions.db in the user data folder. Raises StoreError
    (a one-line message) when the database cannot be opened or is damaged.
    """
    from ras.policy import load_policy
    from ras_chat.dialogue.loader import load_dialogue
    from ras_chat.store import AmbiguousSession, SessionNotFound, open_store

    # check the council's files first: a broken one stops us before anything is created
    load_dialogue()
    load_policy(getattr(args, "policy", None) or os.environ.get("RAS_CHAT_POLICY") or "example")
    store = open_store(getattr(args, "db", None))

    def on_turn(session: Session, new_messages: list[Message]) -> None:
        save_session_turn(store, session, new_messages)

    def load(ref: str) -> SessionState | None:
        from ras_chat.dialogue.session import SessionState

        try:
            return SessionState.model_validate(store.load(store.resolve(ref)))
        except SessionNotFound:
            return None
        except AmbiguousSession as exc:
            raise LookupError(str(exc)) from None

    def resume_hint(session: Session) -> str:
        return f"Your answers are saved. To carry on later, type: ras-chat --resume {session.state.id[:8]}"

    return Persistence(on_turn=on_turn, load=load, resume_hint=resume_hint)


def wants_plain(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> bool:
    if getattr(args, "plain", False):
        return True
    if os.environ.get("TERM", "") == "dumb":
        return True
    try:
        return not (stdin.isatty() and stdout.isatty())
    except (AttributeError, ValueError):
        return True


def make_session(args: argparse.Namespace, store: Persistence, clock: Callable[[], dt.datetime] | None = None) -> Session:
    """A new session, or the saved one named by `--resume`. Raises LookupError when not found."""
    from ras_chat.dialogue.session import Session

    policy = getattr(args, "policy", None) or os.environ.get("RAS_CHAT_POLICY") or "example"
    kwargs = {"clock": clock} if clock else {}
    resume = getattr(args, "resume", None)
    if resume:
        saved = store.load(resume) if store.load else None
        if saved is None:
            raise LookupError(f"no saved conversation {resume!r} to carry on")
        return Session.restore(saved, **kwargs)
    return Session.start(policy_name=policy, **kwargs)


def run_conversation(
    args: argparse.Namespace,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    store: Persistence | None = None,
) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    if not wants_plain(args, stdin, stdout):
        try:
            from ras_chat.ui.app import run_app  # type: ignore[import-not-found]
        except ImportError:
            run_app = None
        if run_app is not None:
            return run_app(args)
    from ras_chat.plain import run_plain
    from ras_chat.startup import resume_collector

    resume_collector()  # plain mode: loaded; a long conversation is collected as usual
    store = store or persistence(args)
    try:
        session = make_session(args, store)
    except LookupError as exc:
        print(f"ras-chat: {exc.args[0]}", file=sys.stderr)
        return EXIT_BAD_INPUT
    hint = store.resume_hint(session) if store.resume_hint else None
    return run_plain(session, stdin=stdin, stdout=stdout, on_turn=store.on_turn, resume_hint=hint)
