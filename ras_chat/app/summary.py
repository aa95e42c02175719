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
    lines = ["", "Summary"]
    alloc = session.result()
    standing = standing or standing_for(session.state.id)
    flags = session.state.flags
    if any(f.code == "safety" for f in flags):
        lines.append("A worker has been asked to contact you urgently. If you are in danger now, call 999.")
    elif standing is not None and standing.eligible:
        yearly = f" ({pounds(standing.annual)} a year)" if standing.annual is not None else ""
        said = "Agreed amount" if standing.agreed else "Amount a worker set"
        lines.append(f"{said}: {pounds(standing.weekly)} a week{yearly}.")
        if standing.changed:
            lines.append(f"The first amount was {pounds(standing.first_weekly)} a week.")
        st = standing.statement
        if st is not None and st.person_weekly is not None and st.council_weekly is not None and st.weekly_total > 0:
            lines.append(
                f"You pay {pounds(st.person_weekly)} a week. "
                f"The council pays {pounds(st.council_weekly)} a week. This is a first guess."
            )
    elif alloc is not None:
        if alloc.eligible:
            lines.append(f"Starting amount: {pounds(alloc.weekly)} a week ({pounds(alloc.annual)} a year).")
            lines.append(f"It could be from {pounds(alloc.range.low)} to {pounds(alloc.range.high)} a week.")
            statement = session.budget_statement()
            if (
                statement is not None
                and statement.person_weekly is not None
                and statement.council_weekly is not None
                and alloc.weekly > 0
            ):
                lines.append(
                    f"You pay {pounds(statement.person_weekly)} a week. "
                    f"The council pays {pounds(statement.council_weekly)} a week. This is a first guess."
                )
        else:
            lines.append("The council is not likely to pay for support right now. A worker will check this with you.")
    carer = session.carer_record()
    if carer is not None:
        lines.append("Your carer's answers are saved too.")
    lines.append(f"Your reference: {session.state.id}")
    return lines


__all__ = ["handoff_summary", "note_standing", "standing_for"]
