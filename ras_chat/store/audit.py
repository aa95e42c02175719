"""The audit trail and the case record's seals: two append-only hash chains, and a head kept apart.

- `audit`: the worker's changes (who, when, what, why). An entry's hash is SHA-256 over
  the canonical JSON of its fields and the previous hash.
- `seals`: one entry for every saved turn, every review change and the sign-off, in the
  same transaction as the change. Its `content` holds content hashes of the session's
  stored JSON as it stands after the change (the answers, the rest of the snapshot, the
  record, the result, the summary columns), its status and agreed amount, and the hash of
  the messages that turn added; a review entry also holds the audit entry's seq and hash.
  So an edit to any stored row, not only to the log, shows up in `ras-chat audit verify`.
- The head: the newest seal's seq and hash, written to a file beside the database (and,
  when a key is configured, with an HMAC of it under a key kept outside the database) with
  every seal, before the commit. A tail cut from the chains leaves a chain that is valid
  but shorter than the head says.

`verify_store` (called by `Store.verify_audit`) recomputes all of it from the rows.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

GENESIS = "0" * 64
HEAD_FORMAT = "ras-audit-head/1"


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(value: Any) -> str | None:
    """SHA-256 of the canonical JSON of a stored value (None stays None)."""
    if value is None:
        return None
    return hashlib.sha256(canonical(value).encode("utf-8", "surrogatepass")).hexdigest()


def entry_hash(seq: int, session_id: str, at: str, who: str, what: str, why: str, prev_hash: str) -> str:
    body = canonical(
        {"seq": seq, "session_id": session_id, "at": at, "who": who, "what": what, "why": why, "prev_hash": prev_hash}
    )
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()


def seal_hash(seq: int, session_id: str, at: str, kind: str, content: str, prev_hash: str) -> str:
    body = canonical(
        {"seq": seq, "session_id": session_id, "at": at, "kind": kind, "content": content, "prev_hash": prev_hash}
    )
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    session_id: str
    at: str
    who: str
    what: dict
    why: str
    prev_hash: str
    hash: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class AuditBreak:
    seq: int
    """The audit entry at fault (0 when the problem is a session's stored data or the head)."""
    problem: str
    session: str | None = None

    def __str__(self) -> str:
        if self.seq:
            return f"entry {self.seq}: {self.problem}"
        if self.session:
            return f"session {self.session}: {self.problem}"
        return self.problem


def check_chain(rows: list[tuple[int, str, str, str, str, str, str, str]]) -> list[AuditBreak]:
    """Rows of (seq, session_id, at, who, what_text, why, prev_hash, hash) in seq order."""
    return _check_links(rows, lambda r: entry_hash(*r[:7]), AuditBreak)


def _check_links(rows: Iterable[tuple], rehash: Callable[[tuple], str], make: Callable[..., AuditBreak]) -> list[AuditBreak]:
    breaks: list[AuditBreak] = []
    prev = GENESIS
    expected_seq = 1
    for row in rows:
        seq, prev_hash, stored = row[0], row[-2], row[-1]
        if seq != expected_seq:
            breaks.append(make(seq, f"entries {expected_seq} to {seq - 1} are missing"))
        if prev_hash != prev:
            breaks.append(make(seq, "does not follow the entry before it (previous hash differs)"))
        if rehash(row) != stored:
            breaks.append(make(seq, "was changed after it was written (hash differs)"))
        prev = stored
        expected_seq = seq + 1
    return breaks


def _seal_break(seq: int, problem: str) -> AuditBreak:
    return AuditBreak(0, f"case record entry {seq} {problem}")


def check_seal_chain(rows: list[tuple]) -> list[AuditBreak]:
    """Rows of (seq, session_id, at, kind, content_text, prev_hash, hash) in seq order."""
    return _check_links(rows, lambda r: seal_hash(*r[:6]), _seal_break)


# ----- the row contents a seal covers ----------------------------------------------------------

SESSION_COLUMNS = (
    "id, created, updated, who, status, policy, state, weekly, message_count, snapshot, record, result, agreed_weekly"
)
MESSAGE_COLUMNS = "seq, role, text, at, kind, body"
PARTS = {
    "answers": "the answers",
    "snapshot": "the conversation's saved state",
    "record": "the assessment record",
    "result": "the result (the amount and how it was worked out)",
    "columns": "the summary columns (times, status, amounts, message count)",
}


def row_digests(row: tuple, json_value: Callable[[Any], Any]) -> dict:
    """Content hashes of one sessions row (in SESSION_COLUMNS order), part by part."""
    sid, created, updated, who, status, policy, state, weekly, count, snapshot, record, result, agreed = row
    body = json_value(snapshot)
    if not isinstance(body, dict):
        body = {"": body}
    rest = {k: v for k, v in body.items() if k != "answers"}
    return {
        "answers": digest(body.get("answers")),
        "snapshot": digest(rest),
        "record": digest(json_value(record)),
        "result": digest(json_value(result)),
        "columns": digest([sid, created, updated, who, status, policy, state, weekly, count, agreed]),
    }


def messages_digest(rows: Iterable[tuple], json_value: Callable[[Any], Any] | None = None) -> str:
    """Hash of message rows (in MESSAGE_COLUMNS order): every column, the body as stored.

    The body is hashed as the JSON text the database holds (PostgreSQL hands it back
    parsed, so it is written out again the way the store wrote it): a message's body is
    never rewritten, and not parsing it keeps `audit verify` quick."""
    h = hashlib.sha256()
    for seq, role, text, at, kind, body in rows:
        if isinstance(body, bytes):
            stored = body
        elif isinstance(body, str):
            stored = body.encode("utf-8", "surrogatepass")
        else:
            stored = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
        # a column that comes back as bytes (a damaged file can turn a text cell into a
        # blob) is hashed as such, so it never matches the seal and shows as a break
        cols = [{"bytes": c.hex()} if isinstance(c, bytes) else c for c in (seq, role, text, at, kind)]
        h.update(canonical(cols).encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
        h.update(hashlib.sha256(stored).digest())
        h.update(b"\n")
    return h.hexdigest()


# ----- the head file ---------------------------------------------------------------------------


def head_mac(key: bytes, count: int, head: str) -> str:
    return hmac.new(key, f"{HEAD_FORMAT}:{count}:{head}".encode(), hashlib.sha256).hexdigest()


HEAD_SIZE = 1024
"""The head file is always this many bytes (padded), so it can be rewritten in place."""


def write_head(path: Path, count: int, head: str, prev_count: int, prev_head: str, key: bytes | None) -> None:
    """Write the head, synced to disk. The previous head is kept too: the file is written
    before the commit, so after a crash between the two the database may still be at the
    previous head, which is fine.

    The first time (or when the file is not one of ours) a new 0600 file is made and
    renamed into place; after that the fixed-size record is rewritten in place with one
    `fdatasync` (a rename would need a second sync of the folder on every save)."""
    record: dict[str, Any] = {"format": HEAD_FORMAT, "count": count, "hash": head, "previous": {"count": prev_count, "hash": prev_head}}
    if key is not None:
        record["mac"] = head_mac(key, count, head)
        record["previous"]["mac"] = head_mac(key, prev_count, prev_head)
    text = json.dumps(record, separators=(",", ":")).encode()
    data = text + b" " * (HEAD_SIZE - 1 - len(text)) + b"\n"
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISREG(st.st_mode) and st.st_size == HEAD_SIZE and stat.S_IMODE(st.st_mode) == 0o600:
        fd = os.open(path, os.O_WRONLY | nofollow)
        try:
            os.pwrite(fd, data, 0)
            os.fdatasync(fd)
        finally:
            os.close(fd)
        return
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | nofollow, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.replace(partial, path)
    except BaseException:
        try:
            partial.unlink()
        except OSError:
            pass
        raise
    try:
        dfd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


def clean_partials(path: Path) -> None:
    """Remove half-written head files left by processes that were killed while writing one."""
    try:
        leftovers = list(path.parent.glob(f".{path.name}.partial-*"))
    except OSError:
        return
    for f in leftovers:
        try:
            pid = int(f.name.rsplit("-", 1)[1])
            os.kill(pid, 0)
        except ProcessLookupError:
            try:
                f.unlink()
            except OSError:
                pass
        except (ValueError, OSError):
            pass


def read_head(path: Path) -> dict | None:
    """The head file, or None when there is none. A file that is not a head raises ValueError."""
    try:
        if path.is_symlink():
            raise ValueError("is a symbolic link")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        raise ValueError("is not a head file") from None
    try:
        data = json.loads(text)
    except ValueError:
        raise ValueError("is not a head file") from None
    if not isinstance(data, dict) or data.get("format") != HEAD_FORMAT:
        raise ValueError("is not a head file")
    return data


def check_head(path: Path | None, count: int, head: str, key: bytes | None) -> list[AuditBreak]:
    """Compare the chain's newest seal with the head kept apart."""
    if path is None:
        return []
    where = str(path)
    try:
        data = read_head(path)
    except ValueError as exc:
        return [AuditBreak(0, f"the chain head file {where} {exc}")]
    except OSError as exc:
        return [AuditBreak(0, f"the chain head file {where} cannot be read ({exc.strerror})")]
    if data is None:
        if count == 0:
            return []
        return [AuditBreak(0, f"the chain head file {where} is missing (ras-chat writes it with every entry)")]
    heads = [(data.get("count"), data.get("hash"), data.get("mac"))]
    prev = data.get("previous")
    if isinstance(prev, dict):
        heads.append((prev.get("count"), prev.get("hash"), prev.get("mac")))
    breaks: list[AuditBreak] = []
    if key is not None:
        for c, h, mac in heads:
            if not isinstance(mac, str) or not isinstance(c, int) or not isinstance(h, str) or not hmac.compare_digest(mac, head_mac(key, c, h)):
                return [AuditBreak(0, f"the chain head file {where} was not written with the audit key (its HMAC differs)")]
    for c, h, _ in heads:
        if c == count and h == head:
            return breaks
    kept = heads[0][0]
    if isinstance(kept, int) and count < kept:
        return [AuditBreak(0, f"the newest {kept - count} case record entr{'ies are' if kept - count != 1 else 'y is'} missing (the head file says {kept}, the database has {count})")]
    if isinstance(kept, int) and count > kept:
        return [AuditBreak(0, f"the database has {count - kept} case record entr{'ies' if count - kept != 1 else 'y'} more than its head file ({kept}): added outside this ras-chat, or the head file is an old copy")]
    return [AuditBreak(0, f"the newest case record entry differs from the head file ({where}): the chain was rewritten")]
