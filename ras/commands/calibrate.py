"""`ras calibrate HISTORY.jsonl`: fit a method's money figures to what past cases cost,
report the fit, and write a new policy file with the fitted figures as new dated values.

numpy and the finance code are imported when the command runs, so `ras calculate`
starts as fast as before.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from ras.cli import BadInput, add_policy_options, json_default, parse_date, plot_folder, policy_at
from ras.models import METHODS

SHOW_PROBLEMS = 20


def read_history_or_fail(path: str, *, require_cost: bool, strict: bool):
    """Read a history file for a command: bad lines reported on stderr by number (first 20, then a count)."""
    from ras.finance.history import read_history

    try:
        history = read_history(path, require_cost=require_cost)
    except FileNotFoundError:
        raise BadInput(f"{path}: file not found") from None
    except IsADirectoryError:
        raise BadInput(f"{path}: is a folder, not a history file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"{path}: cannot be read ({exc.__class__.__name__})") from None
    for problem in history.problems[:SHOW_PROBLEMS]:
        print(f"ras: {path}: line {problem.line}: {problem.message} (skipped)", file=sys.stderr)
    more = len(history.problems) - SHOW_PROBLEMS
    if more > 0:
        print(f"ras: {path}: {more:,} more bad lines skipped (--json lists the first 100)", file=sys.stderr)
    if history.problems and strict:
        raise BadInput(f"{path}: {len(history.problems):,} bad line(s); nothing done because of --strict")
    if len(history) == 0:
        raise BadInput(f"{path}: no usable cases" + (f" ({len(history.problems):,} bad lines)" if history.problems else ""))
    return history


def check_method(method: str | None) -> None:
    if method is not None and method not in METHODS:
        raise BadInput(f"--method: unknown method {method!r} (choose {', '.join(METHODS)})")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "calibrate",
        help="fit a method's money figures to what past cases actually cost; write a new policy file",
        description=(
            "Fit the method's money figures (points: price per point for each client group; bands: each band's "
            "base and step; grid: the amount for each risk level; costed: one multiplier on the hours) to the "
            "actual weekly cost of past cases, report the fit, and write a copy of the policy with the fitted "
            "figures added as new values from --effective-from."
        ),
    )
    p.add_argument("history", help="JSON lines: an assessment record plus actual_weekly_cost (and optionally id)")
    p.add_argument("--method", default=None, help=f"one of {', '.join(METHODS)} (default: the policy's)")
    add_policy_options(p)
    p.add_argument("--out", metavar="PATH", default=None,
                   help="where to write the new policy file (default: POLICY-METHOD-calibrated-DATE.yaml here)")
    p.add_argument("--effective-from", type=parse_date, default=None,
                   help="the date the fitted figures take effect (default: today)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--plot", metavar="DIR", default=None,
                   help="write PNG pictures to DIR and print them in the terminal")
    p.add_argument("--strict", action="store_true", help="stop with exit code 2 if any line is bad")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ras.finance import figures
    from ras.finance.calibrate import calibrate
    from ras.finance.policyfile import calibrated_policy_text
    from ras.finance.report import calibration_text
    from ras.policy import DataFileError, load_policy

    check_method(args.method)
    policy = policy_at(args.policy, args.as_of)
    method = policy.method_or_default(args.method)
    source = load_policy(args.policy).path
    effective = args.effective_from or dt.date.today()  # the command line may read the clock; ras.finance never does
    history = read_history_or_fail(args.history, require_cost=True, strict=args.strict)
    try:
        result = calibrate(history, policy, method)
    except ValueError as exc:
        raise BadInput(f"{args.history}: {exc}") from None
    report = result.report()

    out = Path(args.out or f"{policy.id}-{method}-calibrated-{effective.isoformat()}.yaml")
    if out.resolve() == Path(source).resolve():
        raise BadInput(f"--out {out}: that is the source policy; write the calibrated copy somewhere else")
    title = (
        f"Calibrated by `ras calibrate --method {method}` on {report['cases']:,} cases from history file "
        f"{Path(args.history).name}" + (" (made-up cases)" if history.synthetic else "")
    )
    header = (
        f"Written by `ras calibrate` from policy {policy.id!r} ({source}) and the history {args.history}:\n"
        f"{report['cases']:,} cases, method {method}, R squared {report['r2']}. The fitted figures are the values\n"
        f"dated {effective} under parameters.{'.'.join(figures.PARAMETER[method])}; everything else is copied."
    )
    try:
        text = calibrated_policy_text(
            source, method, result.fit.file_value, effective, title, str(args.history), header
        )
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise BadInput(f"--out {out}: cannot write ({exc.strerror or exc})") from None
    # read it back as any user would: it must load strictly and give the fitted figures
    try:
        written = load_policy(out).at(effective)
    except DataFileError as exc:  # pragma: no cover - a bug here, not the user's input
        raise RuntimeError(f"the written policy does not load: {exc}") from exc
    if figures.file_value(written, method) != figures.file_value(result.fitted_policy, method):  # pragma: no cover
        raise RuntimeError("the written policy does not give the fitted figures")
    report["written"] = {"path": str(out), "effective_from": effective.isoformat()}

    pictures = draw(args.plot, result, report) if args.plot else ""
    if args.json:
        print(json.dumps(report, indent=2, default=json_default))
        if pictures:
            print(pictures, file=sys.stderr)
    else:
        note = (
            f"Written: {out} (a copy of the policy with the fitted figures from {effective}). "
            f"Check it: ras policy show {out} --as-of {effective}"
        )
        print(calibration_text(report, note))
        if pictures:
            print()
            print(pictures)
    return 0


def draw(folder: str, result, report: dict) -> str:
    """PNG files in `folder` and the terminal pictures (returned as text)."""
    import numpy as np

    from ras.finance import plots
    from ras.finance.vectorised import pounds
    from ras.models import CLIENT_GROUPS

    out = plot_folder(folder)
    method = result.method
    actual = pounds(result.actual)
    diff = actual - pounds(result.after)
    fit = result.fit
    scatter = plots.scatter_png(
        out / f"calibrate-{method}-scatter.png",
        fit.x,
        actual,
        title=f"{method}: actual weekly cost against {fit.x_label} ({len(actual):,} cases, R² {report['r2']})",
        x_label=fit.x_label,
        y_label="actual cost, pounds a week",
        curves=fit.lines,
        groups=result.history.group,
        group_names=CLIENT_GROUPS,
    )
    hist = plots.histogram_png(
        out / f"calibrate-{method}-differences.png",
        diff,
        title=f"{method}: actual cost minus the fitted tables' amount ({len(diff):,} cases)",
        x_label="difference, pounds a week (above 0: the tables give less than actual)",
    )
    below = report["share_below_actual"]
    return "\n\n".join(
        [
            plots.text_scatter(
                fit.x,
                actual,
                x_label=fit.x_label,
                y_label="actual cost",
                curves=fit.lines,
                summary=(
                    f"Picture 1: actual cost against {fit.x_label} for {len(actual):,} cases, with the fitted "
                    f"figures drawn as * ; R squared {report['r2']}."
                ),
            ),
            plots.text_histogram(
                diff,
                label="actual minus tables",
                summary=(
                    f"Picture 2: actual cost minus the tables' amount. Median {plots._money(float(np.median(diff)))}; "
                    f"the tables give less than actual in {below * 100:.1f}% of cases (bars right of 0)."
                ),
            ),
            f"Pictures written: {scatter} and {hist}",
        ]
    )
