"""A Mermaid diagram of a dialogue's state machine (`ras-chat dialogue graph`)."""

from __future__ import annotations

from ras_chat.dialogue.loader import Dialogue
from ras_chat.dialogue.machine import SAFETY_STATE

_SHAPES = {
    "choice": ("[", "]"),
    "multi": ("[[", "]]"),
    "text": ("[/", "/]"),
    "money": ("[/", "/]"),
    "say": ("(", ")"),
    "pass": ("{", "}"),
    "end": ("([", "])"),
}


def _label(text: str) -> str:
    return text.replace('"', "'")


def mermaid(dialogue: Dialogue) -> str:
    lines = ["flowchart TD"]
    for name, state in dialogue.states.items():
        left, right = _SHAPES[state.kind]
        scope = f" per {state.scope}" if state.scope != "once" else ""
        lines.append(f'    {name}{left}"{_label(name)}: {state.kind}{scope}"{right}')
    for name, state in dialogue.states.items():
        for route in state.routes():
            conds = [*route.when, *(f"not {u}" for u in route.unless)]
            if route.when_answer is not None:
                conds.append(f"answer = {route.when_answer}")
            acts = [f"do {a}" for a in route.do]
            label = ", ".join(conds + acts)
            arrow = f'-- "{_label(label)}" -->' if label else "-->"
            lines.append(f"    {name} {arrow} {route.to}")
    if SAFETY_STATE in dialogue.states:
        lines.append(f'    __any__(("any question")) -. "safety words" .-> {SAFETY_STATE}')
    lines.append(f"    __start__((start)) --> {dialogue.start}")
    return "\n".join(lines)
