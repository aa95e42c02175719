"""The record fields a question can set (`sets:` in a dialogue file), in one place.

A question declares the field its answer fills, for example `sets: areas.{area}.need`.
Everything that reads answers (the record, the carer record, the summary, the hand-off,
the registry's conditions) asks for a field, never for a state's name, so a council may
rename any state and the record stays the same.

A field pattern's placeholders follow the question's scope: `{area}` for `scope: area`,
`{area}` and `{outcome}` (or just `{outcome}`) for `scope: outcome`, `{question}` for
`scope: money`. No Python reads a state's name to find an answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Section = Literal["start", "area", "about", "carer", "money"]


@dataclass(frozen=True)
class FieldSpec:
    scope: Literal["once", "area", "outcome", "money"]
    section: Section
    required: bool = False
    """The assessment record cannot be built without it: some reachable question must set it."""
    kind: Literal["text", "choice", "multi", "money"] = "choice"
    worker_name: str = ""
    """What the field is, in a worker's words (for flags, the hand-off and the tools)."""


FIELDS: dict[str, FieldSpec] = {
    "who": FieldSpec("once", "start", worker_name="Who is answering"),
    "name": FieldSpec("once", "start", kind="text", worker_name="What the person likes to be called"),
    "what_matters": FieldSpec("once", "start", kind="text", worker_name="What matters most"),
    "start_area": FieldSpec("once", "start", worker_name="Area to start with"),
    "retired": FieldSpec("once", "start", worker_name="Retired from work"),
    "areas.{area}.what_matters": FieldSpec("area", "area", kind="text", worker_name="What matters in this area"),
    "areas.{area}.going_well": FieldSpec("area", "area", kind="text", worker_name="What is going well"),
    "areas.{area}.need": FieldSpec("area", "area", required=True, worker_name="Need"),
    "areas.{area}.unpaid_support": FieldSpec("area", "area", required=True, worker_name="Unpaid support"),
    "areas.{area}.support_sustainable": FieldSpec("area", "area", worker_name="Unpaid support can carry on"),
    "areas.{area}.risk": FieldSpec("area", "area", required=True, worker_name="Risk if the need is not met"),
    "unable_outcomes.{area}": FieldSpec("area", "area", required=True, kind="multi", worker_name="Outcomes said to be hard"),
    "unable_reasons.{outcome}": FieldSpec("outcome", "area", required=True, kind="multi", worker_name="Reg. 2(3) ways the outcome cannot be achieved"),
    "client_group": FieldSpec("once", "about", required=True, worker_name="Primary support reason"),
    "impairment": FieldSpec("once", "about", worker_name="Physical or mental impairment or illness"),
    "fluctuating": FieldSpec("once", "about", required=True, worker_name="Fluctuating needs"),
    "wellbeing_impact": FieldSpec("once", "about", worker_name="Significant impact on wellbeing"),
    "carer.present": FieldSpec("once", "carer", worker_name="Has an unpaid carer"),
    "carer.coping": FieldSpec("once", "carer", worker_name="How the carer is coping (as told by the person)"),
    "carer.offer": FieldSpec("once", "carer", worker_name="Carer's assessment offered"),
    "carer.ready": FieldSpec("once", "carer", worker_name="Carer ready for their own talk"),
    "carer.relationship": FieldSpec("once", "carer", kind="text", worker_name="Carer's relationship"),
    "carer.hours_caring_per_week": FieldSpec("once", "carer", worker_name="Carer's hours a week"),
    "carer.health_at_risk": FieldSpec("once", "carer", worker_name="Carer's health at risk"),
    "carer.unable_outcomes": FieldSpec("once", "carer", kind="multi", worker_name="Carer's outcomes (reg. 3(2))"),
    "carer.wellbeing_impact": FieldSpec("once", "carer", worker_name="Significant impact on the carer's wellbeing"),
    "carer.willing_to_continue": FieldSpec("once", "carer", worker_name="Carer willing to continue"),
    "money.offer": FieldSpec("once", "money", worker_name="Money part offered"),
    "money.{question}": FieldSpec("money", "money", kind="money", worker_name="Financial assessment answer"),
}
"""Every field a dialogue may set. A `sets:` naming anything else is refused at load."""

SCOPE_PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "once": (),
    "area": ("area",),
    "outcome": ("outcome",),
    "money": ("question",),
}

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def placeholders(pattern: str) -> tuple[str, ...]:
    return tuple(_PLACEHOLDER.findall(pattern))


def concrete(pattern: str, *, area: str | None = None, outcome: str | None = None, question: str | None = None) -> str:
    """`areas.{area}.need` with area=health -> `areas.health.need`."""
    values = {"area": area, "outcome": outcome, "question": question}
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1)) or m.group(0)), pattern)


def split(field: str) -> tuple[str, dict[str, str]] | None:
    """`areas.health.need` -> (`areas.{area}.need`, {"area": "health"}); None when no
    pattern fits. A pattern without placeholders only fits itself."""
    if field in FIELDS:
        return field, {}
    for pattern in FIELDS:
        names = placeholders(pattern)
        if not names:
            continue
        regex = "^" + _PLACEHOLDER.sub(lambda m: f"(?P<{m.group(1)}>[a-z0-9_]+)", re.escape(pattern).replace(r"\{", "{").replace(r"\}", "}")) + "$"
        m = re.match(regex, field)
        if m:
            return pattern, m.groupdict()
    return None


def section_of(pattern: str) -> Section:
    return FIELDS[pattern].section


__all__ = ["FIELDS", "FieldSpec", "SCOPE_PLACEHOLDERS", "Section", "concrete", "placeholders", "section_of", "split"]
