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
from store_helpers import postgres_schema, postgres_url

from ras.policy import load_policy

AS_OF = dt.date(2026, 6, 1)

# The settings a person may have set in their own shell: a test must never see them
# (RAS_CHAT_DB would point the tests at their real sessions).
PERSONAL_SETTINGS = (
    "RAS_CHAT_DB", "RAS_CHAT_POLICY", "RAS_CHAT_THEME", "RAS_CHAT_WORKER", "RAS_CHAT_DIALOGUE",
    "RAS_CHAT_AUDIT_HEAD", "RAS_CHAT_AUDIT_KEY_FILE", "RAS_CHAT_WEB_SECRET",
)
XDG_DIRS = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")


def in_ci() -> bool:
    """True on the CI machine (`CI=true`, which .ci/run sets)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


@pytest.fixture(scope="session")
def _shared_cache(tmp_path_factory):
    """One cache folder for a test run (per xdist worker): the trained understanding models
    and the parsed files are keyed by content, so tests can share them without training
    again in every test (and nothing is written to the person's own cache folder)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory, monkeypatch, _shared_cache):
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
    monkeypatch.setenv("RAS_CHAT_CACHE_DIR", str(_shared_cache))
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


# --- running without root's powers (for tests of folders that cannot be written) ---
# Root can write anywhere, so a test of a read-only folder means nothing as root (CI runs
# as root). As root, the command runs with every capability dropped (setpriv, util-linux):
# the kernel then checks file modes as for any other user. Without setpriv it runs as
# `nobody`, which needs the interpreter and the files to be readable by that user.

UNPRIVILEGED_USER = "nobody"


def _without_root(cmd: list[str]) -> tuple[list[str], dict]:
    """How to run `cmd` unprivileged: (the command line, extra subprocess.run arguments)."""
    if os.geteuid() != 0:
        return list(cmd), {}
    setpriv = shutil.which("setpriv")
    if setpriv:
        return [setpriv, "--bounding-set=-all", "--inh-caps=-all", "--ambient-caps=-all", "--no-new-privs", *cmd], {}
    try:
        user = pwd.getpwnam(UNPRIVILEGED_USER)
    except KeyError:
        pytest.skip(f"running as root, with neither setpriv nor a {UNPRIVILEGED_USER!r} user to drop root's powers")
    return list(cmd), {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}


def run_as_unprivileged(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run `cmd` without root's powers: as-is when we are not root; as root, with every
    capability dropped (or as `nobody`). Keyword arguments go to subprocess.run
    (capture_output=True, text=True and a 120 s timeout unless given). Make the files the
    command uses in the `unprivileged_tmp` folder."""
    line, extra = _without_root(cmd)
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    kwargs.setdefault("timeout", 120)
    return subprocess.run(line, **extra, **kwargs)


@pytest.fixture
def unprivileged_tmp(tmp_path):
    """A folder a `run_as_unprivileged` command can use: tmp_path, or when `nobody` runs it
    a folder of its own in the system temp folder (root's pytest folders are private).
    Closed folders in it are opened again afterwards so that it can be removed."""
    _line, extra = _without_root(["true"])
    folder = tmp_path
    if "user" in extra:
        folder = Path(tempfile.mkdtemp(prefix="ras-chat-unprivileged-"))
        os.chown(folder, extra["user"], extra["group"])
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            os.chmod(path, 0o700)
    if folder != tmp_path:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(name="run_as_unprivileged")
def _run_as_unprivileged_fixture():
    """`run_as_unprivileged` as a fixture, for tests that prefer not to import conftest."""
    return run_as_unprivileged
