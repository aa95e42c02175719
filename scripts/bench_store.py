"""Storage figures: the time to save one answer (one `save_turn`: snapshot + two messages,
committed) and the time to list 10,000 stored sessions; SQLite, and PostgreSQL when
RAS_CHAT_TEST_PG (or --pg URL) is set.

    .venv/bin/python scripts/bench_store.py [--sessions 10000] [--turns 300] [--dir DIR] [--pg URL]

The SQLite file goes in a temporary folder (or --dir: use a folder on the disk you care
about; /tmp may be in memory, where fsync costs nothing).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # store_helpers

from store_helpers import message, postgres_schema, sample_record, sample_result, snapshot  # noqa: E402

from ras_chat.store import open_store  # noqa: E402


def bench(target: str, label: str, sessions: int, turns: int) -> None:
    record = sample_record()
    result = sample_result(record)
    with open_store(target) as store:
        # one conversation, answer by answer (the snapshot grows as a real one does)
        times = []
        for t in range(turns):
            snap = snapshot("bench-answer", 2 * (t + 1))
            snap["answers"] = {f"q{i}": "some" for i in range(t + 1)}
            new = [message(2 * t), message(2 * t + 1, "person", "some")]
            start = time.perf_counter()
            store.save_turn(snap, new)
            times.append(time.perf_counter() - start)
        ms = [x * 1000 for x in times]
        print(
            f"{label}: save one answer: median {statistics.median(ms):.2f} ms, "
            f"p95 {sorted(ms)[int(len(ms) * 0.95)]:.2f} ms, max {max(ms):.2f} ms ({turns} answers)"
        )
        # fill to `sessions` sessions, each with a record, result and 20 messages (setup, not measured)
        have = store.count_sessions()
        start = time.perf_counter()
        for first in range(have, sessions, 500):
            _fill(store, range(first, min(first + 500, sessions)), record, result)
        fill = time.perf_counter() - start
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            rows = store.list_sessions()
            runs.append(time.perf_counter() - start)
        assert len(rows) >= sessions
        print(
            f"{label}: list {len(rows):,} sessions: median {statistics.median(runs) * 1000:.1f} ms "
            f"(best {min(runs) * 1000:.1f} ms; fill took {fill:.1f} s)"
        )
        start = time.perf_counter()
        sid = store.resolve("last")
        store.load(sid)
        print(f"{label}: resolve last + load: {(time.perf_counter() - start) * 1000:.2f} ms")


def _fill(store, numbers: range, record: dict, result: dict) -> None:
    """Insert a batch of sessions in one transaction."""
    d = store.dialect
    with store._db.write():
        for m in numbers:
            snap = snapshot(f"s{m:06d}", 20, status=("in_progress", "handed_off", "agreed")[m % 3])
            body = {k: v for k, v in snap.items() if k != "transcript"}
            store._q(
                "INSERT INTO sessions (id, created, updated, who, status, policy, state, weekly, message_count,"
                " snapshot, record, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    snap["id"], f"2026-04-01T09:00:00.{m:06d}Z", f"2026-04-02T09:00:00.{m:06d}Z", "Mary Example",
                    snap["status"], "example", snap["state"], result["weekly"], 20,
                    d.json_param(body), d.json_param(record), d.json_param(result),
                ),
            )  # fmt: skip
            store._db.executemany(
                d.sql("INSERT INTO messages (session_id, seq, role, text, at, kind, body) VALUES (?, ?, ?, ?, ?, ?, ?)"),
                [(snap["id"], j + 1, mm["role"], mm["text"], mm["at"], mm["kind"], d.json_param(mm))
                 for j, mm in enumerate(message(i) for i in range(20))],
            )  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=10_000)
    ap.add_argument("--turns", type=int, default=300)
    ap.add_argument("--dir", default=None, help="folder for the SQLite file (default: a temporary folder)")
    ap.add_argument("--pg", default=os.environ.get("RAS_CHAT_TEST_PG"), help="a postgresql:// server to test too")
    args = ap.parse_args()
    sessions = args.sessions
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        bench(str(Path(tmp) / "bench.db"), "SQLite", sessions, args.turns)
    if args.pg:
        with postgres_schema(args.pg) as url:
            bench(url, "PostgreSQL", sessions, args.turns)
    else:
        print("PostgreSQL: skipped (set RAS_CHAT_TEST_PG or --pg)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
