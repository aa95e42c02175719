"""Helpers for tests and the benchmark: sample sessions and throwaway PostgreSQL schemas.

Only tests and scripts import this module.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

PG_ENV = "RAS_CHAT_TEST_PG"

T0 = dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC)


def at(minutes: float) -> str:
    return (T0 + dt.timedelta(minutes=minutes)).isoformat()


def message(i: int, role: str | None = None, text: str | None = None, **extra: object) -> dict:
    role = role or ("assistant" if i % 2 == 0 else "person")
    return {
        "role": role,
        "text": text if text is not None else f"message {i}",
        "at": at(i),
        "state": f"q{i // 2}",
        "kind": "question" if role == "assistant" else "answer",
        "choices": [],
        **extra,
    }


def snapshot(session_id: str, n_messages: int = 0, **extra: object) -> dict:
    """A SessionState-shaped dict whose answers record how many messages it has seen."""
    return {
        "id": session_id,
        "policy": "example",
        "created": at(0),
        "updated": at(n_messages),
        "status": "in_progress",
        "state": f"q{n_messages // 2}",
        "answers": {"seen": n_messages},
        "history": [f"q{i}" for i in range(n_messages // 2)],
        "transcript": [],
        "flags": [],
        "who": "Mary Example",
        **extra,
    }


def sample_record(**extra: object) -> dict:
    return {
        "schema": "ras-assessment/1",
        "client_group": "older_people",
        "impairment": True,
        "wellbeing_impact": True,
        "unable_outcomes": ["nutrition", "hygiene"],
        "fluctuating": False,
        "areas": {
            "health": {"need": 3, "risk": 3, "unpaid_support": "some"},
            "choice": {"need": 1, "risk": 1, "unpaid_support": "none"},
            "community": {"need": 2, "risk": 2, "unpaid_support": "most"},
        },
        "what_matters": "Seeing my grandson on Sundays and keeping my garden.",
        **extra,
    }


def sample_result(record: dict | None = None) -> dict:
    """The engine's allocation for `record` under the example policy (figures of 2026-06-01)."""
    from ras.engine import calculate
    from ras.models import AssessmentRecord
    from ras.policy import load_policy

    policy = load_policy("example").at(dt.date(2026, 6, 1))
    return calculate(AssessmentRecord.model_validate(record or sample_record()), policy).dump()


@contextlib.contextmanager
def postgres_schema(base_url: str) -> Iterator[str]:
    """A fresh, empty schema on the server at `base_url`; yields an address that uses it.

    While it is in use, the audit chain's head file (RAS_CHAT_AUDIT_HEAD) is a file in a
    temporary folder, never the user's data folder (a PostgreSQL address keeps it there)."""
    import shutil
    import tempfile

    import psycopg

    name = "ras_test_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    sep = "&" if "?" in base_url else "?"
    url = f"{base_url}{sep}options={quote(f'-csearch_path={name}')}"
    folder = tempfile.mkdtemp(prefix="ras-head-")
    before = os.environ.get("RAS_CHAT_AUDIT_HEAD")
    os.environ["RAS_CHAT_AUDIT_HEAD"] = os.path.join(folder, "audit-head.json")
    try:
        yield url
    finally:
        if before is None:
            os.environ.pop("RAS_CHAT_AUDIT_HEAD", None)
        else:
            os.environ["RAS_CHAT_AUDIT_HEAD"] = before
        shutil.rmtree(folder, ignore_errors=True)
        with psycopg.connect(base_url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {name} CASCADE")


def postgres_url() -> str | None:
    return os.environ.get(PG_ENV) or None


PLANS_DIR = "tests/plans"


def plan_answers(plan_path: str | os.PathLike) -> list[str]:
    """The person's answers (`> ...` lines) of a dialogue test plan, in order."""
    from pathlib import Path

    lines = Path(plan_path).read_text(encoding="utf-8").splitlines()
    return [ln.strip()[1:].strip() for ln in lines if ln.strip().startswith(">")]


def seed_from_plan(store, plan_path: str | os.PathLike, *, session_id: str | None = None, stop_after: int | None = None) -> str:
    """Drive a real dialogue Session with a test plan's answers, saving every turn; returns the id.

    `stop_after`: answer only that many, leaving the conversation in progress.
    Uses the test plans' fixed clock, so figures are the same every run.
    """
    from pathlib import Path

    from ras_chat.app import save_session_turn
    from ras_chat.dialogue.session import Session
    from ras_chat.dialogue.testplan import FIXED_TIME

    session = Session.start(
        session_id=session_id or Path(plan_path).stem, clock=lambda: FIXED_TIME, as_of=FIXED_TIME.date()
    )

    save_session_turn(store, session, session.opening())
    for n, text in enumerate(plan_answers(plan_path)):
        if session.finished or (stop_after is not None and n >= stop_after):
            break
        save_session_turn(store, session, session.send(text))
    return session.state.id
