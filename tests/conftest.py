from __future__ import annotations

import datetime as dt

import pytest

from store_helpers import postgres_schema, postgres_url

from ras.policy import load_policy

AS_OF = dt.date(2026, 6, 1)


@pytest.fixture(scope="session")
def policy():
    """The example policy's tables in force on a fixed date (tests never read the clock)."""
    return load_policy("example").at(AS_OF)


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path):
    """A fresh database address: a SQLite file in a temp dir, or an empty PostgreSQL schema."""
    if request.param == "sqlite":
        yield str(tmp_path / "data" / "sessions.db")
        return
    base = postgres_url()
    if not base:
        pytest.skip("PostgreSQL tests need RAS_CHAT_TEST_PG=postgresql://... (.ci/run sets it)")
    with postgres_schema(base) as url:
        yield url
