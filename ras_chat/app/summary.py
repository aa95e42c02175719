"""What a person leaves a conversation with, in a few plain lines (the terminal front ends
print it when the conversation ends), and the amount that stands for a resumed session.

When the carer had a talk of their own, the summary says the carer's result too
(`carer_ending`): the engine's reg. 3 rule (`ras.eligibility.carer_eligibility`) decides
it, and an answer the carer did not know that could change it makes it "not sure yet".

A resumed session rebuilds its first figures from its record; a worker may since have
agreed another amount. `note_standing(store, id)` (called by the persistence layer when a
session is resumed) keeps the amount that stands (`ras_chat.review.standing`), and the
summary and the result screen show it instead of the first figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from ras.eligibility import carer_eligibility
from ras.money import pounds
from ras_chat.dialogue.catalogue import lines as say_lines
from ras_chat.dialogue.catalogue import say
from ras_chat.dialogue.session import Session

if TYPE_CHECKING:  # pragma: no cover
    from ras_chat.review.standing import Standing

_STANDING: dict[str, Standing] = {}
"""The amount that stands for each session resumed in this process, by session id."""


def _read_standing(store: Any, session_id: str) -> Standing | None:
    """The amount that stands as the store has it now (None before there is a result, or
    when the store cannot give the details: then the first figures show)."""
    from pydantic import ValidationError

    from ras.policy import DataFileError
    from ras_chat.review.standing import standing_of
    from ras_chat.store.errors import StoreError

    try:
        return standing_of(store.details(session_id))
    except (StoreError, DataFileError, ValidationError, ValueError, OSError):
        return None


def _shown(standing: Standing | None) -> Standing | None:
    """`standing` when it is to be shown instead of the first figures: a worker changed the
    amount or signed the session off."""
    return standing if standing is not None and (standing.changed or standing.agreed) else None


def note_standing(store: Any, session_id: str) -> Standing | None:
    """Work out and keep the amount that stands for a resumed session (None before there is
    a result). A store that cannot give the details keeps nothing: the first figures show."""
    standing = _read_standing(store, session_id)
    if standing is None:
        _STANDING.pop(session_id, None)
    else:
        _STANDING[session_id] = standing
    return standing


def standing_for(session_id: str) -> Standing | None:
    """The amount that stands for a session resumed in this process, when it differs from
    the first figures or was signed off; else None (the session's own result stands)."""
    return _shown(_STANDING.get(session_id))


def standing_now(store: Any, session_id: str) -> Standing | None:
    """As `standing_for`, read from the store on every call and kept nowhere: for the web
    pages, where every request reads the store and several processes may share it."""
    return _shown(_read_standing(store, session_id))


CarerResult = Literal["met", "not_met", "not_sure"]
CARER_RESULTS: dict[str, CarerResult] = {"eligible": "met", "not_eligible": "not_met", "not_known": "not_sure"}
"""The engine's reg. 3 result (`CarerEligibility.result`) as the ending words' key."""


def carer_result(session: Session) -> CarerResult | None:
    """The carer's result when the carer had a talk of their own (None when they did not):
    the engine's reg. 3 result on the carer's record. "met" when it is met; "not_met" when
    it is not, and no answer the carer did not know could change that; else "not_sure"
    (the result is not known yet: an answer not known, or the talk stopped part way,
    which leaves the answers not given yet not known)."""
    record = session.carer_record()
    if record is None:  # no talk of their own
        return None
    return CARER_RESULTS[carer_eligibility(record).result]


def carer_ending(session: Session) -> list[str]:
    """What the person is told of their carer's own talk: that it is saved, the carer's
    result and what happens next for the carer, in plain lines (none without a carer talk)."""
    result = carer_result(session)
    if result is None:
        return []
    return [say("summary.carer"), *say_lines(f"summary.carer_{result}")]


def standing_lines(standing: Standing) -> list[str]:
    """The amount that stands (agreed, or set by a worker), the first amount when it
    differs, and who pays what when the money part gave it."""
    yearly = say("summary.yearly", annual=pounds(standing.annual)) if standing.annual is not None else ""
    key = "summary.agreed" if standing.agreed else "summary.worker_set"
    out = [say(key, weekly=pounds(standing.weekly), yearly=yearly)]
    if standing.changed:
        out.append(say("summary.first_amount", weekly=pounds(standing.first_weekly)))
    st = standing.statement
    if st is not None and st.person_weekly is not None and st.council_weekly is not None and st.weekly_total > 0:
        out.append(say("summary.parts", person=pounds(st.person_weekly), council=pounds(st.council_weekly)))
    return out


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
        lines += standing_lines(standing)
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
    lines += carer_ending(session)
    lines.append(say("summary.reference", reference=session.state.id))
    return lines


__all__ = ["CarerResult", "carer_ending", "carer_result", "handoff_summary", "note_standing", "standing_for", "standing_lines", "standing_now"]
