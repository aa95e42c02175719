"""One storage API over SQLite (a file, the default) and PostgreSQL (a `postgresql://` address).

The code paths are the same for both; `dialect.py` holds the few differences.

Durability: `save_turn` commits the snapshot and the new transcript messages in one
transaction and returns only after the commit, so whatever the caller shows next is
backed by what is on disk. On SQLite we use write-ahead logging with
`synchronous=FULL`: with WAL, NORMAL already survives a killed process, but a power cut
could roll back the last few turns; FULL adds one fsync of the log per turn, which is
cheap at the pace people type (see scripts/bench_store.py) and makes "committed" mean
"on the disk". Writers start with `BEGIN IMMEDIATE` so a second process waits on the
busy timeout instead of failing half way through a transaction.

A `Store` holds one connection and is not shared between threads.

The store is in parts along its seams: `backends` (the two servers), `faults` (their
errors in plain words), `files` (the SQLite file kept private), `migrate` (the tables
brought up to date), `leases` (one writer per session), `trail` (the audit trail and the
case record's seals) and `values`; this module holds the sessions themselves, and keeps
the older names importable from here.
"""

from __future__ import annotations

import getpass
import os
import socket
import uuid
from pathlib import Path
from typing import Any

from ras_chat.store.audit import clean_partials
from ras_chat.store.backends import BUSY_TIMEOUT_S, PostgresBackend, SqliteBackend
from ras_chat.store.errors import (
    AmbiguousSession,
    DamagedDatabase,
    DiskFull,
    InvalidData,
    NotWritten,
    ReadOnlyDatabase,
    SessionNotFound,
    StoreError,
)
from ras_chat.store.faults import CHANGED, guarded, os_problem
from ras_chat.store.leases import _LEASE_COLUMNS, LEASE_IDLE_S, Leases, process_start
from ras_chat.store.migrate import Migrations
from ras_chat.store.values import (
    STATUSES,
    SessionSummary,
    at_text,
    check_message,
    is_postgres,
    now,
    redact_url,
    stamp,
    text_or_none,
    urgent_words,
    weekly_text,
    who_text,
)

_KEEP: Any = object()
"""`save_turn(record=..., result=...)` default: leave what is stored as it is."""


class Store(Leases, Migrations):
    """Sessions, their transcripts and the worker's audit trail, in SQLite or PostgreSQL."""

    def __init__(self, target: str | os.PathLike):
        self.target = str(target)
        if is_postgres(self.target):
            self._db: SqliteBackend | PostgresBackend = PostgresBackend(self.target)
        else:
            self._db = SqliteBackend(Path(os.path.expanduser(self.target)))
        self.dialect = self._db.dialect
        host = socket.gethostname()
        try:
            user = getpass.getuser()
        except Exception:  # no login name (a container): the uid will do
            user = str(os.getuid()) if hasattr(os, "getuid") else "someone"
        self._me = {
            "token": uuid.uuid4().hex,
            "holder": f"{user}@{host}",
            "host": host,
            "pid": os.getpid(),
            "start": process_start(os.getpid()),
        }
        self._held: set[str] = set()
        """Sessions whose lease this store holds (given back on close)."""
        self._locked: set[str] = set()
        """PostgreSQL: sessions whose advisory lock this connection holds."""
        try:
            self.head_path, self._key = self._head_settings()
            if not self._db.read_only:
                clean_partials(self.head_path)
            self._migrate()
        except BaseException:
            self._db.close()
            raise

    def close(self) -> None:
        """Give back the leases this store holds, then close (a failure to give them back is
        harmless: a lease whose process is gone is taken over)."""
        if self._held and not self._db.read_only:
            try:
                with self._db.write():
                    for sid in sorted(self._held):
                        self._q(
                            f"UPDATE sessions SET {', '.join(c + ' = NULL' for c in _LEASE_COLUMNS.split(', '))} "
                            "WHERE id = ? AND lease_token = ?",
                            (sid, self._me["token"]),
                        )
            except Exception:
                pass
        self._held.clear()
        try:
            self._db.close()
        except Exception:
            pass

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sessions --

    @guarded
    def save_turn(
        self,
        snapshot: dict,
        new_messages: list[dict] = (),  # type: ignore[assignment]
        *,
        record: dict | None = _KEEP,
        result: dict | None = _KEEP,
    ) -> int:
        """Commit the snapshot and the new transcript messages in one transaction.

        `snapshot` is the JSON dump of the dialogue's SessionState; its `transcript` is not
        stored twice (the messages table holds it, and `load` puts it back). `record` and
        `result` (the assessment record and the engine's allocation, as JSON) are kept as
        they were unless given; pass None to clear them. Returns the number of messages
        stored for the session. Returns only after the commit, with a seal over what was
        stored. Refused (SessionBusy) while another live process holds the session; a
        failure to write (DiskFull, ReadOnlyDatabase, NotWritten) says the answer was not
        saved and how to carry on.
        """
        if not isinstance(snapshot, dict):
            raise InvalidData("a snapshot must be a JSON object")
        sid = snapshot.get("id")
        if not isinstance(sid, str) or not sid.strip():
            raise InvalidData("a snapshot needs an `id` (text)")
        try:
            return self._save_turn(sid, snapshot, new_messages, record, result)
        except NotWritten as exc:
            raise self._not_saved(exc, sid) from None
        except Exception as exc:
            problem = exc if isinstance(exc, StoreError) else (
                os_problem(exc, self.describe()) if isinstance(exc, OSError) else self._db.problem(exc)
            )
            if isinstance(problem, NotWritten):
                raise self._not_saved(problem, sid) from None
            raise

    def _not_saved(self, exc: NotWritten, sid: str) -> NotWritten:
        """The same fault, said for a person: what was lost and how to carry on."""
        try:
            known = self._q("SELECT 1 FROM sessions WHERE id = ?", (sid,)).fetchone() is not None
        except Exception:
            known = True
        carry_on = f"carry on with ras-chat --resume {sid[:8]}" if known else "start again with ras-chat"
        if isinstance(exc, DiskFull):
            return DiskFull(f"the disk is full: your last answer was not saved; free some space and {carry_on}")
        if isinstance(exc, ReadOnlyDatabase):
            return ReadOnlyDatabase(
                f"{self.describe()}: the database cannot be written (the file, its folder or its disk is read-only): "
                f"your last answer was not saved; make it writable and {carry_on}"
            )
        detail = str(exc).split(": ", 1)[-1].removesuffix("; nothing was changed")
        return NotWritten(f"{detail}: your last answer was not saved; {carry_on}")

    def _save_turn(self, sid: str, snapshot: dict, new_messages: Any, record: Any, result: Any) -> int:
        status = snapshot.get("status") or "in_progress"
        if status not in STATUSES:
            raise InvalidData(f"status: should be one of {', '.join(STATUSES)}, not {status!r}")
        messages = [check_message(m) for m in new_messages]
        body = {k: v for k, v in snapshot.items() if k != "transcript"}
        d = self.dialect
        columns = {
            "id": sid,
            "created": stamp(snapshot.get("created")),
            "updated": stamp(snapshot.get("updated")),
            "who": who_text(snapshot.get("who")),
            "status": status,
            "policy": text_or_none(snapshot.get("policy")),
            "state": text_or_none(snapshot.get("state")),
            "urgent": urgent_words(snapshot),
            "snapshot": d.json_param(body),
        }
        update = ["updated", "who", "status", "policy", "state", "urgent", "snapshot"]
        if record is not _KEEP:
            columns["record"] = d.json_param(record) if record is not None else None
            update.append("record")
        if result is not _KEEP:
            columns["result"] = d.json_param(result) if result is not None else None
            columns["weekly"] = weekly_text(result)
            update += ["result", "weekly"]
        columns["message_count"] = len(messages)
        lease_names = _LEASE_COLUMNS.split(", ")
        update += lease_names
        self._db.refuse_if_read_only()
        with self._db.write():
            self._db.lock_audit()  # the case record is one chain
            since = self._take_lease(sid, self._lease_row(sid))
            columns.update(zip(lease_names, self._lease_values(since)))
            names = list(columns)
            sets = ", ".join(f"{c} = excluded.{c}" for c in update)
            sql = (
                f"INSERT INTO sessions ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)}) "
                f"ON CONFLICT (id) DO UPDATE SET {sets}, message_count = sessions.message_count + ? "
                "RETURNING message_count"
            )
            count = self._q(sql, [*columns.values(), len(messages)]).fetchone()[0]
            first = count - len(messages) + 1
            if messages:
                rows = [
                    (sid, first + i, m["role"], m["text"], at_text(m.get("at")), m.get("kind"), d.json_param(m))
                    for i, m in enumerate(messages)
                ]
                self._db.executemany(
                    d.sql("INSERT INTO messages (session_id, seq, role, text, at, kind, body) VALUES (?, ?, ?, ?, ?, ?, ?)"),
                    rows,
                )
            self._seal(sid, "turn", messages=(first, count) if messages else None)
        self._held.add(sid)
        return count

    @guarded
    def load(self, session_id: str) -> dict:
        """The snapshot as saved, with its transcript rebuilt from the stored messages."""
        with self._db.read():
            row = self._q("SELECT snapshot, message_count FROM sessions WHERE id = ?", (session_id,)).fetchone()
            if row is None:
                raise SessionNotFound(f"no session {session_id!r}")
            snapshot = self._json(row[0])
            if not isinstance(snapshot, dict):
                raise DamagedDatabase(f"session {session_id[:8]}: its saved state cannot be read; {CHANGED}")
            snapshot = dict(snapshot)
            # messages are never changed once written; reading up to the count the
            # snapshot was saved with gives a consistent pair on either server
            bodies = self._q(
                "SELECT body FROM messages WHERE session_id = ? AND seq <= ? ORDER BY seq", (session_id, row[1])
            ).fetchall()
        snapshot["transcript"] = [self._json(b[0]) for b in bodies]
        return snapshot

    @guarded
    def details(self, session_id: str) -> dict:
        """Everything a hand-off needs: `snapshot`, `record`, `result`, `audit` (a list of entries)."""
        snapshot = self.load(session_id)
        row = self._q("SELECT record, result FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return {
            "snapshot": snapshot,
            "record": self._json(row[0]) if row else None,
            "result": self._json(row[1]) if row else None,
            "audit": self.audit_entries(session_id),
        }

    @guarded
    def resolve(self, ref: str) -> str:
        """`last` (the most recently updated), a full id, or a unique start of one."""
        ref = (ref or "").strip()
        if not ref:
            raise SessionNotFound("give a session id, the start of one, or `last`")
        if ref == "last":
            row = self._q("SELECT id FROM sessions ORDER BY updated DESC, id DESC LIMIT 1").fetchone()
            if row is None:
                raise SessionNotFound("there are no saved sessions yet")
            return row[0]
        if self._q("SELECT 1 FROM sessions WHERE id = ?", (ref,)).fetchone():
            return ref
        rows = self._q(
            "SELECT id FROM sessions WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT 6", (len(ref), ref)
        ).fetchall()
        if not rows:
            raise SessionNotFound(f"no session starts with {ref!r} (see `ras-chat sessions`)")
        if len(rows) > 1:
            shown = ", ".join(r[0] for r in rows[:5])
            raise AmbiguousSession(f"{ref!r} matches more than one session ({shown}{', ...' if len(rows) > 5 else ''})")
        return rows[0][0]

    @guarded
    def list_sessions(self, limit: int | None = None, *, urgent_first: bool = False) -> list[SessionSummary]:
        """Newest first (with `urgent_first`, the sessions with an urgent flag before the
        rest, each newest first). Reads only the summary columns (the snapshot stays on disk)."""
        order = "CASE WHEN urgent IS NULL THEN 1 ELSE 0 END, " if urgent_first else ""
        sql = (
            "SELECT id, created, updated, who, status, policy, state, weekly, message_count, agreed_weekly, urgent "
            f"FROM sessions ORDER BY {order}updated DESC, id DESC"
        )
        params: tuple = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (int(limit),)
        return [SessionSummary(*row) for row in self._q(sql, params).fetchall()]

    @guarded
    def count_sessions(self) -> int:
        return self._q("SELECT COUNT(*) FROM sessions").fetchone()[0]

    # -- safety --

    @guarded
    def integrity_check(self) -> list[str]:
        """Problems found by a full check (empty when healthy). PostgreSQL checks itself."""
        if isinstance(self._db, SqliteBackend):
            found = [r[0] for r in self._db.execute("PRAGMA integrity_check").fetchall()]
            return [] if found == ["ok"] else found
        return []

    @guarded
    def backup(self, path: str | os.PathLike) -> Path:
        """A consistent copy as a new SQLite file (0600), safe while sessions are being saved,
        with its own chain head file beside it."""
        from ras_chat.store.backup import backup_store

        return backup_store(self, Path(path))


def open_store(target: str | os.PathLike | None = None) -> Store:
    """The store at `target` (a file path or a postgresql:// address); default from Settings."""
    if target is None:
        from ras_chat.environment import current

        target = current().database()
    return Store(target)


__all__ = [
    "BUSY_TIMEOUT_S",
    "LEASE_IDLE_S",
    "STATUSES",
    "SessionSummary",
    "Store",
    "is_postgres",
    "now",
    "open_store",
    "redact_url",
    "stamp",
    "who_text",
]
