"""Figures for the conversation: answers to complete, reading grade, time per turn.

    .venv/bin/python scripts/bench_dialogue.py

- answers: how many answers each test plan gives (tests/plans/*.plan); the median is over
  the plans that reach a full assessment (a safety stop is not a complete assessment).
  Target: 30 or fewer. The optional money part comes after the result and is counted
  apart ("money part": 1 to skip it, 14 to answer every money question).
- reading grade: Flesch-Kincaid grade (textstat) of every person-facing line of the
  dialogue, each line read as its own sentence; and of the assistant's words in every
  plan's transcript, which includes the engine's explanation. Target: 6 or below.
- time per turn: `Session.send` over every plan, repeated. Target: under 5 ms.

Prints figures only; it asserts nothing (a slow machine is not a failing test).
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ras_chat.dialogue.loader import load_dialogue  # noqa: E402
from ras_chat.dialogue.session import Session  # noqa: E402
from ras_chat.dialogue.testplan import run_plan  # noqa: E402
from ras_chat.dialogue.text import person_lines, reading_grade  # noqa: E402

PLANS = sorted((ROOT / "tests" / "plans").glob("*.plan"))
T0 = dt.datetime(2026, 5, 4, 9, 30, tzinfo=dt.UTC)


def vowel_group_grade(lines: list[str]) -> float:
    """A cross-check of the grade with a plain vowel-group syllable count (Pyphen tends to
    count fewer syllables than a pronouncing dictionary would)."""
    import re

    text = " ".join(lines)
    sentences = max(1, len(re.findall(r"[.!?]+(?:\s|$)", text)))
    words = re.findall(r"[A-Za-z]+", text)
    syllables = 0
    for w in words:
        w = w.lower()
        n = len(re.findall(r"[aeiouy]+", w))
        if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and n > 1:
            n -= 1
        syllables += max(1, n)
    return 0.39 * len(words) / sentences + 11.8 * syllables / max(1, len(words)) - 15.59


def as_sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!", ":")) else text + "."


def main() -> int:
    dialogue = load_dialogue()
    print("Answers to complete (test plans)")
    complete = []
    transcript_text = []
    for plan in PLANS:
        run = run_plan(plan)
        safety = any(f.code == "safety" for f in run.session.state.flags)
        kind = "safety stop" if safety else "complete"
        if not safety:
            complete.append(run.answers)
        transcript_text += [m.text for m in run.session.state.transcript if m.role == "assistant"]
        money = f", money part {run.money_answers}" if run.money_answers else ""
        print(f"  {plan.stem:40s} {run.answers:3d} answers  ({kind}{money}, {len(run.session.state.transcript)} messages)")
    print(f"  median over complete assessments: {statistics.median(complete):.0f} (target <= 30); "
          f"max {max(complete)}; all plans median {statistics.median([run_plan(p).answers for p in PLANS]):.0f}")

    sample = Session.start(session_id="bench", clock=lambda: T0)
    lines = [as_sentence(i.text) for i in person_lines(dialogue, sample)]
    print("\nReading grade (Flesch-Kincaid, textstat, Pyphen syllables)")
    prose = [as_sentence(i.text) for i in person_lines(dialogue, sample)
             if ".choices." not in i.where and not i.where.startswith("policy")]
    print(f"  prompts, help and messages only (no choice labels), {len(prose)} lines: {reading_grade(prose):.1f}; "
          f"vowel-group cross-check {vowel_group_grade(prose):.1f}")
    said = [as_sentence(t) for t in transcript_text]
    print(f"  dialogue file, {len(lines)} person-facing lines: {reading_grade(lines):.1f} (target <= 6); "
          f"vowel-group cross-check {vowel_group_grade(lines):.1f}")
    print(f"  plan transcripts incl. the engine's explanation, {len(said)} lines: {reading_grade(said):.1f}; "
          f"vowel-group cross-check {vowel_group_grade(said):.1f}")

    inputs = {p: [ln.strip()[1:].strip() for ln in p.read_text().splitlines() if ln.strip().startswith(">")] for p in PLANS}
    times: list[float] = []
    starts: list[float] = []
    repeats = 20
    for _ in range(repeats):
        for plan, answers in inputs.items():
            t = time.perf_counter()
            s = Session.start(session_id=plan.stem, clock=lambda: T0)
            s.opening()
            starts.append(time.perf_counter() - t)
            for text in answers:
                if s.finished:
                    break
                t = time.perf_counter()
                s.send(text)
                times.append(time.perf_counter() - t)
    times.sort()
    ms = [x * 1000 for x in times]
    print(f"\nTime per turn ({len(ms)} turns over {repeats} runs of every plan)")
    print(f"  median {statistics.median(ms):.2f} ms, p95 {ms[int(len(ms) * 0.95)]:.2f} ms, "
          f"p99 {ms[int(len(ms) * 0.99)]:.2f} ms, max {ms[-1]:.2f} ms (target < 5 ms)")
    print(f"  start + opening (builds the machine): median {statistics.median(starts) * 1000:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
