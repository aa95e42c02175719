"""Benchmark: records per second for `ras calculate --batch`, the vectorised path against the
one-record engine, in the same run on the same records; and the resident memory of a
million-line file streamed through the command.

Prints figures; asserts nothing (targets live here, not in tests).
Target (issue 18): at least 100,000 records/s per core for each method, results the same
as the one-record engine (tests/test_batch.py checks that), under 200 MB resident for a
million-line file.

    python scripts/bench_engine.py [--n 100000] [--repeat 5] [--engine-repeat 1] [--million 1000000]

Both paths run in this process through `ras.batch.run` (bytes in, JSON lines out to
memory): the vectorised path as `ras calculate --batch` runs it, and `--explain`, which is
the one-record engine on every record (check, calculate, write the full result). The
machine is shared: the load average is printed, the best run is the least disturbed one,
and "per CPU-second" counts only the time this process was on a core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time

from ras import batch
from ras.models import AREA_IDS, CLIENT_GROUPS, METHODS, OUTCOME_IDS
from ras.policy import load_policy

AS_OF = dt.date(2026, 6, 1)


def generate(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    lines = []
    for i in range(n):
        lines.append(
            json.dumps(
                {
                    "schema": "ras-assessment/1",
                    "id": f"bench-{i:07d}",
                    "client_group": rng.choice(CLIENT_GROUPS),
                    "impairment": rng.random() < 0.95,
                    "wellbeing_impact": rng.random() < 0.9,
                    "unable_outcomes": rng.sample(OUTCOME_IDS, rng.randint(0, 6)),
                    "fluctuating": rng.random() < 0.2,
                    "areas": {
                        a: {"need": rng.randint(0, 4), "risk": rng.randint(0, 4), "unpaid_support": rng.choice(["none", "some", "most"])}
                        for a in AREA_IDS
                    },
                }
            )
        )
    return lines


def timed(data: bytes, policy, method: str | None, *, explain: bool, compare: bool = False) -> tuple[float, float, int]:
    out = io.BytesIO()
    start, cpu = time.perf_counter(), time.process_time()
    done = batch.run(io.BytesIO(data), out, policy, method, explain=explain, compare=compare, problem=print)
    return time.perf_counter() - start, time.process_time() - cpu, done


def runs(data: bytes, policy, method: str | None, repeat: int, **kw) -> tuple[float, float, float]:
    """records/s: best wall, median wall, best per CPU-second."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu, done = timed(data, policy, method, **kw)
        walls.append(done / wall)
        cpus.append(done / cpu)
    return max(walls), statistics.median(walls), max(cpus)


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (5 min {five:.2f}) on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000, help="records per method (default 100,000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the vectorised path per method")
    parser.add_argument("--engine-repeat", type=int, default=1, help="runs of the one-record engine per method")
    parser.add_argument("--million", type=int, default=1_000_000, help="lines for the memory run (0: skip)")
    args = parser.parse_args()
    policy = load_policy("example").at(AS_OF)
    lines = generate(args.n)
    data = ("\n".join(lines) + "\n").encode()
    print(f"ras calculate --batch on {args.n:,} generated records, in process, one core ({dt.date.today()})")
    timed(("\n".join(lines[: args.n // 10]) + "\n").encode(), policy, None, explain=False)  # warm: tables
    print(f"  {load()} before; the machine is shared, so wall-clock figures vary")
    print(f"  vectorised: best and median of {args.repeat} runs; one-record engine (--explain): best of {args.engine_repeat}")
    print(f"  {'method':8s} {'vectorised':>11s} {'median':>9s} {'per CPU-s':>10s} | {'engine':>8s} {'per CPU-s':>10s} | ratio (best) | target")
    for method in (*METHODS, "compare"):
        compare = method == "compare"
        m = None if compare else method
        best, median, cpu = runs(data, policy, m, args.repeat, explain=False, compare=compare)
        e_best, _, e_cpu = runs(data, policy, m, args.engine_repeat, explain=True, compare=compare)
        target = "(all four)" if compare else ("met" if cpu >= 100_000 else "NOT met") + " per CPU-s"
        print(
            f"  {method:8s} {best:>11,.0f} {median:>9,.0f} {cpu:>10,.0f} | {e_best:>8,.0f} {e_cpu:>10,.0f} | "
            f"{best / e_best:>8.1f} x    | >= 100,000: {target}"
        )
    print(f"  {load()} after")
    if not args.million:
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "million.jsonl")
        with open(path, "wb") as f:
            written = 0
            while written < args.million:
                take = min(args.n, args.million - written)
                f.write(data if take == args.n else ("\n".join(lines[:take]) + "\n").encode())
                written += take
        size = os.path.getsize(path)
        # the command's own main, then its peak resident memory (VmHWM: this process image only;
        # getrusage would count the pages the fork copied from this benchmark)
        code = (
            "import sys; from ras.cli import main; rc = main(sys.argv[1:]); sys.stdout.flush(); "
            "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')]; "
            "print(hwm[0].split()[1] if hwm else 0, file=sys.stderr); sys.exit(rc)"
        )
        command = [sys.executable, "-c", code, "calculate", "--batch", path, "--method", "points", "--as-of", AS_OF.isoformat()]
        start = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        took = time.perf_counter() - start
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        peak_kb = int(done.stderr.strip().splitlines()[-1])
        print(
            f"  whole command, {args.million:,} lines ({size / 1e6:,.0f} MB; the {args.n:,} records over again), points, "
            f"to /dev/null: {took:.1f} s, {args.million / took:,.0f} records/s wall, {args.million / cpu:,.0f} per CPU-second "
            f"(start-up included)"
        )
        print(f"  peak resident memory of that command: {peak_kb / 1024:,.0f} MB (target < 200 MB)")
        print(f"  {load()} after the memory run")


if __name__ == "__main__":
    main()
