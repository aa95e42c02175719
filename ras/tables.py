"""The methods side by side, as a plain-text table (`ras compare`, the training cases)."""

from __future__ import annotations

from ras.models import Allocation
from ras.policy import PolicyAt


def compare_table(results: dict[str, Allocation], policy: PolicyAt) -> str:
    methods = list(results)
    head = ["", *methods]
    rows: list[list[str]] = []
    for i, area in enumerate(policy.areas):
        rows.append([policy.areas[area].person_name, *(str(results[m].elements[i].amount) for m in methods)])
    rows.append(["Weekly", *(str(results[m].weekly) for m in methods)])
    rows.append(["Yearly", *(str(results[m].annual) for m in methods)])
    rows.append(["Range", *(f"{results[m].range.low}-{results[m].range.high}" for m in methods)])
    rows.append(["Band", *(results[m].band or "-" for m in methods)])
    rows.append(["Reference cost", *(str(results[m].reference_cost) for m in methods)])
    rows.append(["Shortfall", *(str(results[m].shortfall) for m in methods)])
    widths = [max(len(r[c]) for r in [head, *rows]) for c in range(len(head))]
    out = []
    for r in [head, *rows]:
        out.append("  ".join(r[0].ljust(widths[0]) if c == 0 else r[c].rjust(widths[c]) for c in range(len(r))))
        if r is head:
            out.append("  ".join("-" * w for w in widths))
    first = next(iter(results.values()))
    note = "" if first.eligible else f"\nNot eligible: {first.eligibility.reason}"
    return "\n".join(out) + note
