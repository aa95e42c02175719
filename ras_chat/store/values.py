"""Small values of the store shared by its parts: times as sortable text, the `who` of a
snapshot, a session's summary row, and what makes a case urgent."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import asdict, dataclass
from typing import Any

from ras_chat.store.errors import InvalidData

STATUSES = ("in_progress", "handed_off", "agreed")
SAFETY_STATE = "safety"
"""The dialogue's end state after a possible disclosure of harm (ras_chat.dialogue.machine)."""


def is_postgres(target: str | os.PathLike | None) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def redact_url(url: str) -> str:
    """The address without a password, for messages."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}@{host}" if user else f"{scheme}://{host}"


def now() -> str:
    return stamp(dt.datetime.now(dt.UTC))


def stamp(value: Any) -> str:
    """A time as sortable UTC text (`2026-04-01T09:30:00.000000Z`); unparseable text is kept."""
    if value is None:
        return now()
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return str(value)


def who_text(who: Any) -> str | None:
    """The `who` of a snapshot as one display string (it may be a name or a small dict)."""
    if who is None or isinstance(who, str):
        return who or None
    if isinstance(who, dict):
        for key in ("name", "display", "id"):
            if who.get(key):
                return str(who[key])
        return None
    return str(who)



def urgent_words(snapshot: dict) -> str | None:
    """The words of a snapshot's urgent flags ("safety: Possible risk of harm ..."), one
    per flag joined by "; ", or None when it has none. Kept beside the session so a list
    can put urgent cases first without reading every snapshot."""
    words = []
    for f in snapshot.get("flags") or []:
        if isinstance(f, dict) and f.get("level") == "urgent":
            text = ": ".join(str(f[k]) for k in ("code", "text") if f.get(k))
            if text and text not in words:
                words.append(text)
    return "; ".join(words) or None


@dataclass(frozen=True)
class SessionSummary:
    id: str
    created: str
    updated: str
    who: str | None
    status: str
    policy: str | None
    state: str | None
    weekly: str | None
    """The engine's first figure (pounds a week, as text)."""
    messages: int
    agreed_weekly: str | None = None
    """The amount a worker agreed at sign-off (None until signed off)."""
    urgent: str | None = None
    """The words of its urgent flags (a possible disclosure of harm, a carer at breaking
    point), or None: `ras-chat sessions` lists these first."""

    @property
    def stopped(self) -> bool:
        """The questions stopped at a possible disclosure of harm (a safety stop)."""
        return self.state == SAFETY_STATE

    def as_dict(self) -> dict:
        return asdict(self)


def check_message(m: Any) -> dict:
    if not isinstance(m, dict):
        raise InvalidData("a message must be a JSON object")
    if m.get("role") not in ("assistant", "person"):
        raise InvalidData(f"message role: should be assistant or person, not {m.get('role')!r}")
    if not isinstance(m.get("text"), str):
        raise InvalidData("message text: should be text")
    return m


def at_text(value: Any) -> str | None:
    return None if value is None else stamp(value)


def text_or_none(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("id") or value.get("name")
    return None if value is None else str(value)


def weekly_text(result: dict | None) -> str | None:
    if not isinstance(result, dict) or result.get("weekly") is None:
        return None
    return str(result["weekly"])
