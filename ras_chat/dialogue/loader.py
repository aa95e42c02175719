"""Find, read and strictly check a dialogue file.

Errors are `DataFileError`s naming file, line and key, as for policy files. Every
condition, action and choice provider a file names must be in the registry.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ras.policy.yamlio import DataFileError, YamlDoc, loc_text, read_yaml
from ras_chat.dialogue import registry
from ras_chat.dialogue.clean import clean_text, has_unsafe
from ras_chat.dialogue.schema import DialogueFile, StateSpec

DEFAULT_DIALOGUE = "assessment"


def builtin_dialogues() -> dict[str, Path]:
    folder = resources.files("dialogues")
    return {
        Path(str(e)).stem: Path(str(e))
        for e in folder.iterdir()
        if str(e).endswith((".yaml", ".yml")) and not str(e).endswith((".examples.yaml", ".examples.yml"))
    }
    # x.examples.yaml is the examples file beside dialogue x (docs/understanding.md), not a dialogue


def resolve_dialogue(name_or_path: str | Path) -> Path:
    text = str(name_or_path)
    shipped = builtin_dialogues()
    if text in shipped:
        return shipped[text]
    path = Path(text)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    raise DataFileError(text, f"no such dialogue: give a file path or one of: {', '.join(sorted(shipped))}")


class Dialogue:
    """A checked dialogue: the spec, plus where each key is in its file."""

    def __init__(self, doc: YamlDoc, spec: DialogueFile):
        self.path = doc.path
        self.spec = spec
        self.doc = doc
        self.id = spec.dialogue.id

    @property
    def states(self) -> dict[str, StateSpec]:
        return self.spec.states

    @property
    def start(self) -> str:
        return self.spec.dialogue.start

    @functools.cached_property
    def setters(self) -> dict[str, str]:
        """Field pattern -> the state whose answer sets it (the first, when `dialogue check`
        has not been run on a file where two questions set one field)."""
        out: dict[str, str] = {}
        for name, state in self.states.items():
            if state.sets is not None:
                out.setdefault(state.sets, name)
        return out

    def setter(self, pattern: str) -> str | None:
        """The state that sets `pattern` (`areas.{area}.need`), or None when none does."""
        return self.setters.get(pattern)

    def line_of(self, *loc: object) -> int | None:
        return self.doc.line_of(loc)

    def __repr__(self) -> str:
        return f"Dialogue({self.id!r}, {str(self.path)!r})"


def _plain(err: Mapping[str, Any]) -> str:
    if err.get("type") == "extra_forbidden":
        return "unknown key (misspelt, or in the wrong place?)"
    if err.get("type") == "missing":
        return "this key is required but missing"
    msg = err.get("msg", "not valid")
    msg = msg.removeprefix("Value error, ")
    return msg[0].lower() + msg[1:] if msg else "not valid"


def check_names(doc: YamlDoc, spec: DialogueFile) -> None:
    """Cross-references: states named exist; callbacks named are in the registry."""

    def fail(loc: tuple, message: str) -> None:
        raise DataFileError(doc.path, message, line=doc.line_of(loc), key=loc_text(loc))

    if spec.dialogue.start not in spec.states:
        fail(("dialogue", "start"), f"`{spec.dialogue.start}` is not a state")
    for name, state in spec.states.items():
        if state.kind != "end" and not state.routes():
            fail(("states", name), "this state goes nowhere: add `next` or `transitions`")
        if state.next is not None and state.next not in spec.states:
            fail(("states", name, "next"), f"`{state.next}` is not a state")
        for i, t in enumerate(state.transitions):
            if t.to not in spec.states:
                fail(("states", name, "transitions", i, "to"), f"`{t.to}` is not a state")
            for field, table in (("when", registry.CONDITIONS), ("unless", registry.CONDITIONS), ("do", registry.ACTIONS)):
                for cb in getattr(t, field):
                    if cb not in table:
                        fail(
                            ("states", name, "transitions", i, field),
                            f"unknown {'action' if field == 'do' else 'condition'} `{cb}` "
                            f"(known: {', '.join(sorted(table))})",
                        )
        if not isinstance(state.prompt, (str, type(None))):
            for i, variant in enumerate(state.prompt):
                for cb in variant.when:
                    if cb not in registry.CONDITIONS:
                        fail(("states", name, "prompt", i, "when"), f"unknown condition `{cb}`")
        if state.choices_from is not None and state.choices_from not in registry.CHOICES:
            fail(
                ("states", name, "choices_from"),
                f"unknown choice list `{state.choices_from}` (known: {', '.join(sorted(registry.CHOICES))})",
            )
        for cleared in state.clears:
            if cleared not in spec.states:
                fail(("states", name, "clears"), f"`{cleared}` is not a state")


def check_safe_text(doc: YamlDoc, data: object, loc: tuple = ()) -> None:
    """No string in a dialogue file may carry a control character or a terminal escape
    (YAML's "\\e" or "\\x1b" in double quotes makes one): the assistant's words are shown
    on a worker's terminal as they are. Newline and tab are fine."""
    if isinstance(data, dict):
        for k, v in data.items():
            check_safe_text(doc, k, loc)
            check_safe_text(doc, v, (*loc, k))
    elif isinstance(data, (list, tuple)):
        for i, v in enumerate(data):
            check_safe_text(doc, v, (*loc, i))
    elif isinstance(data, str) and has_unsafe(data):
        bad = next((c for c in data if clean_text(c) != c), "?")
        raise DataFileError(
            doc.path,
            f"a control character or terminal escape (U+{ord(bad):04X}) is in this text; remove it",
            line=doc.line_of(loc),
            key=loc_text(loc) or None,
        )


def parse(doc: YamlDoc) -> DialogueFile:
    if not isinstance(doc.data, dict):
        raise DataFileError(doc.path, "a dialogue file must be a mapping (dialogue, commands, texts, states, ...)", line=1)
    check_safe_text(doc, doc.data)
    try:
        spec = DialogueFile.model_validate(doc.data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and (p.startswith("function-") or p in ("str", "tuple[PromptVariant, ...]"))))
        raise DataFileError(doc.path, _plain(err), line=doc.line_of(loc), key=loc_text(loc) or None) from None
    check_names(doc, spec)
    return spec


@functools.lru_cache(maxsize=16)
def _load(path: str, mtime_ns: int) -> Dialogue:
    try:
        doc = read_yaml(path)
    except ArithmeticError:  # `.nan` / `.inf` reach Decimal in ras.policy.yamlio (found by fuzzing)
        raise DataFileError(path, "a value is not a number YAML can read as money (.nan or .inf?)") from None
    return Dialogue(doc, parse(doc))


DIALOGUE_ENV = "RAS_CHAT_DIALOGUE"
"""A council's own dialogue file, used wherever the shipped `assessment` would be."""


def load_dialogue(name_or_path: str | Path = DEFAULT_DIALOGUE) -> Dialogue:
    """Load a shipped dialogue by name or a council's file by path. Strict: raises DataFileError.

    `RAS_CHAT_DIALOGUE=FILE` replaces the shipped `assessment` for every command."""
    if str(name_or_path) == DEFAULT_DIALOGUE and os.environ.get(DIALOGUE_ENV):
        name_or_path = os.environ[DIALOGUE_ENV]
    path = resolve_dialogue(name_or_path)
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        raise DataFileError(path, "file not found") from None
    return _load(str(path), mtime)
