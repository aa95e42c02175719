"""The Textual app over the headless dialogue session.

`make_app(session, ...)` builds the app for the command line, the browser (`ras-chat
serve`) and the tests alike; `run_app(args)` is the terminal entry point. The UI computes
nothing: widgets post messages (`AnswerSubmitted`, ...), the app calls the session and
renders its state. Nothing here is imported by `ras_chat.dialogue` or `ras`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ras_chat.ui.app import RasChatApp


def make_app(*args: Any, **kwargs: Any) -> RasChatApp:
    """See `ras_chat.ui.app.make_app` (imported lazily so `import ras_chat.ui` stays cheap)."""
    from ras_chat.ui.app import make_app as _make_app

    return _make_app(*args, **kwargs)


__all__ = ["make_app"]
