"""The two database servers behind one small interface: a connection each, `write()` and
`read()` transactions, `execute`, the locks that keep the audit chain and the migrations
one at a time, and each server's faults in plain words."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ras_chat.store.dialect import POSTGRESQL, SQLITE, Dialect
from ras_chat.store.errors import DamagedDatabase, ReadOnlyDatabase, StoreError
from ras_chat.store.faults import READ_ONLY, damaged, errorname, postgres_problem, sqlite_problem
from ras_chat.store.files import create_private_file, tighten_existing, tighten_sidecars
from ras_chat.store.values import redact_url

BUSY_TIMEOUT_S = 30.0
_AUDIT_LOCK_KEY = 0x52415341  # "RASA": PostgreSQL advisory lock serialising the audit chain
_MIGRATE_LOCK_KEY = 0x5241534D  # "RASM"
_LEASE_LOCK_CLASS = 0x5241534C  # "RASL": with hashtext(session id), held by the writer's connection


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



class SqliteBackend:
    dialect: Dialect = SQLITE

    def __init__(self, path: Path):
        self.path = path
        existed = os.path.lexists(path)
        self.created = create_private_file(path)
        # a file, folder or disk we may not write: open for reading only (list, export, verify)
        self.read_only = not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))
        try:
            self.conn = self._connect(immutable=False)
        except sqlite3.Error as exc:
            raise sqlite_problem(exc, str(path)) from None
        try:
            self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            try:
                problems = _while_busy(lambda: [row[0] for row in self.conn.execute("PRAGMA quick_check").fetchall()])
            except sqlite3.OperationalError as exc:
                if not self.read_only or not errorname(exc).startswith(("SQLITE_CANTOPEN", "SQLITE_READONLY")):
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
            raise sqlite_problem(exc, str(path)) from None
        except UnicodeDecodeError:  # the check's own report holds bytes from a damaged page
            self.conn.close()
            raise DamagedDatabase(damaged(path, "it failed SQLite's integrity check")) from None
        if problems != ["ok"]:
            self.conn.close()
            raise DamagedDatabase(damaged(path, "it failed SQLite's integrity check"))
        if existed:  # after the check: a damaged file is left exactly as it was
            tighten_existing(path)
        tighten_sidecars(path)

    def _connect(self, *, immutable: bool) -> sqlite3.Connection:
        if not self.read_only:
            return sqlite3.connect(str(self.path), isolation_level=None, timeout=BUSY_TIMEOUT_S)
        uri = f"file:{quote(str(self.path.absolute()))}?mode=ro" + ("&immutable=1" if immutable else "")
        return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_S)

    def refuse_if_read_only(self) -> None:
        if self.read_only:
            raise ReadOnlyDatabase(f"{self.path}: {READ_ONLY}")

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
            return sqlite_problem(exc, str(self.path))
        return None

    def close(self) -> None:
        self.conn.close()


class PostgresBackend:
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
        return bool(row is not None and row[0])

    def problem(self, exc: BaseException) -> StoreError | None:
        import psycopg

        if isinstance(exc, psycopg.Error):
            return postgres_problem(exc, redact_url(self.url))
        return None

    def close(self) -> None:
        self.conn.close()
