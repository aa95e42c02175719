"""`ras-chat` with no subcommand: start (or resume) a conversation.

The Textual app on a terminal (when `ras_chat.ui.app.run_app` exists); plain line mode
with `--plain`, when stdin or stdout is not a terminal, or when TERM=dumb.

Saving and starting or resuming a session are the app layer's (`ras_chat.app`); this
module only picks the front end, so it stands with the commands.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

from ras_chat.environment import quick

if TYPE_CHECKING:  # loaded when needed: the app draws its first screen without them
    from ras_chat.app import Persistence

EXIT_BAD_INPUT = 2


def wants_plain(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> bool:
    if getattr(args, "plain", False):
        return True
    if quick().term == "dumb":
        return True
    try:
        return not (stdin.isatty() and stdout.isatty())
    except (AttributeError, ValueError):
        return True


def run_conversation(
    args: argparse.Namespace,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    store: Persistence | None = None,
) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    if not wants_plain(args, stdin, stdout):
        try:
            from ras_chat.ui.app import run_app
        except ImportError:  # a build without the Textual app
            pass
        else:
            return run_app(args)
    from ras_chat.app import make_session, persistence
    from ras_chat.plain import run_plain
    from ras_chat.startup import resume_collector

    resume_collector()  # plain mode: loaded; a long conversation is collected as usual
    store = store or persistence(args)
    try:
        session = make_session(args, store)
    except LookupError as exc:
        print(f"ras-chat: {exc.args[0]}", file=sys.stderr)
        return EXIT_BAD_INPUT
    hint = store.resume_hint(session) if store.resume_hint else None
    return run_plain(session, stdin=stdin, stdout=stdout, on_turn=store.on_turn, resume_hint=hint)
