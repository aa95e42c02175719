"""A conversation driven by the field each question sets, never by position (as
tests/test_people.py and scripts/bench_dialogue.py do), for the tests of the ending: the
dialogue may ask more, fewer or other questions in another order, and the driver answers
whatever it is asked.

A script maps a field (`carer.health_at_risk`, or a glob such as `areas.*.need`) to either
words the person types (a `str`) or the choices they pick (a `Pick` of choice values,
typed as the choices' numbers, which the session reads as they are). A question the
script has no answer for is answered "skip" once, then with its first choice, and named
in a warning (the dialogue has a new question: bring the script up to date). Only tests
import this.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import warnings
from dataclasses import dataclass, field

from ras_chat.dialogue.fields import concrete
from ras_chat.dialogue.session import Session

CLOCK = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)
MAX_TURNS = 150


@dataclass(frozen=True)
class Pick:
    """The choices picked, by value ("3", "yes", "home_habitable")."""

    values: tuple[str, ...]


def pick(*values: str) -> Pick:
    return Pick(tuple(values))


def question_key(session: Session) -> str:
    """The field the current question sets, made concrete (`areas.health.need`); a question
    that sets none is named by its `examples:` (`check`) or its state."""
    spec = session.spec
    c = session.state.cursor
    if spec.sets:
        return concrete(spec.sets, area=c.get("area"), outcome=c.get("outcome"), question=c.get("money"))
    return spec.examples or session.state.state


def entry_for(script: dict[str, str | Pick], key: str) -> str | Pick | None:
    if key in script:
        return script[key]
    for pattern, entry in script.items():
        if any(ch in pattern for ch in "*?[") and fnmatch.fnmatchcase(key, pattern):
            return entry
    return None


@dataclass
class Talk:
    script: dict[str, str | Pick]
    asked: list[str] = field(default_factory=list)
    unscripted: list[str] = field(default_factory=list)
    tries: dict[str, int] = field(default_factory=dict)

    def next_line(self, session: Session) -> str:
        key = question_key(session)
        entry = entry_for(self.script, key)
        pending = session.state.pending
        if pending is not None and pending.kind == "safety_check":
            return "no"
        if pending is not None and pending.kind == "confirm":
            meant = set(entry.values) if isinstance(entry, Pick) else set(pending.values)
            return "yes" if set(pending.values) == meant else "no"
        n = self.tries.get(key, 0)
        self.tries[key] = n + 1
        assert n < 3, f"`{key}` asked again and again; the script says {entry!r}"
        self.asked.append(key)
        numbers = {o.value: o.number for o in session.options()}
        if entry is None:
            self.unscripted.append(key)
            return "skip" if n == 0 or not numbers else str(min(numbers.values()))
        if isinstance(entry, Pick):
            missing = [v for v in entry.values if v not in numbers]
            assert not missing, f"`{key}`: no choice {missing} among {sorted(numbers)}"
            return " and ".join(str(numbers[v]) for v in entry.values)
        return entry


def talk(script: dict[str, str | Pick], session: Session | None = None) -> tuple[Session, Talk]:
    """Talk a new session (or `session`) through to its end with `script`."""
    session = session or Session.start(session_id="ending-test", clock=lambda: CLOCK)
    driver = Talk(script)
    session.opening()
    for _ in range(MAX_TURNS):
        if session.finished:
            break
        session.send(driver.next_line(session))
    assert session.finished, f"still talking after {MAX_TURNS} turns, at {question_key(session)}"
    if driver.unscripted:
        warnings.warn(f"questions the script does not answer (answered skip): {driver.unscripted}", stacklevel=2)
    return session, driver


PERSON: dict[str, str | Pick] = {
    # a man who answers for himself: a lot of help every day with looking after himself,
    # some help from his wife, he could get hurt; eating and washing are hard for him
    "who": pick("self"),
    "name": "Sam",
    "what_matters": "Staying at home with my wife",
    "start_area": pick("health"),
    "retired": pick("no"),
    "areas.*.what_matters": "My garden",
    "areas.*.going_well": "My garden",
    "areas.health.need": pick("3"),
    "areas.*.need": pick("0"),
    "areas.health.unpaid_support": pick("some"),
    "areas.health.risk": pick("3"),
    "unable_outcomes.health": pick("nutrition", "hygiene"),
    "unable_reasons.*": pick("without_help"),
    "client_group": pick("physical_disability"),
    "fluctuating": pick("no"),
    "carer.present": pick("yes"),
    "carer.coping": pick("struggling"),
    "check": pick("yes"),
    "money.offer": pick("skip"),
}
"""The person's own part of the conversation; a test adds the carer's part."""


def with_carer_talk(*, health: str | Pick, hard: str | Pick, effect: str | Pick) -> dict[str, str | Pick]:
    """PERSON, and the carer talks now: their wife, 35 hours a week, wants to do less;
    `health` (is caring making the carer's health worse), `hard` (what caring makes hard
    for them) and `effect` (a big effect on their life) as given."""
    return {
        **PERSON,
        "carer.offer": pick("now"),
        "carer.ready": pick("yes"),
        "carer.relationship": "I look after my husband Sam",
        "carer.hours_caring_per_week": pick("35"),
        "carer.health_at_risk": health,
        "carer.unable_outcomes": hard,
        "carer.wellbeing_impact": effect,
        "carer.willing_to_continue": pick("less"),
    }


def answer_on_the_web(client, db: str, sid: str, page, script: dict[str, str | Pick], limit: int = MAX_TURNS):
    """Answer each question the web page asks with `script`'s answer for the field it sets,
    until the page is no longer a question; gives the last page. `client`: a Starlette
    TestClient on the web app; `db`: the store it uses; `sid`: the session on the page."""
    from ras_chat.store import open_store
    from ras_chat.web.testing import csrf_of, turn_of

    driver = Talk(script)
    for _ in range(limit):
        if page.url.path != "/question":
            break
        with open_store(db) as store:
            session = Session.restore(store.load(sid))
        line = driver.next_line(session)
        page = client.post("/answer", data={"csrf": csrf_of(page.text), "turn": turn_of(page.text), "text": line})
        assert page.status_code == 200, (question_key(session), line, page.status_code)
    return page
