"""The worker's panel: what has been heard so far, in professional terms.

It renders `session.worker_view()` as given; it works nothing out.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

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


def worker_text(view: dict) -> Text:
    """The panel's text for a `worker_view()` dict."""
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
        for outcome in area.get("outcomes", []):
            if not (outcome.get("said_hard") or outcome.get("not_known")):
                continue
            mark = "[x]" if outcome.get("unable") else "[ ]"
            line(f"  {mark} {outcome['regulation']}")
            if outcome.get("ways"):
                line("      unable: " + "; ".join(WAYS.get(w, w) for w in outcome["ways"]))
            elif outcome.get("not_known"):
                line(f"      ways: {UNKNOWN.get(outcome['not_known'], 'not known')}")
            else:
                line("      reported hard; not unable on reg. 2(3)")
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
            line(f"Carer eligible (reg. 3): {'yes' if carer['eligible'] else 'no'}")
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


class WorkerPanel(VerticalScroll):
    """A side panel for the worker; ctrl+w shows and hides it."""

    def compose(self):
        yield Static(id="worker-text", markup=False)

    def show_view(self, view: dict) -> None:
        self.query_one("#worker-text", Static).update(worker_text(view))
