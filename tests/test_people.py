"""The four people of issue 14, talked through in their own words (tests/people/*.yaml).

Each person is a script keyed by the record field the current question sets (`who`,
`name`, `areas.health.need`, `unable_outcomes.health`, `unable_reasons.hygiene`, a
glob such as `areas.*.what_matters`), never by position: the conversation may ask more,
fewer or other questions in another order, and the driver answers whatever it is asked.
A key never asked is reported (a warning), not a failure; a question asked that the
script has no answer for fails, naming the field.

An answer is what the person types (`say`) and, for a question with choices, what they
mean (`means`): when the program puts a reading to them ("It sounds like ... Is that
right?") they say yes only when it is what they meant, as a person would, and a "no" is
counted. The expected record is in each file, worked out by hand in its comments.

The same people go through the real Session and through `ras-chat --plain` as a
subprocess (driven line by line beside a twin Session that must ask the same question
at every step), and the record saved by the subprocess is checked the same way.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
import select
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from ras_chat.dialogue.fields import concrete
from ras_chat.dialogue.session import Session

PEOPLE_DIR = Path(__file__).parent / "people"
PEOPLE = sorted(PEOPLE_DIR.glob("*.yaml"))
CLOCK = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)


def load_person(path: Path) -> dict[str, Any]:
    person = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(person, dict) and "answers" in person and "expect" in person, path
    assert "name" in person["answers"], f"{path.name}: every script answers the name question"
    return person


# ----- the driver ---------------------------------------------------------------------


def question_key(session: Session) -> str:
    """The field the current question sets, made concrete (`areas.health.need`); a
    question that sets none is named by its `examples:` (`check`) or its state."""
    spec = session.spec
    c = session.state.cursor
    if spec.sets:
        return concrete(spec.sets, area=c.get("area"), outcome=c.get("outcome"), question=c.get("money"))
    return spec.examples or session.state.state


def lookup(answers: dict[str, Any], key: str) -> tuple[str, Any] | None:
    """The script's entry for a field: its own key first, then the first glob that fits."""
    if key in answers:
        return key, answers[key]
    for pattern, entry in answers.items():
        if any(ch in pattern for ch in "*?[") and fnmatch.fnmatchcase(key, pattern):
            return pattern, entry
    return None


def as_values(means: Any) -> tuple[str, ...]:
    if means is None:
        return ()
    if isinstance(means, list):
        return tuple(str(m) for m in means)
    return (str(means),)


@dataclass
class Run:
    asked: list[str] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    confirms: list[str] = field(default_factory=list)
    wrong_confirms: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    gentle_checks: int = 0
    typed: list[str] = field(default_factory=list)


class Driver:
    """Chooses what the person types next, from the session's current question."""

    def __init__(self, person: dict[str, Any]):
        self.person = person
        self.answers: dict[str, Any] = person["answers"]
        self.run = Run()
        self.tries: dict[str, int] = {}

    def next_line(self, session: Session) -> str:
        pending = session.state.pending
        key = question_key(session)
        if pending is not None and pending.kind == "safety_check":
            self.run.gentle_checks += 1
            got = lookup(self.answers, "safety_check")
            assert got is not None, f"{self.person['person']}: the gentle safety check was asked at {key} and the script has no `safety_check` answer"
            self.run.used.add(got[0])
            return self._type(str(got[1]))
        if pending is not None and pending.kind == "confirm":
            got = lookup(self.answers, key)
            assert got is not None
            meant = as_values(got[1].get("means")) if isinstance(got[1], dict) else ()
            assert meant, f"{self.person['person']}: a reading was put to the person at {key} and the script says nothing of what they meant (`means`)"
            self.run.confirms.append(key)
            if set(pending.values) == set(meant):
                return self._type("yes")
            self.run.wrong_confirms.append(f"{key}: heard {list(pending.values)}, meant {list(meant)}")
            return self._type("no")
        if not self.run.asked or self.run.asked[-1] != key:
            self.run.asked.append(key)
        got = lookup(self.answers, key)
        assert got is not None, f"{self.person['person']}: the question for `{key}` ({session.state.state}) was asked and the script has no answer for it"
        name, entry = got
        self.run.used.add(name)
        n = self.tries.get(key, 0)
        self.tries[key] = n + 1
        if isinstance(entry, dict):
            if n == 0:
                return self._type(str(entry["say"]))
            if n == 1 and "again" in entry:
                return self._type(str(entry["again"]))
            # asked once more: what they meant, by its number (numbers are offered by now)
            meant = as_values(entry.get("means"))
            numbers = {o.value: o.number for o in session.options()}
            assert meant and all(m in numbers for m in meant), f"{self.person['person']}: asked `{key}` again and the script has nothing more to say"
            return self._type(" and ".join(str(numbers[m]) for m in meant))
        assert n < 3, f"{self.person['person']}: `{key}` asked again and again"
        return self._type(str(entry))

    def _type(self, line: str) -> str:
        self.run.typed.append(line)
        return line

    def note_replies(self, key: str, replies: list[Any]) -> None:
        if any(m.kind == "error" for m in replies):
            self.run.misses.append(key)

    def report_unused(self) -> list[str]:
        unused = [k for k in self.answers if k not in self.run.used]
        if unused:
            warnings.warn(f"{self.person['person']}: never asked: {', '.join(unused)}", stacklevel=2)
        return unused


MAX_TURNS = 120


def talk(person: dict[str, Any], session: Session) -> tuple[Driver, list[Any]]:
    driver = Driver(person)
    session.opening()
    for _ in range(MAX_TURNS):
        if session.finished:
            break
        key = question_key(session)
        line = driver.next_line(session)
        replies = session.send(line)
        driver.note_replies(key, replies)
        print(f"[{key}] {line}")
        for m in replies[1:]:
            print(f"    {m.kind}: {m.text[:150]}")
    assert session.finished, f"{person['person']}: still talking after {MAX_TURNS} turns"
    return driver, session.state.transcript


def new_session() -> Session:
    return Session.start(session_id="people", clock=lambda: CLOCK)


# ----- what is checked ----------------------------------------------------------------


def check_record(person: dict[str, Any], session: Session) -> None:
    expect = person["expect"]
    who = person["person"]
    flags = session.state.flags
    if "urgent" in expect:
        urgent = [f for f in flags if f.level == "urgent" or f.code == "possible_harm"]
        assert urgent, f"{who}: no urgent or possible-harm flag reached the worker; flags: {[f.code for f in flags]}"
        assert any(f.code == expect["urgent"] for f in urgent), f"{who}: flags {[(f.code, f.level) for f in flags]}"
        said = session.state.answers.get("safety_disclosure", "")
        for words in expect.get("disclosed", ()):
            assert words in said or any(words in f.text for f in flags), f"{who}: the disclosure {words!r} is not kept for the worker"
    else:
        assert not [f for f in flags if f.code in ("safety", "possible_harm")], f"{who}: flagged as harm: {[f.text for f in flags]}"
    if "who" in expect:
        assert session.answer("who") == expect["who"], f"{who}: who is answering: {session.answer('who')!r}"
    stored = session.fields()
    for fieldname, value in expect.get("answers", {}).items():
        got = stored.get(fieldname)
        assert got == value, f"{who}: {fieldname} stored as {got!r}, meant {value!r}"
    for fieldname in expect.get("not_stored", ()):
        assert fieldname not in stored, f"{who}: {fieldname} was stored ({stored[fieldname]!r}): a disclosure is never an ordinary answer"
    record = session.record()
    if "record" not in expect:
        return
    want = expect["record"]
    assert record is not None, f"{who}: no record"
    for area, levels in want.get("areas", {}).items():
        got = getattr(record.areas, area)
        for k, v in levels.items():
            assert getattr(got, k) == v, f"{who}: areas.{area}.{k} is {getattr(got, k)!r}, meant {v!r}"
    if "unable_outcomes" in want:
        assert sorted(record.unable_outcomes) == sorted(want["unable_outcomes"]), f"{who}: unable outcomes {record.unable_outcomes}"
    if "unable_reasons" in want:
        got_r = {k: sorted(v) for k, v in (record.unable_reasons or {}).items()}
        assert got_r == {k: sorted(v) for k, v in want["unable_reasons"].items()}, f"{who}: reasons {got_r}"
    if "client_group" in want:
        assert record.client_group == want["client_group"], f"{who}: client group {record.client_group}"
    if "fluctuating" in want:
        assert record.fluctuating is want["fluctuating"], f"{who}: fluctuating {record.fluctuating}"


def check_talk(person: dict[str, Any], driver: Driver, transcript: list[Any]) -> None:
    who = person["person"]
    limits = person.get("limits", {})
    run = driver.run
    assert len(run.confirms) <= limits.get("confirms", 4), f"{who}: {len(run.confirms)} confirms: {run.confirms}"
    assert not run.wrong_confirms, f"{who}: readings put to the person the wrong way: {run.wrong_confirms}"
    assert len(run.misses) <= limits.get("misses", 0), f"{who}: not understood at {run.misses}"
    if "gentle_checks" in person["expect"]:
        assert run.gentle_checks == person["expect"]["gentle_checks"], f"{who}: the gentle safety check was asked {run.gentle_checks} times"
    assistant = [m.text for m in transcript if m.role != "person"]
    for line in person["expect"].get("said_back", ()):
        assert line in assistant, f"{who}: never said back {line!r}"
    driver.report_unused()


@pytest.mark.parametrize("path", PEOPLE, ids=[p.stem for p in PEOPLE])
def test_a_person_in_their_own_words_through_the_session(path):
    person = load_person(path)
    session = new_session()
    driver, transcript = talk(person, session)
    check_talk(person, driver, transcript)
    check_record(person, session)


def test_there_are_the_four_people_of_the_issue():
    assert len(PEOPLE) >= 4


# ----- the plain mode, as a subprocess ------------------------------------------------


class Plain:
    """`ras-chat --plain` as a process, read up to each "You: " prompt."""

    def __init__(self, db: Path, cache: str):
        env = {k: v for k, v in os.environ.items() if not k.startswith("RAS_CHAT_")}
        env.update(RAS_CHAT_DB=str(db), RAS_CHAT_CACHE_DIR=cache, TERM="dumb", PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ras_chat", "--plain"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        self.out = b""

    def until_prompt(self, timeout: float = 60.0) -> str:
        """Everything written up to the next "You: " (or to the end of the output)."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        start = len(self.out)
        deadline = time.monotonic() + timeout
        while len(self.out) == start or not self.out.endswith(b"You: "):
            left = deadline - time.monotonic()
            assert left > 0, "ras-chat --plain said nothing for a minute"
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            self.out += chunk
        return self.out[start:].decode("utf-8")

    def type(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode("utf-8") + b"\n")
        self.proc.stdin.flush()

    def finish(self) -> tuple[int, str, str]:
        rest, err = self.proc.communicate(timeout=60)  # closes standard input: the end of the input
        self.out += rest
        return self.proc.returncode, self.out.decode("utf-8"), err.decode("utf-8")


def last_question(session: Session) -> str:
    return next(m.text for m in reversed(session.state.transcript) if m.kind == "question")


@pytest.mark.slow
@pytest.mark.parametrize("path", PEOPLE, ids=[p.stem for p in PEOPLE])
def test_a_person_in_their_own_words_through_the_plain_mode(path, tmp_path):
    from ras_chat.store import open_store

    person = load_person(path)
    twin = Session.start(session_id="twin", clock=dt.datetime.now)
    twin.opening()
    driver = Driver(person)
    plain = Plain(tmp_path / "sessions.db", os.environ["RAS_CHAT_CACHE_DIR"])
    try:
        for _ in range(MAX_TURNS):
            shown = plain.until_prompt()
            if twin.finished:
                break
            assert f"Assistant: {last_question(twin)}" in shown, f"plain mode and the session differ here:\n{shown}"
            key = question_key(twin)
            line = driver.next_line(twin)
            plain.type(line)
            driver.note_replies(key, twin.send(line))
        code, out, err = plain.finish()
    finally:
        if plain.proc.poll() is None:
            plain.proc.kill()
            plain.proc.wait()
    assert code == 0, err
    assert "Traceback" not in out + err
    check_talk(person, driver, twin.state.transcript)
    for line in person["expect"].get("said_back", ()):
        assert f"Assistant: {line}" in out
    if "urgent" in person["expect"]:
        assert "999" in out
    with open_store(tmp_path / "sessions.db") as store:
        snap = store.load(store.resolve("last"))
    saved = Session.restore(snap)
    check_record(person, saved)
