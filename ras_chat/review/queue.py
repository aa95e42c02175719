"""The review list: the sessions a worker should look at, urgent cases first.

Urgent means a flag of level `urgent` (a possible disclosure of harm, a carer at breaking
point), kept by the store beside each session (`SessionSummary.urgent`). A session whose
questions stopped at a possible disclosure of harm is a safety stop: it is never shown as
an ordinary hand-off. Pure words over the store's summaries; no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass

from ras_chat.store.values import SessionSummary

STATUS_WORDS = {"in_progress": "in progress", "handed_off": "handed off", "agreed": "agreed"}
STOPPED_WORDS = "stopped: possible harm"
"""The status shown for a safety stop, whatever the session's own status says."""


@dataclass(frozen=True)
class Listed:
    """One session as a list shows it."""

    summary: SessionSummary
    status: str
    """In words: "handed off", "agreed", or the safety stop's own words."""
    urgent: str | None
    """"URGENT: " and the flag's words, or None."""


def status_words(s: SessionSummary) -> str:
    if s.stopped:
        return STOPPED_WORDS
    return STATUS_WORDS.get(s.status, s.status)


def listed(s: SessionSummary) -> Listed:
    return Listed(summary=s, status=status_words(s), urgent=f"URGENT: {s.urgent}" if s.urgent else None)


def urgent_first(rows: list[SessionSummary]) -> list[SessionSummary]:
    """Urgent cases (an urgent flag, or a safety stop) before the rest, each group in the
    order given (newest first from the store)."""
    return sorted(rows, key=lambda s: 0 if (s.urgent or s.stopped) else 1)


def to_review(rows: list[SessionSummary]) -> list[SessionSummary]:
    """The review list: sessions not yet signed off that a worker should look at (handed
    off, or urgent in any state), urgent first."""
    return urgent_first([s for s in rows if s.status != "agreed" and (s.status == "handed_off" or s.urgent or s.stopped)])


__all__ = ["STOPPED_WORDS", "Listed", "listed", "status_words", "to_review", "urgent_first"]
