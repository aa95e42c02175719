"""`python -m ras_chat.ui [--policy P] [--theme T] [--db D] [--resume ID]`: the app itself,
with no check for a terminal. `ras-chat serve` runs this for each browser tab.

It reads its few options itself (not through the `ras-chat` command's parser), so the
app does not import the command layer above it."""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m ras_chat.ui", description="The ras-chat Textual app.")
    parser.add_argument("--resume", metavar="ID|last", help="carry on a saved conversation")
    parser.add_argument("--db", metavar="PATH|URL", help="the sessions database")
    parser.add_argument("--policy", default=None, help="a shipped policy name or a policy file")
    parser.add_argument("--theme", default=None, help="default or high-contrast")
    return parser


def main(argv: list[str] | None = None) -> int:
    from ras_chat.ui.app import run_app

    args = build_parser().parse_args(argv)
    return run_app(args, after=False)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
