"""The web pages' work on a conversation, done in a pool thread: read it from the store
(the kept copy while its version matches), take one turn, save it, save and find a
reference. Each call gets the pool thread's own store."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ras_chat.web.page import Page, page_of
from ras_chat.web.stores import SessionCache, SessionLocks, WebConfig, saved_version
from ras_chat.web.words import new_reference

if TYPE_CHECKING:
    from ras_chat.dialogue.session import Session
    from ras_chat.review.standing import Standing


class Conversations:
    def __init__(self, config: WebConfig) -> None:
        self.config = config
        self.locks = SessionLocks()
        self.cache = SessionCache()
        self._sqlite_writes = threading.Lock()

    def clock(self) -> dt.datetime:
        return self.config.clock() if self.config.clock else dt.datetime.now(dt.UTC)


    def restore(self, store: Any, sid: str) -> Session | None:
        """The session as the store has it now (the kept copy while its version matches)."""
        from ras_chat.dialogue.session import Session
        from ras_chat.store import SessionNotFound

        version = saved_version(store, sid)
        if version is None:
            self.cache.drop(sid)
            return None
        session = self.cache.get(sid, version)
        if session is not None:
            return session
        try:
            snapshot = store.load(sid)
        except SessionNotFound:
            return None
        clock = self.config.clock
        session = Session.restore(snapshot, clock=clock) if clock else Session.restore(snapshot)
        self.cache.put(sid, version, session)
        return session

    def saved(self, store: Any, session: Session, new: list) -> None:
        """Save a turn; keep the session with its new version (dropped if saving fails)."""
        from ras_chat.app import save_session_turn

        sid = session.state.id
        self.cache.drop(sid)
        with self.writing(store):
            save_session_turn(store, session, new)
        version = saved_version(store, sid)
        if version is not None:
            self.cache.put(sid, version, session)

    def writing(self, store: Any) -> Any:
        """SQLite has one writer at a time. Its own wait for the lock sleeps in growing steps
        (up to 100 ms), so under load a waiting thread wakes late; the threads of this
        process queue on a lock of ours instead and each write starts as soon as the last
        one is done. PostgreSQL locks rows, and needs none."""
        return self._sqlite_writes if store.kind == "sqlite" else contextlib.nullcontext()

    def page(self, store: Any, sid: str) -> Page | None:
        with self.locks.get(sid):
            session = self.restore(store, sid)
            return page_of(session) if session is not None else None

    def turn(self, store: Any, sid: str, turn: str | None, action: Callable[[Session], list]) -> bool:
        """Do one turn if the form was made for the conversation as it stands; save it."""
        with self.locks.get(sid):
            session = self.restore(store, sid)
            if session is None:
                return False
            if session.finished or turn != str(len(session.state.transcript)):
                return True  # a repeated or stale form (a double click, the browser's back): nothing to do
            self.cache.drop(sid)  # changed from here on: kept again only once saved
            new = action(session)
            self.saved(store, session, new)
            return True

    def start(self, store: Any) -> str:
        from ras_chat.dialogue.session import Session

        clock, policy = self.config.clock, self.config.policy
        session = Session.start(policy_name=policy, clock=clock) if clock else Session.start(policy_name=policy)
        self.saved(store, session, session.opening())
        return session.state.id

    def welcome_back(self, store: Any, sid: str) -> None:
        with self.locks.get(sid):
            session = self.restore(store, sid)
            if session is not None and not session.finished:
                self.cache.drop(sid)
                self.saved(store, session, session.opening())

    def save(self, store: Any, sid: str) -> str | None:
        from ras_chat.store.references import save_reference

        if saved_version(store, sid) is None:
            return None
        reference = new_reference()
        with self.writing(store):
            save_reference(store, sid, reference, now=self.clock())
        return reference

    def find(self, store: Any, reference: str | None, client: str) -> str | None:
        from ras_chat.store.references import find_reference

        with self.writing(store):
            return find_reference(store, reference, client=client, now=self.clock())

    def letter(self, store: Any, sid: str) -> str | None:
        from ras_chat.exports.handoff import build_handoff
        from ras_chat.exports.letter import letter_blocks, to_html_body

        details = store.details(sid)
        if not details.get("result"):
            return None
        return to_html_body(letter_blocks(build_handoff(details)))

    def ended(self, store: Any, sid: str) -> tuple[Page, Any, Standing | None] | None:
        """The page, the engine's result (None before the answers are checked) and the
        amount that stands when a worker has since changed or agreed it (else None)."""
        from ras_chat.app.summary import standing_now

        with self.locks.get(sid):
            session = self.restore(store, sid)
            if session is None:
                return None
            result = session.result()
            return page_of(session), result, standing_now(store, sid) if result is not None else None
