"""Nothing acknowledged is lost: writers killed mid-run, and two processes writing at once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest
from store_helpers import message, snapshot

from ras_chat.store import open_store

# A writer: carries on the session from what is stored, prints the message count after each save_turn returns.
WRITER = """
import sys
from ras_chat.store import SessionNotFound, open_store
from store_helpers import message, snapshot
target, sid, turns = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open_store(target) as store:
    try:
        have = len(store.load(sid)["transcript"])
    except SessionNotFound:
        have = 0
    print("ready", flush=True)
    for _ in range(turns):
        new = [message(have), message(have + 1)]
        have += 2
        store.save_turn(snapshot(sid, have), new)
        print(have, flush=True)
"""

# A busy writer for the two-process test: two sessions of its own, and the shared audit chain.
# (Two processes cannot write one session: it has one writer at a time, see test_trust_lease.py.)
BUSY = """
import sys
from ras_chat.store import open_store
from store_helpers import message, snapshot
target, tag, turns = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open_store(target) as store:
    for i in range(turns):
        store.save_turn(snapshot(f"own-{tag}", 2 * (i + 1)), [message(2 * i), message(2 * i + 1)])
        store.save_turn(snapshot(f"other-{tag}", 0), [message(0, "person", f"{tag}-{i}")])
        if i % 5 == 0:
            store.append_audit(f"own-{tag}", who=tag, what={"turn": i}, why="test")
"""



def _env() -> dict:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    tests = os.path.join(root, "tests")  # store_helpers lives beside the tests
    return {**os.environ, "PYTHONPATH": os.pathsep.join([root, tests, os.environ.get("PYTHONPATH", "")])}


@pytest.mark.slow
def test_a_killed_writer_loses_no_acknowledged_turn_and_resumes_at_the_same_place(target):
    rng = random.Random(20260401)
    kills = 12
    acknowledged = 0
    for run in range(kills):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, target, "crash", "100000"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_env(),
        )
        assert proc.stdout.readline().strip() == b"ready", proc.stderr.read().decode()
        time.sleep(rng.uniform(0.0, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        lines = proc.stdout.read().split(b"\n")
        proc.stdout.close()
        proc.stderr.close()
        done = [int(x) for x in lines if x.strip()]
        if done:
            acknowledged = done[-1]
        with open_store(target) as store:
            loaded = store.load("crash") if acknowledged else None
            if loaded is None:
                continue
            stored = len(loaded["transcript"])
            assert acknowledged <= stored <= acknowledged + 2, f"run {run}: acked {acknowledged}, stored {stored}"
            assert loaded["transcript"] == [message(i) for i in range(stored)]
            assert loaded["answers"] == {"seen": stored}  # snapshot and messages from the same commit
            assert loaded["state"] == f"q{stored // 2}"  # resumes at the same question
            acknowledged = stored
            if store.kind == "sqlite":
                assert store.integrity_check() == []
    assert acknowledged > 0


def test_two_processes_writing_at_once_lose_nothing_and_corrupt_nothing(target):
    turns = 200
    procs = [
        subprocess.Popen([sys.executable, "-c", BUSY, target, tag, str(turns)], stderr=subprocess.PIPE, env=_env())
        for tag in ("a", "b")
    ]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
    with open_store(target) as store:
        for tag in ("a", "b"):
            assert store.load(f"own-{tag}")["transcript"] == [message(i) for i in range(2 * turns)]
        for tag in "ab":  # each writer's own order is kept
            mine = [m["text"] for m in store.load(f"other-{tag}")["transcript"]]
            assert mine == [f"{tag}-{i}" for i in range(turns)]
        assert len(store.audit_entries()) == 2 * len(range(0, turns, 5))
        assert store.verify_audit() == []
        assert store.integrity_check() == []


def test_a_backup_taken_while_a_writer_runs_is_consistent(tmp_path):
    db = str(tmp_path / "s.db")
    with open_store(db) as store:
        store.save_turn(snapshot("busy", 0), [])
    proc = subprocess.Popen([sys.executable, "-c", WRITER, db, "busy", "100000"], stdout=subprocess.PIPE, env=_env())
    try:
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(0.3)
        with open_store(db) as store:
            copy = store.backup(tmp_path / "copy.db")
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    with open_store(copy) as restored:
        assert restored.integrity_check() == []
        loaded = restored.load("busy")
        n = len(loaded["transcript"])
        assert loaded["answers"] == {"seen": n}
        assert loaded["transcript"] == [message(i) for i in range(n)]
