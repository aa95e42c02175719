"""`ras-chat web` under load: simulated visitors completing whole assessments at once.

Starts the real command (`ras-chat web`, one process, a new SQLite file unless --db is
given) on a free 127.0.0.1 port, then runs VISITORS visitors concurrently (asyncio and
httpx). Each visitor opens the start page, starts, and types a test plan's answers one
page at a time (every POST and its redirected GET timed separately), pausing a random
"reading and typing" time between answers (--think, seconds; 0 for a stress test). The
count and the time are bounded: --visitors (default 50) and --deadline (default 600 s).

Prints: requests, the median, p95 and worst response time, the server's memory (RSS)
before and after and per visitor, and the check that nothing was lost: every visitor's
conversation is in the store with every answer, handed off, with the plan's amount.

    python scripts/bench_web.py                  # 50 visitors, 1 to 5 s between answers
    python scripts/bench_web.py --think 0        # as fast as they can
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ras_chat.web.testing import free_port, plan_answers  # noqa: E402

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
TURN = re.compile(r'name="turn" value="(\d+)"')


def cpu_s(pid: int) -> float:
    """CPU time the process has used (user + system), seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def visitor(n: int, base: str, answers: list[str], think: float, timings: list[float], rng: random.Random) -> str:
    import httpx

    # uvicorn closes an idle kept-alive connection after 5 s; a client that reuses one just
    # as it closes gets a ReadError, so the client lets them go first (as browsers do)
    limits = httpx.Limits(keepalive_expiry=2.0)
    async with httpx.AsyncClient(base_url=base, follow_redirects=False, timeout=60, limits=limits) as client:

        async def timed(method: str, path: str, **kw):
            t = time.perf_counter()
            r = await client.request(method, path, **kw)
            timings.append((method, time.perf_counter() - t, t, path))
            return r

        await asyncio.sleep(rng.uniform(0, think))  # visitors arrive over a moment, not all at once
        page = await timed("GET", "/")
        r = await timed("POST", "/start", data={"csrf": CSRF.search(page.text).group(1)})
        page = await timed("GET", r.headers["location"])
        for text in answers:
            if think:
                await asyncio.sleep(rng.uniform(think * 0.2, think))
            data = {"csrf": CSRF.search(page.text).group(1), "turn": TURN.search(page.text).group(1), "text": text}
            r = await timed("POST", "/answer", data=data)
            assert r.status_code == 303, (n, r.status_code)
            page = await timed("GET", r.headers["location"])
            if page.status_code == 303:  # the talk has ended: /question sends on to /result
                page = await timed("GET", page.headers["location"])
                break
        assert "£195.00 a week" in page.text, f"visitor {n} did not reach the result"
        return n


async def run(base: str, visitors: int, think: float, deadline: float, answers: list[str]) -> tuple[list, int]:
    timings: list = []
    rng = random.Random(17)
    tasks = [asyncio.create_task(visitor(i, base, answers, think, timings, random.Random(rng.random()))) for i in range(visitors)]
    done, pending = await asyncio.wait(tasks, timeout=deadline)
    for task in pending:
        task.cancel()
    failed = [t for t in done if t.exception() is not None]
    for t in failed[:3]:
        print("  a visitor failed:", repr(t.exception()), file=sys.stderr)
    return timings, len(done) - len(failed)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--visitors", type=int, default=50)
    ap.add_argument("--think", type=float, default=5.0, help="longest pause between answers, seconds (default 5; people take longer)")
    ap.add_argument("--deadline", type=float, default=600.0)
    ap.add_argument("--plan", default="farzana")
    ap.add_argument("--db", default=None, help="a database address (default: a new SQLite file)")
    args = ap.parse_args()
    answers = plan_answers(args.plan)
    tmp = tempfile.mkdtemp(prefix="bench-web-")
    db = args.db or os.path.join(tmp, "sessions.db")
    port = free_port()
    env = dict(os.environ, RAS_CHAT_DATA_DIR=tmp)
    server_log = open(os.path.join(tmp, "server.log"), "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "ras_chat", "web", "--port", str(port), "--db", db],
        env=env, stderr=server_log, stdout=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        import httpx

        for _ in range(200):
            try:
                httpx.get(base + "/", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        before = rss_kib(server.pid)
        cpu_before = cpu_s(server.pid)
        started = time.perf_counter()
        timings, finished = asyncio.run(run(base, args.visitors, args.think, args.deadline, answers))
        took = time.perf_counter() - started
        after = rss_kib(server.pid)
        cpu = cpu_s(server.pid) - cpu_before
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
    lost = check_store(db, args.visitors, answers)
    def figures(which: list[float]) -> str:
        ms = sorted(t * 1000 for t in which)
        p95 = ms[int(0.95 * (len(ms) - 1))]
        return f"median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, worst {ms[-1]:.1f} ms"

    every = [t for _m, t, *_ in timings]
    first = min(at for _m, _t, at, _p in timings)
    slow = sorted(timings, key=lambda x: -x[1])[:3]
    slowest = ", ".join(f"{m} {p} {t * 1000:.0f} ms at {at - first:.1f} s" for m, t, at, p in slow)
    ms = sorted(t * 1000 for t in every)
    p95 = ms[int(0.95 * (len(ms) - 1))]
    load = os.getloadavg()[0]
    print(f"visitors: {finished} of {args.visitors} finished in {took:.1f} s (think up to {args.think} s; load average {load:.2f} on {os.cpu_count()} cores)")
    print(f"requests: {len(ms)}; {figures(every)} (target p95 < 100 ms: {'met' if p95 < 100 else 'NOT met'})")
    print(f"  answers (POST): {figures([t for m, t, *_ in timings if m == 'POST'])}")
    print(f"  pages (GET):    {figures([t for m, t, *_ in timings if m == 'GET'])}")
    print(f"  slowest: {slowest}")
    print(f"server CPU: {cpu:.1f} s in all, {cpu * 1000 / max(1, len(ms)):.1f} ms a request")
    print(f"server memory: {before / 1024:.1f} MiB before, {after / 1024:.1f} MiB after, {(after - before) / max(1, args.visitors):.0f} KiB per visitor")
    print(f"nothing lost: {'yes' if not lost else 'NO'}" + ("" if not lost else f" ({'; '.join(lost[:5])})"))
    return 0 if (finished == args.visitors and not lost) else 1


def check_store(db: str, visitors: int, answers: list[str]) -> list[str]:
    """Every conversation in the store, with every answer and the plan's amount."""
    from ras_chat.store import open_store

    problems = []
    with open_store(db) as store:
        sessions = store.list_sessions()
        if len(sessions) != visitors:
            problems.append(f"{len(sessions)} sessions stored for {visitors} visitors")
        for s in sessions:
            snap = store.load(s.id)
            said = [m["text"] for m in snap["transcript"] if m["role"] == "person"]
            if said != answers[: len(said)] or len(said) != len(answers):
                problems.append(f"{s.id[:8]}: {len(said)} answers stored of {len(answers)}")
            if snap["status"] != "handed_off" or s.weekly != "195.00":
                problems.append(f"{s.id[:8]}: status {snap['status']}, weekly {s.weekly}")
    return problems


if __name__ == "__main__":
    sys.exit(main())
