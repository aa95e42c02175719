"""What every part of the store shares: its connection, its dialect, who this process is
(for leases), where the audit chain's head is kept, and the plumbing to run a statement.
`Store` and its parts (`Leases`, `Migrations`, `AuditTrail`) stand on it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ras_chat.store.backends import PostgresBackend, SqliteBackend
from ras_chat.store.dialect import Dialect
from ras_chat.store.values import is_postgres, redact_url


class StoreBase:
    """The state a `Store` holds (set up by `Store.__init__`) and its plumbing."""

    target: str
    dialect: Dialect
    _db: SqliteBackend | PostgresBackend
    _me: dict[str, Any]
    """This process as a lease holder: token, holder, host, pid, start."""
    _held: set[str]
    """Sessions whose lease this store holds (given back on close)."""
    _locked: set[str]
    """PostgreSQL: sessions whose advisory lock this connection holds."""
    head_path: Path
    _key: bytes | None

    @property
    def kind(self) -> str:
        return self.dialect.name

    @property
    def read_only(self) -> bool:
        """True when the database can be read but not written (a read-only file, folder or disk)."""
        return self._db.read_only

    def describe(self) -> str:
        return redact_url(self.target) if is_postgres(self.target) else self.target

    def _q(self, sql: str, params: tuple | list = ()) -> Any:
        return self._db.execute(self.dialect.sql(sql), params)

    def _json(self, value: Any) -> Any:
        return self.dialect.json_value(value)
