"""`ras-chat train`: practise the conversation on made-up people, then a debrief.

    ras-chat train --list              the cases, one line each
    ras-chat train [CASE] [--plain]    read the story, type the person's answers, see the debrief
    ras-chat train --compare CASE      the four methods side by side for the case's reference record

Without --plain on a terminal it opens the training screens (Textual): pick a case,
read the story, hold the conversation, then the debrief with a "what if" control.
"""

from __future__ import annotations

import argparse
import sys

from ras_chat.dialogue.loader import load_dialogue

EXIT_BAD_INPUT = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("train", help="practise on made-up people, with a debrief", description=__doc__,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("case", nargs="?", help="a case id (see --list); without it you pick one")
    p.add_argument("--list", action="store_true", help="list the practice cases")
    p.add_argument("--compare", action="store_true", help="show points, bands, grid and costed side by side")
    p.add_argument("--plain", action="store_true", default=argparse.SUPPRESS, help="plain line-by-line mode")
    p.set_defaults(func=run)


def _case_or_exit(case_id: str):
    from ras_chat.training import load_case

    try:
        return load_case(case_id)
    except LookupError as exc:
        print(f"ras-chat: {exc.args[0]}", file=sys.stderr)
        return None


def run(args: argparse.Namespace, stdin=None, stdout=None) -> int:
    from ras_chat.training import load_cases
    from ras_chat.training.show import compare_lines, list_lines

    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    load_dialogue()  # a broken dialogue file stops us before anything is listed
    if args.list:
        print("\n".join(list_lines(load_cases())), file=stdout)
        return 0
    if args.compare:
        if not args.case:
            print("ras-chat: --compare needs a case id (see ras-chat train --list)", file=sys.stderr)
            return EXIT_BAD_INPUT
        case = _case_or_exit(args.case)
        if case is None:
            return EXIT_BAD_INPUT
        print("\n".join(compare_lines(case)), file=stdout)
        return 0
    case = None
    if args.case:
        case = _case_or_exit(args.case)
        if case is None:
            return EXIT_BAD_INPUT
    from ras_chat.conversation import wants_plain

    if wants_plain(args, stdin, stdout):
        return run_plain_training(case, stdin=stdin, stdout=stdout)
    from ras_chat.ui.training import run_training_app

    return run_training_app(case, theme=getattr(args, "theme", None))


def run_plain_training(case, *, stdin, stdout) -> int:
    """Plain mode: the story, the conversation typed line by line, then the debrief."""
    from ras_chat.plain import run_plain
    from ras_chat.training import debrief, debrief_lines, load_cases, start_session
    from ras_chat.training.show import case_policy, list_lines, story_lines

    def emit(lines) -> None:
        for line in lines:
            stdout.write(line + "\n")
        stdout.flush()

    if case is None:
        cases = load_cases()
        emit(["Practice cases:"] + [f"  {n}. {line}" for n, line in enumerate(list_lines(cases), 1)])
        stdout.write("Which case? Type its number or id: ")
        stdout.flush()
        choice = stdin.readline().strip()
        by_number = {str(n): c for n, c in enumerate(cases, 1)}
        by_id = {c.id: c for c in cases}
        case = by_number.get(choice) or by_id.get(choice)
        if case is None:
            stdout.write("\n")
            print(f"ras-chat: no practice case {choice!r}", file=sys.stderr)
            return EXIT_BAD_INPUT
        stdout.write("\n")
    emit(story_lines(case) + [""])
    session = start_session(case)
    code = run_plain(session, stdin=stdin, stdout=stdout, resume_hint="Practice answers are not saved. Start the case again with ras-chat train " + case.id + ".")
    if not session.finished:
        return code
    emit([""])
    if any(f.code == "safety" for f in session.state.flags):
        emit(["The conversation stopped for safety, as it should: an urgent flag was raised for the worker.",
              "The debrief below compares what was recorded before the stop with the reference record.", ""])
    record = session.record()
    if record is None:
        emit(["No answers about the parts of life were recorded, so there is nothing to compare."])
        return code
    emit(debrief_lines(debrief(record, case.record, case_policy(case))))
    return code
