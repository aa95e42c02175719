"""Opening a database brings its tables up to date: the numbered migrations of `schema`,
applied in order in one transaction (a newer database is refused, a read-only older one
too), then what a migration needs done in code (sealing what was there, filling in the
urgent column). A mixin of `Store`.
"""

from __future__ import annotations

from ras_chat.store import schema
from ras_chat.store.errors import NewerDatabase, ReadOnlyDatabase
from ras_chat.store.faults import guarded
from ras_chat.store.trail import AuditTrail
from ras_chat.store.values import now, urgent_words


class Migrations(AuditTrail):
    """A mixin of `Store`."""

    @guarded
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
            if current < schema.URGENT_FROM <= schema.LATEST:
                self._fill_urgent()

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

    @guarded
    def schema_version(self) -> int:
        return self._q("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0

    def _fill_urgent(self) -> None:
        """Migration 5: the urgent column of the sessions saved before it, from their flags."""
        for sid, body in self._q("SELECT id, snapshot FROM sessions").fetchall():
            snapshot = self._json(body)
            words = urgent_words(snapshot) if isinstance(snapshot, dict) else None
            if words is not None:
                self._q("UPDATE sessions SET urgent = ? WHERE id = ?", (words, sid))
