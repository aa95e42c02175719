"""A message catalogue: the sentences a person reads, kept as data, one file per language.

A catalogue is a YAML file of nested keys; each leaf is a text, or a list of texts, with
`{name}` placeholders filled by `say(key, name=...)`. The engine's own words (how an
amount was worked out, why someone is or is not eligible) are in `ras/messages.en.yaml`
(`engine_messages()`); ras-chat keeps its words in `dialogues/messages.en.yaml` with this
same class. `ras-chat dialogue check` holds every text to the plain-English rules, and
`ras-chat dialogue text --where` prints each with its key.

The engine stays pure: this module reads a file and formats strings, nothing more.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ras.policy.yamlio import DataFileError, YamlDoc, read_yaml

HERE = Path(__file__).resolve().parent
LANGUAGES = ("en",)


@dataclass(frozen=True)
class Catalogue:
    path: Path
    language: str
    texts: dict[str, str | tuple[str, ...]]
    """Every text by its dotted key (`engine.total`), as in the file."""
    doc: YamlDoc

    @classmethod
    def read(cls, path: str | Path, language: str = "en") -> Catalogue:
        """Read a catalogue file. Raises DataFileError for anything but nested keys with
        texts (or lists of texts) at the leaves."""
        doc = read_yaml(path)
        texts: dict[str, str | tuple[str, ...]] = {}

        def walk(node: Any, prefix: tuple[str, ...]) -> None:
            if isinstance(node, dict):
                for key, value in node.items():
                    walk(value, (*prefix, str(key)))
            elif isinstance(node, str):
                texts[".".join(prefix)] = node
            elif isinstance(node, list) and all(isinstance(t, str) for t in node):
                texts[".".join(prefix)] = tuple(node)
            else:
                raise DataFileError(doc.path, "each message must be a text or a list of texts", line=doc.line_of(prefix), key=".".join(prefix))

        if not isinstance(doc.data, dict):
            raise DataFileError(doc.path, "a message catalogue is a mapping of keys to texts")
        walk(doc.data, ())
        return cls(Path(doc.path), language, texts, doc)

    def text(self, key: str) -> str | tuple[str, ...]:
        try:
            return self.texts[key]
        except KeyError:
            raise KeyError(f"{self.path.name}: no message `{key}`") from None

    def say(self, key: str, **values: Any) -> str:
        """The text at `key` with its placeholders filled in."""
        text = self.text(key)
        if not isinstance(text, str):
            raise TypeError(f"{self.path.name}: `{key}` is a list of texts: use lines()")
        return text.format(**values)

    def lines(self, key: str, **values: Any) -> list[str]:
        """The list of texts at `key` (a single text as a list of one), filled in."""
        text = self.text(key)
        return [t.format(**values) for t in ((text,) if isinstance(text, str) else text)]

    def items(self) -> Iterator[tuple[str, str]]:
        """(key, text) for every text; a list's texts as `key.0`, `key.1`, ..."""
        for key, text in self.texts.items():
            if isinstance(text, str):
                yield key, text
            else:
                for i, t in enumerate(text):
                    yield f"{key}.{i}", t

    def line_of(self, key: str) -> int | None:
        return self.doc.line_of(int(p) if p.isdigit() else p for p in key.split("."))


def placeholders(text: str) -> list[str]:
    """The `{names}` in a text (raises ValueError for broken braces)."""
    return [f for _lit, f, _spec, _conv in string.Formatter().parse(text) if f is not None]


@functools.lru_cache(maxsize=4)
def engine_messages(language: str = "en") -> Catalogue:
    """The engine's words for a person (`ras/messages.LANG.yaml`)."""
    return Catalogue.read(HERE / f"messages.{language}.yaml", language)


def say(key: str, **values: Any) -> str:
    """An engine text, in English (the only language so far)."""
    return engine_messages().say(key, **values)
