"""A carer's "I don't know" is never a "no" in the record (issue 15).

The carer's own talk builds a `CarerRecord`. An answer the carer did not know, skipped or
that was never understood goes into `not_known` (`ras-carer/2`); a record with every
answer known stays `ras-carer/1`, exactly as before. The reg. 3 result (the engine's, in
one place) is then met, not met, or not known yet, and the worker sees "not known yet"
and which answers are missing in the review lines, the hand-off JSON, the worker summary
(Markdown) and FHIR.

The rule, SI 2015/313 reg. 3, worked by hand for each case below:

    met  =  (a) the needs come from caring (always so in the carer's own talk)
        and (b) caring puts the carer's health at risk  OR  at least one thing is hard
        and (c) caring has a big effect on the carer's life

An answer not known is at its least in the record (no / none). The result is not known
yet when a condition fails on the known answers and every failing condition has an
answer not known that could meet it; otherwise it is decided as before.

Conversations are driven by the field each question sets (tests/talk_by_field.py).
"""

from __future__ import annotations

import html
import json

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError
from talk_by_field import CLOCK, Talk, pick, with_carer_talk

from ras.eligibility import carer_eligibility
from ras.models import CarerRecord
from ras_chat.app import save_session_turn
from ras_chat.app.summary import carer_result
from ras_chat.dialogue.session import Session
from ras_chat.exports.blocks import to_html_body, to_markdown
from ras_chat.exports.fhir import questionnaire, questionnaire_response
from ras_chat.exports.handoff import build_handoff, read_handoff
from ras_chat.exports.summary import summary_blocks
from ras_chat.review.text import carer_lines
from ras_chat.store import open_store

DONT_KNOW = "I don't know"
NOT_KNOWN_REASON = (
    "We do not know yet if the council should help you as a carer. "
    "We still need to know if caring is making your health worse. "
    "A worker will ask you about this. Not knowing does not count against you."
)
NOT_ELIGIBLE_START = "From what you told us, the council is not likely to pay for carer support right now."


def saved_talk(tmp_path, script, session_id: str):
    """Talk `script` through to its end, saving every turn; the session, the driver and
    the hand-off built from the store."""
    session = Session.start(session_id=session_id, clock=lambda: CLOCK)
    driver = Talk(script)
    with open_store(str(tmp_path / "s.db")) as store:
        save_session_turn(store, session, session.opening())
        for _ in range(150):
            if session.finished:
                break
            save_session_turn(store, session, session.send(driver.next_line(session)))
        assert session.finished
        h = build_handoff(store.details(session.state.id))
    return session, driver, h


def carer_talk(tmp_path, *, health, hard, effect):
    """Talk the person and their carer through, saving every turn; the session and its hand-off."""
    session, driver, h = saved_talk(tmp_path, with_carer_talk(health=health, hard=hard, effect=effect), "carer-nk")
    assert {"carer.health_at_risk", "carer.unable_outcomes", "carer.wellbeing_impact"} <= set(driver.asked)
    return session, h


def fhir_items(h) -> dict:
    out: dict = {}

    def walk(items):
        for it in items or []:
            out[it["linkId"]] = it
            walk(it.get("item"))

    text = questionnaire_response(h).model_dump_json(exclude_none=True)
    walk(json.loads(QuestionnaireResponse.model_validate_json(text).model_dump_json(exclude_none=True))["item"])
    return out


# ----- the conversation, end to end --------------------------------------------------


def test_health_not_known_and_it_decides_the_result(tmp_path):
    # health "I don't know", nothing hard, a big effect:
    # (a) yes; (b) health not known, nothing hard -> fails on the known answers, but health
    # at risk would meet it; (c) yes. So: not known yet, waiting on health_at_risk.
    session, h = carer_talk(tmp_path, health=DONT_KNOW, hard=pick("none"), effect=pick("yes"))
    record = session.carer_record()
    assert record is not None
    assert record.schema_ == "ras-carer/2"
    assert record.not_known == ("health_at_risk",)
    assert record.health_at_risk is False  # held at its least, and marked not known
    el = carer_eligibility(record)
    assert (el.eligible, el.result, el.not_known) == (False, "not_known", ("health_at_risk",))
    assert el.conditions == {
        "needs_arise_from_caring": True,
        "health_at_risk_or_unable_to_achieve": None,
        "significant_impact_on_wellbeing": True,
    }
    assert el.reason == NOT_KNOWN_REASON
    assert carer_result(session) == "not_sure"  # the ending's words follow the engine's result

    # the hand-off JSON says so, and reads back
    data = h.dump()
    assert data["carer"]["result"] == "not_known"
    assert data["carer"]["eligible"] is False
    assert data["carer"]["not_known"] == ["health_at_risk"]
    assert data["carer"]["record"]["schema"] == "ras-carer/2"
    assert data["carer"]["record"]["not_known"] == ["health_at_risk"]
    assert data["carer"]["conditions"]["health_at_risk_or_unable_to_achieve"] is None
    assert read_handoff(h.dump_json()).carer == h.carer

    # the worker summary (Markdown): not known yet, and which answer is missing; never "no"
    md = to_markdown(summary_blocks(h))
    assert "not known yet (missing: health at risk (reg. 3(1)(b)(i)))" in md
    row = next(line for line in md.splitlines() if line.startswith("| Health at risk"))
    assert "not known" in row and "no" not in row.replace("not known", "")
    assert NOT_KNOWN_REASON in md
    page = html.unescape(to_html_body(summary_blocks(h)))
    assert "not known yet (missing: health at risk (reg. 3(1)(b)(i)))" in page

    # the review lines (`review --show`)
    lines = carer_lines(record)
    assert lines[0].startswith(
        "Carer's own assessment (Care Act s.10): eligible (reg. 3) not known yet (missing: health at risk (reg. 3(1)(b)(i)))"
    )
    assert "Health at risk (reg. 3(1)(b)(i)) not known;" in lines[2]
    assert lines[-1] == "  Not known yet (ask at review): health at risk (reg. 3(1)(b)(i))"

    # the worker's panel in the app
    view = session.worker_view()["carer"]
    assert (view["result"], view["not_known"], view["eligible"]) == ("not_known", ["health_at_risk"], False)

    # FHIR: no yes/no for eligible or for the health answer; the result and what is missing instead
    items = fhir_items(h)
    assert "carer.eligible" not in items
    assert "carer.health_at_risk" not in items
    assert items["carer.result"]["answer"] == [{"valueString": "not known yet (missing: health at risk (reg. 3(1)(b)(i)))"}]
    assert items["carer.not_known"]["answer"] == [{"valueString": "health_at_risk"}]
    q = json.loads(Questionnaire.model_validate_json(questionnaire().model_dump_json(exclude_none=True)).model_dump_json(exclude_none=True))
    declared: set[str] = set()

    def walk(qs):
        for it in qs or []:
            declared.add(it["linkId"])
            walk(it.get("item"))

    walk(q["item"])
    assert {k for k in items if k.startswith("carer")} <= declared


def test_the_same_with_health_known_stays_ras_carer_1_exactly(tmp_path):
    # health yes, nothing hard, a big effect: (a) yes, (b) yes by health, (c) yes -> met.
    session, h = carer_talk(tmp_path, health=pick("yes"), hard=pick("none"), effect=pick("yes"))
    record = session.carer_record()
    assert record is not None
    # as written before this change: no `not_known` key, schema /1 (hours "35"; "less" is
    # still willing to continue; coping from the person's own answer "struggling")
    assert record.dump() == {
        "schema": "ras-carer/1",
        "needs_from_caring": True,
        "health_at_risk": True,
        "unable_outcomes": [],
        "wellbeing_impact": True,
        "cared_for_relationship": "I look after my husband Sam",
        "hours_caring_per_week": 35.0,
        "coping": "struggling",
        "willing_to_continue": True,
    }
    el = carer_eligibility(record)
    assert (el.eligible, el.result, el.not_known) == (True, "eligible", ())
    assert h.dump()["carer"]["result"] == "eligible"
    assert "carer.eligible" in fhir_items(h)
    md = to_markdown(summary_blocks(h))
    assert "Not known yet (ask at review)" not in md and "not known yet (missing" not in md
    assert "| Eligible (reg. 3) | yes;" in md


def test_a_dont_know_that_cannot_change_the_result_is_not_eligible(tmp_path):
    # health "I don't know", nothing hard, no big effect: (c) fails on a known answer, so
    # even health at risk could not meet reg. 3: not eligible, with the usual reason; the
    # record still marks health as not known (the worker may still ask it).
    session, h = carer_talk(tmp_path, health=DONT_KNOW, hard=pick("none"), effect=pick("no"))
    record = session.carer_record()
    assert record is not None
    assert (record.schema_, record.not_known) == ("ras-carer/2", ("health_at_risk",))
    el = carer_eligibility(record)
    assert (el.eligible, el.result, el.not_known) == (False, "not_eligible", ())
    assert el.conditions["significant_impact_on_wellbeing"] is False
    assert el.reason.startswith(NOT_ELIGIBLE_START)
    assert "It does not seem to be having a big effect on your life right now." in el.reason
    assert carer_result(session) == "not_met"
    data = h.dump()
    assert (data["carer"]["result"], data["carer"]["not_known"]) == ("not_eligible", [])
    md = to_markdown(summary_blocks(h))
    assert "| Eligible (reg. 3) | no;" in md
    assert "not known yet (missing" not in md
    assert "| Health at risk (reg. 3(1)(b)(i)) | not known |" in md


# ----- the engine's rule, case by case -------------------------------------------------


def rec(**kw) -> CarerRecord:
    base = {"schema": "ras-carer/2" if kw.get("not_known") else "ras-carer/1", "needs_from_caring": True,
            "health_at_risk": False, "unable_outcomes": [], "wellbeing_impact": False}
    return CarerRecord.model_validate({**base, **kw})


@pytest.mark.parametrize(
    ("record", "result", "missing"),
    [
        # health and effect not known, nothing hard: (b) and (c) both fail on the known
        # answers, and each has an unknown answer that could meet it -> both missing
        pytest.param(rec(not_known=["health_at_risk", "wellbeing_impact"]), "not_known",
                     ("health_at_risk", "wellbeing_impact"), id="health-and-effect-not-known"),
        # what is hard not known, health no, a big effect: (b) could be met by one thing hard
        pytest.param(rec(wellbeing_impact=True, not_known=["unable_outcomes"]), "not_known", ("unable_outcomes",),
                     id="what-is-hard-not-known"),
        # what is hard not known, but health at risk already meets (b) and a big effect (c): met
        pytest.param(rec(health_at_risk=True, wellbeing_impact=True, not_known=["unable_outcomes"]), "eligible", (),
                     id="met-whatever-the-unknown"),
        # effect not known, health at risk: (b) yes, (c) could be met -> only the effect missing
        pytest.param(rec(health_at_risk=True, not_known=["wellbeing_impact", "unable_outcomes"]), "not_known",
                     ("wellbeing_impact",), id="effect-not-known"),
        # effect not known, but (b) fails on known answers (health no, nothing hard, both known)
        pytest.param(rec(not_known=["wellbeing_impact"]), "not_eligible", (), id="effect-not-known-cannot-help"),
        # needs not from caring (a): nothing not known can change that
        pytest.param(rec(needs_from_caring=False, wellbeing_impact=True, not_known=["health_at_risk"]), "not_eligible", (),
                     id="needs-not-from-caring"),
        # only a context answer not known (hours): decided as before, not met here
        pytest.param(rec(wellbeing_impact=True, not_known=["hours_caring_per_week"]), "not_eligible", (),
                     id="only-hours-not-known"),
    ],
)
def test_reg_3_with_answers_not_known(record, result, missing):
    el = carer_eligibility(record)
    assert (el.result, el.not_known, el.eligible) == (result, missing, result == "eligible")
    if result == "not_known":
        assert el.reason.startswith("We do not know yet if the council should help you as a carer.")
        assert "not eligible" not in el.reason and "not likely" not in el.reason


def test_two_missing_answers_are_named_in_plain_words():
    el = carer_eligibility(rec(not_known=["health_at_risk", "wellbeing_impact"]))
    assert ("We still need to know if caring is making your health worse and "
            "if caring is having a big effect on your life.") in el.reason


# ----- the formats ---------------------------------------------------------------------


def test_an_old_ras_carer_1_file_still_loads_and_reads_as_before():
    old = {
        "schema": "ras-carer/1",
        "needs_from_caring": True,
        "health_at_risk": False,
        "unable_outcomes": ["recreation"],
        "wellbeing_impact": True,
        "hours_caring_per_week": 70,
        "coping": "at_breaking_point",
    }
    r = CarerRecord.model_validate_json(json.dumps(old))
    assert r.not_known is None
    # (b) met by one thing hard, (c) yes -> met, as it always was
    assert carer_eligibility(r).result == "eligible"
    assert r.dump() == {**old, "hours_caring_per_week": 70.0}


def test_not_known_needs_ras_carer_2_and_a_real_field_at_its_least():
    with pytest.raises(ValidationError, match="ras-carer/2"):
        CarerRecord.model_validate({"schema": "ras-carer/1", "needs_from_caring": True, "wellbeing_impact": True,
                                    "not_known": ["health_at_risk"]})
    with pytest.raises(ValidationError, match="not a carer answer field"):
        rec(not_known=["health"])
    with pytest.raises(ValidationError, match="gives it a value"):
        rec(health_at_risk=True, not_known=["health_at_risk"])
    with pytest.raises(ValidationError, match="gives it a value"):
        rec(hours_caring_per_week=35, not_known=["hours_caring_per_week"])


def test_a_handoff_carer_part_written_before_result_reads_its_result_from_eligible(tmp_path):
    _, h = carer_talk(tmp_path, health=pick("no"), hard=pick("none"), effect=pick("yes"))
    # (b) fails: health no and nothing hard, both known -> not eligible
    data = h.dump()
    assert data["carer"]["result"] == "not_eligible"
    for key in ("result", "not_known"):
        del data["carer"][key]
    back = read_handoff(json.dumps(data))
    assert back.carer is not None and back.carer.result == "not_eligible" and back.carer.not_known == ()
    data["carer"]["eligible"] = True
    assert read_handoff(json.dumps(data)).carer.result == "eligible"


def test_a_carer_talk_stopped_by_a_safety_stop_keeps_its_part_in_the_handoff_as_not_known(tmp_path):
    """The carer's talk stops at a disclosure, before any reg. 3 answer: the hand-off still
    has the carer's part (nothing they said is lost), with all three reg. 3 answers not
    known and the result not known yet, never "not eligible"."""
    script = {
        **with_carer_talk(health=pick("yes"), hard=pick("none"), effect=pick("yes")),
        "carer.relationship": "I look after my husband, he hits me and I am scared of him",
    }
    _session, driver, h = saved_talk(tmp_path, script, "carer-stop")
    assert "carer.health_at_risk" not in driver.asked
    assert h.stopped and h.carer is not None
    assert h.carer.result == "not_known" and not h.carer.eligible
    assert set(h.carer.not_known) == {"health_at_risk", "unable_outcomes", "wellbeing_impact"}
    assert h.carer.record.schema_ == "ras-carer/2"
    assert read_handoff(h.dump_json()).carer == h.carer
