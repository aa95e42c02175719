"""`ras-chat train` and `ras-chat demo` as a trainer would run them (subprocesses)."""

from __future__ import annotations

import os
import subprocess
import sys

from ras_chat.training import load_case, load_cases


def ras_chat(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    # the environment as it is now, inside the test: the temporary home of tests/conftest.py
    env = {**os.environ, "TERM": "dumb", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "ras_chat", *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


def test_train_list_gives_each_case_id_and_one_line():
    out = ras_chat("train", "--list")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == len(load_cases())
    assert any(line.startswith("learning-at-college ") for line in lines)


def test_demo_learning_at_college_plain_prints_the_whole_conversation_and_195_a_week():
    out = ras_chat("demo", "learning-at-college", "--plain")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "Assistant: Who is answering today?" in text
    assert "You: " in text
    assert "£195.00 a week" in text and "Goodbye" in text


def test_demo_compare_shows_the_four_methods_and_the_shortfall():
    out = ras_chat("demo", "learning-at-college", "--compare")
    assert out.returncode == 0, out.stderr
    for word in ("points", "bands", "grid", "costed", "Shortfall", "109.63", "standard"):
        assert word in out.stdout


def test_a_bad_case_id_is_one_line_and_exit_2():
    for args in (("demo", "no-such-person"), ("train", "no-such-person", "--plain"), ("train", "--compare", "nobody")):
        out = ras_chat(*args)
        assert out.returncode == 2
        assert len(out.stderr.strip().splitlines()) == 1


def test_train_plain_takes_the_workers_typed_answers_and_ends_with_a_debrief_finding_the_planted_change():
    script = list(load_case("learning-at-college").script)
    script[4] = "a lot, every day"
    out = ras_chat("train", "learning-at-college", "--plain", stdin="\n".join(script) + "\n")
    assert out.returncode == 0, out.stderr
    assert "Amira" in out.stdout  # the story first
    assert "Debrief" in out.stdout and "help needed (0-4): you 3, reference 2" in out.stdout
