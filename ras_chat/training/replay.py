"""Replay a case's script through the real session (no UI, fixed clock)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ras_chat.dialogue.session import Message, Session
from ras_chat.training.cases import Case


class ReplayError(AssertionError):
    """The script and the conversation disagree (an answer left over after the end)."""


def case_clock(case: Case):
    """A fixed clock on the case's date, so a replay gives the same state every time."""
    at = dt.datetime.combine(case.as_of, dt.time(10, 0), tzinfo=dt.UTC)
    return lambda: at


def start_session(case: Case) -> Session:
    """A new session for practising `case`: its policy and date, a fixed clock, its id."""
    return Session.start(policy_name=case.policy, as_of=case.as_of, session_id=f"training-{case.id}", clock=case_clock(case))


def replay(case: Case, script: Iterable[str] | None = None) -> Session:
    """Drive a real session with the case's answers (or `script`), from welcome to the end."""
    session = start_session(case)
    session.opening()
    for n, answer in enumerate(case.script if script is None else script, start=1):
        if session.finished:
            raise ReplayError(f"{case.id}: the conversation ended before answer {n} ({answer!r})")
        session.send(answer)
    return session


def transcript_lines(messages: Iterable[Message]) -> list[str]:
    """The conversation as "Assistant:" and "You:" lines, choices as numbered lines."""
    out: list[str] = []
    for m in messages:
        if m.role == "person":
            out.append(f"You: {m.text}")
            continue
        out.append(f"Assistant: {m.text}")
        out += [f"  {c.number}. {c.label}" for c in m.choices]
    return out


__all__ = ["ReplayError", "case_clock", "replay", "start_session", "transcript_lines"]
