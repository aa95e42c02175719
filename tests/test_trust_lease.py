"""One writer per session (issue 19): a lease on the session row. A second `--resume` is
refused with who holds it and since when; a lease whose process is gone is taken over."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from store_helpers import message, plan_answers, seed_from_plan, snapshot

from ras_chat.store import SessionBusy, open_store

ROOT = Path(__file__).resolve().parent.parent
FARZANA = ROOT / "tests" / "plans" / "farzana.plan"
ANSWERS = plan_answers(FARZANA)

HOLDER = """
import sys, time
from ras_chat.store import open_store
with open_store(sys.argv[1]) as store:
    store.claim(sys.argv[2])
    print("holding", flush=True)
    time.sleep(120)
"""


def env_for(db) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAS_CHAT_") or k == "RAS_CHAT_AUDIT_HEAD"}
    env.update(RAS_CHAT_DB=str(db), TERM="dumb", PYTHONUNBUFFERED="1")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "tests"), env.get("PYTHONPATH", "")])  # tests/: store_helpers
    return env


def hold(target: str, sid: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, target, sid], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env_for(target))
    assert proc.stdout.readline().strip() == b"holding", proc.stderr.read().decode()
    return proc


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    proc.stderr.close()


def test_a_held_session_is_refused_with_who_and_since_and_a_dead_holder_is_taken_over(target):
    with open_store(target) as store:
        store.save_turn(snapshot("s", 2), [message(0), message(1)])
    holder = hold(target, "s")
    try:
        with open_store(target) as store:
            with pytest.raises(SessionBusy) as caught:
                store.claim("s")
            text = str(caught.value)
            assert f"process {holder.pid}" in text and "@" in text and re.search(r"since \d{4}-\d\d-\d\d \d\d:\d\d UTC", text)
            with pytest.raises(SessionBusy):  # and a save does not slip in either
                store.save_turn(snapshot("s", 4), [message(2), message(3)])
            assert len(store.load("s")["transcript"]) == 2
    finally:
        stop(holder)  # killed: its lease stays on the row, but its process is gone
    with open_store(target) as store:
        store.claim("s")
        store.save_turn(snapshot("s", 4), [message(2), message(3)])
        assert store.load("s")["transcript"] == [message(i) for i in range(4)]
        assert store.verify_audit() == []


def test_a_lease_from_another_computer_that_is_still_fresh_is_refused(tmp_path):
    db = tmp_path / "s.db"
    with open_store(db) as store:
        store.save_turn(snapshot("s", 1), [message(0)])
        store._q(
            "UPDATE sessions SET lease_token = 'theirs', lease_holder = 'jo@other', lease_host = 'other-computer', "
            "lease_pid = 1, lease_since = ?, lease_seen = ? WHERE id = 's'",
            ("2026-12-01T09:00:00.000000Z", store_now()),
        )
        with pytest.raises(SessionBusy, match="jo@other"):
            store.save_turn(snapshot("s", 2), [message(1)])
        # not renewed for longer than the idle limit: stale, taken over
        store._q("UPDATE sessions SET lease_seen = '2020-01-01T00:00:00.000000Z' WHERE id = 's'")
        store.save_turn(snapshot("s", 2), [message(1)])
        assert store.lease("s")["holder"] != "jo@other"


def store_now() -> str:
    from ras_chat.store.store import now

    return now()


def test_closing_the_store_gives_the_lease_back(target):
    with open_store(target) as store:
        store.save_turn(snapshot("s", 1), [message(0)])
        assert store.lease("s") is not None
    with open_store(target) as store:
        assert store.lease("s") is None


class Conversation:
    def __init__(self, db: Path, *extra: str):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ras_chat", "--plain", *extra],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env_for(db),
        )  # fmt: skip
        self.buffer = b""

    def wait_for_prompt(self) -> bool:
        while not self.buffer.endswith(b"You: "):
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                return False
            self.buffer += chunk
        self.buffer = b""
        return True

    def say(self, answer: str) -> None:
        self.proc.stdin.write(answer.encode() + b"\n")
        self.proc.stdin.flush()


def test_two_resumes_of_one_session_cannot_interleave(tmp_path):
    """The issue saw 52 person messages stored for 31 answers: two resumes writing one transcript."""
    db = tmp_path / "sessions.db"
    with open_store(db) as store:
        sid = seed_from_plan(store, FARZANA, stop_after=4)
    first = Conversation(db, "--resume", sid[:8])
    assert first.wait_for_prompt()
    second = subprocess.run(
        [sys.executable, "-m", "ras_chat", "--plain", "--resume", sid[:8]],
        input=b"\n".join(a.encode() for a in ANSWERS[4:]) + b"\n", capture_output=True, env=env_for(db), timeout=120,
    )  # fmt: skip
    assert second.returncode == 2
    err = second.stderr.decode()
    assert "Traceback" not in err and err.count("\n") == 1
    assert f"session {sid[:8]} is open in another ras-chat" in err and f"process {first.proc.pid}" in err
    for answer in ANSWERS[4:]:  # the first carries on to the end, alone
        first.say(answer)
        if not first.wait_for_prompt():
            break
    first.proc.stdin.close()
    assert first.proc.wait(timeout=60) == 0
    for f in (first.proc.stdout, first.proc.stderr):
        f.close()
    with open_store(db) as store:
        snap = store.load(sid)
        assert [m["text"] for m in snap["transcript"] if m["role"] == "person"] == ANSWERS
        assert snap["status"] == "handed_off"
        assert store.verify_audit() == []


def test_a_killed_conversation_can_be_resumed_at_once(tmp_path):
    db = tmp_path / "sessions.db"
    with open_store(db) as store:
        sid = seed_from_plan(store, FARZANA, stop_after=4)
    first = Conversation(db, "--resume", sid[:8])
    assert first.wait_for_prompt()
    first.say(ANSWERS[4])
    assert first.wait_for_prompt()
    first.proc.send_signal(signal.SIGKILL)
    first.proc.wait(timeout=30)
    for f in (first.proc.stdin, first.proc.stdout, first.proc.stderr):
        f.close()
    again = subprocess.run(
        [sys.executable, "-m", "ras_chat", "--plain", "--resume", sid[:8]],
        input=b"\n".join(a.encode() for a in ANSWERS[5:]) + b"\n", capture_output=True, env=env_for(db), timeout=120,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    with open_store(db) as store:
        assert [m["text"] for m in store.load(sid)["transcript"] if m["role"] == "person"] == ANSWERS
