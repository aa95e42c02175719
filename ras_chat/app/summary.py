"""What a person leaves a conversation with, in a few plain lines (the terminal front ends
print it when the conversation ends)."""

from __future__ import annotations

from ras.money import pounds
from ras_chat.dialogue.catalogue import say
from ras_chat.dialogue.session import Session


def handoff_summary(session: Session) -> list[str]:
    """What the person leaves with: the amount and what happens next, in a few plain lines."""
    lines = ["", say("summary.heading")]
    alloc = session.result()
    flags = session.state.flags
    if any(f.code == "safety" for f in flags):
        lines.append(say("summary.urgent"))
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
