"""The worker's audit trail and the case record's seals: two hash chains, appended to in
the same transaction as what they cover, and verified entry by entry against the head
file (see audit.py for the hashing). A mixin of `Store`.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

from ras_chat.store.audit import (
    GENESIS,
    MESSAGE_COLUMNS,
    PARTS,
    SESSION_COLUMNS,
    AuditBreak,
    AuditEntry,
    canonical,
    check_chain,
    check_head,
    check_seal_chain,
    entry_hash,
    messages_digest,
    row_digests,
    seal_hash,
    write_head,
)
from ras_chat.store.base import StoreBase
from ras_chat.store.errors import DamagedDatabase, InvalidData, SessionNotFound, StoreError
from ras_chat.store.faults import guarded
from ras_chat.store.values import STATUSES, is_postgres, now, redact_url, stamp


class AuditTrail(StoreBase):
    """A mixin of `Store`: seals, the audit trail, and checking both."""

    def _head_settings(self) -> tuple[Path, bytes | None]:
        """Where the chain head is kept (a setting, else beside the SQLite file, else in the
        data folder for a PostgreSQL address), and the HMAC key when one is configured."""
        from ras_chat.environment import current

        settings = current()
        if settings.audit_head:
            head = Path(os.path.expanduser(str(settings.audit_head)))
        elif is_postgres(self.target):
            import hashlib

            name = hashlib.sha256(redact_url(self.target).encode()).hexdigest()[:16]
            head = settings.resolved_data_dir() / f"audit-head-{name}.json"
        else:
            head = Path(f"{os.path.expanduser(self.target)}.audit-head")
        key = None
        if settings.audit_key_file:
            try:
                key = Path(os.path.expanduser(str(settings.audit_key_file))).read_bytes().strip()
            except OSError as exc:
                raise StoreError(f"the audit key file {settings.audit_key_file}: cannot be read ({exc.strerror})") from None
            if len(key) < 16:
                raise StoreError(f"the audit key file {settings.audit_key_file}: too short (use 32 random bytes or more)")
        return head, key

    def _seal(
        self,
        session_id: str,
        kind: str,
        *,
        messages: tuple[int, int] | None = None,
        audit: tuple[int, str] | None = None,
        at: str | None = None,
        head: bool = True,
    ) -> None:
        """Add a seal over the session's rows as they now stand (inside the caller's transaction)."""
        row = self._q(f"SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,)).fetchone()
        content: dict[str, Any] = {
            "parts": row_digests(tuple(row), self._json),
            "status": row[4],
            "agreed_weekly": row[12],
            "message_count": row[8],
            "messages": None,
        }
        if messages is not None:
            first, last = messages
            rows = self._q(
                f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE session_id = ? AND seq >= ? AND seq <= ? ORDER BY seq",
                (session_id, first, last),
            ).fetchall()
            content["messages"] = {"from": first, "to": last, "hash": messages_digest(rows, self._json)}
        if audit is not None:
            content["audit_seq"], content["audit_hash"] = audit
        text = canonical(content)
        when = at or now()
        last_row = self._q("SELECT seq, hash FROM seals ORDER BY seq DESC LIMIT 1").fetchone()
        prev_seq, prev = (last_row[0], last_row[1]) if last_row else (0, GENESIS)
        seq = prev_seq + 1
        digest = seal_hash(seq, session_id, when, kind, text, prev)
        self._q(
            "INSERT INTO seals (seq, session_id, at, kind, content, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (seq, session_id, when, kind, text, prev, digest),
        )
        if head:  # before the commit: after a crash the head may be one ahead, never behind
            write_head(self.head_path, seq, digest, prev_seq, prev, self._key)

    def _seal_existing(self) -> None:
        """Migration 3: seal every session and audit entry written before seals existed."""
        ids = [r[0] for r in self._q("SELECT id FROM sessions ORDER BY created, id").fetchall()]
        counts = dict(self._q("SELECT id, message_count FROM sessions").fetchall())
        for sid in ids:
            n = counts.get(sid) or 0
            self._seal(sid, "upgrade", messages=(1, n) if n else None, head=False)
        for seq, sid, digest in self._q("SELECT seq, session_id, hash FROM audit ORDER BY seq").fetchall():
            self._seal(sid, "upgrade", audit=(seq, digest), head=False)
        last = self._q("SELECT seq, hash FROM seals ORDER BY seq DESC LIMIT 1").fetchone()
        if last:
            before = self._q("SELECT seq, hash FROM seals WHERE seq = ?", (last[0] - 1,)).fetchone() or (0, GENESIS)
            write_head(self.head_path, last[0], last[1], before[0], before[1], self._key)

    @guarded
    def seal_head(self) -> tuple[int, str]:
        """(number of case record entries, hash of the newest): what the head file holds."""
        row = self._q("SELECT seq, hash FROM seals ORDER BY seq DESC LIMIT 1").fetchone()
        return (row[0], row[1]) if row else (0, GENESIS)

    @guarded
    def append_audit(
        self, session_id: str, *, who: str, what: dict, why: str, at: Any = None, status: str | None = None
    ) -> AuditEntry:
        """Add one worker change (who, when, what, why) to the chain and commit it.

        With `status` (a sign-off: "agreed"), the session's status and its snapshot's
        `status` and `updated` change in the same transaction, so the entry and the new
        status are saved together or not at all. Messages and the record stay as they are.
        The case record gets a seal over the session as it stands after the change.
        """
        if status is not None and status not in STATUSES:
            raise InvalidData(f"status: should be one of {', '.join(STATUSES)}, not {status!r}")
        if not isinstance(who, str) or not who.strip():
            raise InvalidData("an audit entry needs who made the change")
        if not isinstance(why, str) or not why.strip():
            raise InvalidData("a change needs a reason (why)")
        if not isinstance(what, dict) or not what:
            raise InvalidData("an audit entry needs what changed (a JSON object)")
        what_text = canonical(what)
        when = stamp(at)
        with self._db.write():
            self._db.lock_audit()
            if not self._q("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone():
                raise SessionNotFound(f"no session {session_id!r}")
            last = self._q("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
            seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
            digest = entry_hash(seq, session_id, when, who.strip(), what_text, why.strip(), prev)
            self._q(
                "INSERT INTO audit (seq, session_id, at, who, what, why, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (seq, session_id, when, who.strip(), what_text, why.strip(), prev, digest),
            )
            if status is not None:
                row = self._q("SELECT snapshot FROM sessions WHERE id = ?", (session_id,)).fetchone()
                body = dict(self._json(row[0]))
                body["status"] = status
                body["updated"] = when
                agreed = what.get("agreed_weekly")
                self._q(
                    "UPDATE sessions SET status = ?, updated = ?, snapshot = ?, agreed_weekly = ? WHERE id = ?",
                    (status, when, self.dialect.json_param(body), None if agreed is None else str(agreed), session_id),
                )
            named = what.get("kind")
            kind = named if isinstance(named, str) else "change"
            self._seal(session_id, kind, audit=(seq, digest), at=when)
        return AuditEntry(seq, session_id, when, who.strip(), what, why.strip(), prev, digest)

    @guarded
    def audit_entries(self, session_id: str | None = None) -> list[AuditEntry]:
        sql = "SELECT seq, session_id, at, who, what, why, prev_hash, hash FROM audit"
        params: tuple = ()
        if session_id is not None:
            sql += " WHERE session_id = ?"
            params = (session_id,)
        rows = self._q(sql + " ORDER BY seq", params).fetchall()
        return [AuditEntry(r[0], r[1], r[2], r[3], self._json(r[4]), r[5], r[6], r[7]) for r in rows]

    @guarded
    def verify_audit(self, session_id: str | None = None) -> list[AuditBreak]:
        """Every problem found; empty when intact. Checks the audit chain and the case
        record's chain entry by entry, the newest against the head file (and its HMAC when a
        key is configured), each audit entry against its seal, and the stored rows of every
        session (or only `session_id`) against their newest seal: the answers, the saved
        state, the record, the result, the summary columns, every message, the sign-off
        behind a status of agreed and the agreed amount."""
        audit_rows = [tuple(r) for r in self._q(
            "SELECT seq, session_id, at, who, what, why, prev_hash, hash FROM audit ORDER BY seq"
        ).fetchall()]
        breaks = check_chain(audit_rows)
        seal_rows = [tuple(r) for r in self._q(
            "SELECT seq, session_id, at, kind, content, prev_hash, hash FROM seals ORDER BY seq"
        ).fetchall()]
        breaks += check_seal_chain(seal_rows)
        count, head = (seal_rows[-1][0], seal_rows[-1][6]) if seal_rows else (0, GENESIS)
        breaks += check_head(self.head_path, count, head, self._key)

        seals: dict[str, list[dict]] = defaultdict(list)
        links: dict[int, tuple[str, Any]] = {}
        for _seq, sid, _, _, text, _, _ in seal_rows:
            if session_id is not None and sid != session_id and '"audit_seq"' not in text:
                continue  # another session's turn: its hash is checked above, its content is not needed
            try:
                content = json.loads(text)
            except ValueError:
                continue  # its hash no longer matches: already a break
            if not isinstance(content, dict):
                continue
            seals[sid].append(content)
            if content.get("audit_seq") is not None:
                links[content["audit_seq"]] = (sid, content.get("audit_hash"))
        sign_offs: dict[str, list[dict]] = defaultdict(list)
        for seq, sid, _, _, what, _, _, stored in audit_rows:
            link = links.pop(seq, None)
            if link is None:
                breaks.append(AuditBreak(seq, "is not in the case record (it was added outside ras-chat)"))
            elif link != (sid, stored):
                breaks.append(AuditBreak(seq, "differs from the case record's copy of its hash"))
            try:
                parsed = json.loads(what)
            except ValueError:
                continue
            if isinstance(parsed, dict) and parsed.get("kind") == "sign_off":
                sign_offs[sid].append(parsed)
        for seq, (sid, _) in sorted(links.items()):
            if session_id is None or sid == session_id:
                breaks.append(AuditBreak(0, f"audit entry {seq} is missing (the case record has it)", sid))

        if session_id is not None:
            ids = [session_id]
        else:
            ids = sorted({r[0] for r in self._q("SELECT id FROM sessions").fetchall()} | set(seals))
        for sid in ids:
            try:
                breaks += self._verify_session(sid, seals.get(sid, []), sign_offs.get(sid, []))
            except DamagedDatabase:
                breaks.append(AuditBreak(0, "a stored row cannot be read (it is not valid JSON or text)", sid))
            except sqlite3.OperationalError as exc:
                if not str(exc).startswith("Could not decode"):
                    raise
                breaks.append(AuditBreak(0, "a stored row cannot be read (it is not valid text)", sid))
        return breaks

    def _verify_session(self, sid: str, seals: list[dict], sign_offs: list[dict]) -> list[AuditBreak]:
        row = self._q(f"SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?", (sid,)).fetchone()
        if row is None:
            return [AuditBreak(0, "was removed from the database (its case record is still there)", sid)] if seals else []
        if not seals:
            return [AuditBreak(0, "is not in the case record (it was added outside ras-chat)", sid)]
        found: list[AuditBreak] = []
        latest = seals[-1]
        parts = row_digests(tuple(row), self._json)
        sealed = latest.get("parts") or {}
        for key, label in PARTS.items():
            if parts[key] != sealed.get(key):
                found.append(AuditBreak(0, f"{label} changed after it was saved", sid))
        status, agreed = row[4], row[12]
        if status == "agreed" and not sign_offs:
            found.append(AuditBreak(0, "is marked agreed but has no sign-off entry", sid))
        if sign_offs or agreed is not None:
            expected = sign_offs[-1].get("agreed_weekly") if sign_offs else None
            if (None if expected is None else str(expected)) != agreed:
                found.append(AuditBreak(0, "the agreed amount differs from the one in the sign-off entry", sid))
        # every message is covered by exactly one turn's seal, and matches it
        count = row[8]
        stored = {r[0]: tuple(r) for r in self._q(
            f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE session_id = ? ORDER BY seq", (sid,)
        ).fetchall()}
        covered = 0
        for content in seals:
            part = content.get("messages")
            if not isinstance(part, dict):
                continue
            first, last = part.get("from"), part.get("to")
            if not isinstance(first, int) or not isinstance(last, int):
                continue
            if first != covered + 1:
                found.append(AuditBreak(0, f"messages {covered + 1} to {first - 1} are not in the case record", sid))
            rows = [stored[n] for n in range(first, last + 1) if n in stored]
            if len(rows) != last - first + 1:
                found.append(AuditBreak(0, f"messages {first} to {last}: some were removed", sid))
            elif messages_digest(rows, self._json) != part.get("hash"):
                found.append(AuditBreak(0, f"messages {first} to {last} were changed after they were saved", sid))
            covered = max(covered, last)
        extra = sorted(n for n in stored if n > covered)
        if extra:
            found.append(AuditBreak(0, f"{len(extra)} message{'s' if len(extra) != 1 else ''} not in the case record (added outside ras-chat)", sid))
        elif covered != count and not any(b.problem.endswith("changed after it was saved") for b in found):
            found.append(AuditBreak(0, "the message count differs from the case record", sid))
        return found

    @guarded
    def audit_head(self) -> tuple[int, str]:
        """(number of entries, hash of the newest) of the worker's audit trail."""
        row = self._q("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        return (row[0], row[1]) if row else (0, GENESIS)

    @guarded
    def accept_head(self) -> tuple[int, str]:
        """Write the head file from the database's chain as it is (after restoring a backup
        on purpose). Refused unless everything else verifies."""
        problems = [b for b in self.verify_audit() if "head file" not in b.problem]
        if problems:
            raise StoreError(f"{self.describe()}: the audit trail has other breaks; not accepting its head (see `ras-chat audit verify`)")
        count, head = self.seal_head()
        before = self._q("SELECT seq, hash FROM seals WHERE seq = ?", (count - 1,)).fetchone() or (0, GENESIS)
        write_head(self.head_path, count, head, before[0], before[1], self._key)
        return count, head
