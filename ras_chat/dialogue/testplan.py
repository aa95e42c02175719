"""Test plans: plain-text scripts that drive a session with no UI (after Yarn Spinner's
`.testplan`). One directive a line; `#` starts a comment.

    > 1                          the person types "1"
    > "\u001b[31mred\u0007"       in double quotes: a JSON string (escapes, control characters)
    expect: What matters most    an assistant line since the last answer contains this
    not: amount                  ... and none contains this
    state: area_need             the machine stands here now
    record: areas.work.need=2    a field of the record (dotted path); lists as a,b,c
    record-json: {...}           these fields of the record equal this JSON
    weekly: 195.00               the engine's weekly amount (also annual, band, eligible)
    carer: coping=struggling     a field of the carer's record (`carer: none` for no record)
    flag: skipped                a flag with this code was raised
    no-flag: safety              no flag with this code
    status: handed_off           the session status
    answers: 30                  the person gave this many answers (not counting the money part)
    money-answers: 14            answers given in the optional money part
    charge: weekly_charge=6.00   a field of the charge estimate (`charge: none` for no estimate)
    statement: person_weekly=6.00  a field of the budget statement
    end                          the conversation has finished

Money, dates and times come from a fixed clock, so a plan gives the same result every run.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from ras.charging.models import ChargeResult
from ras.charging.statement import BudgetStatement
from ras_chat.dialogue.session import Message, Session

FIXED_TIME = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)


class PlanFailure(AssertionError):
    pass


@dataclass
class PlanRun:
    name: str
    session: Session
    answers: int = 0
    money_answers: int = 0
    checks: int = 0
    log: list[str] = field(default_factory=list)


def _dig(data: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit():
            data = data[int(part)]
        else:
            return None
    return data


def _same(actual: Any, expected: str) -> bool:
    if isinstance(actual, bool) or actual is None:
        return str(actual).lower() == expected.strip().lower() or (actual is None and expected.strip() in ("", "none", "null"))
    if isinstance(actual, list | tuple):
        want = [w.strip() for w in expected.split(",") if w.strip()]
        return [str(a) for a in actual] == want
    return str(actual) == expected.strip()


def run_plan(path: str | Path, *, dialogue=None) -> PlanRun:
    path = Path(path)
    clock = lambda: FIXED_TIME  # noqa: E731
    session = Session.start(session_id=path.stem, clock=clock, as_of=FIXED_TIME.date(), dialogue=dialogue)
    run = PlanRun(path.stem, session)
    recent: list[Message] = session.opening()

    def fail(lineno: int, message: str) -> NoReturn:
        said = "\n  ".join(f"{m.role}: {m.text}" for m in recent)
        raise PlanFailure(f"{path.name}:{lineno}: {message}\n  (state {session.state.state}; last turn:)\n  {said}")

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(">"):
            text = line[1:].strip()
            if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
                text = json.loads(text)
            if session.finished:
                fail(lineno, f"the conversation has ended, but the plan answers {text!r}")
            before = session.state.answer_count
            recent = session.send(text)
            run.answers += session.state.answer_count - before
            run.money_answers = session.state.money_answer_count
            run.log.append(f"> {text}")
            continue
        run.checks += 1
        if line == "end":
            if not session.finished:
                fail(lineno, "expected the conversation to have ended")
            continue
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        assistant = [m.text for m in recent if m.role == "assistant"] + [
            c.label for m in recent for c in m.choices
        ]
        if key == "expect":
            if not any(value.lower() in t.lower() for t in assistant):
                fail(lineno, f"expected a line containing {value!r}")
        elif key == "not":
            if any(value.lower() in t.lower() for t in assistant):
                fail(lineno, f"expected no line containing {value!r}")
        elif key == "state":
            if session.state.state != value:
                fail(lineno, f"expected state {value!r}, found {session.state.state!r}")
        elif key == "status":
            if session.state.status != value:
                fail(lineno, f"expected status {value!r}, found {session.state.status!r}")
        elif key == "field":  # an answer by its field: `field: name=Farzana`
            name, _, want = value.partition("=")
            got = session.fields().get(name.strip())
            if not _same(got, want):
                fail(lineno, f"expected the answer for {name.strip()} to be {want.strip()!r}, found {got!r}")
        elif key == "answers":
            if run.answers != int(value):
                fail(lineno, f"expected {value} answers so far, counted {run.answers}")
        elif key in ("flag", "no-flag"):
            codes = {f.code for f in session.state.flags}
            if (value in codes) != (key == "flag"):
                fail(lineno, f"flag {value!r} {'missing' if key == 'flag' else 'raised'} (flags: {sorted(codes)})")
        elif key == "record":
            record = session.record()
            if record is None:
                fail(lineno, "no record yet")
            field_name, _, want = value.partition("=")
            got = _dig(record.dump(), field_name.strip())
            if not _same(got, want):
                fail(lineno, f"record {field_name.strip()} is {got!r}, expected {want.strip()!r}")
        elif key == "record-json":
            record = session.record()
            if record is None:
                fail(lineno, "no record yet")
            want = json.loads(value)
            got = record.dump()
            for k, v in want.items():
                if got.get(k) != v:
                    fail(lineno, f"record {k} is {got.get(k)!r}, expected {v!r}")
        elif key == "money-answers":
            if session.state.money_answer_count != int(value):
                fail(lineno, f"expected {value} answers in the money part, counted {session.state.money_answer_count}")
        elif key in ("charge", "statement"):
            obj: ChargeResult | BudgetStatement | None = session.charge() if key == "charge" else session.budget_statement()
            if value == "none":
                if obj is not None:
                    fail(lineno, f"expected no {key}")
                continue
            if obj is None:
                fail(lineno, f"expected a {key}")
            field_name, _, want = value.partition("=")
            got = _dig(obj.dump(), field_name.strip())
            if not _same(got, want):
                fail(lineno, f"{key} {field_name.strip()} is {got!r}, expected {want.strip()!r}")
        elif key == "carer":
            carer = session.carer_record()
            if value == "none":
                if carer is not None:
                    fail(lineno, "expected no carer record")
                continue
            if carer is None:
                fail(lineno, "expected a carer record")
            field_name, _, want = value.partition("=")
            got = _dig(carer.dump(), field_name.strip())
            if not _same(got, want):
                fail(lineno, f"carer {field_name.strip()} is {got!r}, expected {want.strip()!r}")
        elif key in ("weekly", "annual", "band", "eligible", "low", "high", "shortfall"):
            alloc = session.result()
            if alloc is None:
                fail(lineno, "no result yet")
            got = {
                "weekly": alloc.weekly,
                "annual": alloc.annual,
                "band": alloc.band,
                "eligible": alloc.eligible,
                "low": alloc.range.low,
                "high": alloc.range.high,
                "shortfall": alloc.shortfall,
            }[key]
            if not _same(got, value):
                fail(lineno, f"{key} is {got}, expected {value}")
        else:
            fail(lineno, f"unknown directive {key!r}")
    return run
