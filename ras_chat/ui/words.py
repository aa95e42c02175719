"""The app's own words for a person, from the message catalogue (`dialogues/messages.en.yaml`,
sections `screen` and `result`), where `ras-chat dialogue check` holds them to the plain
English rules and `ras-chat dialogue text --where` lists them.

The first screen is drawn before the catalogue's reader (and the engine under it) is
loaded (issue 18). So the answer bar's words (`FIRST_SCREEN`) are kept with the first
screen in the cache (`ras_chat/ui/first.py`) and given here with `preset()`; any other word,
or any word when nothing was preset, is read from the catalogue the first time it is asked
for. The cache key includes the catalogue's bytes, so a changed word is never stale.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FIRST_SCREEN = (
    "screen.send",
    "screen.send_choices",
    "screen.hint_type",
    "screen.hint_tick",
    "screen.hint_pick",
    "screen.placeholder",
)
"""The words the answer bar shows with the first question."""

_preset: dict[str, str] = {}


def preset(words: Mapping[str, str]) -> None:
    """Words kept with the first screen (only keys of `FIRST_SCREEN`)."""
    _preset.update({k: v for k, v in words.items() if k in FIRST_SCREEN})


def word(key: str, **values: Any) -> str:
    """The catalogue's text for `key`, with `values` filled in."""
    if not values and key in _preset:
        return _preset[key]
    from ras_chat.dialogue.catalogue import say

    return say(key, **values)


def first_screen_words() -> dict[str, str]:
    """The answer bar's words, to keep with the first screen."""
    from ras_chat.dialogue.catalogue import say

    return {key: say(key) for key in FIRST_SCREEN}
