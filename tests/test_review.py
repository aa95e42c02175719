"""Worker review and sign-off: changes kept as an audit trail over the person's own answers."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from store_helpers import seed_from_plan

from ras_chat.__main__ import main
from ras_chat.dialogue.text import MAX_READING_GRADE, reading_grade
from ras_chat.exports.handoff import SCHEMA_FILE, Handoff, build_handoff, handoff_schema_text, redact
from ras_chat.exports.letter import letter_blocks, letter_markdown
from ras_chat.review import (
    ReviewError,
    add_outcome,
    load_review,
    make_change,
    remove_outcome,
    set_amount,
    set_field,
    sign_off,
)
from ras_chat.store import open_store

PLANS = Path(__file__).parent / "plans"
FARZANA = PLANS / "farzana.plan"


@pytest.fixture
def db(tmp_path):
    return str(tmp_path / "s.db")


@pytest.fixture
def farzana(db):
    """Farzana's whole conversation, saved turn by turn: handed off at £195.00 (bands)."""
    with open_store(db) as store:
        return seed_from_plan(store, FARZANA)


def test_a_change_without_a_reason_is_refused_and_nothing_is_written(db, farzana):
    with open_store(db) as store:
        for blank in ("", "   ", "\n\t", None):
            with pytest.raises(ReviewError, match="a reason is required"):
                make_change(store, farzana, set_field("areas.health.need", 4), why=blank, who="Jo")
        assert store.audit_entries(farzana) == []


def test_changes_never_overwrite_the_original_answers(db, farzana):
    with open_store(db) as store:
        before = store.details(farzana)
        make_change(store, farzana, set_field("areas.health.need", 4), why="Seen at home", who="Jo")
        make_change(store, farzana, add_outcome("nutrition", ["unsafe"]), why="Cannot use the cooker safely", who="Jo")
        make_change(store, farzana, set_amount("480.00"), why="Night care", who="Jo")
        after = store.details(farzana)
        review = load_review(store, farzana)
    assert after["record"] == before["record"]
    assert after["result"] == before["result"]
    assert after["snapshot"] == before["snapshot"]
    assert review.original_record.areas.health.need == 2
    assert review.adjusted_record.areas.health.need == 4
    assert "nutrition" in review.adjusted_record.unable_outcomes
    assert "nutrition" not in review.original_record.unable_outcomes


def test_raising_a_need_raises_the_recalculated_amount(db, farzana):
    with open_store(db) as store:
        first = load_review(store, farzana)
        make_change(store, farzana, set_field("areas.health.need", 4), why="Seen at home", who="Jo")
        review = load_review(store, farzana)
    assert first.agreed_weekly == first.original_result.weekly == Decimal("195.00")
    assert review.adjusted_result.weekly > first.original_result.weekly
    assert review.agreed_weekly == review.adjusted_result.weekly
    assert review.adjusted_result.method == first.original_result.method == "bands"


def test_the_recalculation_uses_the_sessions_own_policy_date_and_method(db, farzana):
    with open_store(db) as store:
        make_change(store, farzana, set_field("areas.health.unpaid_support", "none"), why="Aunt moving away", who="Jo")
        review = load_review(store, farzana)
    assert review.adjusted_result.method == review.original_result.method
    assert review.adjusted_result.as_of == review.original_result.as_of
    assert review.adjusted_result.policy_effective_from == review.original_result.policy_effective_from


def test_an_amount_override_becomes_the_agreed_amount_and_shows_in_the_md_export(db, farzana, capsys):
    with open_store(db) as store:
        make_change(store, farzana, set_amount("480.00"), why="Night sitting, about a fifth of cases", who="Jo Worker")
        review = load_review(store, farzana)
    assert review.agreed_weekly == Decimal("480.00") and review.override == Decimal("480.00")
    assert review.adjusted_result.weekly == Decimal("195.00")
    assert main(["export", farzana, "--format", "md", "--db", db]) == 0
    md = capsys.readouterr().out
    assert "£480.00" in md and "Night sitting" in md and "Jo Worker" in md
    letter = md.split("\n---\n")[0]
    assert "A worker changed the amount" in letter and "£195.00" in letter and "£480.00" in letter


def test_clearing_the_override_goes_back_to_the_calculated_amount(db, farzana):
    with open_store(db) as store:
        make_change(store, farzana, set_amount("480"), why="Night care", who="Jo")
        make_change(store, farzana, set_amount("none"), why="Night care found elsewhere", who="Jo")
        review = load_review(store, farzana)
        with pytest.raises(ReviewError, match="no different amount"):
            make_change(store, farzana, set_amount(None), why="again", who="Jo")
    assert review.override is None and review.agreed_weekly == Decimal("195.00")


def test_sign_off_sets_status_agreed_in_the_snapshot(db, farzana):
    with open_store(db) as store:
        make_change(store, farzana, set_amount("480.00"), why="Night care", who="Jo")
        make_change(store, farzana, sign_off(), why="Agreed with Farzana and her aunt", who="Jo")
        snap = store.load(farzana)
        review = load_review(store, farzana)
        summary = store.list_sessions()[0]
        with pytest.raises(ReviewError, match="signed off"):
            make_change(store, farzana, set_field("areas.health.need", 4), why="late", who="Jo")
        with pytest.raises(ReviewError, match="already signed off"):
            make_change(store, farzana, sign_off(), why="twice", who="Jo")
        h = build_handoff(store.details(farzana))
    assert snap["status"] == "agreed" and summary.status == "agreed"
    assert review.signed_off is not None and review.agreed_weekly == Decimal("480.00")
    assert store_sign_off_what(review) == {"kind": "sign_off", "status": "agreed", "from": "handed_off", "agreed_weekly": "480.00"}
    assert h.status == "agreed" and h.review.signed_off
    assert len(snap["transcript"]) > 50  # no messages lost or added


def store_sign_off_what(review):
    return review.signed_off.what


def test_a_session_in_progress_can_be_reviewed_but_not_signed_off(db):
    with open_store(db) as store:
        sid = seed_from_plan(store, FARZANA, session_id="part", stop_after=12)
        review = load_review(store, sid)
        assert review.status == "in_progress" and review.original_record is not None
        make_change(store, sid, set_field("areas.work.need", 3), why="Told me more at the door", who="Jo")
        with pytest.raises(ReviewError, match="still in progress"):
            make_change(store, sid, sign_off(), why="Agreed", who="Jo")
        assert store.load(sid)["status"] == "in_progress"


def test_changes_that_make_no_sense_are_refused_with_one_line(db, farzana):
    with open_store(db) as store:
        cases = [
            (lambda: set_field("areas.health.need", 5), "0 to 4"),
            (lambda: set_field("areas.health.need", "lots"), "0 to 4"),
            (lambda: set_field("areas.health.colour", 1), "cannot set"),
            (lambda: set_field("areas.choice.unpaid_support", "loads"), "none, some, most"),
            (lambda: set_field("client_group", "martians"), "client_group"),
            (lambda: set_amount("-3"), "weekly amount"),
            (lambda: set_amount("12.345"), "whole pence"),
            (lambda: set_amount("nan"), "weekly amount"),
            (lambda: add_outcome("flying"), "unknown outcome"),
            (lambda: add_outcome("nutrition", ["because"]), "reg. 2\\(3\\)"),
            (lambda: make_change(store, farzana, remove_outcome("toilet"), why="x", who="Jo"), "not among"),
            (lambda: make_change(store, farzana, set_field("areas.health.need", 2), why="x", who="Jo"), "already 2"),
        ]
        for make, message in cases:
            with pytest.raises(ReviewError, match=message) as info:
                make()
            assert "\n" not in str(info.value)
        assert store.audit_entries() == []


def test_the_audit_chain_verifies_after_a_review_and_an_edited_row_is_detected(db, farzana):
    with open_store(db) as store:
        make_change(store, farzana, set_field("areas.health.need", 4), why="Seen at home", who="Jo")
        make_change(store, farzana, set_amount("480.00"), why="Night care", who="Jo")
        make_change(store, farzana, sign_off(), why="Agreed", who="Jo")
        assert store.verify_audit() == []
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("""UPDATE audit SET what = '{"field":"weekly","from":"195.00","kind":"amount","to":"900.00"}' WHERE seq = 2""")
    conn.commit()
    conn.close()
    with open_store(db) as store:
        breaks = store.verify_audit()
        h = build_handoff(store.details(farzana), audit_chain_intact=not breaks)
    assert [b.seq for b in breaks] == [2]
    assert "WARNING: the audit chain has breaks" in letter_markdown(h)


def test_the_hand_off_carries_the_review_and_its_schema_file_is_in_step(db, farzana):
    with open_store(db) as store:
        make_change(store, farzana, set_field("areas.health.need", 4), why="Seen at home", who="Jo")
        h = build_handoff(store.details(farzana))
    data = json.loads(h.dump_json())
    assert data["review"]["agreed_weekly"] == str(h.review.adjusted_result.weekly)
    assert data["review"]["adjusted_record"]["areas"]["health"]["need"] == 4
    assert data["assessment"]["areas"]["health"]["need"] == 2
    assert [c["seq"] for c in data["review"]["changes"]] == [1]
    assert Handoff.model_validate_json(h.dump_json()) == h
    assert SCHEMA_FILE.read_text(encoding="utf-8") == handoff_schema_text()
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    review_schema = schema["$defs"]["Review"]["properties"]
    assert {"adjusted_record", "adjusted_result", "agreed_weekly", "changes", "signed_off"} <= set(review_schema)
    assert "review" not in schema.get("required", [])  # optional: older records stay valid


def test_redacting_removes_the_workers_name_and_reasons_from_the_review(db, farzana):
    with open_store(db) as store:
        make_change(store, farzana, set_amount("480.00"), why="Farzana's aunt is moving away", who="Jo Worker")
        h = redact(build_handoff(store.details(farzana)))
    text = h.dump_json() + letter_markdown(h)
    assert "Jo Worker" not in text and "aunt is moving" not in text
    assert h.review.agreed_weekly == Decimal("480.00")


def test_the_letter_says_in_plain_words_that_the_amount_changed_and_why(db, farzana):
    with open_store(db) as store:
        make_change(store, farzana, set_amount("480.00"), why="You need someone at night.", who="Jo")
        make_change(store, farzana, sign_off(), why="Agreed", who="Jo")
        h = build_handoff(store.details(farzana))
    blocks = letter_blocks(h)
    ours = " ".join(b.text for b in blocks if b.kind == "p")
    assert "At first we worked out £195.00 a week." in ours
    assert "Now it is £480.00 a week." in ours
    assert "Your budget is now agreed." in ours
    assert any(b.kind == "quote" and b.text == "You need someone at night." for b in blocks)
    for word in ("override", "allocation", "sign", "audit"):
        assert word not in ours.lower()


# ----- the command ------------------------------------------------------------------------------


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_review_command_makes_changes_and_signs_off(db, farzana, capsys, monkeypatch):
    monkeypatch.setenv("RAS_CHAT_WORKER", "Sam Social-Worker")
    code, out, _ = run_cli(capsys, "review", "last", "--set", "areas.health.need=3", "--reason", "Seen at home", "--db", db)
    assert code == 0 and "areas.health.need: 2 -> 3" in out
    code, out, _ = run_cli(capsys, "--db", db, "review", farzana[:4], "--amount", "480.00", "--reason", "Night care")
    assert code == 0 and "480.00" in out
    code, out, _ = run_cli(capsys, "review", "last", "--sign-off", "--reason", "Agreed", "--db", db)
    assert code == 0 and "agreed" in out
    code, out, _ = run_cli(capsys, "review", "last", "--show", "--db", db)
    assert code == 0
    assert "Agreed weekly amount: £480.00" in out and "Sam Social-Worker" in out and "why: Night care" in out
    code, out, _ = run_cli(capsys, "review", "last", "--show", "--json", "--db", db)
    assert json.loads(out)["signed_off"] is True


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--set", "areas.health.need=3"], "a reason is required"),
        (["--set", "areas.health.need=3", "--reason", "  "], "a reason is required"),
        (["--set", "areas.health.need"], "FIELD=VALUE"),
        (["--set", "areas.health.need=9", "--reason", "x"], "0 to 4"),
        (["--amount", "lots", "--reason", "x"], "weekly amount"),
        (["--reason", "x"], "no change"),
    ],
)
def test_review_command_bad_input_is_one_line_and_exit_2(db, farzana, capsys, argv, message):
    code, out, err = run_cli(capsys, "review", "last", *argv, "--db", db)
    assert code == 2 and message in err and err.count("\n") == 1
    with open_store(db) as store:
        assert store.audit_entries() == []


def test_review_command_with_an_unknown_session_exits_2(db, farzana, capsys):
    code, _, err = run_cli(capsys, "review", "nope", "--show", "--db", db)
    assert code == 2 and "no session" in err


def test_review_command_refuses_to_sign_off_a_session_in_progress(db, capsys):
    with open_store(db) as store:
        seed_from_plan(store, FARZANA, session_id="part", stop_after=12)
    code, _, err = run_cli(capsys, "review", "part", "--sign-off", "--reason", "Agreed", "--db", db)
    assert code == 2 and "still in progress" in err



def test_a_review_and_sign_off_work_the_same_on_either_server(target):
    with open_store(target) as store:
        sid = seed_from_plan(store, FARZANA)
        make_change(store, sid, set_field("areas.community.risk", 3), why="Lost at the bus station twice", who="Jo")
        make_change(store, sid, sign_off(), why="Agreed", who="Jo")
        snap, review = store.load(sid), load_review(store, sid)
        assert store.verify_audit() == []
        assert store.list_sessions()[0].status == "agreed"
    assert snap["status"] == "agreed" and review.adjusted_record.areas.community.risk == 3
    assert review.original_record.areas.community.risk == 1


def test_the_letter_with_review_changes_still_reads_at_about_age_nine(db, farzana):
    with open_store(db) as store:
        make_change(store, farzana, set_amount("480.00"), why="Night care", who="Jo")
        make_change(store, farzana, sign_off(), why="Agreed", who="Jo")
        h = build_handoff(store.details(farzana))
    engine_text = {s.text for s in h.result.explanation} | {h.result.eligibility.reason}
    # the budget statement's words are the council's data (tests/test_charging_statement.py)
    engine_text |= set(h.budget.summary) | {line for sec in h.budget.sections for line in sec.lines}
    ours = " ".join(
        b.text for b in letter_blocks(h) if b.kind == "p" and b.text not in engine_text and not b.text.startswith(("Dear", "Hello"))
    )
    assert "Now it is £480.00 a week." in ours
    assert h.budget.weekly_total == 480  # the statement is for the agreed amount
    assert reading_grade(ours) <= MAX_READING_GRADE  # the one measure `dialogue check` uses
    assert max(len(s.split()) for s in ours.split(".")) <= 15


def test_sessions_lists_the_agreed_amount_after_sign_off_with_the_first_beside_it(db, farzana, capsys):
    with open_store(db) as store:
        make_change(store, farzana, set_amount("480.00"), why="Night care, outside the tables", who="Jo")
        make_change(store, farzana, sign_off(), why="Agreed with Farzana", who="Jo")
    assert main(["sessions", "--db", db]) == 0
    row = capsys.readouterr().out.strip().splitlines()[1]
    assert "agreed" in row and "£480.00/week agreed (first £195.00)" in row
    assert main(["sessions", "--db", db, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)[0]
    assert listed["agreed_weekly"] == "480.00" and listed["weekly"] == "195.00"


def test_a_session_signed_off_before_the_agreed_column_existed_gets_it_on_upgrade(target):
    from ras_chat.store import schema

    with open_store(target) as store:
        sid = seed_from_plan(store, FARZANA)
        make_change(store, sid, set_amount("210.50"), why="Two more hours", who="Jo")
        make_change(store, sid, sign_off(), why="Agreed", who="Jo")
        # make the database look like one written by a version-1 ras-chat
        with store._db.write():
            store._q("ALTER TABLE sessions DROP COLUMN agreed_weekly")
            store._q("DELETE FROM schema_version WHERE version > 1")
    with open_store(target) as store:
        assert store.schema_version() == schema.LATEST
        assert store.list_sessions()[0].agreed_weekly == "210.50"
