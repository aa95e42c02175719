"""`ras-chat backup PATH`: a consistent copy of the sessions database as one SQLite file.

Safe while sessions are running. The copy is readable by you only and never overwrites a file;
its audit chain head is written beside it (PATH.audit-head). The folder must exist.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ras_chat.store.cli import add_db_option, check_folder, guarded, open_from_args


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("backup", help="copy the sessions database safely", description=__doc__)
    p.add_argument("path", metavar="PATH", help="the new file to write")
    add_db_option(p)
    p.set_defaults(func=run)


@guarded
def run(args: argparse.Namespace) -> int:
    check_folder(Path(args.path).expanduser())  # as `export --out`: said before the database is opened
    with open_from_args(args) as store:
        path = store.backup(args.path)
        n = store.count_sessions()
        entries, head = store.audit_head()
    print(f"Backed up {n} session{'s' if n != 1 else ''} and {entries} audit entr{'ies' if entries != 1 else 'y'} to {path}.")
    return 0
