"""FHIR R4B: the QuestionnaireResponse follows the session (status, subject), money is a GBP
Quantity, worker changes are items, and the Questionnaire it answers is generated from the
dialogue and exported; both validate with fhir.resources (R4B)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from store_helpers import message, sample_record, sample_result, seed_from_plan, snapshot

from ras_chat.__main__ import main
from ras_chat.exports.fhir import questionnaire, questionnaire_response
from ras_chat.exports.handoff import build_handoff, redact
from ras_chat.store import open_store

PLANS = Path(__file__).parent / "plans"
TYPES = {
    "valueBoolean": "boolean", "valueInteger": "integer", "valueDecimal": "decimal", "valueQuantity": "quantity",
    "valueCoding": "choice", "valueString": "string", "valueDate": "date", "valueDateTime": "dateTime",
}


def export(store, sid):
    return build_handoff(store.details(sid), audit_chain_intact=not store.verify_audit())


def from_plan(tmp_path, name):
    with open_store(tmp_path / f"{name}.db") as store:
        return export(store, seed_from_plan(store, PLANS / f"{name}.plan"))


def with_worker_change(tmp_path):
    sid = "5e55-a1"
    with open_store(tmp_path / "w.db") as store:
        record = sample_record()
        store.save_turn(snapshot(sid, 4, who="Mary Example", status="handed_off"), [message(0, "assistant", "Hello")],
                        record=record, result=sample_result(record))
        store.append_audit(sid, who="Jo Worker", what={"field": "areas.health.need", "from": 3, "to": 4,
                                                         "ways": ["unsafe", "takes_longer"]},
                           why="Falls at night, seen on visit.")
        return export(store, sid)


def response_json(h) -> dict:
    text = questionnaire_response(h).model_dump_json(exclude_none=True)
    QuestionnaireResponse.model_validate_json(text)  # validates again from the JSON
    return json.loads(text)


def walk(items, path=()):
    for it in items or []:
        yield (*path, it["linkId"]), it
        yield from walk(it.get("item"), (*path, it["linkId"]))


def test_the_questionnaire_is_valid_r4b_and_uses_the_dialogues_own_words():
    q = questionnaire()
    again = Questionnaire.model_validate_json(q.model_dump_json(exclude_none=True))
    assert again.status == "active" and again.url == "urn:ras-chat:questionnaire:ras-assessment-1"
    items = dict(walk(json.loads(q.model_dump_json(exclude_none=True))["item"]))
    assert items[("client_group",)]["text"].startswith("Where does most of your need for help come from?")
    # the area questions are the dialogue's, with the area's name filled in
    need = items[("areas", "areas.health", "areas.health.need")]["text"]
    assert need.startswith("How much help do you need with Looking after yourself and staying well?")
    assert "0 No help needed" in need
    # the money questions are the charging question list's
    assert "savings" in items[("money", "money.finance", "money.finance.capital")]["text"]
    assert items[("money", "money.charge", "money.charge.mig")]["type"] == "quantity"


@pytest.mark.parametrize("case", ["farzana_pays_part", "farzana", "safety_disclosure", "worker_change"])
def test_every_answer_of_a_response_is_an_item_of_the_questionnaire_of_the_right_type(tmp_path, case):
    h = with_worker_change(tmp_path) if case == "worker_change" else from_plan(tmp_path, case)
    q_items = dict(walk(json.loads(questionnaire().model_dump_json(exclude_none=True))["item"]))
    for path, item in walk(response_json(h)["item"]):
        assert path in q_items, path
        declared = q_items[path]["type"]
        for answer in item.get("answer", []):
            (kind,) = [k for k in answer if k.startswith("value")]
            assert TYPES[kind] == declared, (path, kind, declared)
        if len(item.get("answer", [])) > 1:
            assert q_items[path].get("repeats"), path


def test_a_session_stopped_at_a_safety_disclosure_exports_stopped(tmp_path):
    h = from_plan(tmp_path, "safety_disclosure")
    assert response_json(h)["status"] == "stopped"
    assert response_json(from_plan(tmp_path, "farzana"))["status"] == "completed"


def test_an_unfinished_session_is_in_progress(tmp_path):
    with open_store(tmp_path / "u.db") as store:
        store.save_turn(snapshot("early", 1), [message(0)])
        h = export(store, "early")
    assert response_json(h)["status"] == "in-progress"


def test_the_subject_is_the_persons_name_when_known_and_gone_when_redacted(tmp_path):
    h = with_worker_change(tmp_path)
    assert response_json(h)["subject"] == {"display": "Mary Example"}
    assert "subject" not in response_json(redact(h))
    named = json.loads(questionnaire_response(redact(h), name="Mary").model_dump_json(exclude_none=True))
    assert "subject" not in named  # a redacted record never carries a name


def test_who_is_answering_is_not_taken_for_a_name(tmp_path):
    # the dialogue's `who` answer is "self", "with_help" or "on_behalf": not the person's name
    h = from_plan(tmp_path, "farzana")
    assert h.session.who in ("self", "with_help", "on_behalf")
    assert "subject" not in response_json(h)
    named = json.loads(questionnaire_response(h, name="Farzana").model_dump_json(exclude_none=True))
    assert named["subject"] == {"display": "Farzana"}


def test_worker_changes_are_items_not_a_python_repr(tmp_path):
    data = response_json(with_worker_change(tmp_path))
    items = dict(walk(data["item"]))
    change = ("worker_changes", "worker_changes.change")
    assert items[change]["text"] == "Change 1"
    fields = [it for path, it in walk(items[change]["item"], change) if path[-1] == "worker_changes.change.what"]
    found = {
        next(a["answer"][0]["valueString"] for a in f["item"] if a["linkId"].endswith(".field")):
        [v["valueString"] for a in f["item"] if a["linkId"].endswith(".value") for v in a["answer"]]
        for f in fields
    }
    assert found == {"field": ["areas.health.need"], "from": ["3"], "to": ["4"], "ways": ["unsafe", "takes_longer"]}
    assert items[(*change, "worker_changes.change.why")]["answer"] == [{"valueString": "Falls at night, seen on visit."}]
    assert "{'" not in json.dumps(data)


def test_money_is_a_gbp_quantity(tmp_path):
    items = dict(walk(response_json(from_plan(tmp_path, "farzana_pays_part"))["item"]))
    weekly = items[("result", "result.weekly")]["answer"][0]["valueQuantity"]
    assert weekly == {"value": 195.0, "unit": "GBP", "system": "urn:iso:std:iso:4217", "code": "GBP"}
    charge = items[("money", "money.charge", "money.charge.weekly_charge")]["answer"][0]["valueQuantity"]
    # £250 + £6 - £120.40 (2026-27) = £135.60
    assert charge["value"] == 135.6 and charge["code"] == "GBP"
    assert items[("money", "money.charge", "money.charge.year")]["answer"] == [{"valueString": "2026-27"}]
    assert not any("valueDecimal" in a for _p, it in walk(response_json(from_plan(tmp_path, "farzana_pays_part"))["item"])
                   for a in it.get("answer", []))


def test_the_export_command_writes_the_questionnaire(tmp_path, capsys):
    out = tmp_path / "q.json"
    assert main(["export", "--format", "fhir-questionnaire", "--out", str(out)]) == 0
    q = Questionnaire.model_validate_json(out.read_text(encoding="utf-8"))
    assert q.url == "urn:ras-chat:questionnaire:ras-assessment-1"
    assert main(["export", "--format", "fhir-questionnaire"]) == 0
    assert json.loads(capsys.readouterr().out)["resourceType"] == "Questionnaire"
