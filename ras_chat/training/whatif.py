""""What if": change one answer in a record and see each method's amount move.

Pure: a record and a policy in, a comparison out. A change is `(path, value)`:

    areas.<area>.need | areas.<area>.risk | areas.<area>.unpaid_support
    outcomes.<outcome id>   True to tick it as one the person cannot achieve, False to untick
    client_group | fluctuating | impairment | wellbeing_impact

As in the conversation, a need of 0 leaves nothing to ask about that part of life, so
setting a need to 0 also sets its risk to 0 and its unpaid support to "none".
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from ras.engine import compare
from ras.models import AREA_IDS, METHODS, OUTCOME_IDS, Allocation, AssessmentRecord
from ras.policy import PolicyAt

AREA_FIELDS = ("need", "risk", "unpaid_support")
TOP_FIELDS = ("client_group", "fluctuating", "impairment", "wellbeing_impact")


class BadChange(ValueError):
    """A what-if change that does not name an answer, or gives a value it cannot take."""


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class ElementMove(_Out):
    area: str
    name: str
    before: Decimal
    after: Decimal


class MethodMove(_Out):
    method: str
    before: Decimal
    after: Decimal
    band_before: str | None
    band_after: str | None
    shortfall_before: Decimal
    shortfall_after: Decimal
    elements: tuple[ElementMove, ...]
    """Only the elements whose amount changed."""

    @property
    def change(self) -> Decimal:
        return self.after - self.before


class WhatIf(_Out):
    path: str
    value_before: Any
    value_after: Any
    eligible_before: bool
    eligible_after: bool
    record_after: AssessmentRecord
    methods: tuple[MethodMove, ...]

    def method(self, name: str) -> MethodMove:
        return next(m for m in self.methods if m.method == name)

    @property
    def changed(self) -> bool:
        return any(m.change or m.band_before != m.band_after for m in self.methods)


def get_answer(record: AssessmentRecord, path: str) -> Any:
    """The value at `path` in `record` (same paths as `what_if`)."""
    parts = path.split(".")
    if parts[0] == "areas" and len(parts) == 3 and parts[1] in AREA_IDS and parts[2] in AREA_FIELDS:
        return getattr(record.areas.get(parts[1]), parts[2])
    if parts[0] == "outcomes" and len(parts) == 2 and parts[1] in OUTCOME_IDS:
        return parts[1] in record.unable_outcomes
    if len(parts) == 1 and parts[0] in TOP_FIELDS:
        return getattr(record, parts[0])
    raise BadChange(f"`{path}` is not an answer that can be changed (try areas.health.need, outcomes.nutrition, client_group, fluctuating)")


def with_change(record: AssessmentRecord, path: str, value: Any) -> AssessmentRecord:
    """A copy of `record` with one answer changed (checked by the record's own schema)."""
    get_answer(record, path)  # names a real answer
    data = record.dump()
    parts = path.split(".")
    if parts[0] == "areas":
        area = data["areas"][parts[1]]
        area[parts[2]] = value
        if parts[2] == "need" and value == 0:
            area["risk"], area["unpaid_support"] = 0, "none"
    elif parts[0] == "outcomes":
        if not isinstance(value, bool):
            raise BadChange(f"`{path}` takes true or false")
        ticked = [o for o in data.get("unable_outcomes", []) if o != parts[1]]
        if value:
            ticked.append(parts[1])
        data["unable_outcomes"] = [o for o in OUTCOME_IDS if o in ticked]
    else:
        data[parts[0]] = value
    try:
        return AssessmentRecord.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise BadChange(f"`{path}` cannot be {value!r}: {err.get('msg', 'not valid')}") from None


def parse_value(text: str) -> Any:
    """A value typed as text: numbers, true/false, or the word itself."""
    t = text.strip()
    if t.lower() in ("true", "yes"):
        return True
    if t.lower() in ("false", "no"):
        return False
    if t.isdigit():
        return int(t)
    return t


def moves(before: dict[str, Allocation], after: dict[str, Allocation]) -> tuple[MethodMove, ...]:
    out = []
    for m in METHODS:
        b, a = before[m], after[m]
        elements = tuple(
            ElementMove(area=eb.area, name=eb.name, before=eb.amount, after=ea.amount)
            for eb, ea in zip(b.elements, a.elements)
            if eb.amount != ea.amount
        )
        out.append(
            MethodMove(
                method=m, before=b.weekly, after=a.weekly, band_before=b.band, band_after=a.band,
                shortfall_before=b.shortfall, shortfall_after=a.shortfall, elements=elements,
            )
        )
    return tuple(out)


def what_if(record: AssessmentRecord, change: tuple[str, Any], policy: PolicyAt) -> WhatIf:
    """Each method's amount before and after one answer changes, with the elements that moved."""
    path, value = change
    old = get_answer(record, path)
    changed = with_change(record, path, value)
    before, after = compare(record, policy), compare(changed, policy)
    first_b, first_a = next(iter(before.values())), next(iter(after.values()))
    return WhatIf(
        path=path,
        value_before=old,
        value_after=get_answer(changed, path),
        eligible_before=first_b.eligible,
        eligible_after=first_a.eligible,
        record_after=changed,
        methods=moves(before, after),
    )


def what_if_lines(w: WhatIf) -> list[str]:
    """The what-if as plain text lines, side by side."""
    lines = [f"What if {w.path} were {w.value_after!r} instead of {w.value_before!r}?"]
    if w.eligible_before != w.eligible_after:
        lines.append(f"Eligible: {'yes' if w.eligible_before else 'no'} -> {'yes' if w.eligible_after else 'no'}")
    lines.append(f"{'method':<8} {'before':>9} {'after':>9} {'change':>9}  band")
    for m in w.methods:
        band = f"{m.band_before or '-'} -> {m.band_after or '-'}" if (m.band_before or m.band_after) else ""
        lines.append(f"{m.method:<8} {m.before:>9} {m.after:>9} {m.change:>+9}  {band}".rstrip())
        for e in m.elements:
            lines.append(f"           {e.name}: {e.before} -> {e.after}")
    return lines


__all__ = [
    "BadChange", "ElementMove", "MethodMove", "WhatIf",
    "get_answer", "moves", "parse_value", "what_if", "what_if_lines", "with_change",
]
