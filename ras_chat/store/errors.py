"""Storage errors: each is one plain line for the command line (exit code 2), never a traceback.

They say what really happened: only a file that fails SQLite's check (or a row that
cannot be read back) is called damaged; a read-only file, folder or disk, a full disk and
a session open elsewhere each have their own words. No message carries a person's data.
"""

from __future__ import annotations


class StoreError(Exception):
    """A storage problem the user can act on; `str(exc)` is one line."""


class DamagedDatabase(StoreError):
    """The database file failed its integrity check (or is not a database); it was not changed."""


class SessionNotFound(StoreError):
    """No session matches the id, prefix or `last`."""


class AmbiguousSession(StoreError):
    """A prefix matches more than one session."""


class InvalidData(StoreError):
    """What the caller asked us to store is not acceptable (a snapshot without an id, an empty reason)."""


class NewerDatabase(StoreError):
    """The database was written by a newer ras-chat than this one."""


class NotWritten(StoreError):
    """A change could not be written (full disk, read-only file, folder or disk, a write error).
    Nothing was changed: the transaction was rolled back."""


class DiskFull(NotWritten):
    """The disk (or the database server's disk) is full."""


class ReadOnlyDatabase(NotWritten):
    """The database, its folder or its disk cannot be written; reading still works."""


class SessionBusy(StoreError):
    """Another ras-chat holds the session's lease (it is open there)."""
