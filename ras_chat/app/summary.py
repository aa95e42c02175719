"""What a person leaves a conversation with, in a few plain lines (the terminal front ends
print it when the conversation ends), and the amount that stands for a resumed session.

A resumed session rebuilds its first figures from its record; a worker may since have
agreed another amount. `note_standing(store, id)` (called by the persistence layer when a
session is resumed) keeps the amount that stands (`ras_chat.review.standing`), and the
summary and the result screen show it instead of the first figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ras.money import pounds
from ras_chat.dialogue.catalogue import say
from ras_chat.dialogue.session import Session

if TYPE_CHECKING:  # pragma: no cover
    from ras_chat.review.standing import Standing

_STANDING: dict[str, Standing] = {}
"""The amount that stands for each session resumed in this process, by session id."""


def note_standing(store: Any, session_id: str) -> Standing | None:
    """Work out and keep the amount that stands for a resumed session (None before there is
    a result). A store that cannot give the details keeps nothing: the first figures show."""
    from pydantic import ValidationError

    from ras.policy import DataFileError
    from ras_chat.review.standing import standing_of
    from ras_chat.store.errors import StoreError

    try:
        standing = standing_of(store.details(session_id))
    except (StoreError, DataFileError, ValidationError, ValueError, OSError):
        standing = None
    if standing is None:
        _STANDING.pop(session_id, None)
    else:
        _STANDING[session_id] = standing
    return standing


def standing_for(session_id: str) -> Standing | None:
    """The amount that stands for a session resumed in this process, when it differs from
    the first figures or was signed off; else None (the session's own result stands)."""
    s = _STANDING.get(session_id)
    return s if s is not None and (s.changed or s.agreed) else None


def handoff_summary(session: Session, standing: Standing | None = None) -> list[str]:
    """What the person leaves with: the amount and what happens next, in a few plain lines.
    `standing`: the amount that stands, when known (default: the one kept on resume)."""
    lines = ["", say("summary.heading")]
    alloc = session.result()
    standing = standing or standing_for(session.state.id)
    flags = session.state.flags
    if any(f.code == "safety" for f in flags):
        lines.append(say("summary.urgent"))
    elif standing is not None and standing.eligible:
        yearly = say("summary.yearly", annual=pounds(standing.annual)) if standing.annual is not None else ""
        key = "summary.agreed" if standing.agreed else "summary.worker_set"
        lines.append(say(key, weekly=pounds(standing.weekly), yearly=yearly))
        if standing.changed:
            lines.append(say("summary.first_amount", weekly=pounds(standing.first_weekly)))
        st = standing.statement
        if st is not None and st.person_weekly is not None and st.council_weekly is not None and st.weekly_total > 0:
            lines.append(say("summary.parts", person=pounds(st.person_weekly), council=pounds(st.council_weekly)))
    elif alloc is not None:
        if alloc.eligible:
            lines.append(say("summary.amount", weekly=pounds(alloc.weekly), annual=pounds(alloc.annual)))
            lines.append(say("summary.range", low=pounds(alloc.range.low), high=pounds(alloc.range.high)))
            statement = session.budget_statement()
            person, council = (statement.person_weekly, statement.council_weekly) if statement is not None else (None, None)
            if statement is not None and statement.parts_known and alloc.weekly > 0 and person is not None and council is not None:
                lines.append(say("summary.parts", person=pounds(person), council=pounds(council)))
        else:
            lines.append(say("summary.not_eligible"))
    carer = session.carer_record()
    if carer is not None:
        lines.append(say("summary.carer"))
    lines.append(say("summary.reference", reference=session.state.id))
    return lines


__all__ = ["handoff_summary", "note_standing", "standing_for"]
