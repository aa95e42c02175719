"""`ras-chat web`: the conversation as accessible web pages (HTML, works without JavaScript).

Server-rendered pages over the same headless session and store as the other front ends,
for screen readers, phones and zoom. Many visitors in one process; everything is kept in
the store, so several processes can share one PostgreSQL.

It listens on 127.0.0.1 (this computer only). Conversations hold personal data, so any
other address needs `--allow-remote` and a secret shared by every process
(RAS_CHAT_WEB_SECRET or --secret-file, at least 32 characters), and belongs behind an
HTTPS proxy (the cookie is then marked Secure). See docs/web.md.
"""

from __future__ import annotations

import argparse
import sys

from ras_chat.environment import current

EXIT_BAD_INPUT = 2
SECRET_ENV = "RAS_CHAT_WEB_SECRET"
MIN_SECRET = 32


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "web",
        help="the conversation as accessible web pages (screen readers, phones)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    p.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow an address other than this computer's own (needs a secret; put it behind HTTPS)",
    )
    p.add_argument("--secret-file", metavar="FILE", help=f"a file holding the secret (default: ${SECRET_ENV})")
    p.add_argument(
        "--hostname",
        action="append",
        default=None,
        metavar="NAME",
        help="with --allow-remote: a host name the pages are served under (repeat; default: any)",
    )
    p.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH|URL", help="the sessions database")
    p.set_defaults(func=run)


def read_secret(args: argparse.Namespace) -> bytes | None:
    if args.secret_file:
        with open(args.secret_file, "rb") as f:
            secret = f.read().strip()
    else:
        chosen = current().web_secret
        secret = chosen.get_secret_value().strip().encode() if chosen is not None else b""
    return secret or None


def check(args: argparse.Namespace) -> tuple[str | None, bytes | None]:
    """(why the command must not start, or None; the secret)."""
    from ras_chat.commands.serve import is_local

    try:
        secret = read_secret(args)
    except OSError as exc:
        return f"ras-chat web: {args.secret_file}: {exc.strerror}", None
    if secret is not None and len(secret) < MIN_SECRET:
        return f"ras-chat web: the secret is too short ({len(secret)} characters; use at least {MIN_SECRET})", None
    if is_local(args.host):
        return None, secret
    if not args.allow_remote:
        return (
            f"ras-chat web: not listening on {args.host!r} without --allow-remote. Conversations hold personal "
            "data (health, care needs, family, money): keep the default 127.0.0.1, or add --allow-remote "
            "behind an HTTPS proxy on a network you trust."
        ), None
    if secret is None:
        return (
            f"ras-chat web: --allow-remote needs a secret shared by every process: set {SECRET_ENV} "
            f"or give --secret-file (at least {MIN_SECRET} random characters)."
        ), None
    return None, secret


def run(args: argparse.Namespace) -> int:
    why, secret = check(args)
    if why:
        print(why, file=sys.stderr)
        return EXIT_BAD_INPUT
    import uvicorn

    from ras.policy import load_policy
    from ras_chat.app import policy_of
    from ras_chat.dialogue.loader import load_dialogue
    from ras_chat.web.app import WebConfig, create_app

    policy = policy_of(args)
    load_dialogue(council=current().dialogue)  # a broken council file stops us here, with its one line
    load_policy(policy)
    remote = args.allow_remote and not _local(args.host)
    config = WebConfig(
        db=getattr(args, "db", None),
        policy=policy,
        secure_cookies=remote,
        allowed_hosts=(tuple(args.hostname) if args.hostname else None) if remote else ("127.0.0.1", "localhost", "[::1]"),
    )
    if secret is not None:
        config.secret = secret
    app = create_app(config)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"ras-chat web: open http://{shown}:{args.port}/ (ctrl+c stops)", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", access_log=True, server_header=False)
    return 0


def _local(host: str) -> bool:
    from ras_chat.commands.serve import is_local

    return is_local(host)
