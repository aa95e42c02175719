"""What a person leaves a conversation with, in a few plain lines (the terminal front ends
print it when the conversation ends)."""

from __future__ import annotations

from ras.money import pounds
from ras_chat.dialogue.session import Session


def handoff_summary(session: Session) -> list[str]:
    """What the person leaves with: the amount and what happens next, in a few plain lines."""
    lines = ["", "Summary"]
    alloc = session.result()
    flags = session.state.flags
    if any(f.code == "safety" for f in flags):
        lines.append("A worker has been asked to contact you urgently. If you are in danger now, call 999.")
    elif alloc is not None:
        if alloc.eligible:
            lines.append(f"Starting amount: {pounds(alloc.weekly)} a week ({pounds(alloc.annual)} a year).")
            lines.append(f"It could be from {pounds(alloc.range.low)} to {pounds(alloc.range.high)} a week.")
            statement = session.budget_statement()
            if statement is not None and statement.parts_known and alloc.weekly > 0:
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
