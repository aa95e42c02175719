"""Text for the training commands: the case list, a case's story, the methods side by side.

Pure text out (no printing, no terminal), shared by `ras-chat train` and `ras-chat demo`.
"""

from __future__ import annotations

import textwrap

from ras.engine import compare
from ras.money import pounds
from ras.policy import PolicyAt, load_policy
from ras.tables import compare_table  # the `ras compare` table itself
from ras_chat.training.cases import Case


def case_policy(case: Case) -> PolicyAt:
    return load_policy(case.policy).at(case.as_of)


def list_lines(cases: list[Case]) -> list[str]:
    width = max(len(c.id) for c in cases)
    return [f"{c.id:<{width}}  {c.summary}" for c in cases]


def story_lines(case: Case, width: int = 88) -> list[str]:
    out = [f"{case.name}: {case.summary}", ""]
    out += textwrap.wrap(case.story, width)
    out += ["", "You are the worker. Type what the person would say, one answer a line."]
    return out


def compare_lines(case: Case) -> list[str]:
    """Points, bands, grid and costed side by side for the reference record, with the shortfall."""
    pa = case_policy(case)
    results = compare(case.record, pa)
    out = [f"{case.id}: the reference record under every method ({case.policy} policy, figures in force on {case.as_of})", ""]
    out += compare_table(results, pa).splitlines()
    ref = next(iter(results.values())).reference_cost
    if next(iter(results.values())).eligible:
        short = [f"{m} {pounds(a.shortfall)}" for m, a in results.items() if a.shortfall > 0]
        out += ["", f"Reference cost of support: {pounds(ref)} a week."]
        out.append("Shortfall against it: " + (", ".join(short) if short else "none") + ".")
        if short:
            out.append("A shortfall means the worker must check the budget is sufficient (Care Act guidance 11.10).")
    return out


__all__ = ["case_policy", "compare_lines", "list_lines", "story_lines"]
