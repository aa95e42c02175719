"""Shared pieces of the storage commands (`sessions`, `export`, `backup`, `audit`).

Every command takes `--db PATH|URL` (also accepted before the command name); without it
the database comes from Settings (`RAS_CHAT_DB`, else sessions.db in the data folder).
Problems are one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

from ras_chat.store.errors import StoreError
from ras_chat.store.store import Store, open_store

EXIT_BAD_INPUT = 2
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]|\x1b\[[0-?]*[ -/]*[@-~]")


class BadInput(Exception):
    """A problem with what the user asked for: one line, exit code 2."""


def add_db_option(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: when not given here, keep the value from the main parser's `--db`
    parser.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        metavar="PATH|URL",
        help="the sessions database: a SQLite file or a postgresql:// address (default: RAS_CHAT_DB or your data folder)",
    )


def open_from_args(args: argparse.Namespace) -> Store:
    target = getattr(args, "db", None)
    return open_store(target) if target else open_store()


def guarded(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn storage and input problems into one line on stderr and exit code 2."""

    @functools.wraps(func)
    def run(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except (StoreError, BadInput) as exc:
            print(f"ras-chat: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
        except OSError as exc:
            import errno

            where = f"{exc.filename}: " if exc.filename else ""
            if exc.errno == errno.ENOSPC:
                what = "the disk is full; nothing was written. Free some space and try again"
            elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                what = "cannot be written here (read-only or not yours); nothing was written"
            else:
                what = exc.strerror or type(exc).__name__
            print(f"ras-chat: {where}{what}", file=sys.stderr)
            return EXIT_BAD_INPUT

    return run


def clean(text: str | None) -> str:
    """Text safe to print on a terminal: no control characters or escape sequences."""
    return _CONTROL.sub("", text or "")


def check_folder(path: Path) -> None:
    """A file's folder must already exist (`backup` and `export --out` alike): never made."""
    if not path.parent.is_dir():
        raise BadInput(f"{path.parent}: no such folder; make it first, or choose another place")


def check_out(path: str, *, force: bool = False) -> Path:
    """The file `write_private` would write, or BadInput saying why not (before any work)."""
    target = Path(os.path.expanduser(path))
    check_folder(target)
    if target.is_symlink():
        raise BadInput(f"{target}: is a symbolic link; ras-chat never writes through one (choose another name)")
    exists = os.path.lexists(target)
    if exists and not force:
        raise BadInput(f"{target}: already exists; add --force to replace it")
    if exists and not target.is_file():
        raise BadInput(f"{target}: is not a file; choose another name")
    return target


def write_private(path: str, text: str, *, force: bool = False) -> None:
    """Write an export readable by the owner only (it holds personal data).

    Never through a symbolic link (it could point at another file), always a new file with
    mode 0600; an existing file is replaced only with `force` (a new file renamed over it,
    so it also gets 0600), and a half-written file never keeps the name."""
    target = check_out(path, force=force)
    exists = os.path.lexists(target)
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    where = target.with_name(f".{target.name}.partial-{os.getpid()}") if exists else target
    fd = os.open(where, os.O_WRONLY | os.O_CREAT | os.O_EXCL | nofollow, 0o600)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if where != target:
            os.replace(where, target)
    except BaseException:
        try:
            os.unlink(where)
        except OSError:
            pass
        raise
