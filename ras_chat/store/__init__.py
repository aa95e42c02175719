"""Persistence: sessions saved turn by turn, the worker's audit trail, backups, hand-off records.

    from ras_chat.store import open_store
    with open_store() as store:          # RAS_CHAT_DB, or sessions.db in the data folder
        store.save_turn(session.state.model_dump(mode="json"), new_messages)
        snapshot = store.load(store.resolve("last"))

SQLite by default; a `postgresql://` address uses PostgreSQL with the same code.
"""

from ras_chat.store.audit import AuditBreak, AuditEntry
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
from ras_chat.store.store import SessionSummary, Store, open_store

__all__ = [
    "AmbiguousSession",
    "AuditBreak",
    "AuditEntry",
    "DamagedDatabase",
    "DiskFull",
    "InvalidData",
    "NewerDatabase",
    "NotWritten",
    "ReadOnlyDatabase",
    "SessionBusy",
    "SessionNotFound",
    "SessionSummary",
    "Store",
    "StoreError",
    "open_store",
]
