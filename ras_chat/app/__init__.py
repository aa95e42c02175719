"""Running a conversation, with every turn saved: the layer the front ends stand on.

Saving plugs in at one place, `persistence(args)`: it gives the `on_turn(session,
new_messages)` callback run after every turn, a way to load a saved session for
`--resume`, and the words that tell a person how to carry on. `make_session` starts a new
session or restores the saved one. No screen here: the Textual app, the plain mode and
the web page all use these.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:  # loaded when needed: the app draws its first screen without them
    from ras_chat.dialogue.session import Message, Session, SessionState

SERVED_ENV = "RAS_CHAT_SERVED"
"""Set to 1 by `ras-chat serve` for each visitor's process (`Settings.served`)."""


def policy_of(args: argparse.Namespace) -> str:
    """`--policy`, else the command's setting (`RAS_CHAT_POLICY`, default `example`)."""
    from ras_chat.environment import quick

    return getattr(args, "policy", None) or quick().policy


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

    `--db` or the setting `RAS_CHAT_DB` chooses the database (a SQLite file or a postgresql://
    address); the default is sessions.db in the user data folder. Raises StoreError
    (a one-line message) when the database cannot be opened or is damaged.
    """
    from pydantic import ValidationError

    from ras.policy import load_policy
    from ras_chat.app.summary import note_standing
    from ras_chat.dialogue.loader import load_dialogue
    from ras_chat.dialogue.session import SessionState
    from ras_chat.environment import current
    from ras_chat.store import AmbiguousSession, DamagedDatabase, SessionNotFound, open_store
    from ras_chat.store.errors import ReadOnlyDatabase

    settings = current()
    # check the council's files first: a broken one stops us before anything is created
    load_dialogue(council=settings.dialogue)
    load_policy(policy_of(args))
    store = open_store(getattr(args, "db", None))
    atexit.register(store.close)  # gives back the session's lease
    if store.read_only:  # say so before anyone types, not after their first answer
        raise ReadOnlyDatabase(
            f"{store.describe()}: the database cannot be written (the file, its folder or its disk is read-only), "
            "so a conversation could not be saved; make it writable, or choose another with --db"
        )
    pending: list[Message] = []
    # under `ras-chat serve` nothing is stored until the person has said something, so a
    # browser tab opened and closed leaves no empty session (serve sets this for its children)
    wait_for_answer = settings.served

    def on_turn(session: Session, new_messages: list[Message]) -> None:
        pending.extend(new_messages)
        if wait_for_answer and not any(m.role == "person" for m in session.state.transcript):
            return
        save_session_turn(store, session, list(pending))
        pending.clear()  # kept after a failed save, so the next save carries them

    def load(ref: str) -> SessionState | None:
        try:
            sid = store.resolve(ref)
            store.claim(sid)  # one writer per session: refused while another ras-chat has it
            saved = store.load(sid)
            note_standing(store, sid)  # the amount that stands (agreed at sign-off), for the summary
        except SessionNotFound:
            return None
        except AmbiguousSession as exc:
            raise LookupError(str(exc)) from None
        try:
            return SessionState.model_validate(saved)
        except ValidationError:  # its text would quote the stored answers
            raise DamagedDatabase(
                f"session {sid[:8]}: its saved state cannot be read; the database has been changed outside "
                "ras-chat or damaged (see `ras-chat audit verify`)"
            ) from None

    def resume_hint(session: Session) -> str:
        from ras_chat.dialogue.catalogue import say

        return say("plain.resume", command=resume_command(args, session))

    return Persistence(on_turn=on_turn, load=load, resume_hint=resume_hint)


def resume_command(args: argparse.Namespace, session: Session) -> str:
    """The command that carries on `session`: with every option that chose where it is
    saved (`--db`), so that typing it exactly finds the conversation again."""
    words = ["ras-chat"]
    db = getattr(args, "db", None)
    if db:
        if "://" in db:
            parts = urlsplit(db)
            if parts.password:  # never print a password: it is read from PGPASSWORD or ~/.pgpass instead
                netloc = parts.netloc.replace(f":{parts.password}@", "@", 1)
                db = urlunsplit(parts._replace(netloc=netloc))
        else:
            db = str(Path(db).expanduser().resolve())  # the same file from any folder
        words += ["--db", shlex.quote(db)]
    words += ["--resume", session.state.id[:8]]
    return " ".join(words)


def make_session(args: argparse.Namespace, store: Persistence, clock: Callable[[], dt.datetime] | None = None) -> Session:
    """A new session, or the saved one named by `--resume`. Raises LookupError when not found."""
    from ras_chat.dialogue.session import Session

    policy = policy_of(args)
    resume = getattr(args, "resume", None)
    if resume:
        saved = store.load(resume) if store.load else None
        if saved is None:
            raise LookupError(f"no saved conversation {resume!r} to carry on")
        return Session.restore(saved, clock=clock) if clock else Session.restore(saved)
    return Session.start(policy_name=policy, clock=clock) if clock else Session.start(policy_name=policy)


__all__ = ["SERVED_ENV", "Persistence", "make_session", "persistence", "policy_of", "resume_command", "save_session_turn"]
