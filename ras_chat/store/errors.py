"""Storage errors: each is one plain line for the command line (exit code 2), never a traceback."""

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
