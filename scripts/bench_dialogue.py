"""Figures for the conversation: answers to complete, reading grade, time per turn.

    .venv/bin/python scripts/bench_dialogue.py

- answers in people's own words: each person of scripts/people/*.yaml (and of
  tests/people/*.yaml when that folder is there) is talked through in their own words,
  keyed by the field each question sets, never by position: whatever is asked, the
  driver types that person's words for it; when a reading is put to them ("It sounds
  like ... Is that right?") they say yes only when it is what they meant; asked a third
  time, they type the number. Counted: every line typed until the result (confirms,
  misses and all). Target: 25 or fewer for the median person.
- answers in the test plans (tests/plans/*.plan, which mostly answer with numbers); the
  median is over the plans that reach a full assessment. The optional money part comes
  after the result and is counted apart.
- reading grade: Flesch-Kincaid grade (textstat) of every person-facing line of the
  dialogue, each line read as its own sentence; and of the assistant's words in every
  plan's transcript, which includes the engine's explanation. Target: 6 or below.
- time per turn: `Session.send` over every plan, repeated. Target: under 5 ms.

Prints figures only; it asserts nothing (a slow machine is not a failing test).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
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
PEOPLE = sorted((ROOT / "scripts" / "people").glob("*.yaml")) + sorted((ROOT / "tests" / "people").glob("*.yaml"))
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


def question_key(s: Session) -> str:
    """The field the current question sets, made concrete (`areas.health.need`)."""
    from ras_chat.dialogue.fields import concrete

    c = s.state.cursor
    if s.spec.sets:
        return concrete(s.spec.sets, area=c.get("area"), outcome=c.get("outcome"), question=c.get("money"))
    return s.spec.examples or s.state.state


def entry_for(answers: dict, key: str):
    if key in answers:
        return answers[key]
    for pattern, entry in answers.items():
        if "*" in pattern and fnmatch.fnmatchcase(key, pattern):
            return entry
    return None


def meant(entry) -> tuple[str, ...]:
    m = entry.get("means") if isinstance(entry, dict) else None
    return tuple(str(x) for x in m) if isinstance(m, list) else (str(m),) if m is not None else ()


def talk(answers: dict) -> tuple[Session, int, int, int, list[str]]:
    """One person in their own words, to the result: (session, lines typed, confirms, misses, problems)."""
    s = Session.start(session_id="bench-person", clock=lambda: T0)
    s.opening()
    typed = confirms = misses = 0
    tries: dict[str, int] = {}
    problems: list[str] = []
    while not s.finished and s.state.state != "result" and not s.state.checked and typed < 120:
        key = question_key(s)
        entry = entry_for(answers, key)
        pending = s.state.pending
        if pending is not None and pending.kind == "safety_check":
            line = str(answers.get("safety_check", "no"))
        elif pending is not None and pending.kind == "confirm":
            confirms += 1
            line = "yes" if set(pending.values) == set(meant(entry)) else "no"
        elif entry is None:
            problems.append(f"no words for {key}")
            line = "skip"
        else:
            n = tries.get(key, 0)
            tries[key] = n + 1
            if not isinstance(entry, dict):
                line = str(entry)
            elif n == 0:
                line = str(entry["say"])
            elif n == 1 and "again" in entry:
                line = str(entry["again"])
            else:
                numbers = {o.value: o.number for o in s.options()}
                line = " and ".join(str(numbers[m]) for m in meant(entry) if m in numbers) or "skip"
        out = s.send(line)
        typed += 1
        misses += sum(1 for m in out if m.kind == "error")
    return s, typed, confirms, misses, problems


def people_figures() -> None:
    import yaml

    print("Answers to a result, in people's own words (scripts/people, tests/people)")
    counts = []
    for path in PEOPLE:
        person = yaml.safe_load(path.read_text(encoding="utf-8"))
        s, typed, confirms, misses, problems = talk(person["answers"])
        stopped = any(f.code == "safety" for f in s.state.flags)
        if not stopped:
            counts.append(typed)
        note = "safety stop" if stopped else f"{confirms} confirms, {misses} asked again"
        extra = f"; {', '.join(problems)}" if problems else ""
        print(f"  {path.parent.parent.name}/{path.stem:24s} {typed:3d} lines typed  ({note}{extra})")
    if counts:
        print(f"  median person: {statistics.median(counts):.0f} (target <= 25); max {max(counts)}")


def main() -> int:
    dialogue = load_dialogue()
    people_figures()
    print("\nAnswers to complete (test plans)")
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
