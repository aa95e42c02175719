"""ASGI middleware for the web pages: the Host header check, a cap on request bodies, and
the security headers on every response."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from ras_chat.web.security import HEADERS
from ras_chat.web.words import texts

if TYPE_CHECKING:
    from ras_chat.web.app import WebApp
    from ras_chat.web.stores import WebConfig

log = logging.getLogger("ras_chat.web")

MAX_BODY = 64 * 1024
"""Bytes a form may send (an answer is cut to 2,000 characters by the session anyway)."""

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class Guard:
    """ASGI middleware: the Host header check, a cap on request bodies, and the security
    headers on every response (set here so no route can forget them)."""

    def __init__(self, app: Any, config: WebConfig, web: WebApp) -> None:
        self.app = app
        self.web = web
        self.state = app.state
        self.allowed = {h.lower() for h in config.allowed_hosts} if config.allowed_hosts is not None else None

    def _host_ok(self, scope: Scope) -> bool:
        if self.allowed is None:
            return True
        host = ""
        for name, value in scope.get("headers") or []:
            if name == b"host":
                host = value.decode("latin-1").lower()
                break
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name in self.allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
                path = scope.get("path", "")
                cache = b"public, max-age=3600" if path.startswith("/static/") else b"no-store"
                message["headers"] = headers + HEADERS + [(b"cache-control", cache)]
            await send(message)

        if not self._host_ok(scope):
            await Response(texts()["unknown_host"], status_code=400, media_type="text/plain")(scope, receive, send_with_headers)
            return
        length = next((v for k, v in scope.get("headers") or [] if k == b"content-length"), b"0")
        try:
            too_big = int(length) > MAX_BODY
        except ValueError:
            too_big = True
        if too_big:
            request = Request(scope)
            response = self.web.plain_page(request, "too_big_title", "too_big_line", 413)
            await response(scope, receive, send_with_headers)
            return
        try:
            await self.app(scope, _capped(receive), send_with_headers)
        except Exception as exc:
            # the error page has been sent by the app's handler; nothing of the
            # exception's text goes to the server's log (it may hold what a person typed)
            if not started:
                log.error("error on %s %s: %s", scope.get("method"), scope.get("path"), type(exc).__name__)
                await Response(texts()["broken_plain"], status_code=500, media_type="text/plain")(
                    scope, receive, send_with_headers
                )


def _capped(receive: Receive) -> Receive:
    """Refuse a body that grows past MAX_BODY without saying its length (chunked)."""
    seen = 0

    async def inner() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > MAX_BODY:
                raise ValueError("request body too large")
        return message

    return inner
