"""Plain mode as a person with a screen reader or a pipe would use it: a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

RAS_CHAT = str(Path(sys.executable).with_name("ras-chat"))
FARZANA = Path(__file__).parent / "plans" / "farzana.plan"


def run(stdin: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environ = {**os.environ, "TERM": "xterm-256color", **(env or {})}
    return subprocess.run(
        [RAS_CHAT, *args], input=stdin, capture_output=True, text=True, timeout=120, env=environ
    )


def plan_answers(path: Path) -> list[str]:
    return [line.strip()[1:].strip() for line in path.read_text().splitlines() if line.strip().startswith(">")]


def test_plain_mode_labels_every_line_and_numbers_the_choices():
    out = run("1\n", "--plain")
    lines = out.stdout.splitlines()
    assert out.returncode == 0
    assert lines[0].startswith("Assistant: Hello")
    assert "  1. Me, for myself" in lines
    assert any(line.startswith("You: 1") for line in lines)


def test_plain_mode_has_no_colour_no_cursor_movement_and_no_box_drawing():
    out = run("1\nI want to go to college\n", "--plain")
    assert "\x1b" not in out.stdout
    assert not any("\u2500" <= ch <= "\u257f" for ch in out.stdout)


def test_end_of_input_stops_politely_says_how_to_carry_on_and_exits_zero():
    out = run("1\n", "--plain")
    assert out.returncode == 0
    assert "We will stop here for now" in out.stdout


def test_a_whole_conversation_through_a_pipe_reaches_the_hand_off_and_prints_the_summary():
    out = run("\n".join(plan_answers(FARZANA)) + "\n", "--plain")
    assert out.returncode == 0, out.stderr
    assert "£195.00 a week" in out.stdout
    assert "Summary" in out.stdout and "Starting amount: £195.00 a week (£10,140.00 a year)." in out.stdout
    assert out.stdout.rstrip().splitlines()[-1].startswith("Your reference:")
    assert "You pay" not in out.stdout.split("Summary")[1]  # she skipped the money part


def test_the_summary_gives_who_pays_what_when_the_money_part_was_answered(tmp_path):
    plan = FARZANA.with_name("farzana_pays_part.plan")
    out = run("\n".join(plan_answers(plan)) + "\n", "--plain", env={"RAS_CHAT_DB": str(tmp_path / "s.db")})
    assert out.returncode == 0, out.stderr
    summary = out.stdout.split("Summary")[1]
    # the 2026-27 figures: £250 + £6 - £120.40 = £135.60; the council £195 - £135.60 = £59.40
    assert "You pay £135.60 a week. The council pays £59.40 a week. This is a first guess." in summary


def test_plain_mode_is_chosen_on_its_own_when_not_on_a_terminal():
    out = run("1\n")  # no --plain: stdin and stdout are pipes
    assert out.stdout.startswith("Assistant: Hello")


def test_plain_mode_is_chosen_when_term_is_dumb():
    out = run("", env={"TERM": "dumb"})
    assert out.stdout.startswith("Assistant: Hello") and out.returncode == 0


def test_answers_can_be_given_by_number_or_by_words():
    by_words = run("me, for myself\nskip\n", "--plain").stdout
    by_number = run("1\nskip\n", "--plain").stdout
    assert "What matters most to you right now?" in by_words
    assert "What matters most to you right now?" in by_number


def test_a_safety_disclosure_in_plain_mode_ends_with_999_and_exits_zero():
    out = run("1\nmy carer hits me\n", "--plain")
    assert out.returncode == 0
    assert "call 999" in out.stdout
    assert "A worker has been asked to contact you urgently" in out.stdout


def test_escape_sequences_typed_by_the_person_are_not_echoed_back():
    out = run("\x1b[31m1\x1b[0m\n\x1b[2Jcollege\n", "--plain")
    assert "\x1b" not in out.stdout
