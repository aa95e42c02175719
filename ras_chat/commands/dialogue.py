"""`ras-chat dialogue check|text|graph`: look after the conversation files.

- `check` exits 1 when the dialogue breaks a rule (unreachable states, dead ends, unknown
  callbacks, missing help, jargon, long sentences), 2 when the file cannot be read;
- `text` prints every person-facing string, one a line (for plain-English review and
  translation);
- `graph` prints a Mermaid diagram of the state machine.
"""

from __future__ import annotations

import argparse
import sys

EXIT_PROBLEMS = 1


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("dialogue", help="check, list or draw the conversation files")
    parser.add_argument(
        "action", choices=["check", "text", "graph"], help="check the rules, print every person-facing line, or draw it"
    )
    parser.add_argument("file", nargs="?", default="assessment", help="a shipped dialogue name or a YAML file (default: assessment)")
    parser.add_argument("--where", action="store_true", help="with `text`: say where each line comes from")
    parser.set_defaults(func=run)


def _sample_session(dialogue, policy: str):
    """A session used only to list the choices that come from the policy."""
    import datetime as dt

    from ras_chat.dialogue.session import Session

    return Session.start(
        policy_name=policy,
        dialogue=dialogue,
        session_id="dialogue-check",
        clock=lambda: dt.datetime(2026, 4, 1, tzinfo=dt.timezone.utc),
    )


def run(args: argparse.Namespace) -> int:
    from ras_chat.dialogue.loader import load_dialogue

    dialogue = load_dialogue(args.file)  # a DataFileError is reported by main() with exit 2
    policy = getattr(args, "policy", None) or "example"
    if args.action == "graph":
        from ras_chat.dialogue.graph import mermaid

        print(mermaid(dialogue))
        return 0
    session = _sample_session(dialogue, policy)
    if args.action == "text":
        from ras_chat.dialogue.text import person_lines

        for item in person_lines(dialogue, session):
            print(f"{item.where}\t{item.text}" if args.where else item.text)
        return 0
    from ras_chat.dialogue.check import check
    from ras_chat.dialogue.text import person_lines, reading_grade

    problems = check(dialogue, session)
    for p in problems:
        print(f"{dialogue.path}: {p}", file=sys.stderr)
    grade = reading_grade([i.text for i in person_lines(dialogue, session)])
    if problems:
        print(f"ras-chat dialogue check: {len(problems)} problem(s) in {dialogue.path}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(
        f"{dialogue.path}: ok: {len(dialogue.states)} states, all reachable, every path ends; "
        f"reading grade {grade:.1f} (Flesch-Kincaid)"
    )
    return 0
