"""The settings of the running command, given to the layers below it.

A command reads its settings once, at its start, and runs inside `using(...)`: while it
runs, `current()` is that one `ras_chat.settings.Settings` object, and `quick()` the few
values the first screen needs. Code below the commands (the dialogue, the store, the
exports, the cache, the app) asks these two for a default it was not given; it never
reads `os.environ` itself (`tests/test_settings.py` reads the code to make sure).

`quick()` is here, with the standard library only, because a conversation draws its first
screen before pydantic is loaded (issue 18: pydantic-settings alone takes longer to import
than the whole first screen). It reads the same variables as `Settings`, with the same
defaults (a test compares the two). Called outside a command (a library call, a test), both
read the environment as it is now.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ras_chat.settings import Settings

PREFIX = "RAS_CHAT_"


@dataclass(frozen=True)
class Quick:
    """What the first screen needs, before anything heavy is loaded (empty counts as unset)."""

    policy: str = "example"
    dialogue: str | None = None
    theme: str = "default"
    cache_dir: str | None = None
    term: str = ""

    @classmethod
    def of(cls, settings: Settings) -> Quick:
        return cls(**{f.name: getattr(settings, f.name) for f in fields(cls)})

    def dialogue_name(self) -> str:
        return self.dialogue or "assessment"


def read_quick() -> Quick:
    """`Quick` from the environment now."""
    values: dict[str, str] = {}
    for f in fields(Quick):
        name = "TERM" if f.name == "term" else PREFIX + f.name.upper()
        value = os.environ.get(name, "")
        if value:
            values[f.name] = value
    return Quick(
        policy=values.get("policy", Quick.policy),
        dialogue=values.get("dialogue"),
        theme=values.get("theme", Quick.theme),
        cache_dir=values.get("cache_dir"),
        term=values.get("term", Quick.term),
    )


_settings: Settings | None = None
_quick: Quick | None = None
_active = False


@contextlib.contextmanager
def using(settings: Settings | Quick) -> Iterator[None]:
    """Run a command with these settings (read once at its start). With a Quick (the
    conversation's fast start) the full Settings are read the first time they are asked for."""
    global _settings, _quick, _active
    before = (_settings, _quick, _active)
    if isinstance(settings, Quick):
        _settings, _quick = None, settings
    else:
        _settings, _quick = settings, Quick.of(settings)
    _active = True
    try:
        yield
    finally:
        _settings, _quick, _active = before


def current() -> Settings:
    """The command's settings (read once); outside a command, the environment now."""
    global _settings
    if _settings is not None:
        return _settings
    from ras_chat.settings import read

    settings = read()
    if _active:
        _settings = settings
    return settings


def quick() -> Quick:
    """The first screen's settings, without loading pydantic."""
    if _quick is not None:
        return _quick
    return read_quick()
