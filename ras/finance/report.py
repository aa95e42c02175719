"""Reports in plain words and small tables, for a finance officer to read."""

from __future__ import annotations

from typing import Any


def _gbp(value: float | None) -> str:
    if value is None:
        return "-"
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


def _signed(value: float) -> str:
    return ("+" if value > 0 else "") + _gbp(value)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def table(head: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[c]) for r in [head, *rows]) for c in range(len(head))]
    out = []
    for r in [head, *rows]:
        out.append("  ".join(r[0].ljust(widths[0]) if c == 0 else r[c].rjust(widths[c]) for c in range(len(r))).rstrip())
        if r is head:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join("  " + line for line in out)


def _fitted_rows(method: str, previous: Any, fitted: Any) -> list[list[str]]:
    if method == "points":
        return [[f"price per point, {g}", _gbp(previous[g]), _gbp(v)] for g, v in fitted.items()]
    if method == "grid":
        return [[f"amount at risk level {r}", _gbp(previous[r]), _gbp(v)] for r, v in fitted.items()]
    if method == "costed":
        return [["multiplier on every hours figure", f"{previous:.4f}", f"{fitted:.4f}"]]
    rows = []
    for band, v in fitted.items():
        old = previous.get(band, {})
        for key in ("base", "step", "cap"):
            if key in v:
                rows.append([f"band {band}, {key}", _gbp(old.get(key)), _gbp(v[key])])
    return rows


def calibration_text(report: dict, written: str | None = None) -> str:
    r = report
    lines = [
        f"Calibration of the {r['method']} method of policy {r['policy']!r} (figures in force on {r['policy_as_of']})",
        f"History: {r['history']}",
    ]
    ex = r["excluded"]
    read = f"{r['cases']:,} cases used"
    if ex.get("not_eligible"):
        read += f"; {ex['not_eligible']:,} left out because they are not eligible under the policy (the tables give them nothing)"
    if ex.get("no_cost"):
        read += f"; {ex['no_cost']:,} without a cost left out"
    read += f"; {r['bad_lines']:,} bad line{'s' if r['bad_lines'] != 1 else ''} skipped."
    lines.append(read)
    if r["synthetic_cases"]:
        lines.append(f"NOTE: {r['synthetic_cases']:,} cases are made up (synthetic), for demonstration only.")
    lines += ["", "Fitted figures:"]
    lines.append(table(["figure", "was", "now"], _fitted_rows(r["method"], r["previous"], r["fitted"])))
    b = r["before"]
    lines += ["", "How well the tables match what support actually cost:"]
    lines.append(
        table(
            ["", "before", "after"],
            [
                ["R squared (1 is a perfect fit)", _num(b["r2"]), _num(r["r2"])],
                ["mean difference either way, a week", _gbp(b["mae"]), _gbp(r["mae"])],
                ["cases where the tables give less than actual", _pct(b["share_below_actual"]), _pct(r["share_below_actual"])],
                ["  by how much, on average", _gbp(b["mean_shortfall"]), _gbp(r["mean_shortfall"])],
                ["  by how much, median", _gbp(b["median_shortfall"]), _gbp(r["median_shortfall"])],
            ],
        )
    )
    lines += ["", "By client group (after; difference = actual - tables, a week):"]
    rows = []
    for g, v in r["by_client_group"].items():
        rows.append(
            [
                g,
                f"{v['cases']:,}",
                _gbp(v["mean_actual"]),
                _gbp(v["mean_before"]),
                _gbp(v["mean_after"]),
                _pct(v["share_below_actual"]),
                f"{_gbp(v['difference_p10'])} to {_gbp(v['difference_p90'])}",
            ]
        )
    lines.append(table(["group", "cases", "actual", "before", "after", "below actual", "difference, 10th-90th pct"], rows))
    y = r["yearly"]
    lines += [
        "",
        f"Yearly spend on these cases: actual {_gbp(y['actual'])}; tables before {_gbp(y['before'])}; "
        f"after {_gbp(y['after'])} ({_signed(y['change'])}).",
    ]
    if r["notes"]:
        lines += ["", "Notes:"] + [f"- {n}" for n in r["notes"]]
    if written:
        lines += ["", written]
    return "\n".join(lines)


def simulation_text(report: dict) -> str:
    r = report
    same = r["method"] == r["against_method"]
    lines = [
        f"Simulation: policy {r['policy']!r} ({r['method']}, figures of {r['policy_as_of']}) "
        f"against {r['against']!r} ({r['against_method']}, figures of {r['against_as_of']})"
        + ("" if same else " - different methods"),
        f"History: {r['history']}: {r['cases']:,} cases; {r['bad_lines']:,} bad line{'s' if r['bad_lines'] != 1 else ''} skipped.",
    ]
    if r["synthetic_cases"]:
        lines.append(f"NOTE: {r['synthetic_cases']:,} cases are made up (synthetic), for demonstration only.")
    w, lo = r["winners"], r["losers"]
    lines += [
        "",
        table(
            ["", "cases", "mean a week", "median", "largest", "total a week"],
            [
                ["gain (more under the policy)", f"{w['count']:,}", _gbp(w["mean"]), _gbp(w["median"]), _gbp(w["largest"]), _gbp(w["weekly_total"])],
                ["lose (less under the policy)", f"{lo['count']:,}", _gbp(lo["mean"]), _gbp(lo["median"]), _gbp(lo["largest"]), _gbp(lo["weekly_total"])],
                ["no change", f"{r['unchanged']:,}", "", "", "", ""],
            ],
        ),
        "",
        "By client group:",
    ]
    rows = [
        [g, f"{v['cases']:,}", f"{v['winners']:,}", f"{v['losers']:,}", f"{v['unchanged']:,}", _signed(v["mean_change"]), _signed(v["weekly_change"])]
        for g, v in r["by_client_group"].items()
    ]
    lines.append(table(["group", "cases", "gain", "lose", "same", "mean change", "weekly change"], rows))
    wk, yr = r["weekly"], r["yearly"]
    lines += [
        "",
        f"Total a week: {_gbp(wk['policy'])} against {_gbp(wk['against'])} ({_signed(wk['change'])}).",
        f"Total a year: {_gbp(yr['policy'])} against {_gbp(yr['against'])} ({_signed(yr['change'])}).",
    ]
    if "share_below_actual" in r:
        s = r["share_below_actual"]
        lines.append(
            f"Cases where the amount is less than the actual cost: {_pct(s['policy'])} under the policy, "
            f"{_pct(s['against'])} against ({s['cases_with_cost']:,} cases with a cost)."
        )
    for title, key in (("Largest gains", "largest_gains"), ("Largest losses", "largest_losses")):
        if r[key]:
            lines += ["", f"{title}:"]
            lines.append(
                table(
                    ["case", "line", "group", "policy", "against", "change"],
                    [[c["id"], str(c["line"]), c["client_group"], _gbp(c["amount"]), _gbp(c["against"]), _signed(c["change"])] for c in r[key]],
                )
            )
    return "\n".join(lines)
