"""The store with the real dialogue session: every turn saved, restored as it was, exported."""

from __future__ import annotations

import json

import pytest

from ras_chat.app import save_session_turn as save
from ras_chat.exports.fhir import questionnaire_response
from ras_chat.exports.handoff import Handoff, build_handoff, redact
from ras_chat.exports.letter import letter_html, letter_markdown
from ras_chat.store import open_store

session_mod = pytest.importorskip("ras_chat.dialogue.session")
Session = session_mod.Session

WORDS = "My name is Mary. I love my garden & <b>my</b> grandson."


def run(store, session, turns=200, stop_after=None):
    save(store, session, session.opening())
    for n in range(turns):
        if session.finished or n == stop_after:
            break
        save(store, session, session.send("1" if session.options() else WORDS))
    return session


def test_a_stored_session_restores_to_the_same_state_and_carries_on(tmp_path):
    with open_store(tmp_path / "s.db") as store:
        first = run(store, Session.start(), stop_after=10)
        restored = Session.restore(store.load(store.resolve("last")))
        assert restored.state == first.state
        run(store, restored)
        assert restored.finished
        assert Session.restore(store.load(first.state.id)).state == restored.state


def test_a_finished_conversation_exports_in_every_format(tmp_path):
    with open_store(tmp_path / "s.db") as store:
        session = run(store, Session.start())
        store.append_audit(session.state.id, who="Jo Worker", what={"weekly": "99.00"}, why="Night care.")
        h = build_handoff(store.details(session.state.id), audit_chain_intact=not store.verify_audit())
    assert Handoff.model_validate_json(h.dump_json()) == h
    assert h.status == session.state.status and h.result is not None
    assert json.loads(h.dump_json())["result"]["weekly"] == str(session.result().weekly)
    assert "How we worked out your budget" in letter_markdown(h)
    assert "<b>my</b>" not in letter_html(h)
    assert questionnaire_response(h).status == "completed"
    r = redact(h)
    text = r.dump_json() + letter_markdown(r)
    assert "Mary" not in text and "garden" not in text and "Jo Worker" not in text
