"""What a storage fault really means, in one line with nothing of the stored data in it:
SQLite errors by their error name, PostgreSQL errors by their SQLSTATE, operating system
errors by errno; and `guarded`, which every public method of the store goes through."""

from __future__ import annotations

import errno
import functools
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from ras_chat.store.errors import DamagedDatabase, DiskFull, NotWritten, ReadOnlyDatabase, StoreError

READ_ONLY = "the database cannot be written (the file, its folder or its disk is read-only); nothing was changed"


def errorname(exc: BaseException) -> str:
    return getattr(exc, "sqlite_errorname", None) or ""


def sqlite_problem(exc: BaseException, where: str) -> StoreError:
    """What a SQLite error really means, in one line with nothing of the stored data in it."""
    name = errorname(exc)
    text = str(exc)
    if text.startswith("Could not decode"):  # its text quotes the stored bytes: never shown
        return DamagedDatabase(f"{where}: a stored row is not valid text; {CHANGED}")
    if name.startswith("SQLITE_FULL") or "disk is full" in text:
        return DiskFull(f"{where}: the disk is full; nothing was changed. Free some space and try again")
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return ReadOnlyDatabase(f"{where}: {READ_ONLY}")
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        why = "it is not a database" if name.startswith("SQLITE_NOTADB") else "SQLite found damaged pages"
        return DamagedDatabase(damaged(Path(where), why))
    if name.startswith("SQLITE_IOERR"):
        if disk_nearly_full(where):  # a full disk can show as an I/O error (growing -shm or -wal)
            return DiskFull(f"{where}: the disk is full; nothing was changed. Free some space and try again")
        return NotWritten(f"{where}: {io_error()}; nothing was changed")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StoreError(f"{where}: the database is busy (another ras-chat is using it); try again")
    if name.startswith("SQLITE_CANTOPEN"):
        return StoreError(f"{where}: cannot open the database file")
    if name.startswith("SQLITE_PERM") or name.startswith("SQLITE_AUTH"):
        return ReadOnlyDatabase(f"{where}: {READ_ONLY}")
    return StoreError(f"{where}: the database refused the request ({name or type(exc).__name__})")


def disk_nearly_full(where: str) -> bool:
    try:
        st = os.statvfs(Path(where).parent)
    except (OSError, ValueError, AttributeError):
        return False
    return st.f_bavail * st.f_frsize < 256 * 1024 or (st.f_files > 0 and st.f_favail == 0)


def io_error() -> str:
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
        if soft != resource.RLIM_INFINITY:
            return "the database could not be written: the limit on file size (ulimit -f) was reached"
    except (ImportError, OSError, ValueError):
        pass
    return "the database could not be read or written (a disk error)"


def postgres_problem(exc: BaseException, where: str) -> StoreError:
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


def os_problem(exc: OSError, where: str) -> StoreError:
    what = exc.filename or where
    if exc.errno == errno.ENOSPC or exc.errno == getattr(errno, "EDQUOT", -1):
        return DiskFull(f"{what}: the disk is full; nothing was changed. Free some space and try again")
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return ReadOnlyDatabase(f"{what}: cannot be written (read-only); nothing was changed")
    if exc.errno == errno.EFBIG:
        return NotWritten(f"{what}: the limit on file size (ulimit -f) was reached; nothing was changed")
    return NotWritten(f"{what}: cannot be written ({exc.strerror or type(exc).__name__}); nothing was changed")



CHANGED = "the database has been changed outside ras-chat or damaged (see `ras-chat audit verify`)"


def damaged(path: Path, detail: str) -> str:
    return (
        f"{path}: the database is damaged ({detail}). It has not been changed. "
        "Restore a copy made with `ras-chat backup`, or ask for help."
    )


F = TypeVar("F", bound=Callable[..., Any])


def guarded(method: F) -> F:
    """Every public method: a storage fault becomes a StoreError with plain words (no
    traceback, nothing of the stored data), and a failed write says it was not saved."""

    @functools.wraps(method)
    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except StoreError:
            raise
        except OSError as exc:
            raise os_problem(exc, self.describe()) from None
        except ValueError as exc:  # JSON that does not parse, text that does not decode
            if isinstance(exc, (json.JSONDecodeError, UnicodeError)):
                raise DamagedDatabase(f"{self.describe()}: a stored row cannot be read; {CHANGED}") from None
            raise
        except Exception as exc:
            problem = self._db.problem(exc)
            if problem is None:
                raise
            raise problem from None

    return cast(F, run)
