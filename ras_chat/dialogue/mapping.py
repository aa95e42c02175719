"""From answers to records: every answer is found by the field its question sets.

`session.answer("areas.{area}.need", area="health")` finds the state whose `sets:` is that
field, then the answer kept for it. Nothing here knows a state's name, so a council can
rename states and the record stays the same. The consistency rules (a need of 0 means
risk 0 and no unpaid support) are `ras.changes.consistent`, shared with the review and
the training what-if.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ras.changes import consistent, outcome_areas
from ras.models import (
    AREA_IDS,
    CARER_FIELDS,
    CARER_OUTCOME_IDS,
    CARER_REG3_FIELDS,
    CLIENT_GROUPS,
    OUTCOME_IDS,
    UNABLE_WAYS,
    AssessmentRecord,
    CarerRecord,
)
from ras_chat.dialogue import registry
from ras_chat.dialogue.fields import FIELDS, concrete, placeholders, split
from ras_chat.dialogue.parts import SessionParts

if TYPE_CHECKING:  # pragma: no cover
    from ras_chat.dialogue.loader import Dialogue

COPING = ("coping", "struggling", "at_breaking_point")


def unknown(value: Any) -> str | None:
    """"skipped", "dont_know" or "gave_up" for an answer that is not a value, else None."""
    if isinstance(value, dict):
        return value.get("unknown")
    return None


def level(value: Any) -> int | None:
    """A scale answer ("3") as a number; None when not answered or not known."""
    return int(value) if isinstance(value, str) and value.isdigit() else None


def text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


class Answers(SessionParts):
    """The answers of one session, by field (a mixin of `Session`)."""

    def key_for(self, pattern: str, *, area: str | None = None, outcome: str | None = None, question: str | None = None) -> str | None:
        """The answer key for a field (`areas.{area}.need`, area="health"), or None when no
        question of this dialogue sets it."""
        name = self.dialogue.setter(pattern)
        if name is None:
            return None
        scope = self.dialogue.states[name].scope
        if scope == "area":
            return f"{name}:{area}"
        if scope == "outcome":
            if area is None and outcome in self.policy_at.outcomes:
                area = self.policy_at.outcomes[outcome].area
            return f"{name}:{area}:{outcome}"
        if scope == "money":
            return f"{name}:{question}"
        return name

    def answer(self, pattern: str, **where: str | None) -> Any:
        """The answer given for a field, or None (an unknown answer is {"unknown": how})."""
        key = self.key_for(pattern, **where)
        return self.state.answers.get(key) if key else None

    def answered(self, pattern: str, **where: str | None) -> bool:
        key = self.key_for(pattern, **where)
        return key is not None and key in self.state.answers

    def fields(self) -> dict[str, Any]:
        """Every answer given so far, keyed by its concrete field (`areas.health.need`)."""
        return fields_of(self.dialogue, self.state.answers)

    def _area_need(self, area: str) -> int | None:
        return level(self.answer("areas.{area}.need", area=area))

    def picked(self, area: str | None) -> list[str]:
        """The everyday things the person said are hard in `area` (a part of life with only
        one is asked about directly, so that one is always "picked")."""
        ids = [o for o in OUTCOME_IDS if self.policy_at.outcomes[o].area == area]
        if len(ids) == 1:
            return ids
        value = self.answer("unable_outcomes.{area}", area=area)
        if not isinstance(value, list):
            return []
        return [v for v in value if v in ids]

    def unable(self) -> tuple[list[str], dict[str, list[str]]]:
        """The everyday things the person cannot achieve (reg. 2(3): a way is true), with the ways."""
        unable: list[str] = []
        reasons: dict[str, list[str]] = {}
        for area in AREA_IDS:
            if not self._area_need(area):
                continue
            for o in self.picked(area):
                ways = self.answer("unable_reasons.{outcome}", area=area, outcome=o)
                real = [w for w in UNABLE_WAYS if isinstance(ways, list) and w in ways]
                if real and o not in unable:
                    unable.append(o)
                    reasons[o] = real
        return sorted(unable, key=OUTCOME_IDS.index), reasons

    def record(self) -> AssessmentRecord | None:
        """The assessment record so far (a draft until the hand-off); None before any area is answered."""
        if not any(self.answered("areas.{area}.need", area=area) for area in AREA_IDS):
            return None
        settings = self.dialogue.spec.settings
        areas: dict[str, dict] = {}
        # unpaid help is help "willing and able to carry on": when the person says their carer
        # cannot, the help is still counted as said, and each area it is counted in says so
        # for the worker (the urgent carer flag asks them to check it)
        cannot_go_on = self.answer("carer.coping") == "at_breaking_point" or self.answer("carer.willing_to_continue") == "no"
        for area in AREA_IDS:
            support = self.answer("areas.{area}.unpaid_support", area=area)
            areas[area] = {
                "need": self._area_need(area) or 0,
                "risk": level(self.answer("areas.{area}.risk", area=area)) or 0,
                "unpaid_support": support if support in ("none", "some", "most") else "none",
            }
        unable, reasons = self.unable()
        group = self.answer("client_group")
        wellbeing = any(a["need"] > 0 and a["risk"] >= settings.wellbeing_impact_min_risk for a in areas.values())
        notes = {}
        for area in AREA_IDS:
            bits = []
            for pattern, label in (("areas.{area}.what_matters", "What matters and what is going well"), ("areas.{area}.going_well", "Going well")):
                said = text(self.answer(pattern, area=area))
                if said:
                    bits.append(f"{label}: {said}")
            if area == registry.work_area(self.whole) and registry.retired_skips_area_for(self.whole):
                bits.append("Retired: not asked about work, learning and money (the person did not raise it)")
            said = self.answer("areas.{area}.unpaid_support", area=area)
            if cannot_go_on and said in ("some", "most"):
                bits.append(f"Unpaid support counted as {said}, but the carer cannot carry on like this: check it can continue")
            if bits:
                notes[area] = " | ".join(bits)
        not_known = self.not_known()
        data = {
            "schema": "ras-assessment/2" if not_known else "ras-assessment/1",
            "not_known": not_known or None,
            "id": self.state.id,
            "client_group": group if group in CLIENT_GROUPS else settings.client_group_if_unknown,
            "impairment": group != "none",
            "wellbeing_impact": wellbeing,
            "unable_outcomes": unable,
            "fluctuating": self.answer("fluctuating") == "yes",
            "areas": areas,
            "unable_reasons": reasons or None,
            "what_matters": text(self.answer("what_matters")),
            "area_notes": notes or None,
            "notes": f"Answered by: {self.state.who}" if self.state.who else None,
            "flags": tuple(f"{f.level}: {f.code}: {f.text}" for f in self.state.flags) or None,
        }
        return AssessmentRecord.model_validate(consistent(data, outcome_areas(self.policy_at)))

    def not_known(self) -> list[str]:
        """The record fields whose answer is not known (skipped, not sure, never understood),
        in the record's order. A need not known leaves its support and risk unasked."""
        out: list[str] = []
        for area in AREA_IDS:
            need = self.answer("areas.{area}.need", area=area)
            if unknown(need):
                out.append(f"areas.{area}.need")
                continue
            if not level(need):
                continue
            for pattern in ("areas.{area}.unpaid_support", "areas.{area}.risk", "unable_outcomes.{area}"):
                if unknown(self.answer(pattern, area=area)):
                    out.append(concrete(pattern, area=area))
            for o in self.picked(area):
                if unknown(self.answer("unable_reasons.{outcome}", area=area, outcome=o)):
                    out.append(f"unable_reasons.{o}")
        out += [f for f in ("client_group", "fluctuating") if unknown(self.answer(f))]
        return out

    def carer_record(self) -> CarerRecord | None:
        """The carer's own record, when the carer had their own talk: `ras-carer/1`, or
        `ras-carer/2` with `not_known` when an answer was skipped, not known or never understood
        (held at its least in the record, never read as a no). A talk that stopped before
        its end (a safety stop, or the person left) keeps what the carer said, and the reg. 3
        answers not given yet are not known: the worker sees the part, never a "no"."""
        if self.answer("carer.ready") != "yes":
            return None
        said = {
            "health_at_risk": self.answer("carer.health_at_risk"),
            "unable_outcomes": self.answer("carer.unable_outcomes"),
            "wellbeing_impact": self.answer("carer.wellbeing_impact"),
            "cared_for_relationship": self.answer("carer.relationship"),
            "hours_caring_per_week": self.answer("carer.hours_caring_per_week"),
            "coping": self.answer("carer.coping"),
            "willing_to_continue": self.answer("carer.willing_to_continue"),
        }
        # reg. 3 answers not given yet (the talk stopped part way) are not known either
        not_known = [f for f in CARER_FIELDS if unknown(said[f]) or (f in CARER_REG3_FIELDS and said[f] is None)]
        hard, hours, coping, cont = said["unable_outcomes"], said["hours_caring_per_week"], said["coping"], said["willing_to_continue"]
        return CarerRecord.model_validate(
            {
                "schema": "ras-carer/2" if not_known else "ras-carer/1",
                "not_known": not_known or None,
                "needs_from_caring": True,
                "health_at_risk": said["health_at_risk"] == "yes",
                "unable_outcomes": [o for o in CARER_OUTCOME_IDS if isinstance(hard, list) and o in hard],
                "wellbeing_impact": said["wellbeing_impact"] == "yes",
                "cared_for_relationship": text(said["cared_for_relationship"]),
                "hours_caring_per_week": float(hours) if isinstance(hours, str) and hours.isdigit() else None,
                "coping": coping if coping in COPING else None,
                "willing_to_continue": {"yes": True, "less": True, "no": False}.get(cont) if isinstance(cont, str) else None,
            }
        )


def field_of_key(dialogue: Dialogue, key: str) -> str | None:
    """The concrete field an answer key holds (`area_need:health` -> `areas.health.need`)."""
    name, *rest = key.split(":")
    state = dialogue.states.get(name)
    if state is None or state.sets is None:
        return None
    pattern = state.sets
    names = placeholders(pattern)
    if "question" in names:
        return concrete(pattern, question=rest[0] if rest else None)
    if "outcome" in names:
        return concrete(pattern, outcome=rest[-1] if rest else None)
    if "area" in names:
        return concrete(pattern, area=rest[0] if rest else None)
    return pattern


def fields_of(dialogue: Dialogue, answers: dict[str, Any]) -> dict[str, Any]:
    """Saved answers (keyed by state) by the concrete field each sets; control answers
    (such as "is this right?") set no field and are left out."""
    out: dict[str, Any] = {}
    for key, value in answers.items():
        field = field_of_key(dialogue, key)
        if field is not None:
            out[field] = value
    return out


def required_fields() -> list[str]:
    return [p for p, spec in FIELDS.items() if spec.required]


__all__ = ["Answers", "field_of_key", "fields_of", "level", "required_fields", "split", "text", "unknown"]
