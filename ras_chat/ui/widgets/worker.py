"""The worker's panel: what has been heard so far, in professional terms, and "what if".

It renders `session.worker_view()` and the answers heard so far as given; it works nothing
out. "What if" posts `WhatIfAsked`; the app works it out on a copy of the record and hands
the result back to `WhatIfBox.show_what_if`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Select, Static

from ras_chat.review.text import carer_result_term
from ras_chat.ui.events import WhatIfAsked

if TYPE_CHECKING:
    from ras_chat.training.whatif import Answer, WhatIf

WAYS = {
    "without_help": "cannot achieve without assistance",
    "pain_or_distress": "significant pain, distress or anxiety",
    "unsafe": "endangers health or safety of self or others",
    "takes_longer": "takes significantly longer than normally expected",
}
"""Reg. 2(3) of the Eligibility Regulations: the ways of being "unable"."""

SUPPORT = {"none": "none sustainable", "some": "some (sustainable)", "most": "most (sustainable)"}
UNKNOWN = {"skipped": "skipped", "dont_know": "not known", "gave_up": "not matched"}
DASH = "\u2014"
LEVEL_MARK = {"urgent": "URGENT", "attention": "CHECK", "info": "NOTE"}


def _level(value: Any, not_known: Any = None) -> str:
    if not_known:
        return UNKNOWN.get(str(not_known), "not known")
    return "\u2014" if value is None else f"{value}/4"


def _outcome_note(outcome: dict, asked: bool, only_one: bool) -> str:
    """What the panel says under an everyday thing (`asked`: its reg. 2(3) question was answered)."""
    if outcome.get("ways"):
        return "unable: " + "; ".join(WAYS.get(w, w) for w in outcome["ways"])
    if outcome.get("not_known"):
        return f"ways: {UNKNOWN.get(outcome['not_known'], 'not known')}"
    if not asked:  # a part of life with one everyday thing asks about it directly, later
        return "not yet asked" if only_one else "reported hard; ways not yet asked"
    return "not unable on reg. 2(3)" if only_one else "reported hard; not unable on reg. 2(3)"


def worker_text(view: dict) -> Text:
    """The panel's text for a `worker_view()` dict (an everyday thing whose `asked` is false
    is shown as not yet asked)."""
    out = Text()

    def head(words: str) -> None:
        if out:
            out.append("\n")
        out.append(words.upper(), style="bold underline")
        out.append("\n")

    def line(words: str, style: str = "") -> None:
        out.append(words + "\n", style=style)

    head("Session")
    line(f"Reference: {view.get('session')}")
    line(f"Status: {str(view.get('status', '')).replace('_', ' ')}")
    line(f"Stage: {view.get('progress')}")
    if view.get("answered_by"):
        line(f"Answered by: {view['answered_by']}")
    if view.get("what_matters_most"):
        line(f"What matters most: {view['what_matters_most']}")

    head("Areas (need / risk / unpaid support)")
    for area in view.get("areas", {}).values():
        need = _level(area.get("need"), area.get("need_not_known"))
        risk = _level(area.get("risk"))
        support = SUPPORT.get(area.get("unpaid_support") or "", "\u2014")
        line(area["worker_name"], "bold")
        line(f"  need {need} \u00b7 risk {risk} \u00b7 unpaid support {support}")
        if area.get("need") == 0:
            continue  # no need: nothing more is asked about this part of life
        outcomes = area.get("outcomes", [])
        for outcome in outcomes:
            if not (outcome.get("said_hard") or outcome.get("not_known")):
                continue
            mark = "[x]" if outcome.get("unable") else "[ ]"
            asked = outcome.get("asked", True)
            line(f"  {mark} {outcome['regulation']}")
            line("      " + _outcome_note(outcome, asked, len(outcomes) == 1))
    if view.get("client_group"):
        line(f"Primary support reason: {view['client_group'].replace('_', ' ')}")
    if view.get("fluctuating"):
        line(f"Fluctuating needs: {view['fluctuating']}")

    head("Eligibility (draft)" if (view.get("eligibility") or {}).get("draft", True) else "Eligibility")
    el = view.get("eligibility")
    if not el:
        line("Not yet: no area answered.")
    else:
        line(f"Eligible (reg. 2): {'yes' if el.get('eligible') else 'no'}", "bold")
        for name, held in (el.get("conditions") or {}).items():
            line(f"  {'[x]' if held else '[ ]'} {str(name).replace('_', ' ')}")
        if el.get("reason"):
            line(el["reason"])
        if el.get("wellbeing_impact_from"):
            line(f"Wellbeing impact taken from: {el['wellbeing_impact_from']}")

    head("Running allocation")
    alloc = view.get("allocation")
    if not alloc:
        line("Not yet.")
    else:
        band = f", band {alloc['band']}" if alloc.get("band") else ""
        line(f"Method: {alloc['method']}{band}")
        for e in alloc.get("elements", []):
            line(f"  {e['name']}: \u00a3{e['amount']}")
        line(f"Indicative weekly: \u00a3{alloc['weekly']} (annual \u00a3{alloc['annual']})", "bold")
        line(f"Range: \u00a3{alloc['range']['low']} to \u00a3{alloc['range']['high']}")
        line(f"Reference cost: \u00a3{alloc['reference_cost']}")
        line(f"Sufficiency shortfall: \u00a3{alloc['shortfall']}", "bold" if alloc.get("shortfall") not in ("0", "0.00") else "")

    carer = view.get("carer")
    if carer:
        head("Carer")
        if "eligible" in carer:
            result = carer.get("result") or ("eligible" if carer["eligible"] else "not_eligible")
            line(f"Carer eligible (reg. 3): {carer_result_term(result, carer.get('not_known') or ())}")
            for words in (carer.get("outcomes") or {}).values():
                line(f"  [x] {words}")
            if carer.get("reason"):
                line(carer["reason"])
        else:
            coping, offer = carer.get("coping") or DASH, carer.get("offer") or DASH
            line(f"Coping: {coping} \u00b7 own assessment: {offer}")

    head("Flags")
    flags = view.get("flags") or []
    if not flags:
        line("None.")
    for f in flags:
        line(f"{LEVEL_MARK.get(f['level'], f['level'])} {f['code']}: {f['text']}", "bold" if f["level"] == "urgent" else "")
    if view.get("not_known"):
        line("Not known: " + ", ".join(view["not_known"]))
    out.rstrip()
    return out


def what_if_shown(w: WhatIf) -> Text:
    """A what-if result for the narrow panel: each method before and after, side by side,
    then under it the elements that changed and any change of band."""
    out = Text()
    out.append(f"What if {w.label} were {_shown(w.value_after)}, not {_shown(w.value_before)}?\n", style="bold")
    if w.eligible_before != w.eligible_after:
        out.append(f"Eligible: {_shown(w.eligible_before)} -> {_shown(w.eligible_after)}\n", style="bold")
    out.append(f"{'method':<7}{'before':>9}{'after':>9}{'change':>9}\n", style="underline")
    for m in w.methods:
        out.append(f"{m.method:<7}{m.before:>9}{m.after:>9}{m.change:>+9}\n", style="bold" if m.change else "")
        if m.band_before != m.band_after:
            out.append(f"  band {m.band_before or DASH} -> {m.band_after or DASH}\n")
        for e in m.elements:
            out.append(f"  {e.area}: {e.before} -> {e.after}\n")
    if not w.changed:
        out.append("No amount changes.\n")
    out.rstrip()
    return out


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).replace("_", " ")


class WhatIfBox(Vertical):
    """Pick an answer heard so far, pick a new value, then "Try it" (or ctrl+t): each
    method's amount before and after. Keyboard: Tab to each control, Enter opens a list,
    arrows move, Enter picks."""

    BINDINGS = [Binding("ctrl+t", "try_it", "Try what if")]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.answers: dict[str, Answer] = {}
        self._values_for: tuple[str | None, tuple[tuple[str, str], ...]] = (None, ())

    def compose(self) -> ComposeResult:
        yield Static("WHAT IF (the record is not changed)", classes="worker-head")
        yield Select([], prompt="Pick an answer heard so far", id="whatif-answer")
        yield Select([], prompt="Pick a new value", id="whatif-new")
        yield Button("Try it (ctrl+t)", id="whatif-try", compact=True)
        yield Static("Nothing heard yet to change.", id="whatif-result", markup=False)

    def set_answers(self, answers: Sequence[Answer]) -> None:
        """The answers heard so far (from the app); keeps the worker's picks while they are there."""
        old = list(self.answers.values())
        self.answers = {a.path: a for a in answers}
        pick = self.query_one("#whatif-answer", Select)
        if [(a.path, a.label) for a in old] != [(a.path, a.label) for a in answers]:
            kept = pick.value
            pick.set_options([(a.label, a.path) for a in answers])
            if kept in self.answers:
                pick.value = kept
            if not answers:
                self.show_note("Nothing heard yet to change.")
            elif not old:
                self.show_note("")
        self._show_values()

    def _show_values(self) -> None:
        """The new-value list for the answer picked now (kept as it is when nothing changed)."""
        path = self.query_one("#whatif-answer", Select).value
        path = path if isinstance(path, str) and path in self.answers else None
        values = self.answers[path].values if path else ()
        if (path, values) == self._values_for:
            return
        new = self.query_one("#whatif-new", Select)
        keep = new.value if path == self._values_for[0] else Select.BLANK
        self._values_for = (path, values)
        new.set_options(values)
        if keep in {v for _, v in values}:
            new.value = keep

    @on(Select.Changed, "#whatif-answer")
    def _answer_picked(self, event: Select.Changed) -> None:
        event.stop()
        self._show_values()

    @on(Select.Changed, "#whatif-new")
    def _value_picked(self, event: Select.Changed) -> None:
        event.stop()

    @on(Button.Pressed, "#whatif-try")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_try_it()

    def action_try_it(self) -> None:
        path = self.query_one("#whatif-answer", Select).value
        value = self.query_one("#whatif-new", Select).value
        if not isinstance(path, str):
            self.show_note("Pick an answer heard so far first.")
        elif not isinstance(value, str):
            self.show_note("Pick a new value for it.")
        else:
            self.post_message(WhatIfAsked(self, path, value))

    # -- called by the app --

    def show_what_if(self, w: WhatIf) -> None:
        self._show_result(what_if_shown(w))

    def show_note(self, text: str) -> None:
        self._show_result(text)

    def _show_result(self, content: Text | str) -> None:
        result = self.query_one("#whatif-result", Static)
        result.update(content)
        if content:  # bring it into view once it has its new height
            self.call_after_refresh(result.scroll_visible, animate=False)


class WorkerPanel(VerticalScroll):
    """A side panel for the worker; ctrl+w shows and hides it."""

    # number keys pick the person's choices only from the chat side: pressed here (say in
    # "what if"), they must not answer the question for the person
    BINDINGS = [Binding(str(n), "nothing", show=False) for n in range(1, 10)]

    def action_nothing(self) -> None:
        pass

    def compose(self) -> ComposeResult:
        yield Static(id="worker-text", markup=False)
        yield WhatIfBox(id="whatif")

    def show_view(self, view: dict, answers: Sequence[Answer] = ()) -> None:
        self.query_one("#worker-text", Static).update(worker_text(view))
        self.query_one(WhatIfBox).set_answers(answers)
