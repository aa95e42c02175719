"""`ras-chat serve`: the same app in a web browser (textual-serve), for people who cannot
use a terminal.

Each browser tab gets its own conversation in its own process. It listens on 127.0.0.1
(this computer only) unless told otherwise: conversations hold personal data (health,
care needs, family, money), and the server has no log-in and no encryption, so anyone who
can reach the address could read and change them. Binding to any other address needs
`--public`, and should only be done behind an HTTPS proxy with log-in on a trusted network.
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import sys

EXIT_BAD_INPUT = 2
LOCAL_NAMES = {"localhost"}


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "serve",
        help="run the app in a web browser (textual-serve)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    p.add_argument(
        "--public",
        action="store_true",
        help="allow an address other than this computer's own (personal data: see above)",
    )
    p.add_argument("--url", default=None, help="the address people open, when behind a proxy (default: http://HOST:PORT)")
    p.set_defaults(func=run)


def is_local(host: str) -> bool:
    """True for addresses only this computer can reach (127.0.0.0/8, ::1, localhost)."""
    name = host.strip().strip("[]").lower()
    if name in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def refusal(host: str) -> str | None:
    """Why `host` is refused without --public, or None when it is fine."""
    if is_local(host):
        return None
    return (
        f"ras-chat serve: not listening on {host!r} without --public. Conversations hold personal "
        "data (health, care needs, family, money) and this server has no log-in or encryption: "
        "anyone who can reach that address could read them. Use the default 127.0.0.1, or add "
        "--public only behind an HTTPS proxy with log-in on a network you trust."
    )


def child_command(args: argparse.Namespace) -> str:
    """The command each browser tab runs: the app itself (never plain mode: it has no terminal)."""
    parts = [sys.executable, "-m", "ras_chat.ui"]
    for flag in ("policy", "theme", "db"):
        value = getattr(args, flag, None)
        if value:
            parts += [f"--{flag}", str(value)]
    return shlex.join(parts)


def public_url(host: str, port: int) -> str:
    name = host.strip("[]")
    shown = f"[{name}]" if ":" in name else name
    return f"http://{shown}:{port}"


def run(args: argparse.Namespace) -> int:
    why = None if args.public else refusal(args.host)
    if why:
        print(why, file=sys.stderr)
        return EXIT_BAD_INPUT
    if not 0 < args.port < 65536:
        print(f"ras-chat serve: --port must be 1 to 65535, not {args.port}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.public and not is_local(args.host):
        print(
            f"ras-chat serve: warning: listening on {args.host} (--public). Personal data will be "
            "reachable from other computers; put this behind HTTPS with log-in.",
            file=sys.stderr,
        )
    from textual_serve.server import Server

    server = Server(
        child_command(args),
        host=args.host.strip("[]"),
        port=args.port,
        title="ras-chat",
        public_url=args.url or public_url(args.host, args.port),
    )
    server.serve()
    return 0
