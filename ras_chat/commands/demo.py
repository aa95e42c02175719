"""`ras-chat demo CASE [--plain] [--compare]`: replay a practice case through the real
session and print the whole conversation and the result, for teaching and presentations.

It always prints (plain "Assistant:" / "You:" lines, which read well on a projector and
through a pager); --plain is accepted for symmetry with the other commands. --compare adds
points, bands, grid and costed side by side with the shortfall against the reference cost.
"""

from __future__ import annotations

import argparse
import sys

EXIT_BAD_INPUT = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("demo", help="replay a practice case and print the conversation", description=__doc__,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("case", help="a case id (see ras-chat train --list)")
    p.add_argument("--plain", action="store_true", default=argparse.SUPPRESS, help="plain lines (the default here)")
    p.add_argument("--compare", action="store_true", help="add the four methods side by side")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ras_chat.app.summary import handoff_summary
    from ras_chat.training import load_case, replay, transcript_lines
    from ras_chat.training.show import compare_lines, story_lines

    try:
        case = load_case(args.case)
    except LookupError as exc:
        print(f"ras-chat: {exc.args[0]}", file=sys.stderr)
        return EXIT_BAD_INPUT
    session = replay(case)
    lines = story_lines(case)[:-1]
    lines += transcript_lines(session.state.transcript)
    lines += handoff_summary(session)
    if args.compare:
        lines += ["", *compare_lines(case)]
    print("\n".join(lines))
    return 0
