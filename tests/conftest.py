from __future__ import annotations

import datetime as dt

import pytest

from ras.policy import load_policy

AS_OF = dt.date(2026, 6, 1)


@pytest.fixture(scope="session")
def policy():
    """The example policy's tables in force on a fixed date (tests never read the clock)."""
    return load_policy("example").at(AS_OF)
