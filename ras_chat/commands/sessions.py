"""`ras-chat sessions`: the saved sessions, urgent cases first, then newest first (id, when,
who, status, amount).

An urgent case (a possible disclosure of harm, a carer at breaking point) is marked URGENT
with its flag's words; a session stopped at a possible disclosure of harm says so in its
status instead of "handed off". `--to-review`: only what a worker should look at (handed
off, or urgent, and not yet signed off). The amount is the one a worker agreed at sign-off
when there is one (with the first figure beside it when they differ), else the first
figure from the conversation."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shlex
from pathlib import Path

from ras_chat.store.cli import BadInput, add_db_option, clean, guarded, open_from_args


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("sessions", help="list saved sessions", description=__doc__)
    add_db_option(p)
    p.add_argument("--json", action="store_true", help="one JSON array (for scripts)")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N (urgent cases first, then the newest)")
    p.add_argument("--to-review", action="store_true", help="only sessions a worker should review (handed off or urgent, not signed off)")
    p.set_defaults(func=run)


def _when(text: str) -> str:
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return text


def _amount(first: str | None, agreed: str | None) -> str:
    if agreed is not None:
        if first is not None and first != agreed:
            return f"£{agreed}/week agreed (first £{first})"
        return f"£{agreed}/week agreed"
    return f"£{first}/week" if first is not None else "-"


def _missing_file(args: argparse.Namespace) -> str | None:
    """The SQLite file to list when it does not exist (listing never creates one), else None."""
    from ras_chat.environment import current
    from ras_chat.store.store import is_postgres

    target = getattr(args, "db", None) or current().database()
    return None if is_postgres(target) or Path(target).exists() else target


@guarded
def run(args: argparse.Namespace) -> int:
    missing = _missing_file(args)
    if missing is not None:
        from ras_chat.environment import current

        if getattr(args, "db", None) or current().db:  # named by the user: a typo?
            raise BadInput(
                f"{missing}: there is no database here (is the name right?). "
                f"A conversation makes one: ras-chat --db {shlex.quote(missing)}"
            )
        print("No saved sessions yet.")  # the default file is made by the first conversation
        return 0
    from ras_chat.review.queue import listed, to_review, urgent_first

    with open_from_args(args) as store:
        rows = store.list_sessions(limit=None if args.to_review else args.limit, urgent_first=True)
    rows = to_review(rows) if args.to_review else urgent_first(rows)
    if args.to_review and args.limit is not None:
        rows = rows[: max(args.limit, 0)]
    if args.json:
        print(json.dumps([{**r.as_dict(), "stopped": r.stopped} for r in rows], indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print("Nothing to review." if args.to_review else "No saved sessions yet.")
        return 0
    table: list[list[str]] = [["ID", "WHEN", "WHO", "STATUS", "AMOUNT"]]
    urgent: dict[int, str] = {}
    for r in rows:
        shown = listed(r)
        amount = _amount(r.weekly, r.agreed_weekly)
        if shown.urgent:
            urgent[len(table)] = clean(shown.urgent)
        table.append([r.id, _when(r.updated), clean(r.who) or "-", ("URGENT " if shown.urgent else "") + shown.status, amount])
    widths = [max(len(row[c]) for row in table) for c in range(len(table[0]))]
    for n, row in enumerate(table):
        print("  ".join(cell.ljust(widths[c]) for c, cell in enumerate(row)).rstrip())
        if n in urgent:
            print(f"    {urgent[n]}")
    return 0
