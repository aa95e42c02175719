"""Short references that let a person come back to a saved conversation (`ras-chat web`).

A reference is a few plain words ("maple river candle tiger"), made by the front end and
given to the person when they choose "save and come back later". Only its SHA-256 hash is
kept, beside the session id and an expiry time, so the table alone does not give the
words away. Saving a new reference for a session replaces the old one.

Looking one up is rate-limited here, in the database, so several web processes sharing
one PostgreSQL count the same tries: each failed try is written down (with a hash of who
tried, never the address itself) and a lookup is refused while one client has had
`per_client` failures, or everyone together `overall` failures, within the window.
docs/web.md works out why four words from 2,048 with these limits cannot be guessed in
practice.

The tables come from migration 3 (`MIGRATION` below, appended to `schema.MIGRATIONS`).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from ras_chat.store.errors import StoreError

MIGRATION: dict[str, list[str]] = {
    "*": [
        # IF NOT EXISTS: an upgrade test re-applies migrations over tables already there
        """
        CREATE TABLE IF NOT EXISTS session_references (
            ref_hash TEXT PRIMARY KEY,
            session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            created TEXT NOT NULL,
            expires TEXT NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS session_references_session ON session_references (session_id)",
        """
        CREATE TABLE IF NOT EXISTS reference_tries (
            client TEXT NOT NULL,
            at TEXT NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS reference_tries_at ON reference_tries (at)",
        "CREATE INDEX IF NOT EXISTS reference_tries_client ON reference_tries (client, at)",
    ]
}

KEEP_DAYS = 30
"""How long a reference works after it was given."""
WINDOW = dt.timedelta(minutes=15)
PER_CLIENT = 10
"""Failed tries one client may make in `WINDOW`."""
OVERALL = 150
"""Failed tries everyone together may make in `WINDOW` (600 an hour)."""


class TooManyTries(StoreError):
    """Too many wrong references were tried lately; wait and try again."""


def reference_hash(reference: str) -> str:
    return hashlib.sha256(reference.encode("utf-8")).hexdigest()


def _stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now(dt.UTC)


def save_reference(store, session_id: str, reference: str, *, days: int = KEEP_DAYS, now: dt.datetime | None = None) -> None:
    """Keep `reference` (already in its normal form) for `session_id`, replacing any older one."""
    at = _now(now)
    with store._db.write():
        store._q("DELETE FROM session_references WHERE session_id = ? OR expires < ?", (session_id, _stamp(at)))
        store._q(
            "INSERT INTO session_references (ref_hash, session_id, created, expires) VALUES (?, ?, ?, ?)",
            (reference_hash(reference), session_id, _stamp(at), _stamp(at + dt.timedelta(days=days))),
        )


def forget_references(store, session_id: str) -> None:
    with store._db.write():
        store._q("DELETE FROM session_references WHERE session_id = ?", (session_id,))


def find_reference(
    store,
    reference: str | None,
    *,
    client: str,
    now: dt.datetime | None = None,
    per_client: int = PER_CLIENT,
    overall: int = OVERALL,
    window: dt.timedelta = WINDOW,
) -> str | None:
    """The session id for `reference` (its normal form; None for words that cannot be a
    reference, which counts as a failed try), or None. A failure is recorded against
    `client` (a hash of who asked). Raises TooManyTries, before looking, while the limits
    are used up."""
    at = _now(now)
    since = _stamp(at - window)
    client_key = hashlib.sha256(client.encode("utf-8")).hexdigest()[:32]
    with store._db.write():
        store._q("DELETE FROM reference_tries WHERE at < ?", (since,))
        mine = store._q("SELECT COUNT(*) FROM reference_tries WHERE client = ? AND at >= ?", (client_key, since)).fetchone()[0]
        everyone = store._q("SELECT COUNT(*) FROM reference_tries WHERE at >= ?", (since,)).fetchone()[0]
        if mine >= per_client or everyone >= overall:
            raise TooManyTries("too many wrong references lately; wait a few minutes and try again")
        row = None
        if reference:
            row = store._q(
                "SELECT session_id FROM session_references WHERE ref_hash = ? AND expires >= ?",
                (reference_hash(reference), _stamp(at)),
            ).fetchone()
        if row is None:
            store._q("INSERT INTO reference_tries (client, at) VALUES (?, ?)", (client_key, _stamp(at)))
            return None
    return row[0]
