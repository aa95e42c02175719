"""Urgent cases first: the store keeps the words of a session's urgent flags beside it (on
SQLite and PostgreSQL), `ras-chat sessions` lists urgent cases first marked URGENT with
those words, a safety stop is never shown as an ordinary hand-off, and `--to-review` is
the review list. Older databases get the column filled in from their flags."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from store_helpers import at, message, sample_record, sample_result, seed_from_plan, snapshot

from ras_chat.__main__ import main
from ras_chat.store import open_store, schema

PLANS = Path(__file__).parent / "plans"
HARM = "Possible risk of harm: the person wrote \u201cmy son takes my money\u201d. Contact them today."


def flag(code: str, level: str, text: str) -> dict:
    return {"code": code, "level": level, "text": text, "state": "what_matters_most", "key": None, "at": at(1)}


def seed(store) -> None:
    """Four sessions, saved oldest first: a hand-off, a safety stop, an agreed one, and
    the newest with only an `attention` flag (not urgent)."""
    record = sample_record()
    store.save_turn(snapshot("a-plain", 2, status="handed_off", updated=at(10)), [message(0)],
                    record=record, result=sample_result(record))
    store.save_turn(snapshot("b-stop", 2, status="handed_off", state="safety", updated=at(11),
                             flags=[flag("safety", "urgent", HARM)]), [message(0)])
    store.save_turn(snapshot("c-agreed", 2, status="handed_off", updated=at(12)), [message(0)])
    store.append_audit("c-agreed", who="Jo Worker", at=at(12), status="agreed", why="Agreed with the person",
                       what={"kind": "sign_off", "status": "agreed", "from": "handed_off", "agreed_weekly": "100.00"})
    store.save_turn(snapshot("d-attention", 2, status="in_progress", updated=at(13),
                             flags=[flag("skipped", "attention", "Skipped a question")]), [message(0)])


def test_the_store_keeps_urgent_words_and_lists_urgent_first(target):
    with open_store(target) as store:
        seed(store)
        newest_first = [s.id for s in store.list_sessions()]
        urgent_first = store.list_sessions(urgent_first=True)
    assert newest_first == ["d-attention", "c-agreed", "b-stop", "a-plain"]
    # the one urgent session first, then the rest newest first
    assert [s.id for s in urgent_first] == ["b-stop", "d-attention", "c-agreed", "a-plain"]
    stop = urgent_first[0]
    assert stop.urgent == f"safety: {HARM}" and stop.stopped is True
    assert all(s.urgent is None and not s.stopped for s in urgent_first[1:])


def test_a_later_turn_without_the_flag_clears_it(target):
    with open_store(target) as store:
        store.save_turn(snapshot("x", 2, flags=[flag("carer_struggling", "urgent", "Carer at breaking point")]), [message(0)])
        assert store.list_sessions()[0].urgent == "carer_struggling: Carer at breaking point"
        store.save_turn(snapshot("x", 4, flags=[]), [message(1)])
        assert store.list_sessions()[0].urgent is None
        assert store.verify_audit() == []


def run(capsys, *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_sessions_lists_urgent_cases_first_marked_urgent_with_the_flags_words(tmp_path, capsys):
    db = str(tmp_path / "s.db")
    with open_store(db) as store:
        seed(store)
    lines = run(capsys, "sessions", "--db", db).splitlines()
    assert lines[0].split() == ["ID", "WHEN", "WHO", "STATUS", "AMOUNT"]
    assert lines[1].startswith("b-stop") and "URGENT stopped: possible harm" in lines[1]
    assert "handed off" not in lines[1]
    assert lines[2].strip() == f"URGENT: safety: {HARM}"
    assert [ln.split()[0] for ln in lines[3:]] == ["d-attention", "c-agreed", "a-plain"]
    assert "URGENT" not in "\n".join(lines[3:])
    assert "handed off" in lines[-1]  # the ordinary hand-off keeps its words


def test_to_review_is_the_review_list_urgent_first(tmp_path, capsys):
    db = str(tmp_path / "s.db")
    with open_store(db) as store:
        seed(store)
    out = run(capsys, "sessions", "--db", db, "--to-review")
    ids = [ln.split()[0] for ln in out.splitlines()[1:] if not ln.startswith(" ")]
    assert ids == ["b-stop", "a-plain"]  # not the agreed one, not the one still talking
    data = json.loads(run(capsys, "sessions", "--db", db, "--to-review", "--json"))
    assert [(d["id"], d["stopped"], d["urgent"]) for d in data] == [
        ("b-stop", True, f"safety: {HARM}"),
        ("a-plain", False, None),
    ]


def test_a_real_safety_stop_is_listed_first_and_not_as_handed_off(tmp_path, capsys):
    db = str(tmp_path / "s.db")
    with open_store(db) as store:
        seed_from_plan(store, PLANS / "farzana.plan", session_id="farzana")
        seed_from_plan(store, PLANS / "safety_disclosure.plan", session_id="stop")
        seed_from_plan(store, PLANS / "farzana.plan", session_id="later")
    lines = run(capsys, "sessions", "--db", db).splitlines()
    assert lines[1].startswith("stop ") and "URGENT stopped: possible harm" in lines[1]
    assert lines[2].strip().startswith("URGENT: safety: Possible risk of harm")
    assert "My son takes my money" in lines[2]


def test_an_older_database_gets_the_urgent_column_from_its_flags(tmp_path):
    db = tmp_path / "old.db"
    with open_store(str(db)) as store:
        seed(store)
    # back to schema 4: no urgent column, no version 5
    con = sqlite3.connect(db)
    con.execute("ALTER TABLE sessions DROP COLUMN urgent")
    con.execute("DELETE FROM schema_version WHERE version = 5")
    con.commit()
    con.close()
    with open_store(str(db)) as store:
        assert store.schema_version() == schema.LATEST == 5
        rows = {s.id: s.urgent for s in store.list_sessions()}
        assert store.verify_audit() == []
    assert rows == {"a-plain": None, "b-stop": f"safety: {HARM}", "c-agreed": None, "d-attention": None}


@pytest.mark.parametrize("status", ["handed_off", "in_progress"])
def test_urgent_in_any_state_is_on_the_review_list(tmp_path, capsys, status):
    db = str(tmp_path / "s.db")
    with open_store(db) as store:
        store.save_turn(snapshot("u", 2, status=status, flags=[flag("carer_struggling", "urgent", "Carer at breaking point")]),
                        [message(0)])
    out = run(capsys, "sessions", "--db", db, "--to-review")
    assert out.splitlines()[1].startswith("u ") and "URGENT" in out
