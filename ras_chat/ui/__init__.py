"""The Textual app over the headless dialogue session.

`make_app(session, ...)` builds the app for the command line, the browser (`ras-chat
serve`) and the tests alike; `run_app(args)` is the terminal entry point. The UI computes
nothing: widgets post messages (`AnswerSubmitted`, ...), the app calls the session and
renders its state. Nothing here is imported by `ras_chat.dialogue` or `ras`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ras_chat.ui.app import RasChatApp


def _rich_pretty_without_attrs() -> None:
    """Load `rich.pretty` (which Textual's RichLog, the chat log, imports) without the `attrs`
    package. rich.pretty imports attrs, when installed, only to pretty-print attrs classes,
    which nothing here shows; importing it costs 15-30 ms of the first screen
    (scripts/bench_startup.py). A missing entry in `sys.modules` makes that one import fail
    as if attrs were not installed; the entry is removed at once, so anything that imports
    attrs later gets it as usual. Nothing is done when either is already loaded."""
    if "rich.pretty" in sys.modules or "attr" in sys.modules:
        return
    sys.modules["attr"] = None  # type: ignore[assignment]  # None in sys.modules: "not importable"
    try:
        import rich.pretty  # noqa: F401
    finally:
        del sys.modules["attr"]


_rich_pretty_without_attrs()


def make_app(*args: Any, **kwargs: Any) -> RasChatApp:
    """See `ras_chat.ui.app.make_app` (imported lazily so `import ras_chat.ui` stays cheap)."""
    from ras_chat.ui.app import make_app as _make_app

    return _make_app(*args, **kwargs)


__all__ = ["make_app"]
