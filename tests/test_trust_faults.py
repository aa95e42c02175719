"""Storage faults tell the truth (issue 19): a full disk, a file-size limit, a read-only file,
folder or disk each say what happened, in one line, without a traceback and without the word
damaged; a read-only database still lists and exports; a damaged row is called damaged and
nothing of the person's data reaches stderr.

The full and read-only disks are small tmpfs mounts (root only, which CI is). The read-only
file and folder run in a child process switched to the unprivileged `nobody` user, because
root can write to any file.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import random
import resource
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from store_helpers import message, plan_answers, seed_from_plan, snapshot

from ras_chat.__main__ import main
from ras_chat.store import DiskFull, ReadOnlyDatabase, open_store

PLANS = Path(__file__).parent / "plans"
FARZANA = PLANS / "farzana.plan"
ANSWERS = plan_answers(FARZANA)
ROOT = Path(__file__).resolve().parent.parent


def env_for(db: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAS_CHAT_")}
    env.update(RAS_CHAT_DB=str(db), TERM="dumb", PYTHONUNBUFFERED="1", LC_ALL="C.UTF-8", **extra)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "tests"), env.get("PYTHONPATH", "")])  # tests/: store_helpers
    return env


def plain(db: Path, answers: list[str], *extra: str, preexec=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ras_chat", "--plain", *extra],
        input="".join(a + "\n" for a in answers).encode(),
        capture_output=True,
        env=env_for(db),
        timeout=180,
        preexec_fn=preexec,
    )


def one_clean_line(err: bytes) -> str:
    text = err.decode("utf-8", "replace")
    assert "Traceback" not in text, text
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert len(lines) == 1, text
    assert "damaged" not in text, text
    return lines[0]


@contextlib.contextmanager
def tmpfs(size: str = "2m") -> Path:
    if os.geteuid() != 0:
        pytest.skip("a tmpfs mount needs root (CI runs as root)")
    where = Path(tempfile.mkdtemp(prefix="ras-tmpfs-"))
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where)], capture_output=True)
    if done.returncode != 0:
        where.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)
        where.rmdir()


def fill(folder: Path) -> Path:
    """Fill the disk: one big file until ENOSPC, then small ones until none fit."""
    filler = folder / "filler"
    with open(filler, "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
    for n in range(10000):
        try:
            (folder / f"filler-{n}").write_bytes(b"\0" * 512)
        except OSError:
            break
    return filler


def person_answers(db: Path) -> list[str]:
    with open_store(db) as store:
        snap = store.load(store.resolve("last"))
    return [m["text"] for m in snap["transcript"] if m["role"] == "person"]


# ----- a full disk ------------------------------------------------------------------------------


class Conversation:
    """`ras-chat --plain` as a running process: answer, wait for the next prompt."""

    def __init__(self, db: Path, *extra: str):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ras_chat", "--plain", *extra],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env_for(db),
        )  # fmt: skip
        self.buffer = b""

    def wait_for_prompt(self) -> bool:
        """True at the next "You: ", False when the program ended first."""
        while not self.buffer.endswith(b"You: "):
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                return False
            self.buffer += chunk
        self.buffer = b""
        return True

    def say(self, answer: str) -> None:
        self.proc.stdin.write(answer.encode() + b"\n")
        self.proc.stdin.flush()

    def finish(self) -> tuple[int, bytes]:
        self.proc.stdin.close()
        err = self.proc.stderr.read()
        self.proc.stdout.close()
        self.proc.stderr.close()
        return self.proc.wait(timeout=60), err


def test_a_disk_that_fills_mid_conversation_says_so_loses_nothing_and_the_conversation_carries_on_after():
    with tmpfs("2m") as disk:
        db = disk / "sessions.db"
        talk = Conversation(db)
        assert talk.wait_for_prompt()
        for answer in ANSWERS[:6]:
            talk.say(answer)
            assert talk.wait_for_prompt()
        assert person_answers(db) == ANSWERS[:6]
        with open_store(db) as store:
            sid = store.resolve("last")
        fill(disk)
        talk.say(ANSWERS[6])
        assert not talk.wait_for_prompt()  # the program stops rather than go on unsaved
        code, err = talk.finish()
        assert code == 2
        assert one_clean_line(err) == (
            f"ras-chat: the disk is full: your last answer was not saved; free some space and carry on with ras-chat --resume {sid[:8]}"
        )
        # starting again while the disk is still full: said plainly, nothing changed
        still = plain(db, ANSWERS[6:8], "--resume", sid[:8])
        assert still.returncode == 2 and "the disk is full" in one_clean_line(still.stderr)
        for f in disk.glob("filler*"):
            f.unlink()
        assert person_answers(db) == ANSWERS[:6]  # nothing acknowledged was lost
        again = plain(db, ANSWERS[6:12], "--resume", sid[:8])
        assert again.returncode == 0, again.stderr
        assert person_answers(db) == ANSWERS[:12]
        with open_store(db) as store:
            assert store.verify_audit() == []


def test_the_store_says_the_disk_is_full_and_rolls_back():
    with tmpfs("2m") as disk:
        with open_store(disk / "s.db") as store:
            store.save_turn(snapshot("s", 2), [message(0), message(1)])
            fill(disk)
            with pytest.raises(DiskFull) as caught:
                for n in range(2, 400, 2):
                    store.save_turn(snapshot("s", n + 2), [message(n, text="x" * 2000), message(n + 1)])
            assert "the disk is full: your last answer was not saved" in str(caught.value)
            for f in disk.glob("filler*"):
                f.unlink()
            stored = len(store.load("s")["transcript"])
            assert store.load("s")["answers"] == {"seen": stored}  # snapshot and messages of one commit
            assert store.verify_audit() == []


# ----- a limit on file size (ulimit -f) -----------------------------------------------------------


def test_a_file_size_limit_says_so_without_a_traceback(tmp_path):
    db = tmp_path / "sessions.db"

    def limit() -> None:  # 32 pages: enough to set the file up, not for the whole conversation
        resource.setrlimit(resource.RLIMIT_FSIZE, (131072, 131072))

    stuck = plain(db, ANSWERS, preexec=limit)
    assert stuck.returncode == 2
    line = one_clean_line(stuck.stderr)
    assert "ulimit -f" in line and "your last answer was not saved" in line and "--resume" in line
    stored = person_answers(db)
    assert 0 < len(stored) < len(ANSWERS) and stored == ANSWERS[: len(stored)]


# ----- a read-only disk ----------------------------------------------------------------------------


def test_a_read_only_disk_still_lists_and_exports_and_refuses_a_conversation_plainly(tmp_path):
    with tmpfs("4m") as disk:
        db = disk / "sessions.db"
        with open_store(db) as store:
            sid = seed_from_plan(store, FARZANA)
        assert subprocess.run(["mount", "-o", "remount,ro", str(disk)]).returncode == 0
        with open_store(db) as store:
            assert store.read_only
            assert [s.id for s in store.list_sessions()] == [sid]
            assert store.verify_audit() == []
            with pytest.raises(ReadOnlyDatabase, match="your last answer was not saved"):
                store.save_turn(snapshot(sid, 0), [])
        listed = subprocess.run([sys.executable, "-m", "ras_chat", "sessions"], capture_output=True, env=env_for(db))
        assert listed.returncode == 0 and sid.encode() in listed.stdout
        out = tmp_path / "farzana.json"
        exported = subprocess.run([sys.executable, "-m", "ras_chat", "export", sid, "--out", str(out)], capture_output=True, env=env_for(db))
        assert exported.returncode == 0, exported.stderr
        assert json.loads(out.read_text())["audit_chain_intact"] is True
        start = plain(db, ["1"])
        assert start.returncode == 2
        assert "read-only" in one_clean_line(start.stderr)
        resume = plain(db, ["yes"], "--resume", sid[:8])
        assert resume.returncode == 2
        assert "read-only" in one_clean_line(resume.stderr)


# ----- a read-only file or folder, as an ordinary user ---------------------------------------------


def as_nobody(action) -> dict:
    """Run `action()` in a forked child switched to the `nobody` user; return what it returned
    (a JSON-able dict). Everything it needs is imported first: after the switch the child may
    not be able to read Python's own folder."""
    from ras_chat.__main__ import build_parser

    build_parser()
    user = pwd.getpwnam("nobody")
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read)
        code = 0
        try:
            os.setgroups([])
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)
            result = action()
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            result = {"error": f"{type(exc).__name__}: {exc}"}
            code = 1
        os.write(write, json.dumps(result).encode())
        os.close(write)
        os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as f:
        data = f.read()
    os.waitpid(pid, 0)
    return json.loads(data or b"{}")


def nobody_folder() -> Path:
    """A folder `nobody` can reach (pytest's own tmp_path is private to root)."""
    where = Path(tempfile.mkdtemp(prefix="ras-ro-"))
    os.chmod(where, 0o755)
    return where


def _capture(argv: list[str]) -> dict:
    import io
    from contextlib import redirect_stderr, redirect_stdout

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    return {"code": code, "out": out.getvalue(), "err": err.getvalue()}


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_file_or_folder_as_an_ordinary_user(what):
    if os.geteuid() != 0:
        pytest.skip("switching to the nobody user needs root (CI runs as root)")
    base = nobody_folder()
    try:
        home = base / "data"
        home.mkdir()
        db = home / "sessions.db"
        with open_store(db) as store:
            sid = seed_from_plan(store, FARZANA)
        exports = base / "out"
        exports.mkdir()
        user = pwd.getpwnam("nobody")
        for p in [home, exports, *home.iterdir()]:
            os.chown(p, user.pw_uid, user.pw_gid)
        if what == "file":
            for p in home.iterdir():
                os.chmod(p, 0o400)
        else:
            os.chmod(home, 0o500)

        def check() -> dict:
            result: dict = {}
            with open_store(db) as store:
                result["read_only"] = store.read_only
                result["listed"] = [s.id for s in store.list_sessions()]
                result["intact"] = [str(b) for b in store.verify_audit()]
                try:
                    store.save_turn(snapshot(sid, 0), [])
                except ReadOnlyDatabase as exc:
                    result["save"] = str(exc)
            result["sessions"] = _capture(["sessions", "--db", str(db)])
            result["export"] = _capture(["export", sid, "--db", str(db), "--out", str(exports / "e.json")])
            result["exported"] = json.loads((exports / "e.json").read_text())["audit_chain_intact"]
            result["start"] = _capture(["--plain", "--db", str(db)])
            return result

        got = as_nobody(check)
        assert "error" not in got, got
        assert got["read_only"] is True
        assert got["listed"] == [sid]
        assert got["intact"] == []
        assert "your last answer was not saved" in got["save"] and "read-only" in got["save"]
        assert got["sessions"]["code"] == 0 and sid in got["sessions"]["out"]
        assert got["export"]["code"] == 0 and got["exported"] is True
        assert got["start"]["code"] == 2
        err = got["start"]["err"]
        assert "read-only" in err and "damaged" not in err and "Traceback" not in err and err.count("\n") == 1
    finally:
        os.chmod(base / "data", 0o700)
        shutil.rmtree(base, ignore_errors=True)


# ----- permissions of an existing database -----------------------------------------------------------


def test_an_existing_database_readable_by_others_is_tightened_with_a_warning(tmp_path, capsys):
    db = tmp_path / "s.db"
    with open_store(db) as store:
        store.save_turn(snapshot("s", 1), [message(0)])
        # while open, -wal and -shm exist: loosen all three as a careless copy would
        for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            os.chmod(p, 0o644)
        with open_store(db) as again:
            again.count_sessions()
        err = capsys.readouterr().err
        assert "other users could read" in err and "readable by you only" in err and err.count("\n") == 1
        for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, p.name


# ----- damaged rows: called damaged, nothing of the data shown ------------------------------------------

SECRET = "Zebediah-Quonset-4471"


def _damage(db: Path, sql: str, *params) -> None:
    conn = sqlite3.connect(db)
    conn.execute(sql, params)
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "how",
    [
        ("UPDATE sessions SET snapshot = CAST(? AS TEXT)", (b'{"id": "x", "who": "' + SECRET.encode() + b'\xff\xfe"}',)),
        ("UPDATE sessions SET snapshot = ?", ('{"who": "' + SECRET + '", broken',)),
        ("UPDATE messages SET body = ? WHERE seq = 2", ('{"text": "' + SECRET + '" oops',)),
        ("UPDATE messages SET text = CAST(? AS TEXT) WHERE seq = 2", (SECRET.encode() + b"\xc3\x28",)),
        ("UPDATE sessions SET record = ?", ('{"schema": "ras-assessment/1", "client_group": "' + SECRET + '"}',)),
    ],
    ids=["snapshot-not-utf8", "snapshot-not-json", "message-not-json", "message-text-not-utf8", "record-invalid"],
)
def test_a_damaged_row_gives_one_line_without_the_data_from_every_command(tmp_path, how):
    db = tmp_path / "s.db"
    with open_store(db) as store:
        sid = seed_from_plan(store, FARZANA, stop_after=8)
    sql, params = how
    _damage(db, sql, *params)
    for argv in (["export", sid], ["export", sid, "--format", "md"], ["audit", "verify"], ["sessions"], ["--plain", "--resume", sid[:8]]):
        done = subprocess.run([sys.executable, "-m", "ras_chat", *argv], input=b"yes\n", capture_output=True, env=env_for(db), timeout=120)
        err = done.stderr.decode("utf-8", "replace")
        assert "Traceback" not in err, (argv, err)
        assert SECRET not in err and "Farzana" not in err, (argv, err)
        assert SECRET not in done.stdout.decode("utf-8", "replace") or argv[0] == "export", argv
        assert err.count("\n") <= 2, (argv, err)


def test_random_byte_changes_never_give_an_altered_export_that_claims_to_be_intact(tmp_path, capsys):
    """The issue saw 7 of 80 random byte changes alter an export with no detection."""
    pristine = tmp_path / "pristine.db"
    with open_store(pristine) as store:
        sid = seed_from_plan(store, FARZANA)
    head = Path(f"{pristine}.audit-head").read_bytes()
    assert main(["export", sid, "--db", str(pristine)]) == 0
    original = json.loads(capsys.readouterr().out)
    original.pop("exported_at")  # the time of the export, not the data
    size = pristine.stat().st_size
    rng = random.Random(19)
    altered_and_intact = []
    for trial in range(80):
        db = tmp_path / f"t{trial}.db"
        shutil.copy(pristine, db)
        Path(f"{db}.audit-head").write_bytes(head)
        offset = rng.randrange(100, size)  # past the file header
        with open(db, "r+b") as f:
            f.seek(offset)
            byte = f.read(1)
            f.seek(offset)
            f.write(bytes([byte[0] ^ (1 << rng.randrange(8))]))
        code = main(["export", sid, "--db", str(db)])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err and "Farzana" not in captured.err
        if code != 0:
            assert captured.err.count("\n") == 1
            continue
        exported = json.loads(captured.out)
        exported.pop("exported_at")
        if exported != original and exported["audit_chain_intact"]:
            altered_and_intact.append(offset)
        db.unlink()
    assert altered_and_intact == []


def test_a_postgresql_login_that_may_not_write_says_so_and_still_lists_and_exports(capsys):
    from urllib.parse import quote

    from store_helpers import postgres_schema, postgres_url

    base = postgres_url()
    if not base:
        pytest.skip("PostgreSQL tests need RAS_CHAT_TEST_PG=postgresql://... (.ci/run sets it)")
    with postgres_schema(base) as url:
        with open_store(url) as store:
            sid = seed_from_plan(store, FARZANA, stop_after=5)
        read_only = url + quote(" -cdefault_transaction_read_only=on")
        with open_store(read_only) as store:
            assert [s.id for s in store.list_sessions()] == [sid]
            assert store.verify_audit() == []
            with pytest.raises(ReadOnlyDatabase) as caught:
                store.claim(sid)
            assert "does not let this login write" in str(caught.value)
            with pytest.raises(ReadOnlyDatabase, match="your last answer was not saved"):
                store.save_turn(snapshot(sid, 0), [])
        assert main(["export", sid, "--db", read_only]) == 0
        assert json.loads(capsys.readouterr().out)["audit_chain_intact"] is True


def test_a_read_only_folder_with_unsaved_wal_changes_says_so_rather_than_show_old_data():
    if os.geteuid() != 0:
        pytest.skip("switching to the nobody user needs root (CI runs as root)")
    base = nobody_folder()
    try:
        home = base / "data"
        home.mkdir()
        db = home / "sessions.db"
        with open_store(base / "live.db") as store:
            store.save_turn(snapshot("s", 1), [message(0)])
            # a copy taken while it is open, as after a crash: the newest commits are in -wal
            shutil.copy(base / "live.db", db)
            shutil.copy(base / "live.db-wal", Path(f"{db}-wal"))
        assert Path(f"{db}-wal").stat().st_size > 0
        user = pwd.getpwnam("nobody")
        for p in [home, *home.iterdir()]:
            os.chown(p, user.pw_uid, user.pw_gid)
        os.chmod(home, 0o500)

        def check() -> dict:
            try:
                open_store(db).close()
            except ReadOnlyDatabase as exc:
                return {"refused": str(exc)}
            return {"opened": True}

        got = as_nobody(check)
        assert "sessions.db-wal" in got.get("refused", ""), got
        assert "damaged" not in got["refused"]
    finally:
        os.chmod(base / "data", 0o700)
        shutil.rmtree(base, ignore_errors=True)


def test_a_message_whose_text_cell_became_a_blob_shows_as_a_break_not_a_traceback(tmp_path, capsys):
    """One flipped bit in a record header can turn a text cell into a blob of the same
    bytes. The export must not crash on it, and must not call the chain intact."""
    db = tmp_path / "blob.db"
    with open_store(db) as store:
        sid = seed_from_plan(store, FARZANA)
    with contextlib.closing(sqlite3.connect(db)) as con:
        con.execute("UPDATE messages SET text = CAST(text AS BLOB) WHERE session_id = ? AND seq = 3", (sid,))
        con.commit()
        assert con.execute("SELECT typeof(text) FROM messages WHERE session_id = ? AND seq = 3", (sid,)).fetchone() == ("blob",)
    code = main(["export", sid, "--db", str(db)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    if code == 0:
        assert json.loads(captured.out)["audit_chain_intact"] is False
    else:
        assert captured.err.count("\n") == 1
