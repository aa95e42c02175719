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
    ap.add_argument("--people", action="store_true", help="only read each answer of the four people in tests/people/*.yaml (a development set: the tests talk them through)")
    ap.add_argument("--plans", action="store_true", help="only compare with the session's matching on tests/plans (what would change)")
    args = ap.parse_args(argv)
    cache = args.cache or tempfile.mkdtemp(prefix="ras-bench-")
    os.environ["RAS_CHAT_CACHE_DIR"] = cache

    from ras_chat.dialogue.understand import Understanding
    from ras_chat.dialogue.understand.fields import MULTI_FIELDS, options_for, sample_session

    if args.plans:
        return compare_plans(Understanding.load())
    if args.people:
        return read_people(Understanding.load(), sample_session(), options_for)

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
    options_cache: dict[str, tuple] = {}
    sets = {"dev": [], "fresh": []}
    for name in ("answers.jsonl", "safety.jsonl", "fresh.jsonl"):
        path = ROOT / "tests" / "corpus" / name
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                sets["fresh" if name == "fresh.jsonl" else "dev"].append({**json.loads(line), "_file": name})
    rows = sets["dev"] + sets["fresh"]
    read_ms: list[float] = []
    safety_ms: list[float] = []
    results = {}
    for set_name, set_rows in sets.items():
        if set_rows:
            results[set_name] = evaluate(u, session, set_rows, options_cache, read_ms, safety_ms, MULTI_FIELDS, options_for)
    # time again, now that every field has been read once (the figure the target is about)
    again_read: list[float] = []
    again_safety: list[float] = []
    for row in rows:
        t = time.perf_counter()
        u.safety(row["text"])
        again_safety.append((time.perf_counter() - t) * 1000)
        if row["safety"] != "none" or (row["value"] is None and row.get("kind") is None):
            continue
        _state, options, multi = options_cache[row["question"]]
        t = time.perf_counter()
        u.read(row["question"], row["text"], options, multi or row["question"] in MULTI_FIELDS)
        again_read.append((time.perf_counter() - t) * 1000)

    q = statistics.quantiles
    for set_name, res in results.items():
        print_results(set_name, res, args.show_wrong)
    print()
    print(f"time per read (first pass):   median {statistics.median(read_ms):.2f} ms, p99 {q(read_ms, n=100)[98]:.2f} ms")
    print(f"time per safety (first pass): median {statistics.median(safety_ms):.2f} ms, p99 {q(safety_ms, n=100)[98]:.2f} ms")
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
    return 0


def compare_plans(u) -> int:
    """Run every test plan through today's session (match.py) and, at each choice, read
    the same (cleaned) answer with the understanding layer: print where it would store
    another value, or not accept it, or where it sees a disclosure."""
    import glob

    from ras_chat.dialogue.clean import clean_answer
    from ras_chat.dialogue.session import Session
    from ras_chat.dialogue.testplan import run_plan
    from ras_chat.dialogue.understand.fields import field_of

    u.warm()
    original = Session.send
    seen = 0
    diffs: list[str] = []

    def send(self, text):
        nonlocal seen
        spec = self.spec
        info = None
        if spec.is_question and spec.kind in ("choice", "multi", "money") and not self.finished:
            clean = clean_answer(text if isinstance(text, str) else str(text), 2000)[0]
            c = self.state.cursor
            field = (field_of(self.dialogue, self.state.state) or self.state.state)
            field = field.replace("{area}", c.get("area") or "").replace("{money}", c.get("money") or "")
            options = self.options()
            info = (self.state.state, self._key(self.state.state), clean, u.read(field, clean, options, spec.kind == "multi"), u.safety(clean, options))
        out = original(self, text)
        if info:
            state, key, clean, r, s = info
            seen += 1
            stored = self.state.answers.get(key)
            mine = list(r.values) if spec.kind == "multi" else (r.values[0] if r.values else None)
            stopped = any(f.code == "safety" for f in self.state.flags)
            if s.level != "none" and not stopped:
                diffs.append(f"{state:16} {clean[:44]!r:46} safety {s.level} ({s.category}) where today's session went on; stored {stored}")
            elif s.level == "none" and stopped and stored is None:
                diffs.append(f"{state:16} {clean[:44]!r:46} today's session stopped for safety; the detector says none")
            elif stored is not None and not isinstance(stored, dict) and (mine != stored or r.action != "accept"):
                diffs.append(f"{state:16} {clean[:44]!r:46} stored {stored}, would read {mine} ({r.action} {r.confidence:.2f})")
        return out

    Session.send = send
    try:
        for path in sorted(glob.glob(str(ROOT / "tests" / "plans" / "*.plan"))):
            try:
                run_plan(path)
            except Exception as exc:  # a plan that fails today is reported, not hidden
                diffs.append(f"plan {Path(path).name} failed: {str(exc)[:120]}")
    finally:
        Session.send = original
    print(f"{seen} choice answers in tests/plans read both ways; {len(diffs)} differ:")
    for d in diffs:
        print("  ", d)
    return 0


def read_people(u, session, options_for) -> int:
    """Each scripted answer of tests/people/*.yaml read on its own, with the options of the
    question it answers: what would be done, and whether it is what the person meant."""
    import yaml

    from ras.models import OUTCOME_IDS

    area_of = {o: session.policy_at.outcomes[o].area for o in OUTCOME_IDS}
    total = right = accepted = 0
    for path in sorted((ROOT / "tests" / "people").glob("*.yaml")):
        person = yaml.safe_load(path.read_text(encoding="utf-8"))
        print(f"== {person['person']}")
        for key, entry in person["answers"].items():
            if not isinstance(entry, dict) or "means" not in entry or "*" in key:
                continue
            bits = key.split(".")
            if bits[0] == "unable_outcomes":
                q, area = "unable_outcomes", bits[1]
            elif bits[0] == "unable_reasons":
                q, area = "unable_reasons", area_of[bits[1]]
            else:
                q, area = key, None
            _state, options, multi = options_for(session, q, area)
            if not options:
                continue
            want = entry["means"]
            wanted = tuple(sorted(str(w) for w in want)) if isinstance(want, list) else (str(want),)
            s = u.safety(entry["say"], options)
            r = u.read(q, entry["say"], options, multi)
            good = tuple(sorted(r.values)) == wanted if multi else r.values == wanted
            total += 1
            right += good and r.action != "ask_again"
            accepted += good and r.action == "accept"
            mark = "ok " if good and r.action == "accept" else ("WRONG" if not good else r.action)
            print(f"  {mark:9} {key:32} {entry['say'][:70]!r} -> {list(r.values)} {r.confidence:.2f} [{r.how}] safety {s.level}")
    print(f"{right} of {total} read right ({accepted} without a confirm)")
    return 0


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}%" if b else "  n/a"


def evaluate(u, session, rows, options_cache, read_ms, safety_ms, MULTI_FIELDS, options_for) -> dict:
    res = {
        "per_kind": defaultdict(lambda: [0, 0, 0, 0]), "n": 0, "right": 0, "silent": 0, "confirms": 0,
        "off_n": 0, "off_ok": 0, "unclear_n": 0, "unclear_ok": 0, "disclosures": 0, "caught": 0, "ordinary": 0, "alarms": 0,
        "answers": 0, "answer_alarms": 0, "missed": [], "false_alarms": [], "wrong": [], "lines": len(rows),
        "people": defaultdict(lambda: [0, 0, 0, 0]),  # the four people of the issue: lines, right, accepted right, caught
    }
    for row in rows:
        q, text, want = row["question"], row["text"], row["value"]
        if q not in options_cache:
            options_cache[q] = options_for(session, q)
        t = time.perf_counter()
        s = u.safety(text, options_cache[q][1])  # as the session will: with the question's answers
        safety_ms.append((time.perf_counter() - t) * 1000)
        person = row.get("person")
        if row["safety"] != "none":
            res["disclosures"] += 1
            if s.level != "none":
                res["caught"] += 1
                if person:
                    res["people"][person][3] += 1
            else:
                res["missed"].append(text)
            continue
        if want is None and row.get("kind") is None:  # an ordinary line for the safety check
            res["ordinary"] += 1
            if s.level != "none":
                res["alarms"] += 1
                res["false_alarms"].append(f"{text}  [{s.level} {s.category}: {s.evidence}]")
            continue
        res["answers"] += 1
        if s.level != "none":
            res["answer_alarms"] += 1
            res["false_alarms"].append(f"(answer) {text}  [{s.level} {s.category}: {s.evidence}]")
        if q not in options_cache:
            options_cache[q] = options_for(session, q)
        _state, options, multi = options_cache[q]
        multi = multi or q in MULTI_FIELDS
        t = time.perf_counter()
        r = u.read(q, text, options, multi)
        read_ms.append((time.perf_counter() - t) * 1000)
        k = kind_of(q)
        pk = res["per_kind"][k]
        pk[0] += 1
        res["n"] += 1
        if want is None and row.get("kind") == "unclear":
            # a lone word ("when", "feel"): never a confident answer; asking again is right
            res["unclear_n"] += 1
            good = not r.values or r.action == "ask_again"
            res["unclear_ok"] += good
        elif want is None:
            res["off_n"] += 1
            res["off_ok"] += r.kind != "answer" and r.kind == row.get("kind", r.kind)
            good = not r.values
        else:
            wanted = tuple(want) if isinstance(want, list) else (want,)
            good = (tuple(sorted(r.values)) == tuple(sorted(wanted))) if multi else (r.values == wanted)
        if r.action == "confirm":
            res["confirms"] += 1
            pk[3] += 1
        if person:
            pp = res["people"][person]
            pp[0] += 1
            pp[1] += bool(good and r.action in ("accept", "confirm"))
            pp[2] += bool(good and r.action == "accept")
        if (good and r.action in ("accept", "confirm")) or (want is None and good):
            res["right"] += 1
            pk[1] += 1
        elif r.action == "accept":
            res["silent"] += 1
            pk[2] += 1
        if not good or r.action != "accept":
            res["wrong"].append(f"{'WRONG' if not good else r.action:9} {q:28} {text!r} -> {list(r.values)} {r.confidence:.2f} {r.action} [{r.how}] want {want}")
    return res


def print_results(name: str, res: dict, show_wrong: bool) -> None:
    title = {"dev": "the corpus used while building (answers.jsonl, safety.jsonl: its mistakes were looked at)",
             "fresh": "fresh.jsonl (written after the rest; its first figures are in docs/understanding.md)"}[name]
    print(f"== {title}")
    print(f"lines: {res['lines']} ({res['n']} answers to read, {res['disclosures']} disclosures, {res['ordinary']} ordinary lines)")
    print(f"{'question kind':28} {'lines':>5} {'right':>7} {'silent wrong':>13} {'confirmed':>10}")
    for k in sorted(res["per_kind"]):
        a, b, c, d = res["per_kind"][k]
        print(f"{k:28} {a:5d} {pct(b, a):>7} {pct(c, a):>13} {pct(d, a):>10}")
    n = res["n"]
    print(f"correct after at most one confirm: {pct(res['right'], n)}  (target >= 95%)")
    print(f"stored wrong without asking:       {pct(res['silent'], n)}  (target <= 1%)")
    print(f"confirm rate:                      {pct(res['confirms'], n)}")
    print(f"off the subject / questions back:  {res['off_ok']} of {res['off_n']} answered as such")
    print(f"lone words asked again:            {res['unclear_ok']} of {res['unclear_n']}")
    print(f"safety recall (stop or check):     {res['caught']} of {res['disclosures']} ({pct(res['caught'], res['disclosures']).strip()}; target: every one)")
    print(f"false alarms on ordinary lines:    {res['alarms']} of {res['ordinary']} ({pct(res['alarms'], res['ordinary']).strip()}; target <= 5%)")
    print(f"false alarms on ordinary answers:  {res['answer_alarms']} of {res['answers']} ({pct(res['answer_alarms'], res['answers']).strip()})")
    names = {"A": "young woman with a learning disability, her aunt typing", "B": "working woman, help in the mornings",
             "C": "older man with a spinal injury, his wife typing", "D": "woman whose son takes her money"}
    for p in sorted(res["people"]):
        a, b, c, d = res["people"][p]
        print(f"person {p} ({names.get(p, p)}): {b} of {a} answers right ({c} without a confirm), {d} disclosures caught")
    if res["missed"]:
        print("MISSED DISCLOSURES:")
        for m in res["missed"]:
            print("   ", m)
    if res["false_alarms"]:
        print("false alarms:")
        for m in res["false_alarms"]:
            print("   ", m)
    if show_wrong and res["wrong"]:
        print("not accepted right:")
        for w in res["wrong"]:
            print("   ", w)
    print()


if __name__ == "__main__":
    sys.exit(main())
