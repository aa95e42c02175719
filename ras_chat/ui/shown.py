"""What the screens need of a message: the session's `Message` and the first screen's
`ShownMessage` (drawn from the cache before the session is loaded) both fit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class ShownChoice(Protocol):
    @property
    def number(self) -> int: ...

    @property
    def label(self) -> str: ...


class Said(Protocol):
    """A message on screen: who said it, its words and kind, and a question's choices."""

    @property
    def role(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def state(self) -> str | None: ...

    @property
    def choices(self) -> Sequence[ShownChoice]: ...

    @property
    def multiple(self) -> bool: ...
