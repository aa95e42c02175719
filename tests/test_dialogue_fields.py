"""The dialogue declares what each question sets: states can be renamed, the record stays."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from ras_chat.dialogue.check import check
from ras_chat.dialogue.loader import load_dialogue
from ras_chat.dialogue.session import Session

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "dialogues" / "assessment.yaml"
PLANS = ROOT / "tests" / "plans"
T0 = dt.datetime(2026, 5, 4, 9, 30, tzinfo=dt.UTC)


def inputs_of(plan: str) -> list[str]:
    return [line[2:] for line in (PLANS / plan).read_text().splitlines() if line.startswith("> ")]


def renamed_copy(tmp_path: Path, rename=lambda n: f"step_{n}") -> Path:
    """The shipped dialogue with every state renamed, and every reference to it."""
    text = SHIPPED.read_text()
    data = yaml.safe_load(text)
    names = sorted(data["states"], key=len, reverse=True)
    for name in names:
        if name == "safety":  # the machine's alarm state keeps its name (machine.SAFETY_STATE)
            continue
        # a state name is only ever a key (`  name:`) or a value of next/to/start/clears
        text = re.sub(rf"(?m)^  {name}:$", f"  {rename(name)}:", text)
        text = re.sub(rf"(\b(?:next|to|start): ){name}\b", rf"\g<1>{rename(name)}", text)
        text = re.sub(rf"(clears: \[[^\]]*)\b{name}\b", rf"\g<1>{rename(name)}", text)
    out = tmp_path / "renamed.yaml"
    out.write_text(text)
    return out


def finish(dialogue, inputs: list[str]) -> Session:
    s = Session.start(session_id="s1", clock=lambda: T0, dialogue=dialogue)
    s.opening()
    for text in inputs:
        s.send(text)
    return s


@pytest.mark.parametrize("plan", ["farzana.plan", "carer_mr_and_mrs_okafor.plan", "farzana_pays_part.plan"])
def test_renaming_every_state_leaves_the_record_carer_record_and_money_the_same(tmp_path, plan):
    renamed = load_dialogue(renamed_copy(tmp_path))
    assert "step_area_need" in renamed.states and "area_need" not in renamed.states
    assert check(renamed) == []
    before = finish(load_dialogue(SHIPPED), inputs_of(plan))
    after = finish(renamed, inputs_of(plan))
    assert before.record() is not None
    assert after.record().dump() == before.record().dump()
    assert (after.carer_record() and after.carer_record().dump()) == (before.carer_record() and before.carer_record().dump())
    assert after.finance_answers() == before.finance_answers()
    assert after.fields() == before.fields()
    assert after.state.status == before.state.status == "handed_off"
    said = [m.text for m in after.state.transcript]
    assert said == [m.text for m in before.state.transcript]


def test_farzanas_fields_are_the_record_fields_her_answers_set():
    s = finish(load_dialogue(SHIPPED), inputs_of("farzana.plan"))
    f = s.fields()
    # for work she said "some help most days" (need 2) and "no one" helps; she typed 3 for
    # the risk: the third choice of 0..4, so risk 2
    assert f["areas.work.need"] == "2"
    assert f["areas.work.unpaid_support"] == "none"
    assert f["areas.work.risk"] == "2"
    assert f["client_group"] == "learning_disability"
    assert f["fluctuating"] == "no"
    assert f["carer.present"] == "yes"
    assert f["unable_reasons.work_education"] == ["without_help", "takes_longer"]


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "d.yaml"
    p.write_text(text)
    return p


def test_a_placeholder_typo_fails_the_check(tmp_path):
    text = SHIPPED.read_text().replace('"Let us talk about {area}."', '"Let us talk about {araa}."')
    problems = check(load_dialogue(write(tmp_path, text)))
    assert [p.rule for p in problems] == ["placeholder"]
    assert "{araa}" in problems[0].message and problems[0].where == "states.area_intro.say.0"


def test_broken_braces_fail_the_check(tmp_path):
    text = SHIPPED.read_text().replace('"Before, you said: {previous}."', '"Before, you said: {previous."')
    problems = check(load_dialogue(write(tmp_path, text)))
    assert [p.rule for p in problems] == ["placeholder"]
    assert problems[0].where == "texts.before_you_said"


def test_a_required_field_set_by_no_question_fails_the_check(tmp_path):
    text = SHIPPED.read_text().replace("    sets: fluctuating\n", "")
    problems = check(load_dialogue(write(tmp_path, text)))
    assert [(p.rule, "`fluctuating`" in p.message) for p in problems] == [("sets", True)]


def test_two_questions_setting_one_field_fail_the_check(tmp_path):
    text = SHIPPED.read_text().replace("    sets: carer.health_at_risk\n", "    sets: carer.wellbeing_impact\n")
    problems = check(load_dialogue(write(tmp_path, text)))
    assert any(p.rule == "sets" and "carer.wellbeing_impact" in p.message for p in problems)


def test_a_field_in_the_wrong_scope_or_unknown_is_refused_at_load(tmp_path):
    from ras.policy import DataFileError

    bad_scope = SHIPPED.read_text().replace("    sets: client_group\n", "    sets: areas.{area}.need\n")
    with pytest.raises(DataFileError, match="scope: area"):
        load_dialogue(write(tmp_path, bad_scope))
    unknown = SHIPPED.read_text().replace("    sets: client_group\n", "    sets: client_grup\n")
    with pytest.raises(DataFileError, match="client_grup"):
        load_dialogue(write(tmp_path, unknown))


def test_a_state_that_goes_nowhere_is_refused_at_load(tmp_path):
    """Found by fuzzing: without its `next`, the welcome loaded and then crashed at the start."""
    from ras.policy import DataFileError

    text = SHIPPED.read_text().replace("    next: who\n", "", 1)
    with pytest.raises(DataFileError, match="goes nowhere") as err:
        load_dialogue(write(tmp_path, text))
    assert "states.welcome" in str(err.value)
