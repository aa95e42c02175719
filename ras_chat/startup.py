"""Start-up speed: the garbage collector waits until the first question is on screen, and
the understanding model is loaded in the background (`warm_understanding`).

Importing Textual, pydantic and the engine makes hundreds of thousands of objects, and
the collector would walk them again and again while they load (about 0.1 s of the
start-up, measured with `scripts/bench_startup.py`). `ras-chat` pauses it on entry;
it comes back as soon as the app shows its first question (with everything loaded so
far frozen: never walked again, since it lives for the whole run), before any other
command or the plain mode runs, or when `main` ends, whichever is first. Long sessions
are collected as usual.
"""

from __future__ import annotations

import gc
from typing import Any

_paused = False


def pause_collector() -> None:
    """Stop collecting until `resume_collector` (no effect if it was already off)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_collector(*, freeze: bool = False) -> None:
    """Collect as usual again (only if `pause_collector` stopped it).

    `freeze=True` first moves everything alive now into the permanent generation: for the
    app, whose modules, styles and widgets live as long as the process.
    """
    global _paused
    if _paused:
        _paused = False
        if freeze:
            gc.freeze()
        gc.enable()


def warm_understanding(session: Any) -> None:
    """Train (or read from the cache) the understanding models of the session's dialogue
    (`ras_chat.dialogue.understand`) before the first typed answer needs them. The app runs
    this in a background thread once the first question can be answered."""
    from ras_chat.dialogue.reading import understanding

    understanding(session).warm()
