"""Changing an assessment record: one function, with every consistency rule in it.

The conversation (building the record from answers), a worker's review and the training
"what if" all change records. They all come here, so the three always agree:

- A need of 0 in a part of life leaves nothing to ask there: its risk is 0, it has no
  unpaid support, and no everyday thing in that part counts as one the person is unable
  to achieve (the conversation does not ask about them).
- Reasons (the reg. 2(3) ways) are kept only for everyday things that are ticked.
- Everyday things are listed in the law's order, each once.

An everyday thing cannot be ticked in a part of life whose need is 0: set the need first
(`ChangeRefused`). Pure: no clock, no I/O.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from ras.models import AREA_IDS, OUTCOME_IDS, AssessmentRecord

AREA_FIELDS: tuple[str, ...] = ("need", "risk", "unpaid_support")
TOP_FIELDS: tuple[str, ...] = ("client_group", "fluctuating", "impairment", "wellbeing_impact")
NO_NEED: dict[str, Any] = {"need": 0, "risk": 0, "unpaid_support": "none"}
"""What a part of life with no need holds."""


class ChangeRefused(ValueError):
    """A change that cannot be made; the text is one line, fit to show a worker."""


@dataclass(frozen=True)
class RecordChange:
    """`set` a field (`areas.health.need`, `client_group`, `fluctuating`, ...) to `value`;
    `add_outcome` / `remove_outcome` an everyday thing (`field` is its id), with `ways`."""

    kind: Literal["set", "add_outcome", "remove_outcome"]
    field: str
    value: Any = None
    ways: tuple[str, ...] = ()


def outcome_areas(policy: Any) -> dict[str, str]:
    """Outcome id -> the part of life it belongs to, from a policy in force (`PolicyAt`)."""
    return {o: policy.outcomes[o].area for o in OUTCOME_IDS}


def consistent(data: dict, areas_of: Mapping[str, str]) -> dict:
    """A copy of record data with the consistency rules applied (see the module's text)."""
    out = copy.deepcopy(data)
    areas = out.setdefault("areas", {})
    empty = set()
    for area in AREA_IDS:
        a = areas.get(area)
        if a is None or not a.get("need"):
            areas[area] = {**(a or {}), **NO_NEED}
            empty.add(area)
    ticked = [o for o in OUTCOME_IDS if o in (out.get("unable_outcomes") or ()) and areas_of.get(o) not in empty]
    out["unable_outcomes"] = ticked
    reasons = {o: list(w) for o, w in (out.get("unable_reasons") or {}).items() if o in ticked and w}
    out["unable_reasons"] = reasons or None
    return out


def apply_change(record: AssessmentRecord | dict, change: RecordChange, areas_of: Mapping[str, str]) -> AssessmentRecord:
    """A new record with one change made and the consistency rules kept (the argument is
    not touched). Raises ChangeRefused for a field that is not there, a value the record
    cannot take, or an everyday thing ticked where the need is 0."""
    data = record.dump() if isinstance(record, AssessmentRecord) else copy.deepcopy(record)
    parts = change.field.split(".")
    if change.kind == "set":
        if len(parts) == 3 and parts[0] == "areas" and parts[1] in AREA_IDS and parts[2] in AREA_FIELDS:
            data.setdefault("areas", {}).setdefault(parts[1], dict(NO_NEED))[parts[2]] = change.value
        elif len(parts) == 1 and parts[0] in TOP_FIELDS:
            data[parts[0]] = change.value
        else:
            raise ChangeRefused(f"`{change.field}` is not a field that can be set")
    elif change.kind in ("add_outcome", "remove_outcome"):
        outcome = change.field
        if outcome not in OUTCOME_IDS:
            raise ChangeRefused(f"unknown everyday thing {outcome!r}: choose one of {', '.join(OUTCOME_IDS)}")
        ticked = [o for o in data.get("unable_outcomes") or () if o != outcome]
        reasons = dict(data.get("unable_reasons") or {})
        reasons.pop(outcome, None)
        if change.kind == "add_outcome":
            area = areas_of.get(outcome)
            if not ((data.get("areas") or {}).get(area) or {}).get("need"):
                raise ChangeRefused(f"`{outcome}` is in {area}, where the need is 0: set areas.{area}.need first")
            ticked.append(outcome)
            if change.ways:
                reasons[outcome] = list(change.ways)
        data["unable_outcomes"] = ticked
        data["unable_reasons"] = reasons or None
    else:  # pragma: no cover - the Literal keeps this out
        raise ChangeRefused(f"unknown change {change.kind!r}")
    return validated(consistent(data, areas_of), what=change.field, value=change.value)


def validated(data: dict, *, what: str = "record", value: Any = None) -> AssessmentRecord:
    try:
        return AssessmentRecord.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ChangeRefused(f"`{what}` cannot be {value!r}: {err.get('msg', 'not valid')}") from None


__all__ = ["AREA_FIELDS", "ChangeRefused", "NO_NEED", "RecordChange", "TOP_FIELDS", "apply_change", "consistent", "outcome_areas", "validated"]
