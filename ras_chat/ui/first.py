"""The first screen of a new conversation, drawn before the heavy parts are loaded.

The welcome and the first question of a new session are the same every time for the
same dialogue file, policy file and code. After a start-up the app keeps what the
session said (its words, the question's choices and the progress line) in the cache
(`ras_chat.cache`), keyed by those files' bytes and that code. The next start reads it
back with nothing but the standard library and draws it at once; the session itself
(pydantic, the engine, the policy, the store) is built in a background thread. When it
is ready the app compares the session's real opening with what is on screen and draws
the real one if they differ; answers given meanwhile wait, in order, and are sent then.

Only what the session said is kept: nothing here works out a question.

The app's styles are kept too (`read_styles` / `keep_styles`): Textual parses every
stylesheet of the first screen (ours and its widgets' own) on every start, which is a
good part of the time to the first question. What it parsed is kept, keyed by the
theme's colours and Textual's stylesheet code, and handed back to Textual's own
parse cache on the next start; each parsed sheet is found there by its own full text, so
a changed sheet is parsed again as usual.
"""

from __future__ import annotations

import argparse
import importlib.util
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ras_chat import cache
from ras_chat.environment import quick
from ras_chat.ui.words import first_screen_words  # standard library only: the catalogue loads when called

if TYPE_CHECKING:
    from ras_chat.dialogue.session import Message

KIND = "first-screen"
STYLES = "styles"


class ShownChoice(NamedTuple):
    number: int
    label: str


class ShownMessage(NamedTuple):
    """A message as the screen needs it (the session's `Message` has more)."""

    role: str
    text: str
    kind: str = "say"
    state: str | None = None
    choices: tuple[ShownChoice, ...] = ()
    multiple: bool = False


class FirstScreen(NamedTuple):
    """What a new session shows first: its opening messages, the question and the
    progress line. `key` says which files and code it belongs to. (Named tuples, not
    dataclasses: made at every start, before the first screen, and a dataclass takes
    far longer to define.)"""

    key: str
    messages: tuple[ShownMessage, ...]
    question: ShownMessage | None
    progress: str
    words: tuple[tuple[str, str], ...] = ()
    """The answer bar's words from the message catalogue (`ras_chat.ui.words.FIRST_SCREEN`)."""

    def matches(self, messages: Sequence[Message], question: Message | None, progress: str) -> bool:
        """True when the session's real opening is what this screen shows."""
        return self == from_session(self.key, messages, question, progress)

    def dump(self) -> dict[str, Any]:
        return {
            "messages": [_dump_message(m) for m in self.messages],
            "question": _dump_message(self.question) if self.question else None,
            "progress": self.progress,
            "words": dict(self.words),
        }


def _dump_message(m: ShownMessage) -> dict[str, Any]:
    return {
        "role": m.role,
        "text": m.text,
        "kind": m.kind,
        "state": m.state,
        "choices": [[c.number, c.label] for c in m.choices],
        "multiple": m.multiple,
    }


def _load_message(d: dict[str, Any]) -> ShownMessage:
    return ShownMessage(
        role=str(d["role"]),
        text=str(d["text"]),
        kind=str(d["kind"]),
        state=d.get("state"),
        choices=tuple(ShownChoice(int(n), str(label)) for n, label in d.get("choices", [])),
        multiple=bool(d.get("multiple", False)),
    )


def _shown(m: Any) -> ShownMessage:
    return ShownMessage(
        role=m.role,
        text=m.text,
        kind=m.kind,
        state=m.state,
        choices=tuple(ShownChoice(c.number, c.label) for c in (m.choices or ())),
        multiple=bool(m.multiple),
    )


def from_session(key: str, messages: Sequence[Message], question: Message | None, progress: str) -> FirstScreen:
    return FirstScreen(
        key=key,
        messages=tuple(_shown(m) for m in messages if m.text),
        question=_shown(question) if question is not None else None,
        progress=progress,
        words=tuple(sorted(first_screen_words().items())),
    )


# ----- which files a new session reads -------------------------------------------------


def _package_folder(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)  # finds, does not import
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _shipped_or_path(name: str, folder: Path | None) -> Path:
    if folder is not None:
        for suffix in (".yaml", ".yml"):
            shipped = folder / f"{name}{suffix}"
            if shipped.is_file():
                return shipped
    return Path(name)


def screen_key(args: argparse.Namespace) -> str | None:
    """The key of the first screen for a new session started with `args`: the dialogue
    and policy files' bytes, the names given, and the code (`ras_chat.cache.key_of`).
    None when a file cannot be read (the slow path then says what is wrong)."""
    settings = quick()  # the command's (ras_chat.environment), without loading pydantic
    policy = getattr(args, "policy", None) or settings.policy
    dialogue = settings.dialogue_name()
    ras_folder = _package_folder("ras")
    try:
        dialogues = _package_folder("dialogues")
        dialogue_bytes = _shipped_or_path(dialogue, dialogues).read_bytes()
        words_bytes = (dialogues / "messages.en.yaml").read_bytes() if dialogues else b""  # the answer bar's words
        policy_bytes = _shipped_or_path(policy, ras_folder / "policies" if ras_folder else None).read_bytes()
        here = Path(__file__).resolve()
        code = cache.code_stamp(here, here.parent / "app.py")  # and this module and the app's start
    except OSError:
        return None
    return cache.key_of(KIND, policy, dialogue, dialogue_bytes, policy_bytes, words_bytes, code=code)


def read_first_screen(args: argparse.Namespace, key: str | None = None) -> FirstScreen | None:
    """The first screen kept for a new session with `args` (whose `screen_key` is `key`,
    worked out here when not given), or None (a resumed session, nothing kept yet, or
    kept for other files or code)."""
    if getattr(args, "resume", None):
        return None
    key = key or screen_key(args)
    if key is None:
        return None
    data = cache.read_json(KIND, "new-session", key)
    if not isinstance(data, dict):
        return None
    try:
        return FirstScreen(
            key=key,
            messages=tuple(_load_message(m) for m in data["messages"]),
            question=_load_message(data["question"]) if data.get("question") else None,
            progress=str(data["progress"]),
            words=tuple(sorted((str(k), str(v)) for k, v in data["words"].items())),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def keep_first_screen(screen: FirstScreen) -> bool:
    """Keep `screen` for the next start (False when the cache folder cannot be written)."""
    return cache.write_json(KIND, "new-session", screen.key, screen.dump())


# ----- the styles Textual parsed -------------------------------------------------------

_TEXTUAL_CSS = ("parse.py", "tokenize.py", "tokenizer.py", "model.py", "styles.py", "_styles_builder.py", "stylesheet.py")
"""Textual's stylesheet code: what it makes of a sheet (part of the key)."""


def _styles_key(variables: dict[str, str]) -> str | None:
    """The key of the parsed styles for the theme's `variables` (its colours, which are
    written into the parsed rules) and this Textual and Python; None when Textual's
    code cannot be found."""
    css = _package_folder("textual.css")
    if css is None:
        return None
    stamp = [sys.version]
    try:
        for f in (Path(__file__), *(css / name for name in _TEXTUAL_CSS)):
            st = f.stat()
            stamp.append(f"{f}:{st.st_size}:{st.st_mtime_ns}")
    except OSError:
        return None
    return cache.key_of(STYLES, repr(sorted(variables.items())), code="\n".join(stamp).encode())


def _parse_cache(stylesheet: Any) -> Any:
    """Textual's own cache of parsed sheets on `stylesheet` (a private part of Textual: None
    when a version of Textual does not have it, and nothing is kept then)."""
    found = getattr(stylesheet, "_parse_cache", None)
    variables = getattr(stylesheet, "_variables", None)
    if found is None or not isinstance(variables, dict) or not all(hasattr(found, m) for m in ("keys", "get", "set")):
        return None
    return found


def read_styles(stylesheet: Any) -> frozenset[tuple]:
    """Put the styles kept by the last start into `stylesheet`'s parse cache (before
    anything is parsed); the sheets put there (none when nothing fits)."""
    parsed = _parse_cache(stylesheet)
    if parsed is None:
        return frozenset()
    key = _styles_key(stylesheet._variables)
    payload = cache.read_bytes(STYLES, "textual", key) if key else None
    if payload is None:
        return frozenset()
    try:
        kept = pickle.loads(payload)
        from textual.css.model import RuleSet

        entries = [
            (k, v)
            for k, v in kept.items()
            if isinstance(k, tuple) and isinstance(v, list) and all(isinstance(r, RuleSet) for r in v)
        ]
    except Exception:  # damaged or from another version: parsed as usual, kept again
        return frozenset()
    entries = entries[: max(0, parsed.maxsize - len(parsed))]
    for k, v in entries:
        parsed.set(k, v)
    return frozenset(k for k, _ in entries)


def keep_styles(stylesheet: Any, read: frozenset[tuple] = frozenset()) -> frozenset[tuple] | None:
    """Keep what `stylesheet` has parsed so far for the next start, unless it is only what
    was `read` (or kept) already at this start: the sheets kept, or None when nothing was
    written."""
    parsed = _parse_cache(stylesheet)
    if parsed is None:
        return None
    try:
        # every sheet as Textual will next parse it (a class met again may have changed a
        # sheet's order without parsing it again yet)
        for read_from, (css, is_default, tie_breaker, scope) in list(stylesheet.source.items()):
            stylesheet._parse_rules(css, read_from, is_default, tie_breaker, scope)
    except Exception:  # a sheet with an error: Textual says so itself; nothing is kept
        return None
    now = {}
    for k in list(parsed.keys()):
        value = parsed.get(k)
        # a sheet read from a file or a class (never one named by its hash, which is new in every process)
        if value is not None and isinstance(k, tuple) and len(k) > 1 and isinstance(k[1], tuple) and k[1][0]:
            now[k] = value
    if not now or set(now) <= read:
        return None
    key = _styles_key(stylesheet._variables)
    if key is None:
        return None
    try:
        data = pickle.dumps(now, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    return frozenset(now) if cache.write_bytes(STYLES, "textual", key, data) else None
