"""One writer per session: the lease a process holds on a session while it saves turns.

PostgreSQL: the holder keeps a session-level advisory lock on its connection, dropped by
the server when that connection ends. SQLite: the lease's process is checked (gone, or
its pid reused), or, from another computer, how long since it last saved.
A mixin of `Store`.
"""

from __future__ import annotations

import datetime as dt
import os

from ras_chat.store.base import StoreBase
from ras_chat.store.errors import SessionBusy, SessionNotFound
from ras_chat.store.faults import guarded
from ras_chat.store.values import now

LEASE_IDLE_S = 2 * 3600
"""A lease held from another computer (SQLite on a shared folder) is stale after this long
without a save; on the same computer it is stale as soon as its process is gone."""
_LEASE_COLUMNS = "lease_token, lease_holder, lease_host, lease_pid, lease_start, lease_since, lease_seen"


def process_start(pid: int) -> str | None:
    """When a process started (Linux: clock ticks since boot), to tell a reused pid apart."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            text = f.read().decode("ascii", "replace")
        return text.rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OSError, ValueError, OverflowError):
        return False
    return True



class Leases(StoreBase):
    """A mixin of `Store`: claiming a session and checking who holds it."""

    def _lease_row(self, session_id: str) -> tuple | None:
        return self._q(
            f"SELECT {_LEASE_COLUMNS} FROM sessions WHERE id = ?{self.dialect.for_update}", (session_id,)
        ).fetchone()

    def _take_lease(self, session_id: str, row: tuple | None) -> str:
        """Check that no other live process holds the session; return the lease's `since`.

        PostgreSQL: the holder keeps a session-level advisory lock on its connection, which
        the server drops when that connection ends, so a lock we can take means the lease
        is ours or stale. SQLite: the lease's process is checked (gone, or its pid reused),
        or, from another computer, how long since it last saved."""
        me = self._me
        token, holder, host, pid, start, since, seen = row if row is not None else (None,) * 7
        same_process = token is not None and host == me["host"] and pid == me["pid"]
        if self.kind == "postgresql":
            if session_id not in self._locked and not same_process:
                if not self._db.try_lease_lock(session_id):
                    raise self._busy(session_id, row)
                self._locked.add(session_id)
            return since if token == me["token"] and since else now()
        if token is None or same_process:
            return since if token == me["token"] and since else now()
        if host == me["host"]:
            if not alive(pid) or (start and process_start(int(pid)) not in (None, start)):
                return now()
            raise self._busy(session_id, row)
        try:
            last = dt.datetime.fromisoformat(str(seen).replace("Z", "+00:00"))
            idle = (dt.datetime.now(dt.UTC) - last).total_seconds()
        except ValueError:
            idle = LEASE_IDLE_S + 1
        if idle > LEASE_IDLE_S:
            return now()
        raise self._busy(session_id, row)

    def _busy(self, session_id: str, row: tuple | None) -> SessionBusy:
        if row is None or row[0] is None:  # PostgreSQL: held, but not yet written to the row
            return SessionBusy(f"session {session_id[:8]} is being opened by another ras-chat; try again in a moment")
        _, holder, host, pid, _, since, _ = row
        when = since or "?"
        try:
            when = dt.datetime.fromisoformat(str(since).replace("Z", "+00:00")).strftime("%Y-%m-%d %H:%M UTC")
        except ValueError:
            pass
        return SessionBusy(
            f"session {session_id[:8]} is open in another ras-chat ({holder or 'someone'}, process {pid}) since {when}; "
            "carry on there, or wait until it is closed"
        )

    def _lease_values(self, since: str) -> list:
        me = self._me
        return [me["token"], me["holder"], me["host"], me["pid"], me["start"], since, now()]

    @guarded
    def claim(self, session_id: str) -> None:
        """Hold the session for this process (a `--resume`): refused with SessionBusy, saying
        who holds it and since when, while another live process has it. A lease whose process
        is gone (killed, crashed) is taken over."""
        with self._db.write():
            row = self._lease_row(session_id)
            if row is None:
                raise SessionNotFound(f"no session {session_id!r}")
            since = self._take_lease(session_id, row)
            self._q(
                f"UPDATE sessions SET {', '.join(c + ' = ?' for c in _LEASE_COLUMNS.split(', '))} WHERE id = ?",
                (*self._lease_values(since), session_id),
            )
        self._held.add(session_id)

    def lease(self, session_id: str) -> dict | None:
        """Who holds the session's lease (holder, pid, since), or None."""
        row = self._q(f"SELECT {_LEASE_COLUMNS} FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None or row[0] is None:
            return None
        return {"holder": row[1], "host": row[2], "pid": row[3], "since": row[5], "seen": row[6]}
