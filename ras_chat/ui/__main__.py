"""`python -m ras_chat.ui [--policy P] [--theme T] [--db D] [--resume ID]`: the app itself,
with no check for a terminal. `ras-chat serve` runs this for each browser tab."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from ras_chat.__main__ import build_parser
    from ras_chat.ui.app import run_app

    args = build_parser().parse_args(argv)
    return run_app(args, after=False)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
