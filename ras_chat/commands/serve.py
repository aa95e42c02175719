"""`ras-chat serve`: the same app in a web browser (textual-serve), for people who cannot
use a terminal.

Each browser tab gets its own conversation in its own process. It listens on 127.0.0.1
(this computer only) unless told otherwise: conversations hold personal data (health,
care needs, family, money), and the server has no log-in and no encryption, so anyone who
can reach the address could read and change them. Binding to any other address needs
`--public`, and should only be done behind an HTTPS proxy with log-in on a trusted network.

Guards (issue 19): a request whose Host is not this server's address, or a websocket whose
Origin is not this server's page, is refused (another web site, or a DNS rebinding, cannot
drive a conversation); at most RAS_CHAT_SERVE_VISITORS (default 20) conversations at once,
each about 60 MiB; the terminal is at most 250 x 100 cells whatever the browser asks; a
tab that never answers leaves no session behind; and the database address reaches each
tab's process in its environment (RAS_CHAT_DB), never on a command line that every user
of the computer can read (a postgresql:// address may hold a password).
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import ipaddress
import os
import shlex
import socket
import sys
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

EXIT_BAD_INPUT = 2
LOCAL_NAMES = {"localhost"}
COLUMNS = (20, 250)
ROWS = (10, 100)
"""The terminal size a browser may ask for (min, max): 1000 x 1000 cost 106 MiB."""


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
    p.add_argument(
        "--visitors",
        type=int,
        default=None,
        metavar="N",
        help="at most N conversations at once (default: RAS_CHAT_SERVE_VISITORS or 20)",
    )
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
    """The command each browser tab runs: the app itself (never plain mode: it has no terminal).
    The database is not on it (see `child_environment`)."""
    parts = [sys.executable, "-m", "ras_chat.ui"]
    for flag in ("policy", "theme"):
        value = getattr(args, flag, None)
        if value:
            parts += [f"--{flag}", str(value)]
    return shlex.join(parts)


def child_environment(args: argparse.Namespace) -> dict[str, str]:
    """What each tab's process gets in its environment: the database address (kept off the
    command line) and the flag that makes it save only from the first answer."""
    from ras_chat.app import SERVED_ENV

    env = {SERVED_ENV: "1"}
    db = getattr(args, "db", None)
    if db:
        env["RAS_CHAT_DB"] = str(db)
    return env


def clamp(value: object, bounds: tuple[int, int], default: int) -> int:
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        number = default
    return max(bounds[0], min(bounds[1], number))


def allowed_hosts(host: str, port: int, url: str | None) -> set[str]:
    """The Host header values this server answers to (lower case, with the port)."""
    names = {host.strip("[]").lower()}
    if is_local(host):
        names |= {"localhost", "127.0.0.1", "::1"}
    hosts = set()
    for name in names:
        shown = f"[{name}]" if ":" in name else name
        hosts.add(f"{shown}:{port}")
        if port == 80:
            hosts.add(shown)
    if url:
        netloc = urlsplit(url).netloc.lower()
        if netloc:
            hosts.add(netloc)
    return hosts


def allowed_origins(hosts: set[str], url: str | None) -> set[str]:
    origins = {f"{scheme}://{h}" for h in hosts for scheme in ("http", "https")}
    if url:
        parts = urlsplit(url)
        origins.add(f"{parts.scheme}://{parts.netloc}".lower())
    return origins


def _closer(websocket: Any) -> Callable[[], Awaitable[None]]:
    """`websocket.close` as the app service wants it: no arguments, nothing returned."""

    async def close() -> None:
        await websocket.close()

    return close


def guard_problem(headers: Mapping[str, str], hosts: set[str], origins: set[str], websocket: bool) -> str | None:
    """Why a request is refused (a wrong Host, a websocket from another origin), or None."""
    get = headers.get
    host = (get("Host") or "").strip().lower()
    if host not in hosts:
        return "this server does not answer to that address"
    origin = (get("Origin") or "").strip().lower()
    if websocket and origin not in origins:
        return "a conversation can only be opened from this server's own page"
    if origin and origin != "null" and origin not in origins:
        return "a conversation can only be opened from this server's own page"
    return None


def port_problem(host: str, port: int) -> str | None:
    """One line when the port cannot be listened on (busy, or not allowed), else None."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return f"ras-chat serve: port {port} on {host} is already in use; choose another with --port"
            if exc.errno == errno.EACCES:
                return f"ras-chat serve: not allowed to listen on port {port}; choose one above 1023 with --port"
            return f"ras-chat serve: cannot listen on {host} port {port} ({exc.strerror})"
    return None


def make_server(args: argparse.Namespace, visitors: int):
    """textual-serve's Server with the guards above."""
    from aiohttp import WSMsgType, web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server, log

    host = args.host.strip("[]")
    url = args.url or public_url(args.host, args.port)
    hosts = allowed_hosts(host, args.port, args.url)
    origins = allowed_origins(hosts, args.url)

    class BoundedAppService(AppService):
        async def set_terminal_size(self, width: int, height: int) -> None:
            await super().set_terminal_size(clamp(width, COLUMNS, 80), clamp(height, ROWS, 24))

        async def start(self, width: int, height: int) -> None:
            await super().start(clamp(width, COLUMNS, 80), clamp(height, ROWS, 24))

    class GuardedServer(Server):
        active = 0

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()

            @web.middleware
            async def check(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
                websocket = request.headers.get("Upgrade", "").lower() == "websocket"
                why = guard_problem(request.headers, hosts, origins, websocket)
                if why:
                    raise web.HTTPForbidden(text=f"Refused: {why}.\n")
                return await handler(request)

            app.middlewares.append(check)
            return app

        async def _process_messages(self, websocket: web.WebSocketResponse, app_service: AppService) -> None:
            async for message in websocket:
                if message.type != WSMsgType.TEXT:
                    continue
                try:
                    envelope = message.json()
                except ValueError:
                    continue
                if not isinstance(envelope, list) or not envelope:
                    continue
                kind = envelope[0]
                data = envelope[1] if len(envelope) > 1 else None
                if kind == "stdin" and isinstance(data, str):
                    await app_service.send_bytes(data.encode("utf-8"))
                elif kind == "resize" and isinstance(data, dict):
                    width, height = data.get("width"), data.get("height")
                    if isinstance(width, int) and isinstance(height, int):
                        await app_service.set_terminal_size(width, height)
                elif kind == "ping":
                    await websocket.send_json(["pong", data])
                elif kind == "blur":
                    await app_service.blur()
                elif kind == "focus":
                    await app_service.focus()

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            if GuardedServer.active >= visitors:
                raise web.HTTPServiceUnavailable(text="Too many conversations at once; please try again in a few minutes.\n")
            GuardedServer.active += 1
            websocket = web.WebSocketResponse(heartbeat=15)
            app_service = None
            try:
                await websocket.prepare(request)
                app_service = BoundedAppService(
                    self.command,
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=_closer(websocket),
                    download_manager=self.download_manager,
                    debug=self.debug,
                )
                await app_service.start(request.query.get("width", "80"), request.query.get("height", "24"))  # type: ignore[arg-type]
                try:
                    await self._process_messages(websocket, app_service)
                finally:
                    await app_service.stop()
            except asyncio.CancelledError:
                await websocket.close()
            except Exception as error:  # noqa: BLE001 - as textual-serve does: log, close this tab only
                log.exception(error)
            finally:
                GuardedServer.active -= 1
                if app_service is not None:
                    await app_service.stop()
            return websocket

    return GuardedServer(child_command(args), host=host, port=args.port, title="ras-chat", public_url=url)


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
            "reachable from other computers; put this behind HTTPS with log-in. Only requests for "
            f"{args.url or public_url(args.host, args.port)} are answered (give the address people open with --url).",
            file=sys.stderr,
        )
    visitors = args.visitors
    if visitors is None:
        from ras_chat.environment import current

        visitors = current().serve_visitors
    if visitors < 1:
        print(f"ras-chat serve: --visitors must be 1 or more, not {visitors}", file=sys.stderr)
        return EXIT_BAD_INPUT
    busy = port_problem(args.host.strip("[]"), args.port)
    if busy:
        print(busy, file=sys.stderr)
        return EXIT_BAD_INPUT
    os.environ.update(child_environment(args))  # each tab's process inherits these
    server = make_server(args, visitors)
    try:
        server.serve()
    except OSError as exc:  # the port was taken between the check and the start
        print(port_problem(args.host.strip("[]"), args.port) or f"ras-chat serve: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0
