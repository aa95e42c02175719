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
import errno
import functools
import getpass
import json
import os
import socket
import sqlite3
import stat
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ras_chat.store import schema
from ras_chat.store.audit import (
    GENESIS,
    MESSAGE_COLUMNS,
    PARTS,
    SESSION_COLUMNS,
    AuditBreak,
    AuditEntry,
    canonical,
    check_chain,
    check_head,
    check_seal_chain,
    clean_partials,
    entry_hash,
    messages_digest,
    row_digests,
    seal_hash,
    write_head,
)
from ras_chat.store.dialect import POSTGRESQL, SQLITE, Dialect
from ras_chat.store.errors import (
    AmbiguousSession,
    DamagedDatabase,
    DiskFull,
    InvalidData,
    NewerDatabase,
    NotWritten,
    ReadOnlyDatabase,
    SessionBusy,
    SessionNotFound,
    StoreError,
)

BUSY_TIMEOUT_S = 30.0
STATUSES = ("in_progress", "handed_off", "agreed")
_KEEP: Any = object()
"""`save_turn(record=..., result=...)` default: leave what is stored as it is."""

_AUDIT_LOCK_KEY = 0x52415341  # "RASA": PostgreSQL advisory lock serialising the audit chain
_MIGRATE_LOCK_KEY = 0x5241534D  # "RASM"
_LEASE_LOCK_CLASS = 0x5241534C  # "RASL": with hashtext(session id), held by the writer's connection
LEASE_IDLE_S = 2 * 3600
"""A lease held from another computer (SQLite on a shared folder) is stale after this long
without a save; on the same computer it is stale as soon as its process is gone."""
_LEASE_COLUMNS = "lease_token, lease_holder, lease_host, lease_pid, lease_start, lease_since, lease_seen"


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
    return stamp(dt.datetime.now(dt.UTC))


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
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
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
        existed = os.path.lexists(path)
        self.created = _create_private_file(path)
        # a file, folder or disk we may not write: open for reading only (list, export, verify)
        self.read_only = not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))
        try:
            self.conn = self._connect(immutable=False)
        except sqlite3.Error as exc:
            raise _sqlite_problem(exc, str(path)) from None
        try:
            self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            try:
                problems = _while_busy(lambda: [row[0] for row in self.conn.execute("PRAGMA quick_check").fetchall()])
            except sqlite3.OperationalError as exc:
                if not self.read_only or not _errorname(exc).startswith(("SQLITE_CANTOPEN", "SQLITE_READONLY")):
                    raise
                # a WAL database in a folder we cannot write: SQLite cannot make its -shm
                # file, so read it as it is on disk (nobody can be writing it from here)
                self.conn.close()
                wal = Path(f"{path}-wal")
                if wal.exists() and wal.stat().st_size > 0:
                    # answers saved in the -wal file cannot be read without writing beside it
                    raise ReadOnlyDatabase(
                        f"{path}: its newest changes are in {wal.name}, which cannot be read while the folder is "
                        "read-only; make the folder writable, or copy the database with its -wal file elsewhere"
                    ) from None
                self.conn = self._connect(immutable=True)
                problems = [row[0] for row in self.conn.execute("PRAGMA quick_check").fetchall()]
            if not self.read_only:
                # switching a new file to WAL takes a lock SQLite does not wait for on its own
                _while_busy(lambda: self.conn.execute("PRAGMA journal_mode = WAL"))
                self.conn.execute("PRAGMA synchronous = FULL")
            self.conn.execute("PRAGMA foreign_keys = ON")
        except _StillBusy:
            self.conn.close()
            raise StoreError(
                f"{path}: the database stayed busy for {BUSY_TIMEOUT_S:.0f} seconds (another ras-chat is using it); try again"
            ) from None
        except sqlite3.Error as exc:
            self.conn.close()
            raise _sqlite_problem(exc, str(path)) from None
        except UnicodeDecodeError:  # the check's own report holds bytes from a damaged page
            self.conn.close()
            raise DamagedDatabase(_damaged(path, "it failed SQLite's integrity check")) from None
        if problems != ["ok"]:
            self.conn.close()
            raise DamagedDatabase(_damaged(path, "it failed SQLite's integrity check"))
        if existed:  # after the check: a damaged file is left exactly as it was
            _tighten_existing(path)
        _tighten_sidecars(path)

    def _connect(self, *, immutable: bool) -> sqlite3.Connection:
        if not self.read_only:
            return sqlite3.connect(str(self.path), isolation_level=None, timeout=BUSY_TIMEOUT_S)
        uri = f"file:{quote(str(self.path.absolute()))}?mode=ro" + ("&immutable=1" if immutable else "")
        return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S)

    def refuse_if_read_only(self) -> None:
        if self.read_only:
            raise ReadOnlyDatabase(f"{self.path}: {_READ_ONLY}")

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        self.refuse_if_read_only()
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.conn.execute("COMMIT")
        except BaseException:
            # a failed COMMIT (full disk) may already have rolled back: do not hide its error
            if self.conn.in_transaction:
                try:
                    self.conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            raise

    @contextlib.contextmanager
    def read(self) -> Iterator[None]:
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    def execute(self, sql: str, params: tuple | list = ()) -> Any:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: list) -> None:
        self.conn.executemany(sql, rows)

    def lock_audit(self) -> None:
        """Nothing to do: `BEGIN IMMEDIATE` already holds the only write lock."""

    def lock_migrations(self) -> None:
        """Nothing to do: `BEGIN IMMEDIATE` already holds the only write lock."""

    def try_lease_lock(self, session_id: str) -> bool | None:
        """None: SQLite has no per-connection lock; the lease's process is checked instead."""
        return None

    def problem(self, exc: BaseException) -> StoreError | None:
        if isinstance(exc, sqlite3.Error):
            return _sqlite_problem(exc, str(self.path))
        return None

    def close(self) -> None:
        self.conn.close()


class _PostgresBackend:
    dialect: Dialect = POSTGRESQL

    def __init__(self, url: str):
        import psycopg

        self.url = url
        self.created = False
        self.read_only = False
        try:
            self.conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"{redact_url(url)}: cannot connect ({first})") from None
        self.conn.execute("SET lock_timeout = '30s'")

    def refuse_if_read_only(self) -> None:
        """The server says so itself when it cannot write (read-only transaction or login)."""

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

    def try_lease_lock(self, session_id: str) -> bool | None:
        """A session-level advisory lock for the session: the server drops it when the
        holder's connection ends (its process died), so a free lock means a stale lease."""
        # advisory locks are shared by the whole database: the schema is part of the key
        row = self.conn.execute(
            "SELECT pg_try_advisory_lock(%s, hashtext(current_schema() || '/' || %s))", (_LEASE_LOCK_CLASS, session_id)
        ).fetchone()
        return bool(row[0])

    def problem(self, exc: BaseException) -> StoreError | None:
        import psycopg

        if isinstance(exc, psycopg.Error):
            return _postgres_problem(exc, redact_url(self.url))
        return None

    def close(self) -> None:
        self.conn.close()


_READ_ONLY = "the database cannot be written (the file, its folder or its disk is read-only); nothing was changed"


def _errorname(exc: BaseException) -> str:
    return getattr(exc, "sqlite_errorname", None) or ""


def _sqlite_problem(exc: BaseException, where: str) -> StoreError:
    """What a SQLite error really means, in one line with nothing of the stored data in it."""
    name = _errorname(exc)
    text = str(exc)
    if text.startswith("Could not decode"):  # its text quotes the stored bytes: never shown
        return DamagedDatabase(f"{where}: a stored row is not valid text; {_CHANGED}")
    if name.startswith("SQLITE_FULL") or "disk is full" in text:
        return DiskFull(f"{where}: the disk is full; nothing was changed. Free some space and try again")
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return ReadOnlyDatabase(f"{where}: {_READ_ONLY}")
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        why = "it is not a database" if name.startswith("SQLITE_NOTADB") else "SQLite found damaged pages"
        return DamagedDatabase(_damaged(Path(where), why))
    if name.startswith("SQLITE_IOERR"):
        if _disk_nearly_full(where):  # a full disk can show as an I/O error (growing -shm or -wal)
            return DiskFull(f"{where}: the disk is full; nothing was changed. Free some space and try again")
        return NotWritten(f"{where}: {_io_error()}; nothing was changed")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StoreError(f"{where}: the database is busy (another ras-chat is using it); try again")
    if name.startswith("SQLITE_CANTOPEN"):
        return StoreError(f"{where}: cannot open the database file")
    if name.startswith("SQLITE_PERM") or name.startswith("SQLITE_AUTH"):
        return ReadOnlyDatabase(f"{where}: {_READ_ONLY}")
    return StoreError(f"{where}: the database refused the request ({name or type(exc).__name__})")


def _disk_nearly_full(where: str) -> bool:
    try:
        st = os.statvfs(Path(where).parent)
    except (OSError, ValueError, AttributeError):
        return False
    return st.f_bavail * st.f_frsize < 256 * 1024 or (st.f_files > 0 and st.f_favail == 0)


def _io_error() -> str:
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
        if soft != resource.RLIM_INFINITY:
            return "the database could not be written: the limit on file size (ulimit -f) was reached"
    except (ImportError, OSError, ValueError):
        pass
    return "the database could not be read or written (a disk error)"


def _postgres_problem(exc: BaseException, where: str) -> StoreError:
    """The server's error by its SQLSTATE; its own text may quote data, so it is not shown."""
    state = getattr(exc, "sqlstate", None) or ""
    if state == "53100":
        return DiskFull(f"{where}: the database server's disk is full; nothing was changed. Ask for space to be freed and try again")
    if state in ("25006", "42501"):
        return ReadOnlyDatabase(f"{where}: the database server does not let this login write; nothing was changed")
    if state in ("XX001", "XX002"):
        return DamagedDatabase(f"{where}: the database server reports damaged data; nothing was changed. Ask for help")
    if state == "P0001":
        return StoreError(f"{where}: the audit trail is append-only")
    if state.startswith("08") or not state:
        return StoreError(f"{where}: lost the connection to the database server; nothing more was saved. Try again")
    if state.startswith("53"):
        return NotWritten(f"{where}: the database server is short of resources (SQLSTATE {state}); nothing was changed")
    return StoreError(f"{where}: the database refused the request (SQLSTATE {state})")


def _os_problem(exc: OSError, where: str) -> StoreError:
    what = exc.filename or where
    if exc.errno == errno.ENOSPC or exc.errno == getattr(errno, "EDQUOT", -1):
        return DiskFull(f"{what}: the disk is full; nothing was changed. Free some space and try again")
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ReadOnlyDatabase(f"{what}: cannot be written (read-only); nothing was changed")
    if exc.errno == errno.EFBIG:
        return NotWritten(f"{what}: the limit on file size (ulimit -f) was reached; nothing was changed")
    return NotWritten(f"{what}: cannot be written ({exc.strerror or type(exc).__name__}); nothing was changed")


_CHANGED = "the database has been changed outside ras-chat or damaged (see `ras-chat audit verify`)"


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


def _notice(text: str) -> None:
    """A warning for the person at the keyboard, before any screen is drawn."""
    try:
        print(f"ras-chat: warning: {text}", file=sys.stderr)
    except (OSError, ValueError):
        pass


def _tighten_existing(path: Path) -> None:
    """An existing database (and its -wal/-shm) readable by others: say so and make it private."""
    loose = []
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            st = os.lstat(p)
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode) and stat.S_IMODE(st.st_mode) & 0o077:
            loose.append((p, stat.S_IMODE(st.st_mode)))
    if not loose:
        return
    failed = []
    for p, m in loose:
        try:
            os.chmod(p, m & 0o700)
        except OSError:
            failed.append(p)
    shown = ", ".join(f"{p.name} ({m:04o})" for p, m in loose)
    if failed:
        _notice(f"{path}: other users can read {shown} and it could not be changed; run: chmod go-rwx {' '.join(str(p) for p in failed)}")
    else:
        _notice(f"{path}: other users could read {shown}; it is now readable by you only")


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
        except OSError as exc:
            problem = _os_problem(exc, str(folder))
            raise type(problem)(f"{path}: cannot create the database ({problem})") from None
        os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    except OSError as exc:
        problem = _os_problem(exc, str(path))
        raise type(problem)(f"{path}: cannot create the database ({exc.strerror})") from None
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


def _guarded(method: Callable) -> Callable:
    """Every public method: a storage fault becomes a StoreError with plain words (no
    traceback, nothing of the stored data), and a failed write says it was not saved."""

    @functools.wraps(method)
    def run(self: Store, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except StoreError:
            raise
        except OSError as exc:
            raise _os_problem(exc, self.describe()) from None
        except ValueError as exc:  # JSON that does not parse, text that does not decode
            if isinstance(exc, (json.JSONDecodeError, UnicodeError)):
                raise DamagedDatabase(f"{self.describe()}: a stored row cannot be read; {_CHANGED}") from None
            raise
        except Exception as exc:
            problem = self._db.problem(exc)
            if problem is None:
                raise
            raise problem from None

    return run


def _process_start(pid: int) -> str | None:
    """When a process started (Linux: clock ticks since boot), to tell a reused pid apart."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            text = f.read().decode("ascii", "replace")
        return text.rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OSError, ValueError, OverflowError):
        return False
    return True


class Store:
    """Sessions, their transcripts and the worker's audit trail, in SQLite or PostgreSQL."""

    def __init__(self, target: str | os.PathLike):
        self.target = str(target)
        if is_postgres(self.target):
            self._db: _SqliteBackend | _PostgresBackend = _PostgresBackend(self.target)
        else:
            self._db = _SqliteBackend(Path(os.path.expanduser(self.target)))
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
            "start": _process_start(os.getpid()),
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

    @property
    def kind(self) -> str:
        return self.dialect.name

    @property
    def read_only(self) -> bool:
        """True when the database can be read but not written (a read-only file, folder or disk)."""
        return self._db.read_only

    def describe(self) -> str:
        return redact_url(self.target) if is_postgres(self.target) else self.target

    # -- plumbing --

    def _q(self, sql: str, params: tuple | list = ()) -> Any:
        return self._db.execute(self.dialect.sql(sql), params)

    def _json(self, value: Any) -> Any:
        return self.dialect.json_value(value)

    def _head_settings(self) -> tuple[Path, bytes | None]:
        """Where the chain head is kept (a setting, else beside the SQLite file, else in the
        data folder for a PostgreSQL address), and the HMAC key when one is configured."""
        from ras_chat.environment import current

        settings = current()
        if settings.audit_head:
            head = Path(os.path.expanduser(str(settings.audit_head)))
        elif is_postgres(self.target):
            import hashlib

            name = hashlib.sha256(redact_url(self.target).encode()).hexdigest()[:16]
            head = settings.resolved_data_dir() / f"audit-head-{name}.json"
        else:
            head = Path(f"{os.path.expanduser(self.target)}.audit-head")
        key = None
        if settings.audit_key_file:
            try:
                key = Path(os.path.expanduser(str(settings.audit_key_file))).read_bytes().strip()
            except OSError as exc:
                raise StoreError(f"the audit key file {settings.audit_key_file}: cannot be read ({exc.strerror})") from None
            if len(key) < 16:
                raise StoreError(f"the audit key file {settings.audit_key_file}: too short (use 32 random bytes or more)")
        return head, key

    @_guarded
    def _migrate(self) -> None:
        db = self._db
        current = self._current_version()
        if current == schema.LATEST:
            return
        if current > schema.LATEST:
            raise NewerDatabase(
                f"{self.describe()}: the database is from a newer ras-chat (schema {current}, "
                f"this one knows up to {schema.LATEST}); update ras-chat"
            )
        if db.read_only:
            raise ReadOnlyDatabase(
                f"{self.describe()}: the database is from an older ras-chat and must be upgraded, but it cannot be "
                "written (read-only); open it once where it can be written, or work on a copy"
            )
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
                    if not self._already_there(statement):
                        db.execute(self.dialect.ddl(statement))
                self._q("INSERT INTO schema_version (version, applied) VALUES (?, ?)", (version, now()))
            if current < schema.SEAL_FROM <= schema.LATEST:
                self._seal_existing()

    def _current_version(self) -> int:
        with self._db.read():
            if self.kind == "sqlite":
                found = self._q("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").fetchone()
            else:
                found = self._q("SELECT to_regclass('schema_version')").fetchone()
                found = found if found and found[0] else None
            if not found:
                return 0
            return self._q("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0

    def _already_there(self, statement: str) -> bool:
        """`ALTER TABLE t ADD COLUMN c ...` when t already has c (a migration run twice)."""
        words = statement.split()
        if len(words) < 6 or [w.upper() for w in words[:2]] != ["ALTER", "TABLE"] or words[3].upper() != "ADD":
            return False
        table, column = words[2], words[5] if words[4].upper() == "COLUMN" else words[4]
        if self.kind == "sqlite":
            return any(r[1] == column for r in self._db.execute(f"PRAGMA table_info({table})").fetchall())
        row = self._q(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? AND column_name = ?",
            (table, column),
        ).fetchone()
        return row is not None

    @_guarded
    def schema_version(self) -> int:
        return self._q("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0

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

    # -- one writer per session --

    def _lease_row(self, session_id: str) -> tuple | None:
        return self._q(
            f"SELECT {_LEASE_COLUMNS} FROM sessions WHERE id = ?{self.dialect.for_update}", (session_id,)
        ).fetchone()

    def _take_lease(self, session_id: str, row: tuple | None) -> str:
        """Check that no other live process holds the session; return the lease's `since`.

        PostgreSQL: the holder keeps a session-level advisory lock on its connection, which
        the server drops when that connection ends, so a lock we can take means the lease
        is ours or stale. SQLite: the lease's process is checked (gone, or its pid reused),
        or, from another computer, how long since it last saved."""
        me = self._me
        token, holder, host, pid, start, since, seen = row if row is not None else (None,) * 7
        same_process = token is not None and host == me["host"] and pid == me["pid"]
        if self.kind == "postgresql":
            if session_id not in self._locked and not same_process:
                if not self._db.try_lease_lock(session_id):
                    raise self._busy(session_id, row)
                self._locked.add(session_id)
            return since if token == me["token"] and since else now()
        if token is None or same_process:
            return since if token == me["token"] and since else now()
        if host == me["host"]:
            if not _alive(pid) or (start and _process_start(int(pid)) not in (None, start)):
                return now()
            raise self._busy(session_id, row)
        try:
            last = dt.datetime.fromisoformat(str(seen).replace("Z", "+00:00"))
            idle = (dt.datetime.now(dt.UTC) - last).total_seconds()
        except ValueError:
            idle = LEASE_IDLE_S + 1
        if idle > LEASE_IDLE_S:
            return now()
        raise self._busy(session_id, row)

    def _busy(self, session_id: str, row: tuple | None) -> SessionBusy:
        if row is None or row[0] is None:  # PostgreSQL: held, but not yet written to the row
            return SessionBusy(f"session {session_id[:8]} is being opened by another ras-chat; try again in a moment")
        _, holder, host, pid, _, since, _ = row
        when = since or "?"
        try:
            when = dt.datetime.fromisoformat(str(since).replace("Z", "+00:00")).strftime("%Y-%m-%d %H:%M UTC")
        except ValueError:
            pass
        return SessionBusy(
            f"session {session_id[:8]} is open in another ras-chat ({holder or 'someone'}, process {pid}) since {when}; "
            "carry on there, or wait until it is closed"
        )

    def _lease_values(self, since: str) -> list:
        me = self._me
        return [me["token"], me["holder"], me["host"], me["pid"], me["start"], since, now()]

    @_guarded
    def claim(self, session_id: str) -> None:
        """Hold the session for this process (a `--resume`): refused with SessionBusy, saying
        who holds it and since when, while another live process has it. A lease whose process
        is gone (killed, crashed) is taken over."""
        with self._db.write():
            row = self._lease_row(session_id)
            if row is None:
                raise SessionNotFound(f"no session {session_id!r}")
            since = self._take_lease(session_id, row)
            self._q(
                f"UPDATE sessions SET {', '.join(c + ' = ?' for c in _LEASE_COLUMNS.split(', '))} WHERE id = ?",
                (*self._lease_values(since), session_id),
            )
        self._held.add(session_id)

    def lease(self, session_id: str) -> dict | None:
        """Who holds the session's lease (holder, pid, since), or None."""
        row = self._q(f"SELECT {_LEASE_COLUMNS} FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None or row[0] is None:
            return None
        return {"holder": row[1], "host": row[2], "pid": row[3], "since": row[5], "seen": row[6]}

    # -- the case record (seals) --

    def _seal(
        self,
        session_id: str,
        kind: str,
        *,
        messages: tuple[int, int] | None = None,
        audit: tuple[int, str] | None = None,
        at: str | None = None,
        head: bool = True,
    ) -> None:
        """Add a seal over the session's rows as they now stand (inside the caller's transaction)."""
        row = self._q(f"SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,)).fetchone()
        content: dict[str, Any] = {
            "parts": row_digests(tuple(row), self._json),
            "status": row[4],
            "agreed_weekly": row[12],
            "message_count": row[8],
            "messages": None,
        }
        if messages is not None:
            first, last = messages
            rows = self._q(
                f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE session_id = ? AND seq >= ? AND seq <= ? ORDER BY seq",
                (session_id, first, last),
            ).fetchall()
            content["messages"] = {"from": first, "to": last, "hash": messages_digest(rows, self._json)}
        if audit is not None:
            content["audit_seq"], content["audit_hash"] = audit
        text = canonical(content)
        when = at or now()
        last_row = self._q("SELECT seq, hash FROM seals ORDER BY seq DESC LIMIT 1").fetchone()
        prev_seq, prev = (last_row[0], last_row[1]) if last_row else (0, GENESIS)
        seq = prev_seq + 1
        digest = seal_hash(seq, session_id, when, kind, text, prev)
        self._q(
            "INSERT INTO seals (seq, session_id, at, kind, content, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (seq, session_id, when, kind, text, prev, digest),
        )
        if head:  # before the commit: after a crash the head may be one ahead, never behind
            write_head(self.head_path, seq, digest, prev_seq, prev, self._key)

    def _seal_existing(self) -> None:
        """Migration 3: seal every session and audit entry written before seals existed."""
        ids = [r[0] for r in self._q("SELECT id FROM sessions ORDER BY created, id").fetchall()]
        counts = dict(self._q("SELECT id, message_count FROM sessions").fetchall())
        for sid in ids:
            n = counts.get(sid) or 0
            self._seal(sid, "upgrade", messages=(1, n) if n else None, head=False)
        for seq, sid, digest in self._q("SELECT seq, session_id, hash FROM audit ORDER BY seq").fetchall():
            self._seal(sid, "upgrade", audit=(seq, digest), head=False)
        last = self._q("SELECT seq, hash FROM seals ORDER BY seq DESC LIMIT 1").fetchone()
        if last:
            before = self._q("SELECT seq, hash FROM seals WHERE seq = ?", (last[0] - 1,)).fetchone() or (0, GENESIS)
            write_head(self.head_path, last[0], last[1], before[0], before[1], self._key)

    @_guarded
    def seal_head(self) -> tuple[int, str]:
        """(number of case record entries, hash of the newest): what the head file holds."""
        row = self._q("SELECT seq, hash FROM seals ORDER BY seq DESC LIMIT 1").fetchone()
        return (row[0], row[1]) if row else (0, GENESIS)

    # -- sessions --

    @_guarded
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
                _os_problem(exc, self.describe()) if isinstance(exc, OSError) else self._db.problem(exc)
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
                    (sid, first + i, m["role"], m["text"], _at(m.get("at")), m.get("kind"), d.json_param(m))
                    for i, m in enumerate(messages)
                ]
                self._db.executemany(
                    d.sql("INSERT INTO messages (session_id, seq, role, text, at, kind, body) VALUES (?, ?, ?, ?, ?, ?, ?)"),
                    rows,
                )
            self._seal(sid, "turn", messages=(first, count) if messages else None)
        self._held.add(sid)
        return count

    @_guarded
    def load(self, session_id: str) -> dict:
        """The snapshot as saved, with its transcript rebuilt from the stored messages."""
        with self._db.read():
            row = self._q("SELECT snapshot, message_count FROM sessions WHERE id = ?", (session_id,)).fetchone()
            if row is None:
                raise SessionNotFound(f"no session {session_id!r}")
            snapshot = self._json(row[0])
            if not isinstance(snapshot, dict):
                raise DamagedDatabase(f"session {session_id[:8]}: its saved state cannot be read; {_CHANGED}")
            snapshot = dict(snapshot)
            # messages are never changed once written; reading up to the count the
            # snapshot was saved with gives a consistent pair on either server
            bodies = self._q(
                "SELECT body FROM messages WHERE session_id = ? AND seq <= ? ORDER BY seq", (session_id, row[1])
            ).fetchall()
        snapshot["transcript"] = [self._json(b[0]) for b in bodies]
        return snapshot

    @_guarded
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

    @_guarded
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

    @_guarded
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

    @_guarded
    def count_sessions(self) -> int:
        return self._q("SELECT COUNT(*) FROM sessions").fetchone()[0]

    # -- the audit trail --

    @_guarded
    def append_audit(
        self, session_id: str, *, who: str, what: dict, why: str, at: Any = None, status: str | None = None
    ) -> AuditEntry:
        """Add one worker change (who, when, what, why) to the chain and commit it.

        With `status` (a sign-off: "agreed"), the session's status and its snapshot's
        `status` and `updated` change in the same transaction, so the entry and the new
        status are saved together or not at all. Messages and the record stay as they are.
        The case record gets a seal over the session as it stands after the change.
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
                body = dict(self._json(row[0]))
                body["status"] = status
                body["updated"] = when
                agreed = what.get("agreed_weekly")
                self._q(
                    "UPDATE sessions SET status = ?, updated = ?, snapshot = ?, agreed_weekly = ? WHERE id = ?",
                    (status, when, self.dialect.json_param(body), None if agreed is None else str(agreed), session_id),
                )
            kind = what.get("kind") if isinstance(what.get("kind"), str) else "change"
            self._seal(session_id, kind, audit=(seq, digest), at=when)
        return AuditEntry(seq, session_id, when, who.strip(), what, why.strip(), prev, digest)

    @_guarded
    def audit_entries(self, session_id: str | None = None) -> list[AuditEntry]:
        sql = "SELECT seq, session_id, at, who, what, why, prev_hash, hash FROM audit"
        params: tuple = ()
        if session_id is not None:
            sql += " WHERE session_id = ?"
            params = (session_id,)
        rows = self._q(sql + " ORDER BY seq", params).fetchall()
        return [AuditEntry(r[0], r[1], r[2], r[3], self._json(r[4]), r[5], r[6], r[7]) for r in rows]

    @_guarded
    def verify_audit(self, session_id: str | None = None) -> list[AuditBreak]:
        """Every problem found; empty when intact. Checks the audit chain and the case
        record's chain entry by entry, the newest against the head file (and its HMAC when a
        key is configured), each audit entry against its seal, and the stored rows of every
        session (or only `session_id`) against their newest seal: the answers, the saved
        state, the record, the result, the summary columns, every message, the sign-off
        behind a status of agreed and the agreed amount."""
        audit_rows = [tuple(r) for r in self._q(
            "SELECT seq, session_id, at, who, what, why, prev_hash, hash FROM audit ORDER BY seq"
        ).fetchall()]
        breaks = check_chain(audit_rows)
        seal_rows = [tuple(r) for r in self._q(
            "SELECT seq, session_id, at, kind, content, prev_hash, hash FROM seals ORDER BY seq"
        ).fetchall()]
        breaks += check_seal_chain(seal_rows)
        count, head = (seal_rows[-1][0], seal_rows[-1][6]) if seal_rows else (0, GENESIS)
        breaks += check_head(self.head_path, count, head, self._key)

        seals: dict[str, list[dict]] = defaultdict(list)
        links: dict[int, tuple[str, Any]] = {}
        for _seq, sid, _, _, text, _, _ in seal_rows:
            if session_id is not None and sid != session_id and '"audit_seq"' not in text:
                continue  # another session's turn: its hash is checked above, its content is not needed
            try:
                content = json.loads(text)
            except ValueError:
                continue  # its hash no longer matches: already a break
            if not isinstance(content, dict):
                continue
            seals[sid].append(content)
            if content.get("audit_seq") is not None:
                links[content["audit_seq"]] = (sid, content.get("audit_hash"))
        sign_offs: dict[str, list[dict]] = defaultdict(list)
        for seq, sid, _, _, what, _, _, stored in audit_rows:
            link = links.pop(seq, None)
            if link is None:
                breaks.append(AuditBreak(seq, "is not in the case record (it was added outside ras-chat)"))
            elif link != (sid, stored):
                breaks.append(AuditBreak(seq, "differs from the case record's copy of its hash"))
            try:
                parsed = json.loads(what)
            except ValueError:
                continue
            if isinstance(parsed, dict) and parsed.get("kind") == "sign_off":
                sign_offs[sid].append(parsed)
        for seq, (sid, _) in sorted(links.items()):
            if session_id is None or sid == session_id:
                breaks.append(AuditBreak(0, f"audit entry {seq} is missing (the case record has it)", sid))

        if session_id is not None:
            ids = [session_id]
        else:
            ids = sorted({r[0] for r in self._q("SELECT id FROM sessions").fetchall()} | set(seals))
        for sid in ids:
            try:
                breaks += self._verify_session(sid, seals.get(sid, []), sign_offs.get(sid, []))
            except DamagedDatabase:
                breaks.append(AuditBreak(0, "a stored row cannot be read (it is not valid JSON or text)", sid))
            except sqlite3.OperationalError as exc:
                if not str(exc).startswith("Could not decode"):
                    raise
                breaks.append(AuditBreak(0, "a stored row cannot be read (it is not valid text)", sid))
        return breaks

    def _verify_session(self, sid: str, seals: list[dict], sign_offs: list[dict]) -> list[AuditBreak]:
        row = self._q(f"SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?", (sid,)).fetchone()
        if row is None:
            return [AuditBreak(0, "was removed from the database (its case record is still there)", sid)] if seals else []
        if not seals:
            return [AuditBreak(0, "is not in the case record (it was added outside ras-chat)", sid)]
        found: list[AuditBreak] = []
        latest = seals[-1]
        parts = row_digests(tuple(row), self._json)
        sealed = latest.get("parts") or {}
        for key, label in PARTS.items():
            if parts[key] != sealed.get(key):
                found.append(AuditBreak(0, f"{label} changed after it was saved", sid))
        status, agreed = row[4], row[12]
        if status == "agreed" and not sign_offs:
            found.append(AuditBreak(0, "is marked agreed but has no sign-off entry", sid))
        if sign_offs or agreed is not None:
            expected = sign_offs[-1].get("agreed_weekly") if sign_offs else None
            if (None if expected is None else str(expected)) != agreed:
                found.append(AuditBreak(0, "the agreed amount differs from the one in the sign-off entry", sid))
        # every message is covered by exactly one turn's seal, and matches it
        count = row[8]
        stored = {r[0]: tuple(r) for r in self._q(
            f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE session_id = ? ORDER BY seq", (sid,)
        ).fetchall()}
        covered = 0
        for content in seals:
            part = content.get("messages")
            if not isinstance(part, dict):
                continue
            first, last = part.get("from"), part.get("to")
            if not isinstance(first, int) or not isinstance(last, int):
                continue
            if first != covered + 1:
                found.append(AuditBreak(0, f"messages {covered + 1} to {first - 1} are not in the case record", sid))
            rows = [stored.get(n) for n in range(first, last + 1)]
            if any(r is None for r in rows):
                found.append(AuditBreak(0, f"messages {first} to {last}: some were removed", sid))
            elif messages_digest(rows, self._json) != part.get("hash"):
                found.append(AuditBreak(0, f"messages {first} to {last} were changed after they were saved", sid))
            covered = max(covered, last)
        extra = sorted(n for n in stored if n > covered)
        if extra:
            found.append(AuditBreak(0, f"{len(extra)} message{'s' if len(extra) != 1 else ''} not in the case record (added outside ras-chat)", sid))
        elif covered != count and not any(b.problem.endswith("changed after it was saved") for b in found):
            found.append(AuditBreak(0, "the message count differs from the case record", sid))
        return found

    @_guarded
    def audit_head(self) -> tuple[int, str]:
        """(number of entries, hash of the newest) of the worker's audit trail."""
        row = self._q("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        return (row[0], row[1]) if row else (0, GENESIS)

    @_guarded
    def accept_head(self) -> tuple[int, str]:
        """Write the head file from the database's chain as it is (after restoring a backup
        on purpose). Refused unless everything else verifies."""
        problems = [b for b in self.verify_audit() if "head file" not in b.problem]
        if problems:
            raise StoreError(f"{self.describe()}: the audit trail has other breaks; not accepting its head (see `ras-chat audit verify`)")
        count, head = self.seal_head()
        before = self._q("SELECT seq, hash FROM seals WHERE seq = ?", (count - 1,)).fetchone() or (0, GENESIS)
        write_head(self.head_path, count, head, before[0], before[1], self._key)
        return count, head

    # -- safety --

    @_guarded
    def integrity_check(self) -> list[str]:
        """Problems found by a full check (empty when healthy). PostgreSQL checks itself."""
        if isinstance(self._db, _SqliteBackend):
            found = [r[0] for r in self._db.execute("PRAGMA integrity_check").fetchall()]
            return [] if found == ["ok"] else found
        return []

    @_guarded
    def backup(self, path: str | os.PathLike) -> Path:
        """A consistent copy as a new SQLite file (0600), safe while sessions are being saved,
        with its own chain head file beside it."""
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
        from ras_chat.environment import current

        target = current().database()
    return Store(target)
