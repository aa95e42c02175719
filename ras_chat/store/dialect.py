"""The small differences between SQLite and PostgreSQL, kept in one place.

SQL elsewhere is written once, with `?` placeholders and `{json}` / `{bigint}` type
names; the dialect turns it into what the server expects. Both servers accept the same
`INSERT ... ON CONFLICT (...) DO UPDATE SET col = excluded.col ... RETURNING` upsert
(SQLite from 3.35), so there is one upsert in the code, not two.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Dialect:
    name: str
    placeholder: str
    types: dict[str, str]
    for_update: str
    """Suffix that locks a row read inside a write transaction (SQLite locks the whole file instead)."""

    def sql(self, text: str) -> str:
        if self.placeholder != "?":
            text = text.replace("?", self.placeholder)
        return text

    def ddl(self, text: str) -> str:
        return text.format(**self.types)

    def json_param(self, value: Any) -> Any:
        if self.name == "postgresql":
            from psycopg.types.json import Json

            return Json(value, dumps=_dumps)
        return _dumps(value)

    @staticmethod
    def json_value(value: Any) -> Any:
        """A stored JSON column as Python; a row that does not parse is damaged, and the
        message says so without quoting it (json's own error would show where and what)."""
        if value is None or not isinstance(value, (str, bytes)):
            return value
        try:
            return json.loads(value)
        except ValueError:
            from ras_chat.store.errors import DamagedDatabase

            raise DamagedDatabase(
                "a stored row cannot be read (it is not valid JSON): the database has been changed outside "
                "ras-chat or damaged (see `ras-chat audit verify`)"
            ) from None


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


SQLITE = Dialect(
    name="sqlite",
    placeholder="?",
    types={"json": "TEXT", "bigint": "INTEGER"},
    for_update="",
)

POSTGRESQL = Dialect(
    name="postgresql",
    placeholder="%s",
    # `json` (not `jsonb`) keeps the text as written, so a snapshot's key order survives a round trip.
    types={"json": "JSON", "bigint": "BIGINT"},
    for_update=" FOR UPDATE",
)
