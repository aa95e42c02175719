"""Dialogue specs: the shipped conversation obeys its rules, and a broken file is caught
with a message naming file, line and key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ras.policy import DataFileError
from ras_chat.dialogue import registry
from ras_chat.dialogue.check import check, reachable, reaches_end
from ras_chat.dialogue.graph import mermaid
from ras_chat.dialogue.loader import builtin_dialogues, load_dialogue
from ras_chat.dialogue.machine import build_machine, machine_config
from ras_chat.dialogue.session import Session
from ras_chat.dialogue.text import jargon_in, person_lines, reading_grade, sentences, words

SHIPPED = builtin_dialogues()["assessment"]
RAS_CHAT = str(Path(sys.executable).with_name("ras-chat"))


@pytest.fixture(scope="module")
def dialogue():
    return load_dialogue("assessment")


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "broken.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def sample_session(dialogue):
    return Session.start(dialogue=dialogue, session_id="spec")


def test_the_shipped_dialogue_breaks_no_rule(dialogue):
    assert check(dialogue, sample_session(dialogue)) == []


def test_every_state_is_reachable_from_the_welcome(dialogue):
    assert reachable(dialogue) == set(dialogue.states)


def test_every_state_can_reach_an_end(dialogue):
    assert reaches_end(dialogue) == set(dialogue.states)


def test_every_callback_named_in_the_file_is_in_the_registry(dialogue):
    for name, state in dialogue.states.items():
        for route in state.routes():
            assert set(route.when) | set(route.unless) <= set(registry.CONDITIONS), name
            assert set(route.do) <= set(registry.ACTIONS), name
        if state.choices_from:
            assert state.choices_from in registry.CHOICES


def test_every_question_has_a_help_text(dialogue):
    for name, state in dialogue.states.items():
        if state.is_question:
            assert state.help, name


def test_the_machine_has_no_automatic_transitions(dialogue):
    config = machine_config(dialogue)
    assert config["auto_transitions"] is False
    machine, model = build_machine(dialogue, sample_session(dialogue), dialogue.start)
    assert not any(name.startswith("to_") for name in dir(model))
    assert set(machine.get_triggers(dialogue.start)) == {"advance", "alarm"}


def test_person_facing_text_has_no_jargon_and_short_sentences(dialogue):
    for item in person_lines(dialogue, sample_session(dialogue)):
        assert jargon_in(item.text) == [], item
        assert all(words(s) <= 25 for s in sentences(item.text)), item


def test_the_reading_grade_of_all_person_facing_text_is_six_or_below(dialogue):
    lines = [i.text for i in person_lines(dialogue, sample_session(dialogue))]
    assert reading_grade(lines) <= 6


def test_an_unknown_callback_is_refused_naming_file_line_and_key(tmp_path):
    path = broken(tmp_path, "when: [need_is_zero]", "when: [os.system]")
    with pytest.raises(DataFileError) as err:
        load_dialogue(path)
    assert err.value.line is not None
    assert "transitions.0.when" in str(err.value)
    assert "unknown condition `os.system`" in str(err.value)


def test_an_unknown_choice_list_is_refused(tmp_path):
    path = broken(tmp_path, "choices_from: need_scale", "choices_from: builtins.open")
    with pytest.raises(DataFileError, match="unknown choice list"):
        load_dialogue(path)


def test_a_misspelt_key_is_an_error_with_its_line(tmp_path):
    target = '    help: "This asks who is typing the answers.'
    path = broken(tmp_path, target, target.replace("help:", "hepl:"))
    with pytest.raises(DataFileError) as err:
        load_dialogue(path)
    assert "unknown key" in str(err.value) and "states.who.hepl" in str(err.value)
    lines = SHIPPED.read_text(encoding="utf-8").splitlines()
    assert err.value.line == next(i for i, line in enumerate(lines, 1) if line.startswith(target))


def test_a_duplicate_key_is_an_error(tmp_path):
    path = broken(tmp_path, "  who:\n    kind: choice\n", "  who:\n    kind: choice\n    kind: text\n")
    with pytest.raises(DataFileError, match="duplicate key"):
        load_dialogue(path)


def test_a_bare_yes_in_a_word_list_is_explained(tmp_path):
    path = broken(tmp_path, 'words: ["no", no one, nobody]', "words: [no, no one, nobody]")
    with pytest.raises(DataFileError, match="quotes"):
        load_dialogue(path)


def test_a_transition_to_a_missing_state_is_an_error(tmp_path):
    path = broken(tmp_path, "next: fluctuating", "next: fluctuate")
    with pytest.raises(DataFileError, match="`fluctuate` is not a state"):
        load_dialogue(path)


def test_check_finds_an_unreachable_state(tmp_path):
    path = broken(tmp_path, "  safety:\n", "  orphan:\n    kind: say\n    say: [\"Hello.\"]\n    next: handoff\n\n  safety:\n")
    problems = check(load_dialogue(path))
    assert [p.rule for p in problems] == ["reachable"]
    assert problems[0].line is not None


def test_check_finds_a_state_where_a_person_could_be_stuck(tmp_path):
    path = broken(tmp_path, "      - {to: check_answers}\n\n  carer_coping:", "\n  carer_coping:")
    problems = check(load_dialogue(path))
    assert any(p.rule == "dead-end" and "has_carer" in p.where for p in problems)


def test_check_finds_a_missing_help_text(tmp_path):
    path = broken(tmp_path, '    help: "This asks if you have good weeks and bad weeks. We ask because then the amount has a wider range, to cover the bad weeks."\n', "")
    problems = check(load_dialogue(path))
    assert [(p.rule, p.where) for p in problems] == [("help", "states.fluctuating")]


def test_check_finds_jargon_and_long_sentences(tmp_path):
    path = broken(
        tmp_path,
        'prompt: "Who is answering today?"',
        'prompt: "Who is answering this assessment of your eligibility today, and will you tell me all about the people who help you every day at home and at work?"',
    )
    rules = sorted({p.rule for p in check(load_dialogue(path))})
    assert rules == ["jargon", "sentence-length"]


def test_mermaid_graph_shows_every_state_and_the_safety_route(dialogue):
    text = mermaid(dialogue)
    assert text.startswith("flowchart TD")
    for name in dialogue.states:
        assert f"    {name}" in text
    assert "need_is_zero" in text and "safety" in text


def test_dialogue_check_command_exits_zero_on_the_shipped_file():
    out = subprocess.run([RAS_CHAT, "dialogue", "check"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "ok" in out.stdout


def test_dialogue_check_command_exits_non_zero_on_a_broken_file(tmp_path):
    path = broken(tmp_path, 'prompt: "Who is answering today?"', 'prompt: "Who is answering this assessment today?"')
    out = subprocess.run([RAS_CHAT, "dialogue", "check", str(path)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert "jargon" in out.stderr and "assessment" in out.stderr


def test_dialogue_check_command_exits_two_on_an_unreadable_file(tmp_path):
    path = broken(tmp_path, "when: [need_is_zero]", "when: [nope]")
    out = subprocess.run([RAS_CHAT, "dialogue", "check", str(path)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert "line" in out.stderr and "nope" in out.stderr


def test_dialogue_text_prints_every_person_facing_line_one_a_line():
    out = subprocess.run([RAS_CHAT, "dialogue", "text"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    lines = out.stdout.splitlines()
    assert "Who is answering today?" in lines
    assert "Help all the time" in lines  # from the policy's scales
    assert all(line.strip() for line in lines)


def test_dialogue_graph_prints_mermaid():
    out = subprocess.run([RAS_CHAT, "dialogue", "graph"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("flowchart TD")


def test_the_dialogue_never_imports_textual():
    code = "import sys, ras_chat.dialogue.session, ras_chat.plain, ras_chat.conversation; print(sorted(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert "'textual'" not in out.stdout


def test_check_finds_two_choices_that_share_words(tmp_path):
    path = broken(tmp_path, 'words: [same, steady, "no", about the same]', 'words: [same, steady, "no", changes]')
    problems = check(load_dialogue(path))
    assert [p.rule for p in problems] == ["ambiguous-choice"]


def test_every_choice_is_picked_by_its_number_and_by_its_own_label(dialogue):
    from ras.models import AREA_IDS
    from ras_chat.dialogue.match import match_many, match_one

    s = sample_session(dialogue)
    for name, state in dialogue.states.items():
        if state.kind not in ("choice", "multi"):
            continue
        for area in AREA_IDS:
            s.state.cursor = {"area": area, "outcome": None}
            options = s._options(state)
            for o in options:
                if state.kind == "choice":
                    assert match_one(str(o.number), options) == o, (name, o)
                    assert match_one(o.label, options) == o, (name, o)
                else:
                    assert match_many(str(o.number), options) == [o], (name, o)
                    assert match_many(o.label, options) == [o], (name, o)
