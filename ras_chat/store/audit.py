"""The worker's audit trail: append-only, each entry carrying the hash of the one before.

An entry's hash is SHA-256 over the canonical JSON of its fields and the previous hash,
so editing, reordering or removing an entry in the middle breaks the chain. Removing the
newest entries leaves a valid shorter chain: keep the head hash that `ras-chat audit
verify` prints somewhere else (a case note, an email) to detect that too.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

GENESIS = "0" * 64


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def entry_hash(seq: int, session_id: str, at: str, who: str, what: str, why: str, prev_hash: str) -> str:
    body = canonical(
        {"seq": seq, "session_id": session_id, "at": at, "who": who, "what": what, "why": why, "prev_hash": prev_hash}
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


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
    problem: str

    def __str__(self) -> str:
        return f"entry {self.seq}: {self.problem}"


def check_chain(rows: list[tuple[int, str, str, str, str, str, str, str]]) -> list[AuditBreak]:
    """Rows of (seq, session_id, at, who, what_text, why, prev_hash, hash) in seq order."""
    breaks: list[AuditBreak] = []
    prev = GENESIS
    expected_seq = 1
    for seq, session_id, at, who, what, why, prev_hash, stored in rows:
        if seq != expected_seq:
            breaks.append(AuditBreak(seq, f"entries {expected_seq} to {seq - 1} are missing"))
        if prev_hash != prev:
            breaks.append(AuditBreak(seq, "does not follow the entry before it (previous hash differs)"))
        if entry_hash(seq, session_id, at, who, what, why, prev_hash) != stored:
            breaks.append(AuditBreak(seq, "was changed after it was written (hash differs)"))
        prev = stored
        expected_seq = seq + 1
    return breaks
