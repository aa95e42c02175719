"""Hand-off exports (json, md, html, fhir), redaction, and the storage commands."""

from __future__ import annotations

import json
import os
import stat

import pytest
from store_helpers import message, sample_record, sample_result, snapshot

from ras_chat.__main__ import main
from ras_chat.dialogue.text import MAX_READING_GRADE, reading_grade
from ras_chat.exports.fhir import questionnaire_response
from ras_chat.exports.handoff import SCHEMA_FILE, Handoff, build_handoff, handoff_schema, handoff_schema_text, redact
from ras_chat.exports.letter import letter_blocks, letter_html, letter_markdown
from ras_chat.store import open_store


def finished_session(store, sid="5e55-a1", *, who="Mary Example", what_matters=None, person_text="I live at 3 High Street"):
    transcript = [
        message(0, "assistant", f"Hello {who.split()[0]}. Who is this about?", choices=["Me", "Someone I care for"]),
        message(1, "person", "Me"),
        message(2, "assistant", "What matters most to you?"),
        message(3, "person", person_text),
    ]
    record = sample_record(**({"what_matters": what_matters} if what_matters else {}))
    snap = snapshot(sid, 4, who=who, status="handed_off", flags=["lives_alone"])
    store.save_turn(snap, transcript, record=record, result=sample_result(record))
    store.append_audit(sid, who="Jo Worker", what={"field": "areas.health.need", "from": 3, "to": 4}, why="Falls at night, seen on visit.")
    return sid


def handoff_for(store, sid) -> Handoff:
    return build_handoff(store.details(sid), audit_chain_intact=not store.verify_audit())


def test_json_export_validates_against_its_schema(target):
    with open_store(target) as store:
        h = handoff_for(store, finished_session(store))
    text = h.dump_json()
    data = json.loads(text)
    assert data["schema"] == "ras-handoff/4"
    import jsonschema  # a test dependency (pyproject [test]): the schema is really checked

    schema = handoff_schema()
    jsonschema.validators.validator_for(schema).check_schema(schema)
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    with pytest.raises(jsonschema.ValidationError):  # and it can fail: a wrong version is refused
        jsonschema.validate({**data, "schema": "ras-handoff/9"}, schema)
    assert data["result"]["weekly"] == sample_result()["weekly"]
    assert [m["at"] for m in data["transcript"]] == [message(i)["at"] for i in range(4)]
    assert data["audit"][0]["why"] == "Falls at night, seen on visit."
    assert data["own_words"]["what_matters"] == sample_record()["what_matters"]
    assert data["status"] == "handed_off" and data["flags"] == ["lives_alone"]


def test_the_published_schema_file_matches_the_model():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == handoff_schema_text()


def test_fhir_export_is_a_valid_r4b_questionnaire_response(target):
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    with open_store(target) as store:
        h = handoff_for(store, finished_session(store))
    text = questionnaire_response(h).model_dump_json(exclude_none=True)
    again = QuestionnaireResponse.model_validate_json(text)
    assert again.status == "completed"
    links = [i.linkId for i in again.item]
    assert {"client_group", "areas", "result", "what_matters", "worker_changes"} <= set(links)


def test_an_unfinished_session_exports_in_every_format(tmp_path):
    with open_store(tmp_path / "s.db") as store:
        store.save_turn(snapshot("early", 1), [message(0)])
        h = handoff_for(store, "early")
    assert h.assessment is None and h.result is None
    assert "We have not finished yet" in letter_markdown(h)
    assert "<html" in letter_html(h)
    assert questionnaire_response(h).status == "in-progress"


def test_html_escapes_everything_the_person_typed(tmp_path):
    evil = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    with open_store(tmp_path / "s.db") as store:
        sid = finished_session(store, who="<b>Bob</b> Smith", what_matters=evil, person_text=evil)
        h = handoff_for(store, sid)
    page = letter_html(h)
    assert "<script>" not in page and "<img" not in page and "<b>Bob" not in page
    assert "&lt;script&gt;" in page
    md = letter_markdown(h)
    assert "<script>" not in md and "<img" not in md


def test_redact_removes_names_and_free_text_but_keeps_choices_and_figures(tmp_path):
    with open_store(tmp_path / "s.db") as store:
        sid = finished_session(store)
        h = redact(handoff_for(store, sid))
    out = h.dump_json() + letter_markdown(h) + letter_html(h) + questionnaire_response(h).model_dump_json()
    for secret in ("Mary", "Example", "High Street", "grandson", "Jo Worker", "Falls at night"):
        assert secret not in out, secret
    assert h.redacted
    assert h.transcript[1].text == "Me"  # an answer picked from the offered choices
    assert h.transcript[3].text == "[removed]"
    assert h.transcript[0].text.startswith("Hello [name].")
    assert h.result.weekly == handoff_for(open_store(tmp_path / "s.db"), sid).result.weekly
    assert h.audit[0].what == {"field": "areas.health.need", "from": 3, "to": 4}


def test_the_letter_for_the_person_reads_at_about_age_nine(tmp_path):
    with open_store(tmp_path / "s.db") as store:
        h = handoff_for(store, finished_session(store))
    engine_text = {s.text for s in h.result.explanation} | {h.result.eligibility.reason}
    # the budget statement's words are the council's data, held to the same reading age
    # by tests/test_charging_statement.py
    statement_text = set(h.budget.summary) | {line for sec in h.budget.sections for line in sec.lines}
    ours = [
        b.text
        for b in letter_blocks(h)
        if b.kind == "p" and b.text not in engine_text | statement_text and not b.text.startswith(("Dear", "Hello"))
    ]
    text = " ".join(ours)
    assert reading_grade(text) <= MAX_READING_GRADE  # the one measure `dialogue check` uses: US grade 4-5 is about age 9-10
    assert max(len(s.split()) for s in text.split(".")) <= 15
    for word in ("allocation", "eligib", "assessment", "indicative", "reablement"):
        assert word not in text.lower()


# ----- the commands -------------------------------------------------------------------------


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_sessions_lists_id_when_who_status_and_amount(tmp_path, capsys):
    db = str(tmp_path / "s.db")
    with open_store(db) as store:
        finished_session(store)
    code, out, _ = run_cli(capsys, "sessions", "--db", db)
    assert code == 0
    header, row = out.strip().splitlines()
    assert header.split() == ["ID", "WHEN", "WHO", "STATUS", "AMOUNT"]
    assert "5e55-a1" in row and "Mary Example" in row and "handed off" in row
    assert f"£{sample_result()['weekly']}/week" in row
    code, out, _ = run_cli(capsys, "--db", db, "sessions", "--json")
    assert json.loads(out)[0]["id"] == "5e55-a1"


def test_the_database_comes_from_ras_chat_db_when_not_given(tmp_path, capsys, monkeypatch):
    db = str(tmp_path / "env.db")
    with open_store(db) as store:
        finished_session(store)
    monkeypatch.setenv("RAS_CHAT_DB", db)
    code, out, _ = run_cli(capsys, "sessions")
    assert code == 0 and "5e55-a1" in out


def test_names_in_the_list_cannot_send_terminal_escapes(tmp_path, capsys):
    db = str(tmp_path / "s.db")
    with open_store(db) as store:
        store.save_turn(snapshot("x", 0, who="Eve\x1b]0;owned\x07\x1b[31mRed"), [])
    _, out, _ = run_cli(capsys, "sessions", "--db", db)
    assert "\x1b" not in out and "\x07" not in out


@pytest.mark.parametrize("fmt", ["json", "md", "html", "fhir"])
def test_export_writes_each_format_to_a_private_file(tmp_path, capsys, fmt):
    db = str(tmp_path / "s.db")
    with open_store(db) as store:
        finished_session(store)
    out_file = tmp_path / f"out.{fmt}"
    code, out, err = run_cli(capsys, "export", "last", "--format", fmt, "--out", str(out_file), "--db", db)
    assert (code, out, err) == (0, "", "")
    assert stat.S_IMODE(os.stat(out_file).st_mode) == 0o600
    assert out_file.read_text(encoding="utf-8").strip()


def test_export_with_an_unknown_id_says_so_in_one_line_and_exits_2(tmp_path, capsys):
    db = str(tmp_path / "s.db")
    with open_store(db) as store:
        finished_session(store)
    code, out, err = run_cli(capsys, "export", "nope", "--db", db)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "no session starts with 'nope'" in err
    code, _, err = run_cli(capsys, "export", "last", "--format", "pdf", "--db", db)
    assert code == 2 and "--format" in err


def test_a_damaged_database_gives_one_line_and_exit_2_from_every_command(tmp_path, capsys):
    db = tmp_path / "s.db"
    db.write_bytes(b"not a database at all" * 200)
    for argv in (["sessions"], ["export", "last"], ["backup", str(tmp_path / "b.db")], ["audit", "verify"]):
        code, out, err = run_cli(capsys, *argv, "--db", str(db))
        assert code == 2, argv
        assert "damaged" in err and err.count("\n") == 1 and "Traceback" not in err


def test_audit_verify_reports_a_break_and_exits_1(tmp_path, capsys):
    db = str(tmp_path / "s.db")
    with open_store(db) as store:
        finished_session(store)
    code, out, _ = run_cli(capsys, "audit", "verify", "--db", db)
    assert code == 0 and "intact: 1 worker change" in out
    with open_store(db) as store:
        store._q("DROP TRIGGER audit_no_update")
        store._q("UPDATE audit SET who = 'Someone Else'")
    code, out, _ = run_cli(capsys, "audit", "verify", "--db", db)
    assert code == 1 and "BROKEN: entry 1" in out
    code, out, _ = run_cli(capsys, "export", "last", "--format", "md", "--db", db)
    assert "WARNING: the audit chain has breaks" in out


def test_backup_command_copies_and_never_overwrites(tmp_path, capsys):
    db, copy = str(tmp_path / "s.db"), str(tmp_path / "copy.db")
    with open_store(db) as store:
        finished_session(store)
    code, out, _ = run_cli(capsys, "backup", copy, "--db", db)
    assert code == 0 and "Backed up 1 session and 1 audit entry" in out
    with open_store(copy) as restored:
        assert restored.resolve("last") == "5e55-a1"
    code, _, err = run_cli(capsys, "backup", copy, "--db", db)
    assert code == 2 and "already exists" in err


def test_export_schema_prints_the_published_schema(capsys):
    code, out, _ = run_cli(capsys, "export", "--schema")
    assert code == 0 and json.loads(out)["properties"]["schema"]["const"] == "ras-handoff/4"
