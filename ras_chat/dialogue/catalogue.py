"""ras-chat's own words for a person, outside the dialogue file: the letter, the progress
line, the plain mode's last lines, the web pages' fallbacks. One file per language,
`dialogues/messages.LANG.yaml`, read with the engine's `ras.messages.Catalogue`;
`ras-chat dialogue check` holds them to the same rules as the dialogue, and
`ras-chat dialogue text --where` prints them with their keys."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Any

from ras.messages import Catalogue, engine_messages

__all__ = ["Catalogue", "catalogues", "lines", "messages", "say"]


@functools.lru_cache(maxsize=4)
def messages(language: str = "en") -> Catalogue:
    """`dialogues/messages.LANG.yaml`."""
    return Catalogue.read(Path(str(resources.files("dialogues") / f"messages.{language}.yaml")), language)


def catalogues(language: str = "en") -> list[Catalogue]:
    """Every catalogue a person's words come from: ras-chat's and the engine's."""
    return [messages(language), engine_messages(language)]


def say(key: str, **values: Any) -> str:
    return messages().say(key, **values)


def lines(key: str, **values: Any) -> list[str]:
    return messages().lines(key, **values)
