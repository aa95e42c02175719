"""The reviewed session: the worker's changes replayed, in order, over a copy of the person's
record, the result worked out again with the engine under the session's policy, date and
method, and the amount that is agreed. Pure: no Textual, no database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ras.changes import outcome_areas
from ras.engine import calculate
from ras.models import Allocation, AssessmentRecord
from ras_chat.review.changes import Change, ReviewError, apply, current_value, is_review_change, show_value


@dataclass(frozen=True)
class ReviewedChange:
    seq: int
    at: str
    who: str
    what: dict
    why: str
    hash: str


@dataclass(frozen=True)
class Reviewed:
    """A session as the worker sees it: the original, the changes, and what they add up to."""

    session_id: str
    status: str
    policy: str | None
    as_of: str | None
    method: str | None
    original_record: AssessmentRecord | None
    original_result: Allocation | None
    adjusted_record: AssessmentRecord | None
    adjusted_result: Allocation | None
    override: Decimal | None
    agreed_weekly: Decimal | None
    changes: tuple[ReviewedChange, ...] = ()
    other_entries: tuple[ReviewedChange, ...] = field(default=())
    signed_off: ReviewedChange | None = None

    @property
    def can_sign_off(self) -> bool:
        return self.status != "in_progress" and self.signed_off is None and self.adjusted_result is not None

    def why_not_sign_off(self) -> str | None:
        if self.signed_off is not None:
            return f"already signed off by {self.signed_off.who} at {self.signed_off.at}"
        if self.status == "in_progress":
            return "the conversation is still in progress: it can be reviewed, but signed off only once it is handed off"
        if self.adjusted_result is None:
            return "there is no result to agree yet"
        return None

    def why_not_change(self) -> str | None:
        if self.signed_off is not None:
            return f"signed off by {self.signed_off.who} at {self.signed_off.at}; no more changes can be made"
        if self.original_record is None:
            return "there is no assessment record to change yet"
        return None

    @property
    def amount_changed(self) -> bool:
        """True when the agreed amount differs from the engine's first figure."""
        before = self.original_result.weekly if self.original_result else None
        return self.agreed_weekly is not None and before is not None and self.agreed_weekly != before

    def dump(self) -> dict:
        """The `review` part of the hand-off record (JSON-ready)."""
        return {
            "adjusted_record": self.adjusted_record.dump() if self.adjusted_record else None,
            "adjusted_result": self.adjusted_result.dump() if self.adjusted_result else None,
            "override_weekly": None if self.override is None else str(self.override),
            "agreed_weekly": None if self.agreed_weekly is None else str(self.agreed_weekly),
            "signed_off": self.signed_off is not None,
            "changes": [
                {"seq": c.seq, "at": c.at, "who": c.who, "what": c.what, "why": c.why, "hash": c.hash}
                for c in self.changes
            ],
        }


def policy_for(snapshot: dict):
    """The session's policy tables, as in force on its date (the figures the person saw)."""
    from ras.policy import load_policy

    as_of = snapshot.get("as_of")
    day = dt.date.fromisoformat(str(as_of)[:10]) if as_of else None
    policy = load_policy(snapshot.get("policy") or "example")
    if day is None:
        raise ReviewError("the session has no date for its policy figures (as_of)")
    return policy.at(day)


def reviewed(details: dict, *, policy_at: Any = None) -> Reviewed:
    """The review of one session from `Store.details(id)` (snapshot, record, result, audit)."""
    snap = details["snapshot"]
    record_data = details.get("record")
    result_data = details.get("result")
    original_record = AssessmentRecord.model_validate(record_data) if record_data else None
    original_result = Allocation.model_validate(result_data) if result_data else None
    changes: list[ReviewedChange] = []
    others: list[ReviewedChange] = []
    for e in details.get("audit") or []:
        d = e.as_dict() if hasattr(e, "as_dict") else dict(e)
        rc = ReviewedChange(d["seq"], d["at"], d["who"], d["what"], d["why"], d["hash"])
        (changes if is_review_change(d["what"]) else others).append(rc)
    adjusted = record_data
    override: Decimal | None = None
    signed: ReviewedChange | None = None
    pa = None
    if record_data and (original_result is not None or changes):
        pa = policy_at if policy_at is not None else policy_for(snap)
    for c in changes:
        if c.what["kind"] == "amount":
            override = None if c.what.get("to") is None else Decimal(str(c.what["to"]))
        elif c.what["kind"] == "sign_off":
            signed = signed or c
        elif adjusted is not None and pa is not None:
            try:
                adjusted = apply(adjusted, c.what, outcome_areas(pa))
            except ReviewError:
                pass  # an entry written before the rule existed: it is listed, and changes nothing
    adjusted_record = AssessmentRecord.model_validate(adjusted) if adjusted else None
    method = original_result.method if original_result else None
    adjusted_result = None
    if adjusted_record is not None and pa is not None:
        adjusted_result = calculate(adjusted_record, pa, method)
        method = adjusted_result.method
    agreed: Decimal | None
    if override is not None:
        agreed = override
    else:
        agreed = adjusted_result.weekly if adjusted_result is not None else None
    status = snap.get("status") or "in_progress"
    if signed is not None:
        status = "agreed"
    return Reviewed(
        session_id=snap["id"],
        status=status,
        policy=snap.get("policy"),
        as_of=None if snap.get("as_of") is None else str(snap.get("as_of")),
        method=method,
        original_record=original_record,
        original_result=original_result,
        adjusted_record=adjusted_record,
        adjusted_result=adjusted_result,
        override=override,
        agreed_weekly=agreed,
        changes=tuple(changes),
        other_entries=tuple(others),
        signed_off=signed,
    )


def prepare(review: Reviewed, change: Change) -> dict:
    """The audit `what` for `change` on top of `review`, with the value before; refuses what cannot be."""
    if change.kind == "sign_off":
        why = review.why_not_sign_off()
        if why:
            raise ReviewError(f"cannot sign off: {why}")
        return {
            "kind": "sign_off",
            "status": "agreed",
            "from": review.status,
            "agreed_weekly": str(review.agreed_weekly),
        }
    why = review.why_not_change()
    if why:
        raise ReviewError(f"cannot change this session: {why}")
    what = dict(change.what)
    record = review.adjusted_record.dump() if review.adjusted_record else {}
    if change.kind == "set":
        before = current_value(record, what["field"])
        if before == what["to"]:
            raise ReviewError(f"{what['field']} is already {show_value(before)}")
        what = {"kind": "set", "field": what["field"], "from": before, "to": what["to"]}
    elif change.kind == "add_outcome":
        if what["outcome"] in (record.get("unable_outcomes") or []) and not what.get("ways"):
            raise ReviewError(f"{what['outcome']} is already an outcome the person is unable to achieve")
    elif change.kind == "remove_outcome":
        if what["outcome"] not in (record.get("unable_outcomes") or []):
            raise ReviewError(f"{what['outcome']} is not among the outcomes the person is unable to achieve")
    elif change.kind == "amount":
        before = review.agreed_weekly
        if what["to"] is None and review.override is None:
            raise ReviewError("there is no different amount to clear")
        if what["to"] is not None and before is not None and Decimal(what["to"]) == before:
            raise ReviewError(f"the agreed amount is already {before}")
        what = {"kind": "amount", "field": "weekly", "from": None if before is None else str(before), "to": what["to"]}
    # the adjusted record must still be a valid record, under the shared consistency rules
    if change.kind in ("set", "add_outcome", "remove_outcome"):
        apply(record, what, outcome_areas(policy_for_review(review)))
    return what


def policy_for_review(review: Reviewed) -> Any:
    """The policy in force for a reviewed session (its name and date)."""
    return policy_for({"policy": review.policy, "as_of": review.as_of})
