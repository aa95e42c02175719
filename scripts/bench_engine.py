"""Benchmark: records per second for `ras calculate --batch` on generated records.

Prints figures; asserts nothing (targets live here, not in tests).
Target (issue 2): at least 20,000 records/s per method on one core.

    python scripts/bench_engine.py [--n 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stdout

from ras.cli import main as ras_main
from ras.models import AREA_IDS, CLIENT_GROUPS, METHODS, OUTCOME_IDS


def generate(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    lines = []
    for _ in range(n):
        lines.append(
            json.dumps(
                {
                    "schema": "ras-assessment/1",
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "records.jsonl")
        with open(path, "w") as f:
            f.write("\n".join(generate(args.n)) + "\n")
        print(f"ras calculate --batch on {args.n:,} generated records (one core, in process)")
        with redirect_stdout(io.StringIO()):  # warm: policy load, imports
            ras_main(["calculate", "--batch", path, "--as-of", "2026-06-01"])
        print(f"  load average now: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (other work slows the wall-clock figures)")
        print(f"  best and median of {args.repeat} runs each (the best is the least disturbed by other work)")
        for method in METHODS:
            walls, cpus = [], []
            for _ in range(args.repeat):
                start, cpu = time.perf_counter(), time.process_time()
                with redirect_stdout(io.StringIO()):
                    ras_main(["calculate", "--batch", path, "--method", method, "--as-of", "2026-06-01"])
                walls.append(time.perf_counter() - start)
                cpus.append(time.process_time() - cpu)
            best, median = min(walls), statistics.median(walls)
            print(
                f"  {method:7s} {args.n / best:>9,.0f} records/s best, {args.n / median:>9,.0f} median wall, "
                f"{args.n / min(cpus):>9,.0f} per CPU-second  target >= 20,000"
            )
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "ras.cli", "calculate", "--batch", path, "--method", "points", "--as-of", "2026-06-01"],
            stdout=subprocess.DEVNULL,
            check=True,
        )
        took = time.perf_counter() - start
        print(f"  whole command, points, with start-up: {args.n / took:,.0f} records/s ({took:.2f} s)")


if __name__ == "__main__":
    main()
