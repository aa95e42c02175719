"""What comes in (issue 19): invalid UTF-8 on standard input loses nothing; a YAML alias bomb
in a dialogue or policy file fails at once with a clear message; the dialogue's limits are bounded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from store_helpers import plan_answers

from ras_chat.store import open_store

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = plan_answers(ROOT / "tests" / "plans" / "farzana.plan")
BOUND_S = 30  # the issue saw these hang for over 90 s; a refusal takes well under a second


def env_for(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAS_CHAT_", "LC_", "LANG"))}
    env.update(TERM="dumb", PYTHONUNBUFFERED="1", **extra)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "tests"), env.get("PYTHONPATH", "")])  # tests/: store_helpers
    return env


@pytest.mark.parametrize("locale", [{"LANG": "en_GB.UTF-8"}, {"LC_ALL": "C.UTF-8"}, {"LC_ALL": "C"}], ids=["en_GB", "C.UTF-8", "C"])
def test_invalid_utf8_on_stdin_becomes_a_replacement_character_and_nothing_is_lost(tmp_path, locale):
    db = tmp_path / "s.db"
    # the first answer has bytes that are not UTF-8; the others arrive in the same read
    answers = [a.encode() for a in ANSWERS[:8]]
    answers[1] = b"Seeing my grandson \xff\xfe on Sundays \xc3("
    done = subprocess.run(
        [sys.executable, "-m", "ras_chat", "--plain"],
        input=b"\n".join(answers) + b"\n",
        capture_output=True,
        env=env_for(RAS_CHAT_DB=str(db), **locale),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert b"Traceback" not in done.stderr
    with open_store(db) as store:
        said = [m["text"] for m in store.load(store.resolve("last"))["transcript"] if m["role"] == "person"]
    assert len(said) == 8  # every line typed reached the conversation
    assert said[1] == "Seeing my grandson \ufffd\ufffd on Sundays \ufffd("
    assert said[:1] + said[2:] == ANSWERS[:1] + ANSWERS[2:8]


def _bomb(levels: int = 9) -> str:
    lines = ['  - &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels):
        refs = ", ".join(f"*a{n - 1}" for _ in range(9))
        lines.append(f"  - &a{n} [{refs}]")
    return "\n".join(lines) + "\n"


def _run(argv: list[str], **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, env=env_for(**extra), timeout=BOUND_S, stdin=subprocess.DEVNULL)


def test_an_alias_bomb_in_a_dialogue_file_fails_at_once_with_a_clear_message(tmp_path):
    bomb = tmp_path / "bomb.yaml"
    text = (ROOT / "dialogues" / "assessment.yaml").read_text(encoding="utf-8")
    bomb.write_text(text.replace("yes_words:", "laughs:\n" + _bomb() + "yes_words:", 1), encoding="utf-8")
    for argv, extra in (
        ([sys.executable, "-m", "ras_chat", "dialogue", "check", str(bomb)], {}),
        ([sys.executable, "-m", "ras_chat", "--plain"], {"RAS_CHAT_DIALOGUE": str(bomb), "RAS_CHAT_DB": str(tmp_path / "s.db")}),
    ):
        done = _run(argv, **extra)  # raises TimeoutExpired if it hangs
        assert done.returncode != 0
        assert "an alias (*name) repeats a value" in done.stderr and "bomb.yaml, line" in done.stderr
        assert "Traceback" not in done.stderr


def test_an_alias_bomb_in_a_policy_file_fails_at_once_with_a_clear_message(tmp_path):
    bomb = tmp_path / "policy.yaml"
    text = (ROOT / "ras" / "policies" / "example.yaml").read_text(encoding="utf-8")
    bomb.write_text(text + "\nlaughs:\n" + _bomb(), encoding="utf-8")
    done = _run([sys.executable, "-m", "ras.cli", "policy", "check", str(bomb)])
    assert done.returncode != 0
    assert "an alias (*name) repeats a value" in done.stderr and "Traceback" not in done.stderr


def test_a_recursive_alias_is_refused_too(tmp_path):
    from ras.policy.yamlio import DataFileError, read_yaml

    f = tmp_path / "loop.yaml"
    f.write_text("a: &x [1, *x]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="alias"):
        read_yaml(f)


def test_a_file_without_aliases_still_reads(tmp_path):
    from ras.policy.yamlio import read_yaml

    f = tmp_path / "plain.yaml"
    f.write_text("a: [1, 2]\nb: {c: 4.60}\nd: [1, 2]\n", encoding="utf-8")
    data = read_yaml(f).data
    assert data["a"] == data["d"] == [1, 2] and str(data["b"]["c"]) == "4.60"


@pytest.mark.parametrize("setting,value", [("text_limit", 10**9), ("text_limit", 10), ("miss_limit", 0), ("miss_limit", 1000)])
def test_the_dialogue_limits_are_bounded(tmp_path, setting, value):
    import re

    f = tmp_path / "limits.yaml"
    text = (ROOT / "dialogues" / "assessment.yaml").read_text(encoding="utf-8")
    f.write_text(re.sub(rf"(?m)^(\s+){setting}: .*$", rf"\g<1>{setting}: {value}", text, count=1), encoding="utf-8")
    done = _run([sys.executable, "-m", "ras_chat", "dialogue", "check", str(f)])
    assert done.returncode != 0
    assert setting in done.stderr + done.stdout and "Traceback" not in done.stderr
