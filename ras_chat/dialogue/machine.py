"""Build the `transitions` state machine from a dialogue, with callbacks from the registry.

One factory, one config dict (`Machine(**config)`), `auto_transitions=False`. Every state
has one trigger, `advance`: its transitions are tried in the order the file lists them,
and the first whose conditions hold is taken (that is how pytransitions orders them).
A second trigger, `alarm`, goes from any state to `safety` when the dialogue has one.

The machine holds no answers: conditions and actions read and change the session's own
model, so a session is saved as data and the machine is rebuilt from it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from transitions import Machine

from ras_chat.dialogue import registry
from ras_chat.dialogue.loader import Dialogue
from ras_chat.dialogue.schema import TransitionSpec

if TYPE_CHECKING:  # pragma: no cover
    from ras_chat.dialogue.session import Session

ADVANCE = "advance"
ALARM = "alarm"
SAFETY_STATE = "safety"


class MachineModel:
    """What pytransitions drives: it only carries the machine state name."""

    state: str

    if TYPE_CHECKING:  # pragma: no cover - pytransitions adds the trigger at run time
        def trigger(self, name: str) -> bool: ...


def _condition(session: Session, name: str) -> Callable[[], bool]:
    fn = registry.CONDITIONS[name]
    return lambda: fn(session)


def _answer_is(session: Session, value: str) -> Callable[[], bool]:
    return lambda: session.state.last_choice == value


def _action(session: Session, name: str) -> Callable[[], None]:
    fn = registry.ACTIONS[name]
    return lambda: fn(session)


def machine_config(dialogue: Dialogue, session: Session | None = None) -> dict[str, Any]:
    """The pytransitions config for a dialogue. With no session, callbacks are named only
    (enough for graphs and checks); with a session, they are bound to it."""
    transitions: list[dict[str, Any]] = []
    for name, state in dialogue.states.items():
        for route in state.routes():
            transitions.append(_transition(name, route, session))
    if SAFETY_STATE in dialogue.states:
        transitions.append({"trigger": ALARM, "source": "*", "dest": SAFETY_STATE})
    final = [n for n, s in dialogue.states.items() if s.kind == "end"]
    return {
        "states": [{"name": n, "final": n in final} for n in dialogue.states],
        "transitions": transitions,
        "initial": dialogue.start,
        "auto_transitions": False,
        "ignore_invalid_triggers": False,
        "send_event": False,
        "queued": False,
    }


def _transition(source: str, route: TransitionSpec, session: Session | None) -> dict[str, Any]:
    t: dict[str, Any] = {"trigger": ADVANCE, "source": source, "dest": route.to}
    if session is None:
        conditions: list[Any] = list(route.when)
        if route.when_answer is not None:
            conditions.append(f"answer=={route.when_answer}")
        t["conditions"] = conditions
        t["unless"] = list(route.unless)
        t["after"] = list(route.do)
        return t
    conditions = [_condition(session, c) for c in route.when]
    if route.when_answer is not None:
        conditions.append(_answer_is(session, route.when_answer))
    t["conditions"] = conditions
    t["unless"] = [_condition(session, c) for c in route.unless]
    t["after"] = [_action(session, a) for a in route.do]
    return t


def build_machine(dialogue: Dialogue, session: Session, state: str) -> tuple[Machine, MachineModel]:
    """A machine bound to `session`, standing in `state` (no callbacks run on the way in)."""
    model = MachineModel()
    config = machine_config(dialogue, session)
    config["initial"] = state
    machine = Machine(model=model, **config)
    return machine, model
