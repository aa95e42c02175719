"""The SQLite file: private permissions, a clear message when damaged, and the default location."""

from __future__ import annotations

import hashlib
import os
import stat
import sys

import pytest
from store_helpers import message, snapshot

from ras_chat.store import DamagedDatabase, open_store


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def digest(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def test_new_folders_are_0700_and_database_files_are_0600(tmp_path):
    old = os.umask(0o022)  # a typical permissive umask must not leak into our files
    try:
        db = tmp_path / "a" / "b" / "sessions.db"
        with open_store(db) as store:
            store.save_turn(snapshot("s", 1), [message(0)])
            assert mode(tmp_path / "a") == 0o700
            assert mode(tmp_path / "a" / "b") == 0o700
            for name in ("sessions.db", "sessions.db-wal", "sessions.db-shm"):
                path = db.parent / name
                if path.exists():
                    assert mode(path) == 0o600, name
    finally:
        os.umask(old)


def test_an_existing_folder_keeps_its_permissions(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    with open_store(folder / "s.db"):
        pass
    assert mode(folder) == 0o755
    assert mode(folder / "s.db") == 0o600


def test_nothing_is_created_until_the_store_is_opened(tmp_path, monkeypatch):
    monkeypatch.setenv("RAS_CHAT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("RAS_CHAT_DB", raising=False)
    import importlib

    import ras_chat.store

    importlib.reload(ras_chat.store)
    assert not (tmp_path / "data").exists()
    with open_store() as store:
        assert store.target == str(tmp_path / "data" / "sessions.db")
    assert mode(tmp_path / "data") == 0o700


def test_a_file_that_is_not_a_database_gives_a_clear_error_and_is_left_alone(tmp_path):
    db = tmp_path / "s.db"
    db.write_bytes(b"these are my holiday notes, not a database\n" * 100)
    before = digest(db)
    with pytest.raises(DamagedDatabase) as caught:
        open_store(db)
    text = str(caught.value)
    assert "damaged" in text and "not been changed" in text and "\n" not in text
    assert digest(db) == before
    assert not os.path.exists(f"{db}-wal")


def test_a_database_with_damaged_pages_gives_a_clear_error_and_is_left_alone(tmp_path):
    db = tmp_path / "s.db"
    with open_store(db) as store:
        for n in range(300):
            store.save_turn(snapshot(f"s{n:04}", 2), [message(0, text="x" * 500), message(1)])
    size = db.stat().st_size
    with open(db, "r+b") as f:  # scribble over pages in the middle, keep the header
        f.seek(size // 2)
        f.write(os.urandom(8192))
    before = digest(db)
    with pytest.raises(DamagedDatabase, match="damaged"):
        open_store(db)
    assert digest(db) == before


def test_a_folder_that_cannot_be_written_gives_a_clear_error(unprivileged_tmp):
    """Run without root's powers (root can write anywhere, and CI runs as root)."""
    from conftest import run_as_unprivileged

    locked = unprivileged_tmp / "locked"
    locked.mkdir(mode=0o500)
    code = (
        "import sys; from ras_chat.store import open_store, StoreError\n"
        "try:\n    open_store(sys.argv[1])\nexcept StoreError as exc:\n    print(exc)\n    sys.exit(2)\n"
    )
    out = run_as_unprivileged([sys.executable, "-c", code, str(locked / "s.db")])
    assert out.returncode == 2, out.stdout + out.stderr
    assert "cannot" in out.stdout and "Traceback" not in out.stderr
    assert not (locked / "s.db").exists()
