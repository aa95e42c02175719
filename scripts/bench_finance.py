"""Seconds for `ras synth`, `ras calibrate` and `ras simulate` at 100,000 cases, per method.

The target (issue 7) is under 5 seconds each for calibrate and simulate, counted from
reading the history file to the finished report (as the commands do it, without
pictures). Run: .venv/bin/python scripts/bench_finance.py [--n 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from ras.finance import figures
from ras.finance.calibrate import calibrate
from ras.finance.history import read_history
from ras.finance.policyfile import calibrated_policy_text
from ras.finance.simulate import simulate
from ras.finance.synth import history_lines, synth_history
from ras.models import METHODS
from ras.policy import load_policy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    source = load_policy("example")
    policy = source.at(dt.date(2026, 6, 1))
    when = dt.date(2027, 4, 1)
    print(f"{args.n:,} cases; seconds (calibrate and simulate each include reading the file)")
    print(f"{'method':8} {'synth':>7} {'read':>7} {'calibrate':>10} {'simulate':>9}  recovery error (uplift 1.2)")
    with tempfile.TemporaryDirectory() as tmp:
        for method in METHODS:
            path = Path(tmp) / f"{method}.jsonl"
            t0 = time.perf_counter()
            truth = figures.scale(policy, method, "1.2")
            with open(path, "w", encoding="utf-8") as out:
                out.writelines(history_lines(synth_history(args.n, 1, truth, method, 0.05), 1))
            synth_s = time.perf_counter() - t0

            t0 = time.perf_counter()
            history = read_history(path, require_cost=True)
            read_s = time.perf_counter() - t0
            result = calibrate(history, policy, method)
            report = result.report()
            text = calibrated_policy_text(source.path, method, result.fit.file_value, when, "bench run", str(path), "")
            calibrate_s = time.perf_counter() - t0
            out_path = Path(tmp) / f"{method}.yaml"
            out_path.write_text(text, encoding="utf-8")

            t0 = time.perf_counter()
            history = read_history(path)
            simulate(history, load_policy(out_path).at(when), policy, method).report()
            simulate_s = time.perf_counter() - t0

            error = _recovery_error(method, report["fitted"], truth)
            print(f"{method:8} {synth_s:7.2f} {read_s:7.2f} {calibrate_s:10.2f} {simulate_s:9.2f}  {error * 100:.2f}%")


def _recovery_error(method: str, fitted, truth) -> float:
    """The largest relative difference between a fitted figure and the true one (zeros left out)."""
    pairs = []
    if method == "points":
        pairs = [(fitted[g], float(v)) for g, v in truth.points.price_per_point.items()]
    elif method == "bands":
        for rule in truth.bands.bands:
            if rule.band in fitted:
                pairs += [(fitted[rule.band]["base"], float(rule.base)), (fitted[rule.band]["step"], float(rule.step))]
    elif method == "grid":
        pairs = [(fitted[str(r)], float(v)) for r, v in enumerate(truth.grid.amount_by_risk)]
    else:
        pairs = [(fitted, 1.2)]
    return max(abs(f - t) / t for f, t in pairs if t)


if __name__ == "__main__":
    main()
