"""The web front end's configuration, and the store per thread: one connection per pool
thread, one lock per conversation, and the sessions lately restored (kept only while the
store's version of them matches)."""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class WebConfig:
    db: str | None = None
    """A SQLite path or a postgresql:// address (None: Settings)."""
    policy: str = "example"
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    secure_cookies: bool = False
    """Mark the cookie Secure (set when serving beyond this computer, behind HTTPS)."""
    allowed_hosts: tuple[str, ...] | None = ("127.0.0.1", "localhost", "[::1]")
    """Host headers answered (None: any). Guards against DNS rebinding on 127.0.0.1."""
    clock: Callable[[], dt.datetime] | None = None
    """For tests: the sessions' clock."""
    threads: int = 8
    """Threads for the sessions' and the store's work (and so store connections)."""


class Stores:
    """One store connection per thread, opened on first use. A pool thread that ends
    (anyio lets idle ones go) takes its connection with it: only the thread holds it, and
    the set here is weak, for closing what is left at shutdown."""

    def __init__(self, target: str | None):
        import weakref

        self.target = target
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: weakref.WeakSet[Any] = weakref.WeakSet()

    def get(self):
        store = getattr(self._local, "store", None)
        if store is None:
            from ras_chat.store import open_store

            store = open_store(self.target)
            self._local.store = store
            with self._lock:
                self._all.add(store)
        return store

    def drop(self) -> None:
        """Forget this thread's connection (after an error it may be in a bad state)."""
        store = getattr(self._local, "store", None)
        self._local.store = None
        if store is not None:
            with self._lock:
                self._all.discard(store)
            try:
                store.close()
            except Exception:
                pass

    def close_all(self) -> None:
        with self._lock:
            stores = list(self._all)
            self._all.clear()
        for store in stores:
            try:
                store.close()
            except Exception:  # another thread's SQLite connection: it goes with the process
                pass


class SessionLocks:
    """One lock per conversation in this process, so a double click cannot interleave two
    turns. Across processes the form's turn number catches a stale or repeated form."""

    def __init__(self) -> None:
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, sid: str) -> threading.Lock:
        with self._guard:
            if len(self._locks) > 10_000:
                self._locks = {k: v for k, v in self._locks.items() if v.locked()}
            return self._locks.setdefault(sid, threading.Lock())


class SessionCache:
    """Sessions this process restored lately, each kept with the version it was saved at
    (`updated`, message count). Every request first reads that version from the store
    (one small row) and uses the kept session only while it matches: the store stays the
    only state, and a turn taken by another process is always seen. It saves rebuilding
    the session (validation, a deep copy and the state machine) on every page."""

    def __init__(self, limit: int = 256):
        import collections

        self.limit = limit
        self._items: collections.OrderedDict[str, tuple[tuple, Any]] = collections.OrderedDict()
        self._guard = threading.Lock()

    def get(self, sid: str, version: tuple) -> Any | None:
        with self._guard:
            hit = self._items.get(sid)
            if hit is None or hit[0] != version:
                return None
            self._items.move_to_end(sid)
            return hit[1]

    def put(self, sid: str, version: tuple, session: Any) -> None:
        with self._guard:
            self._items[sid] = (version, session)
            self._items.move_to_end(sid)
            while len(self._items) > self.limit:
                self._items.popitem(last=False)

    def drop(self, sid: str) -> None:
        with self._guard:
            self._items.pop(sid, None)


def saved_version(store: Any, sid: str) -> tuple | None:
    """(updated, message count) of a saved session, or None when there is none."""
    row = store._q("SELECT updated, message_count FROM sessions WHERE id = ?", (sid,)).fetchone()
    return tuple(row) if row else None

