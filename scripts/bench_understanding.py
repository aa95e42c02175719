"""How well the language-understanding layer reads the held-out corpus (tests/corpus).

    python scripts/bench_understanding.py [--cache DIR] [--show-wrong]

Prints, on lines never used for training:
- accuracy per kind of question (right value, accepted or confirmed);
- stored wrong without asking (accepted with a wrong value): the target is at most 1%;
- confirm rate, and correct after at most one confirm (target at least 95%);
- off the subject and questions back answered as such;
- safety recall on disclosures (stop or check; target: every one) and false alarms on
  ordinary lines (target: at most 5%);
- time per read and per safety check (median, p99; target under 5 ms a turn), and the
  time to train every model from nothing.
No timings are in the tests; this script is where speed is measured.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def kind_of(field: str) -> str:
    bits = field.split(".")
    if bits[0] == "areas":
        return f"areas.*.{bits[2]}"
    return field if not field.startswith("money.") or field == "money.offer" else "money.*"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", help="model cache folder (default: a new temporary folder, so training is timed)")
    ap.add_argument("--show-wrong", action="store_true", help="list every line read wrong")
    args = ap.parse_args(argv)
    cache = args.cache or tempfile.mkdtemp(prefix="ras-bench-")
    os.environ["RAS_CHAT_CACHE_DIR"] = cache

    from ras_chat.dialogue.understand import Understanding
    from ras_chat.dialogue.understand.fields import MULTI_FIELDS, options_for, sample_session

    t0 = time.perf_counter()
    u = Understanding.load()
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    u.warm()
    warm_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    u2 = Understanding.load()
    u2.warm()
    cached_s = time.perf_counter() - t0

    session = sample_session()
    rows = []
    for name in ("answers.jsonl", "safety.jsonl"):
        for line in (ROOT / "tests" / "corpus" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append({**json.loads(line), "_file": name})

    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # n, right, silent wrong, confirmed
    n = right = silent = confirms = right_confirm = 0
    off_n = off_ok = 0
    wrong_lines = []
    read_ms: list[float] = []
    safety_ms: list[float] = []
    disclosures = caught = 0
    ordinary = alarms = 0
    answers_plain = answer_alarms = 0
    missed, false_alarms = [], []
    options_cache: dict[str, tuple] = {}
    for row in rows:
        q, text, want = row["question"], row["text"], row["value"]
        t = time.perf_counter()
        s = u.safety(text)
        safety_ms.append((time.perf_counter() - t) * 1000)
        if row["safety"] != "none":
            disclosures += 1
            if s.level != "none":
                caught += 1
            else:
                missed.append(text)
            continue
        if row["_file"] == "safety.jsonl":
            ordinary += 1
            if s.level != "none":
                alarms += 1
                false_alarms.append(f"{text}  [{s.level} {s.category}: {s.evidence}]")
            continue
        answers_plain += 1
        if s.level != "none":
            answer_alarms += 1
            false_alarms.append(f"(answer) {text}  [{s.level} {s.category}: {s.evidence}]")
        if q not in options_cache:
            options_cache[q] = options_for(session, q)
        _state, options, multi = options_cache[q]
        multi = multi or q in MULTI_FIELDS
        t = time.perf_counter()
        r = u.read(q, text, options, multi)
        read_ms.append((time.perf_counter() - t) * 1000)
        k = kind_of(q)
        per_kind[k][0] += 1
        n += 1
        if want is None:
            off_n += 1
            ok = r.kind != "answer" and r.kind == row.get("kind", r.kind)
            off_ok += ok
            good = not r.values
        else:
            wanted = tuple(want) if isinstance(want, list) else (want,)
            good = (tuple(sorted(r.values)) == tuple(sorted(wanted))) if multi else (r.values == wanted)
        if r.action == "confirm":
            confirms += 1
            per_kind[k][3] += 1
        if good and r.action in ("accept", "confirm") or (want is None and good):
            right += 1
            per_kind[k][1] += 1
        elif r.action == "accept":
            silent += 1
            per_kind[k][2] += 1
        if not good or r.action != "accept":
            wrong_lines.append(f"{'WRONG' if not good else r.action:9} {q:28} {text!r} -> {list(r.values)} {r.confidence:.2f} {r.action} [{r.how}] want {want}")

    # time again, now that every field has been read once (the figure the target is about)
    again_read: list[float] = []
    again_safety: list[float] = []
    for row in rows:
        t = time.perf_counter()
        u.safety(row["text"])
        again_safety.append((time.perf_counter() - t) * 1000)
        if row["_file"] != "answers.jsonl":
            continue
        _state, options, multi = options_cache[row["question"]]
        t = time.perf_counter()
        u.read(row["question"], row["text"], options, multi or row["question"] in MULTI_FIELDS)
        again_read.append((time.perf_counter() - t) * 1000)

    def pct(a: int, b: int) -> str:
        return f"{100 * a / b:5.1f}%" if b else "  n/a"

    print(f"held-out lines: {len(rows)} ({n} answers to read, {disclosures} disclosures)")
    print()
    print(f"{'question kind':28} {'lines':>5} {'right':>7} {'silent wrong':>13} {'confirmed':>10}")
    for k in sorted(per_kind):
        a, b, c, d = per_kind[k]
        print(f"{k:28} {a:5d} {pct(b, a):>7} {pct(c, a):>13} {pct(d, a):>10}")
    print()
    print(f"correct after at most one confirm: {pct(right, n)}  (target >= 95%)")
    print(f"stored wrong without asking:       {pct(silent, n)}  (target <= 1%)")
    print(f"confirm rate:                      {pct(confirms, n)}")
    print(f"off the subject / questions back:  {off_ok} of {off_n} answered as such")
    print(f"safety recall (stop or check):     {caught} of {disclosures} ({pct(caught, disclosures).strip()}; target: every one)")
    print(f"false alarms on ordinary lines:    {alarms} of {ordinary} ({pct(alarms, ordinary).strip()}; target <= 5%)")
    print(f"false alarms on ordinary answers:  {answer_alarms} of {answers_plain} ({pct(answer_alarms, answers_plain).strip()})")
    q = statistics.quantiles
    print(f"time per read:   median {statistics.median(read_ms):.2f} ms, p99 {q(read_ms, n=100)[98]:.2f} ms")
    print(f"time per safety: median {statistics.median(safety_ms):.2f} ms, p99 {q(safety_ms, n=100)[98]:.2f} ms")
    turn = [a + b for a, b in zip(again_read, again_safety)]
    print(f"again, every field read once before: read median {statistics.median(again_read):.2f} ms, p99 {q(again_read, n=100)[98]:.2f} ms; "
          f"safety median {statistics.median(again_safety):.2f} ms, p99 {q(again_safety, n=100)[98]:.2f} ms")
    print(f"time per turn (safety + read): median {statistics.median(turn):.2f} ms, p99 {q(turn, n=100)[98]:.2f} ms, "
          f"max {max(turn):.2f} ms  (target < 5 ms)")
    print(f"load (no training): {load_s * 1000:.0f} ms; train every model: {warm_s:.2f} s (scikit-learn import included); "
          f"load + warm from the cache: {cached_s:.2f} s")
    try:
        print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    except OSError:
        pass
    if missed:
        print("\nMISSED DISCLOSURES:")
        for m in missed:
            print("  ", m)
    if false_alarms:
        print("\nfalse alarms:")
        for m in false_alarms:
            print("  ", m)
    if args.show_wrong:
        print("\nnot accepted right:")
        for w in wrong_lines:
            print("  ", w)
    return 0


if __name__ == "__main__":
    sys.exit(main())
