"""`ras-chat audit verify`: check the audit trail and every session's stored data against it;
`ras-chat audit show ID|last`: a session's changes, as a table; `ras-chat audit accept`:
after restoring a backup on purpose, record its chain head as the one to check.

verify exits 0 when everything is intact and 1 when it finds a problem (each on its own
line). It recomputes the worker's audit chain, the case record's chain (one entry for every
saved turn, review change and sign-off, holding hashes of the stored rows), and checks the
newest entry against the head file kept beside the database (signed with an HMAC when
RAS_CHAT_AUDIT_KEY_FILE names a key), so an edited row, a forged entry or a cut tail shows.
"""

from __future__ import annotations

import argparse

from ras_chat.store.cli import BadInput, add_db_option, clean, guarded, open_from_args

EXIT_BROKEN = 1


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "audit",
        help="check or show the audit trail",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("action", choices=["verify", "show", "accept"], help="verify everything, show a session's changes, or accept a restored head")
    p.add_argument("session", nargs="?", metavar="ID|last", help="for show: the session")
    add_db_option(p)
    p.set_defaults(func=run)


def _when(at: str) -> str:
    return (at or "")[:16].replace("T", " ")


def change_table(entries: list) -> list[str]:
    """The changes as an aligned table: number, when (UTC), who, what changed, why."""
    from ras_chat.review.model import describe

    rows = [["#", "WHEN (UTC)", "WHO", "CHANGE", "WHY"]]
    for e in entries:
        what = e.what if isinstance(e.what, dict) else {}
        rows.append([str(e.seq), _when(e.at), clean(e.who), clean(describe(what)), clean(e.why)])
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    return ["  ".join(cell.ljust(widths[c]) for c, cell in enumerate(r)).rstrip() for r in rows]


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@guarded
def run(args: argparse.Namespace) -> int:
    with open_from_args(args) as store:
        if args.action == "show":
            if not args.session:
                raise BadInput("audit show: give a session id, the start of one, or `last`")
            sid = store.resolve(args.session)
            entries = store.audit_entries(sid)
            if not entries:
                print(f"No changes recorded for session {sid}.")
                return 0
            print(f"Changes to session {sid} ({_plural(len(entries), 'change', 'changes')}):")
            for line in change_table(entries):
                print(line)
            return 0
        if args.action == "accept":
            count, head = store.accept_head()
            print(f"The head file {store.head_path} now holds entry {count} ({head}).")
            return 0
        breaks = store.verify_audit()
        changes, _ = store.audit_head()
        count, head = store.seal_head()
        signed = store._key is not None
    if breaks:
        for b in breaks:
            print(f"BROKEN: {clean(str(b))}")
        print(
            f"The audit trail has {_plural(len(breaks), 'problem', 'problems')}: the database (or its head file) "
            "has been changed outside ras-chat."
        )
        return EXIT_BROKEN
    print(
        f"The audit trail is intact: {_plural(changes, 'worker change', 'worker changes')} and "
        f"{_plural(count, 'case record entry', 'case record entries')}, every session matches it; "
        f"newest hash {head}{' (head signed with the audit key)' if signed else ''}."
    )
    return 0
