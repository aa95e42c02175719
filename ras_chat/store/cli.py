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
from typing import Callable

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
            where = f"{exc.filename}: " if exc.filename else ""
            print(f"ras-chat: {where}{exc.strerror or exc}", file=sys.stderr)
            return EXIT_BAD_INPUT

    return run


def clean(text: str | None) -> str:
    """Text safe to print on a terminal: no control characters or escape sequences."""
    return _CONTROL.sub("", text or "")


def write_private(path: str, text: str) -> None:
    """Write an export readable by the owner only (it holds personal data)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
