"""Which record field each question sets, and a question's options outside a conversation
(for `ras-chat dialogue understand` and the benchmark).

The dialogue file will say what each state sets (`sets:`); until it does, the table
below does. `field_of(dialogue, state)` reads `spec.sets` when the attribute exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ras_chat.dialogue.match import Option

if TYPE_CHECKING:  # pragma: no cover
    from ras_chat.dialogue.loader import Dialogue

STATE_FIELDS: dict[str, str] = {
    "who": "who",
    "what_matters_most": "what_matters",
    "confirm_areas": "start_area",
    "area_need": "areas.{area}.need",
    "area_support": "areas.{area}.unpaid_support",
    "area_risk": "areas.{area}.risk",
    "area_outcomes": "unable_outcomes",
    "outcome_ways": "unable_reasons",
    "client_group": "client_group",
    "fluctuating": "fluctuating",
    "has_carer": "carer.present",
    "carer_coping": "carer.coping",
    "carer_offer": "carer.offer",
    "carer_ready": "carer.ready",
    "carer_relationship": "carer.cared_for_relationship",
    "carer_hours": "carer.hours_caring_per_week",
    "carer_health": "carer.health_at_risk",
    "carer_hard": "carer.unable_outcomes",
    "carer_effect": "carer.wellbeing_impact",
    "carer_continue": "carer.willing_to_continue",
    "check_answers": "check",
    "change_what": "change_section",
    "money_offer": "money.offer",
    "money_question": "money.{money}",
}
"""State id -> the field its question sets ({area} and {money} are filled in)."""

MULTI_FIELDS = frozenset({"unable_outcomes", "unable_reasons", "carer.unable_outcomes"})
TEXT_FIELDS = frozenset({"what_matters", "carer.cared_for_relationship"})


def field_of(dialogue: Dialogue | None, state: str) -> str | None:
    """The field a state's question sets: the state's own `sets:` when the dialogue has
    it, else the table above."""
    if dialogue is not None and state in dialogue.states:
        spec = dialogue.states[state]
        named = getattr(spec, "examples", None) or getattr(spec, "sets", None)
        if isinstance(named, str) and named:
            return SETS_AS.get(named, named)
    return STATE_FIELDS.get(state)


SETS_AS = {"money.{question}": "money.{money}", "carer.relationship": "carer.cared_for_relationship"}
"""A dialogue's `sets:` written as this package names the same field."""


def state_of(dialogue: Dialogue | None, field: str) -> tuple[str | None, dict[str, str]]:
    """The state whose question sets `field`, and the cursor it needs ({"area": ...})."""
    bits = field.split(".")
    cursor: dict[str, str] = {}
    generic = field
    if len(bits) == 3 and bits[0] == "areas":
        cursor["area"] = bits[1]
        generic = f"areas.{{area}}.{bits[2]}"
    elif bits[0] == "money" and len(bits) == 2 and bits[1] != "offer":
        cursor["money"] = bits[1]
        generic = "money.{money}"
    names = list(dialogue.states) if dialogue is not None else list(STATE_FIELDS)
    for name in names:
        f = field_of(dialogue, name)
        if f in (field, generic):
            return name, cursor
    return None, cursor


def options_for(session: Any, field: str, area: str | None = None) -> tuple[str | None, list[Option], bool]:
    """(state, options, multi) for a field or a state id, built the way the session
    builds them (the registry's choice providers on a throwaway session)."""
    from ras.models import AREA_IDS, OUTCOME_IDS
    from ras_chat.dialogue import registry

    dialogue = session.dialogue
    state: str | None
    if field in dialogue.states:
        state = field
        f = field_of(dialogue, field) or field
        cursor: dict[str, str] = {}
    else:
        state, cursor = state_of(dialogue, field)
        f = field
    if state is None:
        return None, [], f in MULTI_FIELDS
    spec = dialogue.states[state]
    multi = spec.kind == "multi"
    if area is None:
        area = cursor.get("area")
    if f == "unable_outcomes" and area is None:
        return state, all_outcome_options(session), True
    if spec.scope in ("area", "outcome") and area is None:
        area = AREA_IDS[0]
    outcome = None
    if spec.scope == "outcome":
        outcome = next(o for o in OUTCOME_IDS if session.policy_at.outcomes[o].area == area)
    session.state.cursor = {"area": area, "outcome": outcome, **({"money": cursor["money"]} if "money" in cursor else {})}
    if spec.kind == "money":
        options = registry.CHOICES["money_options"](session)
    elif spec.choices_from:
        options = registry.CHOICES[spec.choices_from](session)
    else:
        options = [Option(i + 1, c.value, c.label, c.words, c.only) for i, c in enumerate(spec.choices)]
    return state, options, multi


def all_outcome_options(session: Any) -> list[Option]:
    """Every everyday thing (the ten) and "none": for reading `unable_outcomes` with no
    part of life named."""
    from ras.models import OUTCOME_IDS

    words = session.dialogue.spec.outcome_words
    items = [(o, session.policy_at.outcomes[o].person_name.capitalize(), tuple(words.get(o, ())), False) for o in OUTCOME_IDS]
    items.append(("none", session.dialogue.spec.texts.none_hard, ("none", "none of these", "nothing", "no"), True))
    return [Option(i + 1, v, label, w, only) for i, (v, label, w, only) in enumerate(items)]


def sample_session(dialogue: Any = None, policy: str = "example") -> Any:
    """A throwaway session, only to build a question's options from the policy."""
    import datetime as dt

    from ras_chat.dialogue.session import Session

    return Session.start(
        policy_name=policy,
        dialogue=dialogue,
        session_id="understand",
        clock=lambda: dt.datetime(2026, 4, 1, tzinfo=dt.UTC),
    )
