"""The carer's own conversation (Care Act s.10) and its reg. 3 result in every hand-off
format: JSON, Markdown, HTML and FHIR R4B (validated with fhir.resources), and redacted."""

from __future__ import annotations

import html
import json
from pathlib import Path

from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from store_helpers import seed_from_plan

from ras_chat.exports.fhir import questionnaire, questionnaire_response
from ras_chat.exports.handoff import build_handoff, read_handoff, redact
from ras_chat.exports.letter import letter_html, letter_markdown
from ras_chat.store import open_store

PLANS = Path(__file__).parent / "plans"


def okafor(tmp_path):
    with open_store(str(tmp_path / "s.db")) as store:
        sid = seed_from_plan(store, PLANS / "carer_mr_and_mrs_okafor.plan")
        return build_handoff(store.details(sid))


def items_by_link(items, out=None):
    out = {} if out is None else out
    for it in items or []:
        out[it["linkId"]] = it
        items_by_link(it.get("item"), out)
    return out


def fhir_items(h) -> dict:
    text = questionnaire_response(h).model_dump_json(exclude_none=True)
    return items_by_link(json.loads(QuestionnaireResponse.model_validate_json(text).model_dump_json(exclude_none=True))["item"])


# Mrs Okafor cares 70 hours a week; her health is at risk; caring makes seeing family and
# friends and having time for herself hard; a big effect on her life. reg. 3(1)(a), (b)
# and (c) all hold, so she is eligible as a carer.


def test_json_carries_the_carer_part_and_reads_back(tmp_path):
    h = okafor(tmp_path)
    data = h.dump()
    assert data["carer"]["eligible"] is True
    assert data["carer"]["conditions"] == {
        "needs_arise_from_caring": True,
        "health_at_risk_or_unable_to_achieve": True,
        "significant_impact_on_wellbeing": True,
    }
    assert data["carer"]["record"]["hours_caring_per_week"] == 70.0
    assert read_handoff(h.dump_json()).carer == h.carer


def test_markdown_and_html_show_the_carer_part_with_its_reg_3_result(tmp_path):
    h = okafor(tmp_path)
    for text in (letter_markdown(h), html.unescape(letter_html(h))):
        assert "Carer's own assessment (Care Act s.10)" in text
        assert "Eligible (reg. 3)" in text
        assert "70" in text


def test_fhir_has_the_carer_items_and_the_questionnaire_declares_them(tmp_path):
    h = okafor(tmp_path)
    items = fhir_items(h)
    assert items["carer.eligible"]["answer"] == [{"valueBoolean": True}]
    assert items["carer.health_at_risk"]["answer"] == [{"valueBoolean": True}]
    assert {a["valueCoding"]["code"] for a in items["carer.unable_outcomes"]["answer"]} == {"relationships", "recreation"}
    assert items["carer.hours_caring_per_week"]["answer"] == [{"valueDecimal": 70.0}]
    assert items["carer.coping"]["answer"][0]["valueCoding"]["code"] == "at_breaking_point"
    assert len(items["carer.conditions"]["answer"]) == 3
    q = json.loads(Questionnaire.model_validate_json(questionnaire().model_dump_json(exclude_none=True)).model_dump_json(exclude_none=True))
    declared = items_by_link(q["item"])
    for link in items:
        if link.startswith("carer"):
            assert link in declared, link
    assert declared["carer.hours_caring_per_week"]["type"] == "decimal"
    assert declared["carer.unable_outcomes"]["repeats"] is True
    # the item's text is the prompt of the question that sets the field (found by `sets:`)
    assert declared["carer.hours_caring_per_week"]["text"] != "Hours caring a week"


def test_redacted_fhir_keeps_the_reg_3_result_without_the_relationship(tmp_path):
    h = okafor(tmp_path)
    assert h.carer.record.cared_for_relationship
    items = fhir_items(redact(h))
    assert "carer.relationship" not in items
    assert items["carer.eligible"]["answer"] == [{"valueBoolean": True}]


def test_a_session_without_a_carer_has_no_carer_items(tmp_path):
    with open_store(str(tmp_path / "f.db")) as store:
        h = build_handoff(store.details(seed_from_plan(store, PLANS / "farzana.plan")))
    assert h.carer is None
    assert not any(k.startswith("carer") for k in fhir_items(h))
