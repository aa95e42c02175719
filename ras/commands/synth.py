"""`ras synth --n N --seed S`: a made-up history for demonstrations and tests.

Every line is marked `"synthetic": true` with an id like `synth-000001`; the cost is
the method's amount under the policy's figures times --uplift, with --noise.

The lines are history lines: an assessment record plus `synthetic` and
`actual_weekly_cost`. `ras calibrate`, `ras simulate` and `ras calculate --batch` read them
(batch takes the two keys off, checks the record as the engine does, and marks each
result `"synthetic": true`).
"""

from __future__ import annotations

import argparse
import sys

from ras.cli import BadInput, add_policy_options, policy_at
from ras.commands.calibrate import check_method
from ras.models import METHODS


def _count(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return n


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (0 <= value < 1e6):
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "synth",
        help="write a made-up history (clearly marked synthetic) for demonstrations and tests",
        description=(
            "Made-up cases: valid assessment records plus actual_weekly_cost = the method's amount under the "
            "policy's figures x --uplift, x (1 + --noise x a random normal). Every line has \"synthetic\": true. "
            "ras calculate --batch, ras calibrate and ras simulate read the file as it is."
        ),
    )
    p.add_argument("--n", type=_count, default=1000, help="how many cases (default 1000)")
    p.add_argument("--seed", type=int, default=1, help="random seed: the same seed gives the same history")
    p.add_argument("--method", default=None, help=f"one of {', '.join(METHODS)} (default: the policy's)")
    p.add_argument("--uplift", type=_number, default=1.2, help="true figures = the policy's x this (default 1.2)")
    p.add_argument("--noise", type=_number, default=0.05, help="spread of the cost around the amount (default 0.05)")
    p.add_argument("--out", metavar="FILE", default=None, help="write here (default: standard output)")
    add_policy_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ras.finance import figures
    from ras.finance.synth import history_lines, synth_history

    check_method(args.method)
    policy = policy_at(args.policy, args.as_of)
    method = policy.method_or_default(args.method)
    truth = figures.scale(policy, method, repr(args.uplift))
    history = synth_history(args.n, args.seed, truth, method, args.noise)
    lines = history_lines(history, args.seed)
    if args.out:
        try:
            with open(args.out, "w", encoding="utf-8") as stream:
                stream.writelines(lines)
        except OSError as exc:
            raise BadInput(f"--out {args.out}: cannot write ({exc.strerror or exc})") from None
        print(
            f"Wrote {args.n:,} made-up cases to {args.out} (method {method}, figures of {policy.id} x {args.uplift}, "
            f"noise {args.noise}, seed {args.seed}). Every line is marked \"synthetic\": true.",
            file=sys.stderr,
        )
    else:
        sys.stdout.writelines(lines)
    return 0
