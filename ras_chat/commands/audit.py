"""`ras-chat audit verify`: check the worker's audit trail; `ras-chat audit show ID|last`: list it.

verify exits 0 when the chain is intact and 1 when it finds a break (each break on its
own line). Note the newest hash it prints somewhere else: if entries at the end were
removed, the chain is shorter but still valid, and only that note shows it.
"""

from __future__ import annotations

import argparse

from ras_chat.store.cli import BadInput, add_db_option, clean, guarded, open_from_args

EXIT_BROKEN = 1


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("audit", help="check or show the worker's audit trail", description=__doc__)
    p.add_argument("action", choices=["verify", "show"], help="verify the chain, or show a session's changes")
    p.add_argument("session", nargs="?", metavar="ID|last", help="for show: the session")
    add_db_option(p)
    p.set_defaults(func=run)


@guarded
def run(args: argparse.Namespace) -> int:
    with open_from_args(args) as store:
        if args.action == "show":
            if not args.session:
                raise BadInput("audit show: give a session id, the start of one, or `last`")
            entries = store.audit_entries(store.resolve(args.session))
            if not entries:
                print("No changes recorded for this session.")
            for e in entries:
                print(f"#{e.seq} {e.at} {clean(e.who)}: {clean(str(e.what))} - {clean(e.why)}")
            return 0
        breaks = store.verify_audit()
        count, head = store.audit_head()
    if breaks:
        for b in breaks:
            print(f"BROKEN: {b}")
        print(f"The audit trail has {len(breaks)} break{'s' if len(breaks) != 1 else ''}; it has been changed outside ras-chat.")
        return EXIT_BROKEN
    print(f"The audit trail is intact: {count} entr{'ies' if count != 1 else 'y'}, newest hash {head}.")
    return 0
