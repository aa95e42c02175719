from __future__ import annotations

import datetime as dt
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import platformdirs
import pytest

from ras_chat.store.testing import postgres_schema, postgres_url

from ras.policy import load_policy

AS_OF = dt.date(2026, 6, 1)

# The settings a person may have set in their own shell: a test must never see them
# (RAS_CHAT_DB would point the tests at their real sessions).
PERSONAL_SETTINGS = ("RAS_CHAT_DB", "RAS_CHAT_POLICY", "RAS_CHAT_THEME", "RAS_CHAT_WORKER", "RAS_CHAT_DIALOGUE")
XDG_DIRS = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")


def in_ci() -> bool:
    """True on the CI machine (`CI=true`, which .ci/run sets)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory, monkeypatch):
    """Every test (and every ras-chat it starts) gets its own home, data folder and XDG
    folders in a temporary directory, so a run of the tests never writes to the person's
    own data folder (platformdirs reads these on every call)."""
    root = tmp_path_factory.mktemp("home")
    home = root / "home"
    home.mkdir()
    for name in PERSONAL_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    for name in XDG_DIRS:
        monkeypatch.setenv(name, str(root / name.lower()))
    monkeypatch.setenv("APPDATA", str(root / "appdata"))
    monkeypatch.setenv("LOCALAPPDATA", str(root / "localappdata"))
    monkeypatch.setenv("RAS_CHAT_DATA_DIR", str(root / "ras-chat-data"))
    # a guard, not a test: if platformdirs ever stops following these, fail loudly
    assert Path(platformdirs.user_data_dir("ras-chat", appauthor=False)).is_relative_to(root), "data folder not redirected"
    yield root


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skip is a failure: a missing PostgreSQL, Chromium, browser library or
    unprivileged user must turn CI red, never quietly green."""
    outcome = yield
    report = outcome.get_result()
    if in_ci() and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"CI=true and this test skipped; in CI every service a test needs must be there: {reason}"


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


# --- running as an unprivileged user (for tests of folders that cannot be written) ---

UNPRIVILEGED_USER = "nobody"


def _unprivileged() -> pwd.struct_passwd | None:
    """Who to run as: None when we are not root (we already are unprivileged)."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(UNPRIVILEGED_USER)
    except KeyError:
        pytest.skip(f"running as root and there is no {UNPRIVILEGED_USER!r} user to run as")


def run_as_unprivileged(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run `cmd` as a user without root's powers (root can write anywhere, so a test of a
    read-only folder means nothing as root): as-is when we are not root, else as `nobody`.

    Keyword arguments go to subprocess.run (capture_output=True, text=True and a 120 s
    timeout by default). The files the command uses must be readable by that user: make
    them in the `unprivileged_tmp` folder."""
    user = _unprivileged()
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    kwargs.setdefault("timeout", 120)
    if user is not None:
        kwargs.update(user=user.pw_uid, group=user.pw_gid, extra_groups=[])
    return subprocess.run(cmd, **kwargs)


@pytest.fixture
def unprivileged_tmp():
    """A fresh folder that `run_as_unprivileged` commands own (under the system temp folder,
    because root's pytest folders are closed to other users); removed afterwards."""
    user = _unprivileged()
    folder = Path(tempfile.mkdtemp(prefix="ras-chat-unprivileged-"))
    try:
        if user is not None:
            os.chown(folder, user.pw_uid, user.pw_gid)
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:  # a test may have closed a folder: open it again to remove it
            if path.is_dir() and not path.is_symlink():
                os.chmod(path, 0o700)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(name="run_as_unprivileged")
def _run_as_unprivileged_fixture():
    """`run_as_unprivileged` as a fixture, for tests that prefer not to import conftest."""
    return run_as_unprivileged
