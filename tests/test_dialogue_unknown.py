"""An answer not understood, skipped or "don't know" is never a 0 in the record: it is
marked not known, and the amount told is said to be the least it could be."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ras.engine import calculate
from ras.models import AssessmentRecord
from ras_chat.dialogue.session import Session

T0 = dt.datetime(2026, 5, 4, 9, 30, tzinfo=dt.UTC)
PLAN = Path(__file__).parent / "plans" / "farzana.plan"


def farzana(replace: dict[int, str | list[str]]) -> Session:
    inputs: list[str] = []
    for i, text in enumerate(line[2:] for line in PLAN.read_text().splitlines() if line.startswith("> ")):
        said = replace.get(i, text)
        inputs += said if isinstance(said, list) else [said]
    s = Session.start(session_id="f", clock=lambda: T0)
    s.opening()
    for text in inputs:
        s.send(text)
    return s


HEALTH_NEED = 8  # Farzana's answer "3" to how much help she needs with looking after herself (the 9th line she types)


def test_a_skipped_need_is_not_known_in_the_record_and_the_amount_says_it_is_the_least():
    s = farzana({HEALTH_NEED: "skip"})
    assert s.fields()["areas.health.need"] == {"unknown": "skipped"}
    record = s.record()
    assert record.schema_ == "ras-assessment/2"
    assert record.not_known == ("areas.health.need",)
    said = " ".join(m.text for m in s.state.transcript if m.kind == "result")
    assert "not known yet: how much help you need with looking after yourself" in said
    assert "the least it could be" in said
    # a worker filling it in can only raise the amount
    filled = AssessmentRecord.model_validate({**record.dump(), "schema": "ras-assessment/1", "not_known": None,
                                              "areas": {**record.dump()["areas"], "health": {"need": 2, "risk": 2, "unpaid_support": "some"}}})
    pa = s.policy_at
    assert calculate(filled, pa).weekly >= calculate(record, pa).weekly


def test_an_answer_never_understood_is_marked_not_known_not_zero():
    # four tries that cannot be read: asked again kindly, then with numbers, then marked
    s = farzana({HEALTH_NEED: ["purple monkey dishwasher"] * 4})
    assert "areas.health.need" in s.record().not_known
    assert any(f.code == "gave_up" for f in s.state.flags)


def test_a_record_with_everything_known_stays_ras_assessment_1():
    s = farzana({})
    assert s.record().schema_ == "ras-assessment/1"
    assert s.record().not_known is None
