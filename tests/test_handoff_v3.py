"""ras-handoff/3: the carer's own part, how each answer was read, a safety stop, the
name; and version 2 records still read."""

from __future__ import annotations

import json
from pathlib import Path

from store_helpers import seed_from_plan

from ras_chat.exports.handoff import build_handoff, read_handoff, redact
from ras_chat.exports.letter import letter_blocks, summary_blocks, to_markdown
from ras_chat.store import open_store

PLANS = Path(__file__).parent / "plans"


def summary_markdown(h) -> str:
    return to_markdown(summary_blocks(h))


def export(tmp_path, plan: str):
    with open_store(str(tmp_path / "s.db")) as store:
        sid = seed_from_plan(store, PLANS / plan)
        return build_handoff(store.details(sid))


def test_the_carers_own_talk_and_its_reg_3_result_are_in_the_handoff(tmp_path):
    h = export(tmp_path, "carer_mr_and_mrs_okafor.plan")
    assert h.carer is not None
    r = h.carer.record
    # Mrs Okafor: 50 hours or more (70), her health is at risk, caring makes seeing family
    # and friends (5) and having time for herself (8) hard, a big effect on her life:
    # reg. 3(1)(a) needs from caring, (b) health at risk or an outcome not achieved, (c) a
    # significant impact on wellbeing: all three hold, so she is eligible.
    assert r.hours_caring_per_week == 70.0 and r.health_at_risk and r.wellbeing_impact
    assert set(r.unable_outcomes) == {"relationships", "recreation"}
    assert h.carer.eligible is True
    text = summary_markdown(h)
    assert "Carer's own assessment (Care Act s.10)" in text and "I look after my husband" in text


def test_answers_from_words_are_kept_beside_their_values_for_the_worker(tmp_path):
    h = export(tmp_path, "carer_mr_and_mrs_okafor.plan")
    by_field = {r.field: r for r in h.readings}
    coping = by_field["carer.coping"]
    assert coping.value == "at_breaking_point" and coping.said == "they cannot carry on like this"
    assert coping.how != "number"
    assert "they cannot carry on like this" in summary_markdown(h)
    redacted = redact(h)
    assert all(r.said is None for r in redacted.readings if r.how not in ("number", "label"))
    assert redacted.carer.record.cared_for_relationship is None


def test_a_safety_stop_is_marked_stopped_and_the_summary_says_so(tmp_path):
    h = export(tmp_path, "safety_disclosure.plan")
    assert h.stopped is True
    assert "stopped at a possible disclosure of harm" in summary_markdown(h)
    (tmp_path / "other").mkdir()
    assert export(tmp_path / "other", "farzana.plan").stopped is False


def test_a_version_2_record_still_reads_with_the_new_parts_empty(tmp_path):
    h = export(tmp_path, "farzana.plan")
    v2 = json.loads(h.dump_json())
    v2["schema"] = "ras-handoff/2"
    for key in ("stopped", "carer", "readings"):
        del v2[key]
    del v2["session"]["name"]
    old = read_handoff(v2)
    assert old.schema_ == "ras-handoff/4"
    assert old.carer is None and old.readings == [] and old.stopped is False and old.session.name is None


def test_a_version_3_record_reads_as_version_4_its_carer_result_from_eligible(tmp_path):
    # /4 added the carer part's `result` and `not_known`; a /3 file has neither
    h = export(tmp_path, "carer_mr_and_mrs_okafor.plan")
    assert h.schema_ == "ras-handoff/4" and h.carer is not None
    v3 = json.loads(h.dump_json())
    v3["schema"] = "ras-handoff/3"
    del v3["carer"]["result"], v3["carer"]["not_known"]
    old = read_handoff(v3)
    assert old.schema_ == "ras-handoff/4" and old.carer is not None
    assert old.carer.result == ("eligible" if v3["carer"]["eligible"] else "not_eligible")
    assert old.carer.not_known == ()


def test_the_letter_never_greets_an_internal_value(tmp_path):
    h = export(tmp_path, "farzana.plan")
    assert h.session.who == "self"
    letter = to_markdown(letter_blocks(h))
    assert "Dear self" not in letter and "Hello," in letter
