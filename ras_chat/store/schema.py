"""The tables, as numbered migrations applied in order on open (`schema_version` records them).

Add a migration by appending to `MIGRATIONS`; never edit one that has shipped.
Each entry maps a dialect name (or "*" for both) to a list of statements.
"""

from __future__ import annotations

SCHEMA_VERSION_TABLE = """
CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY,
    applied TEXT NOT NULL
)
"""

_V1_COMMON = [
    """
    CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        created TEXT NOT NULL,
        updated TEXT NOT NULL,
        who TEXT,
        status TEXT NOT NULL,
        policy TEXT,
        state TEXT,
        weekly TEXT,
        message_count INTEGER NOT NULL DEFAULT 0,
        snapshot {json} NOT NULL,
        record {json},
        result {json}
    )
    """,
    "CREATE INDEX sessions_updated ON sessions (updated)",
    """
    CREATE TABLE messages (
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        role TEXT NOT NULL,
        text TEXT NOT NULL,
        at TEXT,
        kind TEXT,
        body {json} NOT NULL,
        PRIMARY KEY (session_id, seq)
    )
    """,
    # `what` is the exact canonical JSON text that was hashed, so it is TEXT on both servers.
    """
    CREATE TABLE audit (
        seq {bigint} PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions (id),
        at TEXT NOT NULL,
        who TEXT NOT NULL,
        what TEXT NOT NULL,
        why TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    )
    """,
    "CREATE INDEX audit_session ON audit (session_id, seq)",
]

_V1_SQLITE = [
    """
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END
    """,
    """
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END
    """,
]

_V1_POSTGRESQL = [
    """
    CREATE FUNCTION ras_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END
    $$
    """,
    """
    CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION ras_audit_append_only()
    """,
]

# v2: the weekly amount a worker agreed at sign-off, beside the engine's first figure, so
# `ras-chat sessions` can list it without reading the audit trail. Filled in for
# sessions signed off before v2 from their sign-off entry (`what` is canonical JSON text).
_V2_COMMON = ["ALTER TABLE sessions ADD COLUMN agreed_weekly TEXT"]
_V2_SQLITE = [
    """
    UPDATE sessions SET agreed_weekly = (
        SELECT json_extract(a.what, '$.agreed_weekly') FROM audit a
        WHERE a.session_id = sessions.id AND json_extract(a.what, '$.kind') = 'sign_off'
        ORDER BY a.seq LIMIT 1
    ) WHERE status = 'agreed'
    """,
]
_V2_POSTGRESQL = [
    """
    UPDATE sessions SET agreed_weekly = (
        SELECT a.what::json ->> 'agreed_weekly' FROM audit a
        WHERE a.session_id = sessions.id AND a.what::json ->> 'kind' = 'sign_off'
        ORDER BY a.seq LIMIT 1
    ) WHERE status = 'agreed'
    """,
]

# v3: the case record's seals (a second hash chain: one entry per saved turn, review change
# and sign-off, holding content hashes of the stored rows; see audit.py), the lease that
# keeps one writer per session, and a TRUNCATE guard on PostgreSQL. After these statements
# the store seals every session and audit entry already there (`Store._seal_existing`), so
# an upgraded database verifies as it stood. The statements can run twice (a column that
# is there already is skipped), so a database whose version table was cut back still opens.
_V3_COMMON = [
    """
    CREATE TABLE IF NOT EXISTS seals (
        seq {bigint} PRIMARY KEY,
        session_id TEXT NOT NULL,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        content TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS seals_session ON seals (session_id, seq)",
    "ALTER TABLE sessions ADD COLUMN lease_token TEXT",
    "ALTER TABLE sessions ADD COLUMN lease_holder TEXT",
    "ALTER TABLE sessions ADD COLUMN lease_host TEXT",
    "ALTER TABLE sessions ADD COLUMN lease_pid INTEGER",
    "ALTER TABLE sessions ADD COLUMN lease_start TEXT",
    "ALTER TABLE sessions ADD COLUMN lease_since TEXT",
    "ALTER TABLE sessions ADD COLUMN lease_seen TEXT",
]
_V3_SQLITE = [
    """
    CREATE TRIGGER IF NOT EXISTS seals_no_update BEFORE UPDATE ON seals
    BEGIN SELECT RAISE(ABORT, 'the case record is append-only'); END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS seals_no_delete BEFORE DELETE ON seals
    BEGIN SELECT RAISE(ABORT, 'the case record is append-only'); END
    """,
]
_V3_POSTGRESQL = [
    """
    CREATE OR REPLACE TRIGGER seals_append_only BEFORE UPDATE OR DELETE ON seals
    FOR EACH ROW EXECUTE FUNCTION ras_audit_append_only()
    """,
    """
    CREATE OR REPLACE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION ras_audit_append_only()
    """,
    """
    CREATE OR REPLACE TRIGGER seals_no_truncate BEFORE TRUNCATE ON seals
    FOR EACH STATEMENT EXECUTE FUNCTION ras_audit_append_only()
    """,
]

# v4: short references for coming back to a web conversation, and the failed tries that
# rate-limit them (ras_chat/store/references.py, `ras-chat web`).
from ras_chat.store.references import MIGRATION as _V4_REFERENCES  # noqa: E402

# v5: the words of a session's urgent flags (a possible disclosure of harm, a carer at
# breaking point), beside the summary columns, so `ras-chat sessions` and the review list
# put urgent cases first without reading every snapshot. Filled in from the flags of
# sessions saved before v5 (`Store._fill_urgent`). Derived from the sealed snapshot, it is
# not itself part of a seal.
_V5_COMMON = ["ALTER TABLE sessions ADD COLUMN urgent TEXT"]

MIGRATIONS: list[dict[str, list[str]]] = [
    {"*": _V1_COMMON, "sqlite": _V1_SQLITE, "postgresql": _V1_POSTGRESQL},
    {"*": _V2_COMMON, "sqlite": _V2_SQLITE, "postgresql": _V2_POSTGRESQL},
    {"*": _V3_COMMON, "sqlite": _V3_SQLITE, "postgresql": _V3_POSTGRESQL},
    _V4_REFERENCES,
    {"*": _V5_COMMON},
]
SEAL_FROM = 3
"""The migration after which the store seals what is already there."""
URGENT_FROM = 5
"""The migration after which the store fills in the urgent column of what is already there."""

LATEST = len(MIGRATIONS)


def statements(version: int, dialect: str) -> list[str]:
    step = MIGRATIONS[version - 1]
    return [*step.get("*", []), *step.get(dialect, [])]
