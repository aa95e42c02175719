"""The audit trail covers the case, not just the log (issue 19).

A real conversation (Farzana's test plan, saved turn by turn), a review change and a
sign-off; then someone with direct access to the database makes one edit from the issue's
list, and `verify_audit` (and `ras-chat audit verify`, and the export's
`audit_chain_intact`) must notice. SQLite, and PostgreSQL when RAS_CHAT_TEST_PG is set.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from store_helpers import postgres_schema, postgres_url, seed_from_plan

from ras_chat.__main__ import main
from ras_chat.review import make_change, set_amount, sign_off
from ras_chat.store import open_store
from ras_chat.store.audit import canonical, entry_hash
from ras_chat.store.schema import LATEST

FARZANA = Path(__file__).parent / "plans" / "farzana.plan"


def drop_guards(store) -> None:
    """What someone with the database's owner rights can do: remove the append-only triggers."""
    if store.kind == "sqlite":
        for (name,) in store._q("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            store._q(f"DROP TRIGGER {name}")
    else:
        for table, trigger in (("audit", "audit_append_only"), ("audit", "audit_no_truncate"),
                               ("seals", "seals_append_only"), ("seals", "seals_no_truncate")):  # fmt: skip
            store._q(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")


def edit_json(store, sid: str, column: str, change) -> None:
    value = store.dialect.json_value(store._q(f"SELECT {column} FROM sessions WHERE id = ?", (sid,)).fetchone()[0])
    change(value)
    store._q(f"UPDATE sessions SET {column} = ? WHERE id = ?", (store.dialect.json_param(value), sid))


def _set(d: dict, key: str, value) -> None:
    d[key] = value


def forge_audit_entry(store, sid: str) -> None:
    """An extra audit entry whose hash is recomputed so the audit chain itself holds."""
    seq, prev = store._q("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    what = canonical({"kind": "amount", "from": "480.00", "to": "900.00"})
    at = "2026-06-02T10:00:00.000000Z"
    digest = entry_hash(seq + 1, sid, at, "Jo", what, "more hours", prev)
    store._q(
        "INSERT INTO audit (seq, session_id, at, who, what, why, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (seq + 1, sid, at, "Jo", what, "more hours", prev, digest),
    )


def forge_with_seal(store, sid: str) -> None:
    """The result edited, then resealed with ras-chat's own code, but the head file left as it was."""
    edit_json(store, sid, "result", lambda r: _set(r, "weekly", "995.00"))
    head = store.head_path.read_bytes()
    with store._db.write():
        store._seal(sid, "turn")
    store.head_path.write_bytes(head)


def edit_message(store, sid: str) -> None:
    row = store._q("SELECT seq, body FROM messages WHERE session_id = ? AND role = 'person' ORDER BY seq LIMIT 1", (sid,)).fetchone()
    body = store.dialect.json_value(row[1])
    body["text"] = "I do not need any help"
    store._q("UPDATE messages SET text = ?, body = ? WHERE session_id = ? AND seq = ?",
             (body["text"], store.dialect.json_param(body), sid, row[0]))  # fmt: skip


def edit_message_text_only(store, sid: str) -> None:
    store._q("UPDATE messages SET text = 'changed' WHERE session_id = ? AND seq = 2", (sid,))


def add_message(store, sid: str) -> None:
    n = store._q("SELECT MAX(seq) FROM messages WHERE session_id = ?", (sid,)).fetchone()[0]
    body = {"role": "person", "text": "I said something else", "at": None, "kind": "answer"}
    store._q("INSERT INTO messages (session_id, seq, role, text, at, kind, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
             (sid, n + 1, "person", body["text"], None, "answer", store.dialect.json_param(body)))  # fmt: skip


def delete_session(store, sid: str) -> None:
    """The session's rows removed, with the foreign keys switched off as the sqlite3 shell has them."""
    if store.kind == "sqlite":
        store._q("PRAGMA foreign_keys = OFF")
    else:
        store._q("SET session_replication_role = replica")  # a superuser skips the foreign keys
    store._q("DELETE FROM messages WHERE session_id = ?", (sid,))
    store._q("DELETE FROM sessions WHERE id = ?", (sid,))


def last_audit_seq(store) -> int:
    return store._q("SELECT MAX(seq) FROM audit").fetchone()[0]


# (name, tampering, a few words that must appear in one of the problems)
TAMPERINGS = [
    ("the last audit entry deleted", lambda s, sid: s._q("DELETE FROM audit WHERE seq = ?", (last_audit_seq(s),)), "missing"),
    ("the tail with the sign-off deleted (audit and case record)",
     lambda s, sid: (s._q("DELETE FROM audit WHERE seq >= 2"),
                     s._q("DELETE FROM seals WHERE seq > (SELECT MAX(seq) FROM seals) - 2")), "missing"),
    ("every audit row deleted", lambda s, sid: s._q("DELETE FROM audit"), "missing"),
    ("every audit and case record row deleted", lambda s, sid: (s._q("DELETE FROM audit"), s._q("DELETE FROM seals")), "head file"),
    ("a forged audit entry with a recomputed hash", forge_audit_entry, "not in the case record"),
    ("the result resealed, head file kept", forge_with_seal, "head file"),
    ("an answer edited", lambda s, sid: edit_json(s, sid, "snapshot", lambda b: _set(b["answers"], "matters", "nothing")), "the answers"),
    ("the record edited", lambda s, sid: edit_json(s, sid, "record", lambda r: _set(r, "fluctuating", True)), "assessment record"),
    ("result.weekly 195 -> 995", lambda s, sid: edit_json(s, sid, "result", lambda r: _set(r, "weekly", "995.00")), "the result"),
    ("agreed_weekly edited", lambda s, sid: s._q("UPDATE sessions SET agreed_weekly = '900.00' WHERE id = ?", (sid,)), "agreed amount"),
    ("a message edited", edit_message, "messages"),
    ("a message's text column edited", edit_message_text_only, "messages 1 to"),
    ("a message added", add_message, "not in the case record"),
    ("a message deleted", lambda s, sid: s._q("DELETE FROM messages WHERE session_id = ? AND seq = 3", (sid,)), "removed"),
    ("the status edited", lambda s, sid: s._q("UPDATE sessions SET status = 'in_progress' WHERE id = ?", (sid,)), "summary columns"),
    ("the snapshot's status edited", lambda s, sid: edit_json(s, sid, "snapshot", lambda b: _set(b, "status", "handed_off")), "saved state"),
    ("the session row deleted", delete_session, "removed"),
    ("an audit entry edited", lambda s, sid: s._q("UPDATE audit SET why = 'nothing to see' WHERE seq = 1"), "hash differs"),
    ("a case record entry edited", lambda s, sid: s._q("UPDATE seals SET kind = 'upgrade' WHERE seq = 3"), "hash differs"),
]


@pytest.fixture
def signed_off(target):
    """Farzana's conversation (handed off at £195.00), a change to £480.00 and the sign-off."""
    with open_store(target) as store:
        sid = seed_from_plan(store, FARZANA)
        make_change(store, sid, set_amount("480.00"), why="Night care", who="Jo")
        make_change(store, sid, sign_off(), why="Agreed with Farzana", who="Jo")
        assert store.verify_audit() == []
    return target, sid


@pytest.mark.parametrize("name,tamper,words", TAMPERINGS, ids=[t[0] for t in TAMPERINGS])
def test_every_tampering_in_the_list_is_detected(signed_off, name, tamper, words, capsys):
    target, sid = signed_off
    with open_store(target) as store:
        drop_guards(store)
        tamper(store, sid)
    with open_store(target) as store:
        breaks = store.verify_audit()
    problems = [str(b) for b in breaks]
    assert problems, f"{name}: not detected"
    assert any(words in p for p in problems), f"{name}: {problems}"
    # the command says so and exits 1; nothing of the person's words is printed
    assert main(["audit", "verify", "--db", target]) == 1
    out = capsys.readouterr().out
    assert "BROKEN" in out and "Farzana" not in out


def test_the_export_says_the_chain_is_not_intact_and_warns(signed_off, capsys):
    target, sid = signed_off
    with open_store(target) as store:
        drop_guards(store)
        edit_json(store, sid, "result", lambda r: _set(r, "weekly", "995.00"))
    assert main(["export", sid, "--db", target]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["audit_chain_intact"] is False
    assert "does not match" in captured.err and captured.err.count("\n") == 1


def test_an_untouched_case_verifies_and_the_command_says_so(signed_off, capsys):
    target, sid = signed_off
    assert main(["audit", "verify", "--db", target]) == 0
    out = capsys.readouterr().out
    # two worker changes (the amount and the sign-off)
    assert "intact: 2 worker changes" in out
    assert main(["export", sid, "--db", target]) == 0
    assert json.loads(capsys.readouterr().out)["audit_chain_intact"] is True


def test_status_agreed_without_a_sign_off_is_detected_even_when_the_rows_are_resealed(target):
    """Someone marks a session agreed and reseals it with ras-chat's own code (and rewrites the
    head file, as they can without a key): there is still no sign-off entry behind it."""
    with open_store(target) as store:
        sid = seed_from_plan(store, FARZANA)
        with store._db.write():
            store._q("UPDATE sessions SET status = 'agreed', agreed_weekly = '195.00' WHERE id = ?", (sid,))
            store._seal(sid, "turn")
    with open_store(target) as store:
        problems = [str(b) for b in store.verify_audit()]
    assert any("marked agreed but has no sign-off entry" in p for p in problems), problems
    assert any("agreed amount differs" in p for p in problems), problems


def test_a_rewrite_with_the_head_file_rewritten_is_seen_only_with_a_key(target, tmp_path, monkeypatch):
    """Without a key, someone who can write both the database and the head file can reseal an
    edit (the docs say so); with RAS_CHAT_AUDIT_KEY_FILE the head carries an HMAC they cannot make."""
    key = tmp_path / "audit.key"
    key.write_bytes(os.urandom(32).hex().encode())
    monkeypatch.setenv("RAS_CHAT_AUDIT_KEY_FILE", str(key))
    with open_store(target) as store:
        sid = seed_from_plan(store, FARZANA)
        assert store.verify_audit() == []
    monkeypatch.delenv("RAS_CHAT_AUDIT_KEY_FILE")
    with open_store(target) as attacker:  # no key: its head file has no valid HMAC
        edit_json(attacker, sid, "result", lambda r: _set(r, "weekly", "995.00"))
        with attacker._db.write():
            attacker._seal(sid, "turn")
        assert attacker.verify_audit() == []  # without the key this rewrite does not show
    monkeypatch.setenv("RAS_CHAT_AUDIT_KEY_FILE", str(key))
    with open_store(target) as store:
        problems = [str(b) for b in store.verify_audit()]
    assert any("HMAC" in p for p in problems), problems


def test_a_missing_head_file_is_a_break(signed_off):
    target, sid = signed_off
    with open_store(target) as store:
        store.head_path.unlink()
        problems = [str(b) for b in store.verify_audit()]
    assert any("head file" in p and "missing" in p for p in problems), problems


def test_a_restored_backup_is_accepted_only_on_purpose(tmp_path, capsys):
    db, copy = tmp_path / "s.db", tmp_path / "copy.db"
    with open_store(db) as store:
        sid = seed_from_plan(store, FARZANA, stop_after=5)
        store.backup(copy)
        seed_from_plan(store, FARZANA, session_id="later", stop_after=2)
    db.unlink()
    for side in ("-wal", "-shm"):
        Path(f"{db}{side}").unlink(missing_ok=True)
    copy.rename(db)  # the head file beside db is newer than the copy: entries are missing
    with open_store(db) as store:
        assert any("missing" in str(b) for b in store.verify_audit())
    assert main(["audit", "accept", "--db", str(db)]) == 0
    with open_store(db) as store:
        assert store.verify_audit() == []
        assert store.resolve("last") == sid


def test_truncate_is_refused_on_postgresql():
    """TRUNCATE is a PostgreSQL statement (SQLite has none), so this runs on PostgreSQL only."""
    base = postgres_url()
    if not base:
        pytest.skip("PostgreSQL tests need RAS_CHAT_TEST_PG=postgresql://... (.ci/run sets it)")
    with postgres_schema(base) as target, open_store(target) as store:
        seed_from_plan(store, FARZANA, stop_after=3)
        for statement in ("TRUNCATE audit", "TRUNCATE seals", "TRUNCATE sessions CASCADE"):
            with pytest.raises(Exception, match="append-only"):
                store._q(statement)
        assert store.verify_audit() == []


def test_an_old_database_is_sealed_on_upgrade_and_verifies(target):
    """A database from before the case record (schema 2) opens, is sealed as it stood, and an
    edit made after the upgrade is seen."""
    with open_store(target) as store:
        sid = seed_from_plan(store, FARZANA)
        make_change(store, sid, set_amount("480.00"), why="Night care", who="Jo")
        with store._db.write():  # make it look like a database written by ras-chat with schema 2
            drop_guards(store)
            store._q("DROP TABLE seals")
            for column in ("lease_token", "lease_holder", "lease_host", "lease_pid", "lease_start", "lease_since", "lease_seen"):
                store._q(f"ALTER TABLE sessions DROP COLUMN {column}")
            store._q("DELETE FROM schema_version WHERE version > 2")
        store.head_path.unlink()
    with open_store(target) as store:
        assert store.schema_version() == LATEST  # sealed at 3; the web references (4) after it
        assert store.verify_audit() == []
        assert store.load(sid)["answers"]
        edit_json(store, sid, "result", lambda r: _set(r, "weekly", "995.00"))
        assert any("the result" in str(b) for b in store.verify_audit())

