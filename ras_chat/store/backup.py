"""`Store.backup`: a consistent copy as a new SQLite file, safe while sessions are being saved.

SQLite uses the online backup API (it copies a consistent snapshot page by page while
other processes keep writing). PostgreSQL is copied table by table inside one
REPEATABLE READ transaction into a fresh SQLite file with the same tables, so a team
database can be backed up (or handed to someone) as one file with the same tools.
The copy is written beside the target under a temporary name, checked, then renamed, so
a half-written backup never carries the real name. Its audit chain head is written beside
it (`PATH.audit-head`), so the copy verifies on its own; leases are not copied.
A missing folder is refused (as `export --out` does), never created.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from ras_chat.store.errors import StoreError

if TYPE_CHECKING:
    from ras_chat.store.store import Store

_TABLES = {
    "sessions": "id, created, updated, who, status, policy, state, weekly, message_count, snapshot, record, result, agreed_weekly",
    "messages": "session_id, seq, role, text, at, kind, body",
    "audit": "seq, session_id, at, who, what, why, prev_hash, hash",
    "seals": "seq, session_id, at, kind, content, prev_hash, hash",
}


def backup_store(store: Store, path: Path) -> Path:
    from ras_chat.store.audit import GENESIS, write_head
    from ras_chat.store.backends import SqliteBackend
    from ras_chat.store.files import create_private_file

    path = Path(os.path.expanduser(str(path)))
    head_file = Path(f"{path}.audit-head")
    for existing in (path, head_file):
        if os.path.lexists(existing):
            raise StoreError(f"{existing}: already exists; choose a new name (a backup never overwrites a file)")
    if not path.parent.is_dir():
        raise StoreError(f"{path.parent}: no such folder; make it first, or choose another place")
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        create_private_file(partial)
        if isinstance(store._db, SqliteBackend):
            if Path(store._db.path).resolve() == path.resolve():
                raise StoreError(f"{path}: that is the database itself")
            dst = sqlite3.connect(str(partial))
            try:
                store._db.conn.backup(dst)
                ok = dst.execute("PRAGMA quick_check").fetchone()[0]
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
            if ok != "ok":
                raise StoreError(f"{path}: the backup failed its check ({ok})")
        else:
            _copy_postgres(store, partial)
        probe = sqlite3.connect(str(partial))
        try:
            rows = probe.execute("SELECT seq, hash FROM seals ORDER BY seq DESC LIMIT 2").fetchall()
        finally:
            probe.close()
        count, head = rows[0] if rows else (0, GENESIS)
        before = rows[1] if len(rows) > 1 else (0, GENESIS)
        write_head(head_file, count, head, before[0], before[1], store._key)
        os.replace(partial, path)
    except BaseException:
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm"), Path(f"{partial}-journal")):
            try:
                leftover.unlink()
            except OSError:
                pass
        if not path.exists():
            try:
                head_file.unlink()
            except OSError:
                pass
        raise
    return path


def _copy_postgres(store: Store, partial: Path) -> None:
    from ras_chat.store.dialect import _dumps
    from ras_chat.store.store import Store

    dst = Store(partial)
    try:
        json_cols = {"sessions": (9, 10, 11), "messages": (6,), "audit": (), "seals": ()}
        src = store._db
        with src.write():
            src.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            with dst._db.write():
                for table, cols in _TABLES.items():
                    rows = src.execute(f"SELECT {cols} FROM {table}").fetchall()
                    fixed = [
                        tuple(
                            _dumps(v) if i in json_cols[table] and v is not None else v for i, v in enumerate(row)
                        )
                        for row in rows
                    ]
                    marks = ", ".join("?" for _ in cols.split(","))
                    dst._db.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", fixed)
        if [b for b in dst.verify_audit() if "head file" not in b.problem] != [
            b for b in store.verify_audit() if "head file" not in b.problem
        ]:
            raise StoreError("the backup's audit trail differs from the database's")
        dst._db.execute("PRAGMA journal_mode = DELETE")
    finally:
        dst.close()
