"""A worker's changes as pure logic: asked for, checked, replayed over a record, described.

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

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ras.changes import ChangeRefused, RecordChange, apply_change
from ras.models import (
    AREA_IDS,
    CLIENT_GROUPS,
    OUTCOME_IDS,
    SUPPORT_LEVELS,
    UNABLE_WAYS,
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



def show_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)



# ----- words ------------------------------------------------------------------------------------


def describe(what: dict) -> str:
    """A change in professional terms, one line: `areas.health.need: 2 -> 3`."""
    kind = what.get("kind")
    if kind == "set":
        return f"{what.get('field')}: {show_value(what.get('from', '-'))} -> {show_value(what.get('to'))}"
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
