"""A worker's review as pure logic: changes over the original answers, never in place of them.

The person's answers (the stored assessment record and the engine's result) stay as they
were. Each change the worker makes is one entry of the audit trail (who, when, what,
why); `reviewed(details)` replays them in order over a copy of the record and recomputes
the result with the engine, under the session's policy, date and method.

An audit entry's `what` for a review change:

    {"kind": "set", "field": "areas.health.need", "from": 2, "to": 3}
    {"kind": "add_outcome", "field": "unable_outcomes", "outcome": "nutrition", "ways": ["unsafe"]}
    {"kind": "remove_outcome", "field": "unable_outcomes", "outcome": "nutrition"}
    {"kind": "amount", "field": "weekly", "from": "195.00", "to": "480.00"}   # "to": null clears it
    {"kind": "sign_off", "status": "agreed", "from": "handed_off", "agreed_weekly": "480.00"}

Entries of other shapes (notes written by other tools) are shown but change nothing.
No Textual, no database: the store and the commands call this.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ras.changes import ChangeRefused, RecordChange, apply_change, outcome_areas
from ras.engine import calculate
from ras.models import (
    AREA_IDS,
    CLIENT_GROUPS,
    OUTCOME_IDS,
    SUPPORT_LEVELS,
    UNABLE_WAYS,
    Allocation,
    AssessmentRecord,
)
from ras.money import pence

KINDS = ("set", "add_outcome", "remove_outcome", "amount", "sign_off")
MAX_AMOUNT = Decimal("100000.00")
"""A weekly amount above this is a typing slip, not a care package."""
MAX_REASON = 2000

SETTABLE: dict[str, str] = {
    **{f"areas.{a}.{p}": p for a in AREA_IDS for p in ("need", "risk", "unpaid_support")},
    "client_group": "client_group",
    "fluctuating": "flag",
    "impairment": "flag",
    "wellbeing_impact": "flag",
}
"""Fields a worker may set, and what kind of value each takes."""


class ReviewError(ValueError):
    """A change that cannot be made; the text is one line, fit to show the worker."""


# ----- changes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One change as asked for, before it is written to the audit trail."""

    what: dict[str, Any]

    @property
    def kind(self) -> str:
        return self.what["kind"]


def set_field(field_name: str, value: Any) -> Change:
    """`areas.health.need=3`, `client_group=mental_health`, `fluctuating=yes`."""
    field_name = (field_name or "").strip()
    if field_name not in SETTABLE:
        raise ReviewError(f"cannot set {field_name!r}: choose one of {', '.join(SETTABLE)}")
    return Change({"kind": "set", "field": field_name, "to": parse_value(field_name, value)})


def add_outcome(outcome: str, ways: list[str] | tuple[str, ...] = ()) -> Change:
    outcome = _outcome(outcome)
    ways = [w.strip() for w in ways if w and w.strip()]
    bad = [w for w in ways if w not in UNABLE_WAYS]
    if bad:
        raise ReviewError(f"unknown way {bad[0]!r}: the reg. 2(3) ways are {', '.join(UNABLE_WAYS)}")
    what: dict[str, Any] = {"kind": "add_outcome", "field": "unable_outcomes", "outcome": outcome}
    if ways:
        what["ways"] = [w for w in UNABLE_WAYS if w in ways]
    return Change(what)


def remove_outcome(outcome: str) -> Change:
    return Change({"kind": "remove_outcome", "field": "unable_outcomes", "outcome": _outcome(outcome)})


def set_amount(amount: Any) -> Change:
    """A weekly amount agreed outside the tables; None, "" or "none" clears an earlier one."""
    if amount is None or (isinstance(amount, str) and amount.strip().lower() in ("", "none", "clear")):
        return Change({"kind": "amount", "field": "weekly", "to": None})
    return Change({"kind": "amount", "field": "weekly", "to": str(parse_amount(amount))})


def sign_off() -> Change:
    return Change({"kind": "sign_off", "status": "agreed"})


def parse_assignment(text: str) -> Change:
    """`areas.health.need=3` (the form of `ras-chat review --set`)."""
    if "=" not in (text or ""):
        raise ReviewError(f"--set {text!r}: write FIELD=VALUE, for example areas.health.need=3")
    name, value = text.split("=", 1)
    return set_field(name, value)


def parse_value(field_name: str, value: Any) -> Any:
    kind = SETTABLE[field_name]
    text = str(value).strip().lower() if value is not None else ""
    if kind in ("need", "risk"):
        if isinstance(value, bool):
            raise ReviewError(f"{field_name}: a whole number from 0 to 4")
        try:
            level = int(value) if isinstance(value, int) else int(text)
        except ValueError:
            raise ReviewError(f"{field_name}: a whole number from 0 to 4, not {value!r}") from None
        if not 0 <= level <= 4:
            raise ReviewError(f"{field_name}: a whole number from 0 to 4, not {level}")
        return level
    if kind == "unpaid_support":
        if text not in SUPPORT_LEVELS:
            raise ReviewError(f"{field_name}: one of {', '.join(SUPPORT_LEVELS)}, not {value!r}")
        return text
    if kind == "client_group":
        text = text.replace(" ", "_").replace("-", "_")
        if text not in CLIENT_GROUPS:
            raise ReviewError(f"client_group: one of {', '.join(CLIENT_GROUPS)}, not {value!r}")
        return text
    if isinstance(value, bool):
        return value
    if text in ("yes", "y", "true", "1"):
        return True
    if text in ("no", "n", "false", "0"):
        return False
    raise ReviewError(f"{field_name}: yes or no, not {value!r}")


def parse_amount(amount: Any) -> Decimal:
    text = str(amount).strip().lstrip("£").replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ReviewError(f"amount: a weekly amount in pounds such as 480.00, not {amount!r}") from None
    if not value.is_finite() or value < 0:
        raise ReviewError(f"amount: a weekly amount in pounds such as 480.00, not {amount!r}")
    if value > MAX_AMOUNT:
        raise ReviewError(f"amount: {value} a week is more than {MAX_AMOUNT}; check the figure")
    if value != pence(value):
        raise ReviewError(f"amount: whole pence only, not {amount!r}")
    return pence(value)


def check_reason(why: Any) -> str:
    """The reason, trimmed; a blank one is refused (every change must say why)."""
    text = why.strip() if isinstance(why, str) else ""
    if not text:
        raise ReviewError("a reason is required: say why you are making this change")
    if len(text) > MAX_REASON:
        raise ReviewError(f"the reason is too long ({len(text)} characters; at most {MAX_REASON})")
    return text


def _outcome(outcome: str) -> str:
    o = (outcome or "").strip().lower().replace(" ", "_").replace("-", "_")
    if o not in OUTCOME_IDS:
        raise ReviewError(f"unknown outcome {outcome!r}: choose one of {', '.join(OUTCOME_IDS)}")
    return o


# ----- replaying changes --------------------------------------------------------------------------


def as_record_change(what: dict) -> RecordChange:
    """An audit entry's `what` (set / add_outcome / remove_outcome) as a `ras.changes` change."""
    if what.get("kind") == "set":
        return RecordChange("set", what["field"], what["to"])
    return RecordChange(what["kind"], what["outcome"], ways=tuple(what.get("ways") or ()))


def apply(record: dict, what: dict, areas_of: dict[str, str]) -> dict:
    """A new record dict with one change made (the argument is not touched), with the same
    consistency rules as the conversation and the what-if (`ras.changes.apply_change`).
    Raises ReviewError for a change that cannot be made."""
    try:
        return apply_change(record, as_record_change(what), areas_of).dump()
    except ChangeRefused as exc:
        raise ReviewError(str(exc)) from None


def current_value(record: dict | None, field_name: str) -> Any:
    data: Any = record or {}
    for p in field_name.split("."):
        data = data.get(p) if isinstance(data, dict) else None
    if data is None and field_name.startswith("areas."):
        return {"need": 0, "risk": 0, "unpaid_support": "none"}[field_name.rsplit(".", 1)[1]]
    return data


def is_review_change(what: Any) -> bool:
    return isinstance(what, dict) and what.get("kind") in KINDS


# ----- the reviewed session ----------------------------------------------------------------------


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
            raise ReviewError(f"{what['field']} is already {_show(before)}")
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


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


# ----- words ------------------------------------------------------------------------------------


def describe(what: dict) -> str:
    """A change in professional terms, one line: `areas.health.need: 2 -> 3`."""
    kind = what.get("kind")
    if kind == "set":
        return f"{what.get('field')}: {_show(what.get('from', '-'))} -> {_show(what.get('to'))}"
    if kind == "add_outcome":
        ways = f" ({', '.join(w.replace('_', ' ') for w in what['ways'])})" if what.get("ways") else ""
        return f"unable outcome added: {what.get('outcome', '').replace('_', ' ')}{ways}"
    if kind == "remove_outcome":
        return f"unable outcome removed: {what.get('outcome', '').replace('_', ' ')}"
    if kind == "amount":
        to = what.get("to")
        return f"weekly amount: {what.get('from') or '-'} -> {to if to is not None else 'back to the calculated amount'}"
    if kind == "sign_off":
        return f"signed off: status {what.get('from', '-')} -> agreed at {what.get('agreed_weekly', '-')} a week"
    return "; ".join(f"{k}={v}" for k, v in what.items())
