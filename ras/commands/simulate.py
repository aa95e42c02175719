"""`ras simulate HISTORY.jsonl --policy A --against B`: every case under both, who gains
and who loses, by client group, and the total change."""

from __future__ import annotations

import argparse
import csv
import json
import sys

from ras.cli import BadInput, add_policy_options, json_default, parse_date, plot_folder, policy_at
from ras.commands.calibrate import check_method, read_history_or_fail
from ras.models import CLIENT_GROUPS, METHODS


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "simulate",
        help="every case in a history under two policies: who gains, who loses, the total change",
        description="Work out every case under --policy (A) and --against (B); change = A - B.",
    )
    p.add_argument("history", help="JSON lines, one assessment record a line (actual_weekly_cost optional)")
    add_policy_options(p)
    p.add_argument("--against", required=True, help="the policy to compare with: a shipped name or a file")
    p.add_argument("--against-as-of", type=parse_date, default=None,
                   help="figures of --against in force on this date (default: as --as-of)")
    p.add_argument("--method", default=None, help=f"one of {', '.join(METHODS)} (default: the policy's)")
    p.add_argument("--against-method", default=None, help="method for --against (default: the same as --method)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--cases", metavar="FILE.csv", default=None, help="write every case's amounts to a CSV file")
    p.add_argument("--plot", metavar="DIR", default=None, help="write PNG pictures to DIR and print them in the terminal")
    p.add_argument("--strict", action="store_true", help="stop with exit code 2 if any line is bad")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ras.finance.report import simulation_text
    from ras.finance.simulate import simulate
    from ras.policy import load_policy

    check_method(args.method)
    check_method(args.against_method)
    policy = policy_at(args.policy, args.as_of)
    against = policy_at(args.against, args.against_as_of or args.as_of)
    method = policy.method_or_default(args.method)
    against_method = args.against_method or method
    for name, used in ((args.policy, policy.as_of), (args.against, against.as_of)):
        later = [d for d in load_policy(name).dates() if d > used]
        if later:
            print(f"ras: note: {name} has figures from {min(later)}, after the date used ({used}); "
                  f"add --as-of {min(later)} (or --against-as-of) to use them", file=sys.stderr)
    history = read_history_or_fail(args.history, require_cost=False, strict=args.strict)
    result = simulate(history, policy, against, method, against_method)
    report = result.report()
    if args.cases:
        write_cases(args.cases, result)
        report["cases_file"] = args.cases
    pictures = draw(args.plot, result, report) if args.plot else ""
    if args.json:
        print(json.dumps(report, indent=2, default=json_default))
        if pictures:
            print(pictures, file=sys.stderr)
    else:
        print(simulation_text(report))
        if args.cases:
            print(f"\nEvery case's amounts: {args.cases}")
        if pictures:
            print()
            print(pictures)
    return 0


def write_cases(path: str, result) -> None:
    h = result.history
    try:
        with open(path, "w", newline="", encoding="utf-8") as stream:
            out = csv.writer(stream)
            out.writerow(["id", "line", "client_group", "policy_weekly", "against_weekly", "change"])
            change = result.change
            for i in range(len(h)):
                out.writerow(
                    [
                        h.ids[i],
                        int(h.lines[i]),
                        CLIENT_GROUPS[h.group[i]],
                        f"{result.amount[i] / 100:.2f}",
                        f"{result.against_amount[i] / 100:.2f}",
                        f"{change[i] / 100:.2f}",
                    ]
                )
    except OSError as exc:
        raise BadInput(f"--cases {path}: cannot write ({exc.strerror or exc})") from None


def draw(folder: str, result, report: dict) -> str:
    import numpy as np

    from ras.finance import plots
    from ras.finance.vectorised import pounds

    out = plot_folder(folder)
    a = pounds(result.amount)
    b = pounds(result.against_amount)
    change = a - b
    top = float(max(a.max(initial=0), b.max(initial=0)))
    same = plots.Curve("no change", np.array([0.0, top]), np.array([0.0, top]))
    names = (f"{report['policy']} ({report['method']}, {report['policy_as_of']})",
             f"{report['against']} ({report['against_method']}, {report['against_as_of']})")
    scatter = plots.scatter_png(
        out / "simulate-scatter.png",
        b,
        a,
        title=f"Each case under both ({len(a):,} cases): above the line gains",
        x_label=f"against: {names[1]}, pounds a week",
        y_label=f"policy: {names[0]}, pounds a week",
        curves=[same],
        groups=result.history.group,
        group_names=CLIENT_GROUPS,
    )
    hist = plots.histogram_png(
        out / "simulate-change.png",
        change,
        title=f"Change for each case, policy minus against ({len(a):,} cases)",
        x_label="change, pounds a week (above 0: gains)",
    )
    w, lo = report["winners"]["count"], report["losers"]["count"]
    return "\n\n".join(
        [
            plots.text_scatter(
                b, a, x_label="amount against", y_label="amount under the policy", curves=[same], line_label="no change",
                summary=f"Picture 1: each case's amount under the policy against the other; {w:,} above the * line gain, {lo:,} below lose.",
            ),
            plots.text_histogram(
                change, label="change",
                summary=f"Picture 2: change for each case (policy minus against); median {plots._money(float(np.median(change)))}, "
                        f"total {plots._money(float(change.sum()))} a week.",
            ),
            f"Pictures written: {scatter} and {hist}",
        ]
    )
