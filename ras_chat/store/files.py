"""The SQLite file and its -wal/-shm kept private to the user: made 0600 in a 0700 folder,
and an existing one readable by others tightened with a warning."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from ras_chat.store.faults import os_problem


def notice(text: str) -> None:
    """A warning for the person at the keyboard, before any screen is drawn."""
    try:
        print(f"ras-chat: warning: {text}", file=sys.stderr)
    except (OSError, ValueError):
        pass


def tighten_existing(path: Path) -> None:
    """An existing database (and its -wal/-shm) readable by others: say so and make it private."""
    loose = []
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            st = os.lstat(p)
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode) and stat.S_IMODE(st.st_mode) & 0o077:
            loose.append((p, stat.S_IMODE(st.st_mode)))
    if not loose:
        return
    failed = []
    for p, m in loose:
        try:
            os.chmod(p, m & 0o700)
        except OSError:
            failed.append(p)
    shown = ", ".join(f"{p.name} ({m:04o})" for p, m in loose)
    if failed:
        notice(f"{path}: other users can read {shown} and it could not be changed; run: chmod go-rwx {' '.join(str(p) for p in failed)}")
    else:
        notice(f"{path}: other users could read {shown}; it is now readable by you only")


def create_private_file(path: Path) -> bool:
    """Make the folder (0700) and an empty file (0600) if they are missing; True if created."""
    missing: list[Path] = []
    parent = path.parent
    while not parent.exists():
        missing.append(parent)
        parent = parent.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            pass
        except OSError as exc:
            problem = os_problem(exc, str(folder))
            raise type(problem)(f"{path}: cannot create the database ({problem})") from None
        os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return False
    except OSError as exc:
        problem = os_problem(exc, str(path))
        raise type(problem)(f"{path}: cannot create the database ({exc.strerror})") from None
    os.fchmod(fd, 0o600)
    os.close(fd)
    return True


def tighten_sidecars(path: Path) -> None:
    """SQLite gives -wal and -shm the main file's mode; make sure of it when the file is ours."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        try:
            if stat.S_IMODE(side.stat().st_mode) & ~mode:
                os.chmod(side, mode)
        except OSError:
            pass
