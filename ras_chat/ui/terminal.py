"""`ras-chat` on a terminal: the app over a new or resumed session, and a few lines left in
the terminal afterwards."""

from __future__ import annotations

import argparse
import sys

from ras_chat.startup import warm_understanding
from ras_chat.ui.app import RasChatApp
from ras_chat.ui.ready import EXIT_BAD_INPUT, EXIT_OK, load_session, prepare_new_session
from ras_chat.ui.themes import theme_name
from ras_chat.ui.words import preset, word


def run_app(args: argparse.Namespace, *, after: bool = True) -> int:
    """`ras-chat` on a terminal: run the app over the session for `args`, and leave a few
    lines in the terminal afterwards (the amount, or how to carry on).

    A new session whose first screen was kept last time (`ras_chat/ui/first.py`) shows it
    at once and is built in the background; otherwise (the first start, files or code
    changed, `--resume`) it is built first, so a broken file or database is said before
    anything is drawn, and its first screen is kept for next time."""
    from ras_chat.environment import quick
    from ras_chat.ui import first as first_screen

    theme = getattr(args, "theme", None) or quick().theme
    try:
        theme_name(theme)
    except ValueError as exc:
        print(f"ras-chat: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    key = None if getattr(args, "resume", None) else first_screen.screen_key(args)
    shown = first_screen.read_first_screen(args, key) if key else None
    if shown is not None:
        preset(dict(shown.words))  # the answer bar's words, before the catalogue is loaded
    if shown is not None:
        app = RasChatApp(
            None,
            theme=theme,
            loader=lambda: prepare_new_session(args),
            first_screen=shown,
            first_key=key,
            keep_first=first_screen.keep_first_screen,
            warm=warm_understanding,
            keep_styles=True,
        )
    else:
        from ras_chat.store import StoreError

        try:
            ready = load_session(args)
        except StoreError as exc:
            print(f"ras-chat: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
        except LookupError as exc:  # as the plain mode says it
            print(f"ras-chat: {exc.args[0]}", file=sys.stderr)
            return EXIT_BAD_INPUT
        app = RasChatApp(
            ready.session,
            on_turn=ready.on_turn,
            theme=theme,
            resume_hint=ready.resume_hint,
            first_key=key,
            keep_first=first_screen.keep_first_screen if key else None,
            warm=warm_understanding,
            keep_styles=True,
        )
    code = app.run()
    if app.start_error:
        print(f"ras-chat: {app.start_error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if code is None:
        code = app.return_code or EXIT_OK
    session = app.session
    if after and session is not None:
        if session.finished:
            from ras_chat.app.summary import handoff_summary

            print("\n".join(handoff_summary(session)).strip("\n"))
        elif app.stopped_by:
            print(word("screen.stopped"))
            if app.on_turn is None:
                print(word("screen.not_saved"))
            elif app.resume_hint:
                print(app.resume_hint)
        if app.save_error:
            print(f"ras-chat: the last save failed: {app.save_error}", file=sys.stderr)
    return int(code)
