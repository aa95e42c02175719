"""A cache of what start-up works out from files, keyed by the files' contents.

Two things are kept, in the user cache folder (`platformdirs.user_cache_dir("ras-chat")`,
or `RAS_CHAT_CACHE_DIR`, as the command's settings say; tests point it at a temporary folder):

- the parsed and validated dialogue and policy (`install()` wraps the two loaders, so
  every `load_dialogue` / `load_policy` in this process reads from it);
- small JSON entries the app uses to draw its first screen before anything heavy is
  loaded (`read_json` / `write_json`; see `ras_chat/ui/first.py`).

Each entry is named by what it is for and stamped with a key: a SHA-256 over the source
file's bytes and over the code that reads it (the loaders, the models, this module, the
Python and pydantic versions). A changed file or changed code gives a different key, so
the old entry is never used. Every entry also carries a checksum of its own bytes: a
damaged or cut-short entry is ignored and written again. Nothing here is ever required:
when the folder cannot be read or written, things are loaded from the files as usual.

A file that fails its checks raises as before and is never cached.
"""

from __future__ import annotations

import functools
import json
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

try:  # the same SHA-256 without loading OpenSSL (hashlib's first choice, about 15 ms at start-up)
    from _sha256 import sha256  # type: ignore[import-not-found]  # CPython's own module: typeshed has no stub for it
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import sha256

CACHE_ENV = "RAS_CHAT_CACHE_DIR"
FORMAT = b"ras-chat-cache/1\n"
"""The first line of every entry; change it when the layout below changes."""

_ROOT = Path(__file__).resolve().parent
_CODE_FOLDERS = (
    _ROOT / "dialogue",  # the dialogue loader, schema, session and its registry
    _ROOT.parent / "ras" / "policy",  # the policy loader and model
)
_CODE_FILES = (_ROOT.parent / "ras" / "models.py", Path(__file__).resolve())


def cache_dir(chosen: str | None = None) -> Path:
    """Where entries are kept: `chosen`, else the command's `RAS_CHAT_CACHE_DIR`
    (`ras_chat.environment`), else the user cache folder."""
    if chosen is None:
        from ras_chat.environment import quick

        chosen = quick().cache_dir
    if chosen:
        return Path(chosen)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("ras-chat", appauthor=False))


@functools.lru_cache(maxsize=1)
def code_key() -> bytes:
    """A digest of the code that turns files into what is cached (so a new version of
    the program never reads an entry an older one wrote)."""
    from pydantic.version import VERSION  # the pickled models are pydantic's

    h = sha256(FORMAT)
    h.update(sys.version.encode())
    h.update(VERSION.encode())
    for f in code_files():
        h.update(str(f.relative_to(_ROOT.parent)).encode())
        h.update(f.read_bytes())
    return h.digest()


def code_files() -> list[Path]:
    files: list[Path] = []
    for folder in _CODE_FOLDERS:
        files += sorted(folder.rglob("*.py")) if folder.is_dir() else []
    return files + [f for f in _CODE_FILES if f.is_file()]


def code_stamp(*more: Path) -> bytes:
    """A quick mark of the same code (and of `more` files) by size and modification time,
    for a key needed before anything is loaded (the app's first screen, which is checked
    against the session anyway)."""
    h = sha256(FORMAT)
    h.update(sys.version.encode())
    for f in [*code_files(), *more]:
        st = f.stat()
        h.update(f"{f}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.digest()


def key_of(*parts: bytes | str, code: bytes | None = None) -> str:
    """The key for an entry made from `parts` (file contents, names) by the code now
    running (`code_key()` unless another mark of the code is given)."""
    h = sha256(code_key() if code is None else code)
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _entry(kind: str, name: str) -> Path:
    label = sha256(name.encode()).hexdigest()[:24]
    return cache_dir() / f"{kind}-{label}.cache"


def read_bytes(kind: str, name: str, key: str) -> bytes | None:
    """The payload stored for (`kind`, `name`) if it was stored under `key` and is whole."""
    try:
        raw = _entry(kind, name).read_bytes()
    except OSError:
        return None
    head, _, rest = raw.partition(b"\n")
    stamp, _, rest = rest.partition(b"\n")
    digest, _, payload = rest.partition(b"\n")
    if head + b"\n" != FORMAT or stamp != key.encode():
        return None  # another version of the file or the code: rebuild
    if sha256(payload).hexdigest().encode() != digest:
        return None  # damaged or cut short
    return payload


def write_bytes(kind: str, name: str, key: str, payload: bytes) -> bool:
    """Store `payload` for (`kind`, `name`) under `key`, whole or not at all (a new file
    moved into place). False when the cache folder cannot be written."""
    path = _entry(kind, name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".cache")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(FORMAT + key.encode() + b"\n" + sha256(payload).hexdigest().encode() + b"\n" + payload)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True


def read_json(kind: str, name: str, key: str) -> Any | None:
    payload = read_bytes(kind, name, key)
    if payload is None:
        return None
    try:
        return json.loads(payload)
    except ValueError:
        return None


def write_json(kind: str, name: str, key: str, value: Any) -> bool:
    return write_bytes(kind, name, key, json.dumps(value, ensure_ascii=False).encode())


# ----- the loaders --------------------------------------------------------------------


def disk_cached(kind: str, load: Callable[[str, int], Any], expected: type) -> Callable[[str, int], Any]:
    """`load(path, mtime_ns)` (a loader's own `_load`), remembered on disk by the file's
    contents. What comes back from the cache must be an `expected`, or it is rebuilt."""

    @functools.lru_cache(maxsize=32)
    def cached(path: str, mtime_ns: int) -> Any:
        try:
            data = Path(path).read_bytes()
        except OSError:
            return load(path, mtime_ns)  # the loader says what is wrong
        key = key_of(kind, data)
        payload = read_bytes(kind, path, key)
        if payload is not None:
            try:
                found = pickle.loads(payload)
            except Exception:
                found = None
            if isinstance(found, expected):
                return found
        value = load(path, mtime_ns)  # raises for a bad file: nothing is cached
        try:
            same = Path(path).read_bytes() == data  # not changed while it was read
            if same:
                write_bytes(kind, path, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            pass
        return value

    setattr(cached, "__wrapped__", load)  # noqa: B010  # the loaders' usual name for the function wrapped
    setattr(cached, "ras_chat_cached", True)  # noqa: B010
    return cached


def install() -> None:
    """Read the dialogue and policy through the cache from now on (this process). The
    loaders are not edited: their private `_load(path, mtime_ns)` is wrapped once."""
    from ras.policy import loader as policy_loader
    from ras_chat.dialogue import loader as dialogue_loader

    for module, kind, expected in (
        (dialogue_loader, "dialogue", dialogue_loader.Dialogue),
        (policy_loader, "policy", policy_loader.Policy),
    ):
        current = getattr(module, "_load")  # noqa: B009  # each loader's private, module-level `_load`
        if not getattr(current, "ras_chat_cached", False):
            setattr(module, "_load", disk_cached(kind, current, expected))  # noqa: B010


def uninstall() -> None:
    """Back to the loaders as they were (tests)."""
    from ras.policy import loader as policy_loader
    from ras_chat.dialogue import loader as dialogue_loader

    for module in (dialogue_loader, policy_loader):
        current = getattr(module, "_load")  # noqa: B009
        if getattr(current, "ras_chat_cached", False):
            setattr(module, "_load", current.__wrapped__)  # noqa: B010
