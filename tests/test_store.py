"""The storage API behaves the same on SQLite and PostgreSQL (PostgreSQL when RAS_CHAT_TEST_PG is set)."""

from __future__ import annotations

import sqlite3

import pytest
from store_helpers import message, sample_record, sample_result, snapshot

from ras_chat.store import (
    AmbiguousSession,
    InvalidData,
    NewerDatabase,
    SessionNotFound,
    Store,
    StoreError,
    open_store,
    schema,
)


@pytest.fixture
def store(target):
    with open_store(target) as s:
        yield s


def save_conversation(store: Store, sid: str, turns: int) -> list[dict]:
    sent: list[dict] = []
    for _ in range(turns):
        new = [message(len(sent)), message(len(sent) + 1)]
        sent += new
        store.save_turn(snapshot(sid, len(sent)), new)
    return sent


def test_a_saved_turn_loads_back_with_its_transcript_in_order(store):
    sent = save_conversation(store, "s-1", 5)
    loaded = store.load("s-1")
    assert loaded["transcript"] == sent
    assert loaded["answers"] == {"seen": 10}
    assert loaded["state"] == "q5"
    assert {k: v for k, v in loaded.items() if k != "transcript"} == {
        k: v for k, v in snapshot("s-1", 10).items() if k != "transcript"
    }


def test_the_transcript_in_a_snapshot_is_not_stored_twice(store):
    snap = snapshot("s-1", 1)
    snap["transcript"] = [message(0)]
    store.save_turn(snap, [message(0)])
    assert store.load("s-1")["transcript"] == [message(0)]


def test_unicode_and_emoji_survive_a_round_trip(store):
    text = "Ich möchte 🙂 — 我想回家 — مرحبا"
    store.save_turn(snapshot("s-u", 1, who="Zoë"), [message(0, "person", text)])
    loaded = store.load("s-u")
    assert loaded["transcript"][0]["text"] == text
    assert store.list_sessions()[0].who == "Zoë"


def test_record_and_result_are_kept_until_replaced(store):
    record, result = sample_record(), sample_result()
    store.save_turn(snapshot("s-1", 0), [], record=record, result=result)
    store.save_turn(snapshot("s-1", 1), [message(0)])
    details = store.details("s-1")
    assert details["record"] == record
    assert details["result"] == result
    assert store.list_sessions()[0].weekly == result["weekly"]
    store.save_turn(snapshot("s-1", 1), [], record=None, result=None)
    assert store.details("s-1")["result"] is None
    assert store.list_sessions()[0].weekly is None


def test_sessions_are_listed_newest_first_with_their_summary(store):
    for n, sid in enumerate(["a", "b", "c"]):
        store.save_turn(snapshot(sid, n, status=["in_progress", "handed_off", "agreed"][n]), [])
    listed = store.list_sessions()
    assert [s.id for s in listed] == ["c", "b", "a"]
    assert [s.status for s in listed] == ["agreed", "handed_off", "in_progress"]
    assert listed[0].who == "Mary Example"
    assert store.list_sessions(limit=1)[0].id == "c"


def test_last_means_the_most_recently_updated_session(store):
    store.save_turn(snapshot("older", 5), [])
    store.save_turn(snapshot("newer", 9), [])
    assert store.resolve("last") == "newer"


def test_a_unique_prefix_resolves_and_an_ambiguous_one_is_refused(store):
    store.save_turn(snapshot("abc-111", 0), [])
    store.save_turn(snapshot("abd-222", 0), [])
    assert store.resolve("abc") == "abc-111"
    assert store.resolve("abd-222") == "abd-222"
    with pytest.raises(AmbiguousSession, match="abc-111, abd-222"):
        store.resolve("ab")
    with pytest.raises(SessionNotFound):
        store.resolve("zzz")
    with pytest.raises(SessionNotFound):
        store.load("zzz")


def test_last_with_no_sessions_says_there_are_none(store):
    with pytest.raises(SessionNotFound, match="no saved sessions"):
        store.resolve("last")


def test_a_snapshot_without_an_id_or_with_a_bad_status_is_refused(store):
    with pytest.raises(InvalidData):
        store.save_turn({"status": "in_progress"}, [])
    with pytest.raises(InvalidData, match="status"):
        store.save_turn(snapshot("s", 0, status="finished"), [])
    with pytest.raises(InvalidData, match="role"):
        store.save_turn(snapshot("s", 1), [{"role": "robot", "text": "x"}])
    assert store.count_sessions() == 0


def test_a_failed_turn_leaves_nothing_half_written(store):
    store.save_turn(snapshot("s", 2), [message(0), message(1)])
    bad = [message(2), {"role": "person", "text": "ok", "at": object()}]  # not JSON: fails inside the write
    with pytest.raises(Exception):  # noqa: B017 - any failure inside the write: what matters is what is left
        store.save_turn(snapshot("s", 4), bad)
    loaded = store.load("s")
    assert len(loaded["transcript"]) == 2
    assert loaded["answers"] == {"seen": 2}


def test_the_audit_trail_records_who_when_what_and_why(store):
    store.save_turn(snapshot("s", 0), [])
    entry = store.append_audit(
        "s", who="Jo Worker", what={"field": "areas.health.need", "from": 2, "to": 3}, why="Seen at home."
    )
    assert entry.seq == 1 and entry.prev_hash == "0" * 64
    second = store.append_audit("s", who="Jo Worker", what={"weekly": "95.00"}, why="Night support.")
    assert second.prev_hash == entry.hash
    assert [e.what for e in store.audit_entries("s")] == [entry.what, {"weekly": "95.00"}]
    assert store.verify_audit() == []
    assert store.audit_head() == (2, second.hash)


def test_an_audit_change_needs_a_reason_and_a_known_session(store):
    store.save_turn(snapshot("s", 0), [])
    with pytest.raises(InvalidData, match="reason"):
        store.append_audit("s", who="Jo", what={"weekly": "1"}, why="  ")
    with pytest.raises(SessionNotFound):
        store.append_audit("nope", who="Jo", what={"weekly": "1"}, why="because")
    assert store.audit_entries() == []


def test_the_audit_trail_refuses_updates_and_deletes(store):
    store.save_turn(snapshot("s", 0), [])
    store.append_audit("s", who="Jo", what={"weekly": "1"}, why="because")
    with pytest.raises(Exception, match="append-only"):
        store._q("UPDATE audit SET why = 'edited'")
    with pytest.raises(Exception, match="append-only"):
        with store._db.write():
            store._q("DELETE FROM audit")
    assert store.verify_audit() == []


def _drop_audit_guard(store: Store) -> None:
    if store.kind == "sqlite":
        store._q("DROP TRIGGER audit_no_update")
        store._q("DROP TRIGGER audit_no_delete")
    else:
        store._q("DROP TRIGGER audit_append_only ON audit")


def test_audit_verify_finds_an_edited_entry(store):
    store.save_turn(snapshot("s", 0), [])
    for n in range(4):
        store.append_audit("s", who="Jo", what={"weekly": str(n)}, why=f"reason {n}")
    _drop_audit_guard(store)  # someone with direct access to the database
    store._q("UPDATE audit SET why = 'nothing to see' WHERE seq = 2")
    breaks = store.verify_audit()
    assert [(b.seq, "changed" in b.problem) for b in breaks] == [(2, True)]


def test_audit_verify_finds_a_removed_entry(store):
    store.save_turn(snapshot("s", 0), [])
    for n in range(4):
        store.append_audit("s", who="Jo", what={"weekly": str(n)}, why=f"reason {n}")
    _drop_audit_guard(store)
    store._q("DELETE FROM audit WHERE seq = 2")
    breaks = store.verify_audit()
    assert breaks and breaks[0].seq == 3
    assert "missing" in str(breaks[0])


def test_a_backup_is_a_complete_private_sqlite_copy(store, tmp_path):
    sent = save_conversation(store, "s", 3)
    store.save_turn(snapshot("s", len(sent)), [], result=sample_result())
    store.append_audit("s", who="Jo", what={"weekly": "1"}, why="because")
    copy = store.backup(tmp_path / "copy.db")
    assert oct(copy.stat().st_mode & 0o777) == "0o600"
    with open_store(copy) as restored:
        assert restored.load("s") == store.load("s")
        assert restored.details("s")["result"] == store.details("s")["result"]
        assert restored.verify_audit() == []
        assert restored.audit_head() == store.audit_head()
    with pytest.raises(StoreError, match="already exists"):
        store.backup(copy)


def test_opening_twice_applies_migrations_once(target):
    with open_store(target) as first:
        first.save_turn(snapshot("s", 0), [])
    with open_store(target) as second:
        assert second.schema_version() == schema.LATEST
        assert second._q("SELECT COUNT(*) FROM schema_version").fetchone()[0] == schema.LATEST
        assert second.count_sessions() == 1


def test_a_database_from_a_newer_version_is_refused_with_a_clear_message(target):
    with open_store(target) as s:
        with s._db.write():
            s._q("INSERT INTO schema_version (version, applied) VALUES (?, ?)", (99, "later"))
    with pytest.raises(NewerDatabase, match="newer ras-chat"):
        open_store(target)


def test_sqlite_runs_in_wal_mode_with_full_sync(tmp_path):
    with open_store(tmp_path / "s.db") as s:
        assert s._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert s._db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert isinstance(sqlite3.sqlite_version_info, tuple) and sqlite3.sqlite_version_info >= (3, 35)
