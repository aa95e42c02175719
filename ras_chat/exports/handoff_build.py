"""Building the hand-off record from what the store holds for one session (`Store.details`).

Answers are found by the record field each sets (the dialogue's `sets:`), never by a
state's name. The review is replayed by `ras_chat.review`, and the budget statement is the
one for the amount that stands (`ras_chat.review.standing`, which uses the engine's
`ras.charging.standing_statement`): nothing here works out money.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from ras.charging import ChargeResult, FinanceRecord
from ras.eligibility import carer_eligibility
from ras.models import Allocation, AssessmentRecord
from ras.policy import DataFileError
from ras_chat.dialogue.loader import Dialogue, load_dialogue
from ras_chat.dialogue.machine import SAFETY_STATE
from ras_chat.dialogue.mapping import field_of_key, fields_of
from ras_chat.dialogue.session import Session
from ras_chat.exports.handoff_model import (
    AnswerReading,
    CarerPart,
    Handoff,
    MoneyPart,
    MoneyStatus,
    OwnWords,
    Review,
    SessionInfo,
    TranscriptMessage,
    WorkerChange,
)
from ras_chat.review.changes import ReviewError
from ras_chat.review.reviewed import Reviewed, reviewed
from ras_chat.review.standing import standing_statement_for
from ras_chat.store.errors import InvalidData
from ras_chat.store.store import now, who_text


def build_handoff(details: dict, *, audit_chain_intact: bool = True, exported_at: str | None = None) -> Handoff:
    """The hand-off for one session from `Store.details(id)` (snapshot, record, result, audit)."""
    snap = details["snapshot"]
    record = details.get("record")
    answers = snapshot_fields(snap)
    r = _reviewed(details)
    first = Allocation.model_validate(details["result"]) if details.get("result") else None
    own = OwnWords(
        what_matters=(record or {}).get("what_matters") or _text(answers.get("what_matters")),
        area_notes=dict((record or {}).get("area_notes") or {}),
        notes=(record or {}).get("notes"),
    )
    try:
        return Handoff(
            exported_at=exported_at or now(),
            status=snap.get("status") or "in_progress",
            session=SessionInfo(
                id=snap["id"],
                policy=_text(snap.get("policy")),
                created=_text(snap.get("created")),
                updated=_text(snap.get("updated")),
                state=_text(snap.get("state")),
                who=who_text(snap.get("who")),
                name=_text(answers.get("name")),
            ),
            stopped=_text(snap.get("state")) == SAFETY_STATE,
            assessment=AssessmentRecord.model_validate(record) if record else None,
            result=first,
            own_words=own,
            transcript=[_message(m) for m in snap.get("transcript") or []],
            flags=_flags(snap.get("flags")) or list((record or {}).get("flags") or []),
            audit=[WorkerChange(**_entry(e)) for e in details.get("audit") or []],
            audit_chain_intact=audit_chain_intact,
            review=_review(details, r),
            money=_money(snap),
            budget=standing_statement_for(snap, first, r) if first is not None else None,
            carer=_carer(snap),
            readings=_readings(snap),
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise InvalidData(f"session {snap.get('id')!r} cannot be exported: {where}: {err['msg']}") from None


def _carer(snap: dict) -> CarerPart | None:
    """The carer's part, worked out by the session from its saved answers."""
    dialogue = _dialogue_of(snap)
    if dialogue is None:
        return None
    try:
        record = Session.restore(snap, dialogue=dialogue).carer_record()
    except (ValueError, ValidationError, DataFileError, OSError):
        return None
    if record is None:
        return None
    el = carer_eligibility(record)
    return CarerPart(
        record=record, eligible=el.eligible, conditions=dict(el.conditions), reason=el.reason, result=el.result, not_known=el.not_known
    )


def _readings(snap: dict) -> list[AnswerReading]:
    """How each answer was read, by field (the snapshot keeps them by answer key)."""
    dialogue = _dialogue_of(snap)
    readings = _dict(snap.get("readings"))
    answers = _dict(snap.get("answers"))
    out = []
    for key, r in readings.items():
        field = field_of_key(dialogue, key) if dialogue else None
        if field is None or not isinstance(r, dict):
            continue
        out.append(AnswerReading(field=field, value=answers.get(key), said=r.get("said"), how=str(r.get("how") or ""),
                                 confidence=float(r.get("confidence") or 0), confirmed=bool(r.get("confirmed"))))
    return out


def _dialogue_of(snap: dict) -> Dialogue | None:
    try:
        return load_dialogue(_text(snap.get("dialogue")) or "assessment")
    except (DataFileError, OSError):
        return None


def snapshot_fields(snap: dict) -> dict:
    """A saved session's answers by the record field each sets (the dialogue's `sets:`),
    so nothing here reads a state's name. Empty when the dialogue cannot be read."""
    answers = _dict(snap.get("answers"))
    dialogue = _dialogue_of(snap)
    return fields_of(dialogue, answers) if dialogue else {}


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _reviewed(details: dict) -> Reviewed | None:
    """The session's review, or None when there is no record to review (or its policy cannot be read)."""
    if not details.get("record"):
        return None
    try:
        return reviewed(details)
    except (ReviewError, DataFileError, ValidationError, ValueError, OSError):
        return None


def _review(details: dict, r: Reviewed | None) -> Review | None:
    """The review part of the record."""
    if r is None:
        return None
    seqs = {c.seq for c in r.changes}
    return Review(
        adjusted_record=r.adjusted_record,
        adjusted_result=r.adjusted_result,
        override_weekly=r.override,
        agreed_weekly=r.agreed_weekly,
        amount_changed=r.amount_changed,
        signed_off=r.signed_off is not None,
        changes=[WorkerChange(**_entry(e)) for e in details.get("audit") or [] if _entry(e)["seq"] in seqs],
    )


def _money(snap: dict) -> MoneyPart:
    """The money part from the session snapshot (`finance`, `charge`, `money_missing`, and
    the answer to the offer). Older snapshots have none of these: `not_reached`."""
    answers = snapshot_fields(snap)
    finance, charge = snap.get("finance"), snap.get("charge")
    count = snap.get("money_answer_count") or 0
    status: MoneyStatus
    if finance or charge or answers.get("money.offer") == "ask":
        status = "answered"
    elif "money.offer" in answers:  # "skip", or not answered ("I don't know"): the dialogue skips
        status = "skipped"
    else:
        status = "not_reached"
    return MoneyPart(
        status=status,
        answers=count if isinstance(count, int) else 0,
        finance=FinanceRecord.model_validate(finance) if finance else None,
        charge=ChargeResult.model_validate(charge) if charge else None,
        missing=[str(m) for m in snap.get("money_missing") or []],
    )


def _entry(e: Any) -> dict:
    data = e.as_dict() if hasattr(e, "as_dict") else dict(e)
    data.pop("session_id", None)
    return data


def _message(m: dict) -> TranscriptMessage:
    known: dict[str, Any] = {k: m.get(k) for k in ("role", "text", "state", "kind") if m.get(k) is not None}
    return TranscriptMessage.model_validate({**known, "at": _text(m.get("at")), "choices": list(m.get("choices") or [])})


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("id") or value.get("name")
    return None if value is None else str(value)


def _flags(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, dict):
        return [str(k) for k, v in value.items() if v]
    out = []
    for f in value:
        if isinstance(f, dict) and "code" in f:  # the dialogue's Flag: level, code, text for the worker
            out.append(": ".join(str(f[k]) for k in ("level", "code", "text") if f.get(k)))
        else:
            out.append(f if isinstance(f, str) else json.dumps(f, sort_keys=True))
    return out
