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
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import stat
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterator

from ras_chat.store import schema
from ras_chat.store.audit import GENESIS, AuditBreak, AuditEntry, canonical, check_chain, entry_hash
from ras_chat.store.dialect import POSTGRESQL, SQLITE, Dialect
from ras_chat.store.errors import (
    AmbiguousSession,
    DamagedDatabase,
    InvalidData,
    NewerDatabase,
    SessionNotFound,
    StoreError,
)

BUSY_TIMEOUT_S = 30.0
STATUSES = ("in_progress", "handed_off", "agreed")
_KEEP: Any = object()
"""`save_turn(record=..., result=...)` default: leave what is stored as it is."""

_AUDIT_LOCK_KEY = 0x52415341  # "RASA": PostgreSQL advisory lock serialising the audit chain
_MIGRATE_LOCK_KEY = 0x5241534D  # "RASM"


def is_postgres(target: str | os.PathLike | None) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def redact_url(url: str) -> str:
    """The address without a password, for messages."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}@{host}" if user else f"{scheme}://{host}"


def now() -> str:
    return stamp(dt.datetime.now(dt.timezone.utc))


def stamp(value: Any) -> str:
    """A time as sortable UTC text (`2026-04-01T09:30:00.000000Z`); unparseable text is kept."""
    if value is None:
        return now()
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return str(value)


def who_text(who: Any) -> str | None:
    """The `who` of a snapshot as one display string (it may be a name or a small dict)."""
    if who is None or isinstance(who, str):
        return who or None
    if isinstance(who, dict):
        for key in ("name", "display", "id"):
            if who.get(key):
                return str(who[key])
        return None
    return str(who)


@dataclass(frozen=True)
class SessionSummary:
    id: str
    created: str
    updated: str
    who: str | None
    status: str
    policy: str | None
    state: str | None
    weekly: str | None
    """The engine's first figure (pounds a week, as text)."""
    messages: int
    agreed_weekly: str | None = None
    """The amount a worker agreed at sign-off (None until signed off)."""

    def as_dict(self) -> dict:
        return asdict(self)


# ----- backends: one connection each, the same small interface -----------------------------


class _SqliteBackend:
    dialect: Dialect = SQLITE

    def __init__(self, path: Path):
        self.path = path
        self.created = _create_private_file(path)
        try:
            self.conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_S)
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open the database ({exc})") from None
        try:
            self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            problems = _while_busy(lambda: [row[0] for row in self.conn.execute("PRAGMA quick_check").fetchall()])
            # switching a new file to WAL takes a lock SQLite does not wait for on its own
            _while_busy(lambda: self.conn.execute("PRAGMA journal_mode = WAL"))
            self.conn.execute("PRAGMA synchronous = FULL")
            self.conn.execute("PRAGMA foreign_keys = ON")
        except _StillBusy:
            self.conn.close()
            raise StoreError(
                f"{path}: the database stayed busy for {BUSY_TIMEOUT_S:.0f} seconds (another ras-chat is using it); try again"
            ) from None
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise DamagedDatabase(_damaged(path, str(exc))) from None
        if problems != ["ok"]:
            self.conn.close()
            raise DamagedDatabase(_damaged(path, problems[0]))
        _tighten_sidecars(path)

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @contextlib.contextmanager
    def read(self) -> Iterator[None]:
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            self.conn.execute("COMMIT")

    def execute(self, sql: str, params: tuple | list = ()) -> Any:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: list) -> None:
        self.conn.executemany(sql, rows)

    def lock_audit(self) -> None:
        """Nothing to do: `BEGIN IMMEDIATE` already holds the only write lock."""

    def lock_migrations(self) -> None:
        """Nothing to do: `BEGIN IMMEDIATE` already holds the only write lock."""

    def close(self) -> None:
        self.conn.close()


class _PostgresBackend:
    dialect: Dialect = POSTGRESQL

    def __init__(self, url: str):
        import psycopg

        self.url = url
        self.created = False
        try:
            self.conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"{redact_url(url)}: cannot connect ({first})") from None
        self.conn.execute("SET lock_timeout = '30s'")

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        with self.conn.transaction():
            yield

    @contextlib.contextmanager
    def read(self) -> Iterator[None]:
        with self.conn.transaction():
            yield

    def execute(self, sql: str, params: tuple | list = ()) -> Any:
        return self.conn.execute(sql, params or None)

    def executemany(self, sql: str, rows: list) -> None:
        with self.conn.cursor() as cur:
            cur.executemany(sql, rows)

    def lock_audit(self) -> None:
        self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_AUDIT_LOCK_KEY,))

    def lock_migrations(self) -> None:
        self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATE_LOCK_KEY,))

    def close(self) -> None:
        self.conn.close()


class _StillBusy(Exception):
    pass


def _while_busy(action: Any) -> Any:
    """Run `action`, trying again while another connection holds the lock SQLite gave up on
    at once ("database is locked" while a new file is being set up). A busy database is
    not a damaged one."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    pause = 0.005
    while True:
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() > deadline:
                raise _StillBusy() from None
            time.sleep(pause)
            pause = min(pause * 2, 0.2)


def _damaged(path: Path, detail: str) -> str:
    return (
        f"{path}: the database is damaged ({detail}). It has not been changed. "
        "Restore a copy made with `ras-chat backup`, or ask for help."
    )


def _create_private_file(path: Path) -> bool:
    """Make the folder (0700) and an empty file (0600) if they are missing; True if created."""
    missing: list[Path] = []
    parent = path.parent
    while not parent.exists():
        missing.append(parent)
        parent = parent.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            pass
        os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the database ({exc.strerror})") from None
    os.fchmod(fd, 0o600)
    os.close(fd)
    return True


def _tighten_sidecars(path: Path) -> None:
    """SQLite gives -wal and -shm the main file's mode; make sure of it when the file is ours."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        try:
            if stat.S_IMODE(side.stat().st_mode) & ~mode:
                os.chmod(side, mode)
        except OSError:
            pass


# ----- the store ----------------------------------------------------------------------------


class Store:
    """Sessions, their transcripts and the worker's audit trail, in SQLite or PostgreSQL."""

    def __init__(self, target: str | os.PathLike):
        self.target = str(target)
        if is_postgres(self.target):
            self._db: _SqliteBackend | _PostgresBackend = _PostgresBackend(self.target)
        else:
            self._db = _SqliteBackend(Path(os.path.expanduser(self.target)))
        self.dialect = self._db.dialect
        try:
            self._migrate()
        except BaseException:
            self._db.close()
            raise

    @property
    def kind(self) -> str:
        return self.dialect.name

    def describe(self) -> str:
        return redact_url(self.target) if is_postgres(self.target) else self.target

    # -- plumbing --

    def _q(self, sql: str, params: tuple | list = ()) -> Any:
        return self._db.execute(self.dialect.sql(sql), params)

    def _migrate(self) -> None:
        db = self._db
        with db.write():
            db.lock_migrations()
            db.execute(schema.SCHEMA_VERSION_TABLE)
            row = self._q("SELECT MAX(version) FROM schema_version").fetchone()
            current = row[0] or 0
            if current > schema.LATEST:
                raise NewerDatabase(
                    f"{self.describe()}: the database is from a newer ras-chat (schema {current}, "
                    f"this one knows up to {schema.LATEST}); update ras-chat"
                )
            for version in range(current + 1, schema.LATEST + 1):
                for statement in schema.statements(version, self.dialect.name):
                    db.execute(self.dialect.ddl(statement))
                self._q("INSERT INTO schema_version (version, applied) VALUES (?, ?)", (version, now()))

    def schema_version(self) -> int:
        return self._q("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sessions --

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
        stored for the session. Returns only after the commit.
        """
        if not isinstance(snapshot, dict):
            raise InvalidData("a snapshot must be a JSON object")
        sid = snapshot.get("id")
        if not isinstance(sid, str) or not sid.strip():
            raise InvalidData("a snapshot needs an `id` (text)")
        status = snapshot.get("status") or "in_progress"
        if status not in STATUSES:
            raise InvalidData(f"status: should be one of {', '.join(STATUSES)}, not {status!r}")
        messages = [_check_message(m) for m in new_messages]
        body = {k: v for k, v in snapshot.items() if k != "transcript"}
        d = self.dialect
        columns = {
            "id": sid,
            "created": stamp(snapshot.get("created")),
            "updated": stamp(snapshot.get("updated")),
            "who": who_text(snapshot.get("who")),
            "status": status,
            "policy": _text_or_none(snapshot.get("policy")),
            "state": _text_or_none(snapshot.get("state")),
            "snapshot": d.json_param(body),
        }
        update = ["updated", "who", "status", "policy", "state", "snapshot"]
        if record is not _KEEP:
            columns["record"] = d.json_param(record) if record is not None else None
            update.append("record")
        if result is not _KEEP:
            columns["result"] = d.json_param(result) if result is not None else None
            columns["weekly"] = _weekly(result)
            update += ["result", "weekly"]
        columns["message_count"] = len(messages)
        names = list(columns)
        sets = ", ".join(f"{c} = excluded.{c}" for c in update)
        sql = (
            f"INSERT INTO sessions ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)}) "
            f"ON CONFLICT (id) DO UPDATE SET {sets}, message_count = sessions.message_count + ? "
            "RETURNING message_count"
        )
        with self._db.write():
            count = self._q(sql, [*columns.values(), len(messages)]).fetchone()[0]
            if messages:
                first = count - len(messages) + 1
                rows = [
                    (sid, first + i, m["role"], m["text"], _at(m.get("at")), m.get("kind"), d.json_param(m))
                    for i, m in enumerate(messages)
                ]
                self._db.executemany(
                    d.sql("INSERT INTO messages (session_id, seq, role, text, at, kind, body) VALUES (?, ?, ?, ?, ?, ?, ?)"),
                    rows,
                )
        return count

    def load(self, session_id: str) -> dict:
        """The snapshot as saved, with its transcript rebuilt from the stored messages."""
        with self._db.read():
            row = self._q("SELECT snapshot, message_count FROM sessions WHERE id = ?", (session_id,)).fetchone()
            if row is None:
                raise SessionNotFound(f"no session {session_id!r}")
            snapshot = dict(self.dialect.json_value(row[0]))
            # messages are never changed once written; reading up to the count the
            # snapshot was saved with gives a consistent pair on either server
            bodies = self._q(
                "SELECT body FROM messages WHERE session_id = ? AND seq <= ? ORDER BY seq", (session_id, row[1])
            ).fetchall()
        snapshot["transcript"] = [self.dialect.json_value(b[0]) for b in bodies]
        return snapshot

    def details(self, session_id: str) -> dict:
        """Everything a hand-off needs: `snapshot`, `record`, `result`, `audit` (a list of entries)."""
        snapshot = self.load(session_id)
        row = self._q("SELECT record, result FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return {
            "snapshot": snapshot,
            "record": self.dialect.json_value(row[0]) if row else None,
            "result": self.dialect.json_value(row[1]) if row else None,
            "audit": self.audit_entries(session_id),
        }

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

    def list_sessions(self, limit: int | None = None) -> list[SessionSummary]:
        """Newest first. Reads only the summary columns (the snapshot stays on disk)."""
        sql = (
            "SELECT id, created, updated, who, status, policy, state, weekly, message_count, agreed_weekly "
            "FROM sessions ORDER BY updated DESC, id DESC"
        )
        params: tuple = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (int(limit),)
        return [SessionSummary(*row) for row in self._q(sql, params).fetchall()]

    def count_sessions(self) -> int:
        return self._q("SELECT COUNT(*) FROM sessions").fetchone()[0]

    # -- the audit trail --

    def append_audit(
        self, session_id: str, *, who: str, what: dict, why: str, at: Any = None, status: str | None = None
    ) -> AuditEntry:
        """Add one worker change (who, when, what, why) to the chain and commit it.

        With `status` (a sign-off: "agreed"), the session's status and its snapshot's
        `status` and `updated` change in the same transaction, so the entry and the new
        status are saved together or not at all. Messages and the record stay as they are.
        """
        if status is not None and status not in STATUSES:
            raise InvalidData(f"status: should be one of {', '.join(STATUSES)}, not {status!r}")
        if not isinstance(who, str) or not who.strip():
            raise InvalidData("an audit entry needs who made the change")
        if not isinstance(why, str) or not why.strip():
            raise InvalidData("a change needs a reason (why)")
        if not isinstance(what, dict) or not what:
            raise InvalidData("an audit entry needs what changed (a JSON object)")
        what_text = canonical(what)
        when = stamp(at)
        with self._db.write():
            self._db.lock_audit()
            if not self._q("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone():
                raise SessionNotFound(f"no session {session_id!r}")
            last = self._q("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
            seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
            digest = entry_hash(seq, session_id, when, who.strip(), what_text, why.strip(), prev)
            self._q(
                "INSERT INTO audit (seq, session_id, at, who, what, why, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (seq, session_id, when, who.strip(), what_text, why.strip(), prev, digest),
            )
            if status is not None:
                row = self._q("SELECT snapshot FROM sessions WHERE id = ?", (session_id,)).fetchone()
                body = dict(self.dialect.json_value(row[0]))
                body["status"] = status
                body["updated"] = when
                agreed = what.get("agreed_weekly")
                self._q(
                    "UPDATE sessions SET status = ?, updated = ?, snapshot = ?, agreed_weekly = ? WHERE id = ?",
                    (status, when, self.dialect.json_param(body), None if agreed is None else str(agreed), session_id),
                )
        return AuditEntry(seq, session_id, when, who.strip(), what, why.strip(), prev, digest)

    def audit_entries(self, session_id: str | None = None) -> list[AuditEntry]:
        sql = "SELECT seq, session_id, at, who, what, why, prev_hash, hash FROM audit"
        params: tuple = ()
        if session_id is not None:
            sql += " WHERE session_id = ?"
            params = (session_id,)
        rows = self._q(sql + " ORDER BY seq", params).fetchall()
        return [AuditEntry(r[0], r[1], r[2], r[3], self.dialect.json_value(r[4]), r[5], r[6], r[7]) for r in rows]

    def verify_audit(self) -> list[AuditBreak]:
        """Every break in the chain (an edited, removed or reordered entry); empty when intact."""
        rows = self._q("SELECT seq, session_id, at, who, what, why, prev_hash, hash FROM audit ORDER BY seq").fetchall()
        return check_chain([tuple(r) for r in rows])

    def audit_head(self) -> tuple[int, str]:
        """(number of entries, hash of the newest): note these elsewhere to detect a cut-off tail."""
        row = self._q("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        return (row[0], row[1]) if row else (0, GENESIS)

    # -- safety --

    def integrity_check(self) -> list[str]:
        """Problems found by a full check (empty when healthy). PostgreSQL checks itself."""
        if isinstance(self._db, _SqliteBackend):
            found = [r[0] for r in self._db.execute("PRAGMA integrity_check").fetchall()]
            return [] if found == ["ok"] else found
        return []

    def backup(self, path: str | os.PathLike) -> Path:
        """A consistent copy as a new SQLite file (0600), safe while sessions are being saved."""
        from ras_chat.store.backup import backup_store

        return backup_store(self, Path(path))


def _check_message(m: Any) -> dict:
    if not isinstance(m, dict):
        raise InvalidData("a message must be a JSON object")
    if m.get("role") not in ("assistant", "person"):
        raise InvalidData(f"message role: should be assistant or person, not {m.get('role')!r}")
    if not isinstance(m.get("text"), str):
        raise InvalidData("message text: should be text")
    return m


def _at(value: Any) -> str | None:
    return None if value is None else stamp(value)


def _text_or_none(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("id") or value.get("name")
    return None if value is None else str(value)


def _weekly(result: dict | None) -> str | None:
    if not isinstance(result, dict) or result.get("weekly") is None:
        return None
    return str(result["weekly"])


def open_store(target: str | os.PathLike | None = None) -> Store:
    """The store at `target` (a file path or a postgresql:// address); default from Settings."""
    if target is None:
        from ras_chat.settings import Settings

        target = Settings().database()
    return Store(target)
