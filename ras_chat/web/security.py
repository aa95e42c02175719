"""The signed visitor cookie, CSRF tokens and the headers every response carries.

The cookie holds a random visitor token and the id of that visitor's conversation, signed
with HMAC-SHA256 under the server's secret: a visitor cannot read another's cookie, and
cannot make one up or change the id in theirs without the secret. The CSRF token on every
form is an HMAC of the visitor token, so it is tied to that browser and needs nothing
stored. Both are checked with `hmac.compare_digest`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

COOKIE = "ras_visitor"
MAX_AGE_S = 12 * 60 * 60
"""A cookie older than this is ignored (the reference words still bring the person back)."""

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Visitor:
    token: str
    session_id: str | None
    issued: int

    @classmethod
    def new(cls, session_id: str | None = None) -> Visitor:
        return cls(secrets.token_urlsafe(24), session_id, int(time.time()))


class Signer:
    def __init__(self, secret: bytes):
        if len(secret) < 16:
            raise ValueError("the secret must be at least 16 bytes")
        self._key = hashlib.sha256(b"ras-chat web|" + secret).digest()

    def _mac(self, purpose: bytes, data: bytes) -> bytes:
        return hmac.new(self._key, purpose + b"|" + data, hashlib.sha256).digest()

    def cookie(self, visitor: Visitor) -> str:
        body = json.dumps({"v": visitor.token, "s": visitor.session_id, "t": visitor.issued}, separators=(",", ":")).encode()
        return f"{_b64(body)}.{_b64(self._mac(b'cookie', body))}"

    def read(self, value: str | None, now: float | None = None) -> Visitor | None:
        """The visitor from a cookie value, or None when it is missing, altered or too old."""
        if not value or value.count(".") != 1 or len(value) > 600:
            return None
        body_text, mac_text = value.split(".")
        try:
            body = _unb64(body_text)
            mac = _unb64(mac_text)
        except (ValueError, TypeError):
            return None
        if not hmac.compare_digest(mac, self._mac(b"cookie", body)):
            return None
        try:
            data = json.loads(body)
            visitor = Visitor(str(data["v"]), data.get("s") if isinstance(data.get("s"), str) else None, int(data["t"]))
        except (ValueError, KeyError, TypeError):
            return None
        if (now if now is not None else time.time()) - visitor.issued > MAX_AGE_S:
            return None
        return visitor

    def csrf(self, visitor: Visitor) -> str:
        return _b64(self._mac(b"csrf", visitor.token.encode()))

    def csrf_ok(self, visitor: Visitor | None, token: object) -> bool:
        if visitor is None or not isinstance(token, str) or not token:
            return False
        return hmac.compare_digest(token.encode(), self.csrf(visitor).encode())


def client_key(host: str | None, secret_signer: Signer) -> str:
    """Who is asking, for the reference rate limit: a keyed hash of the address, never the address."""
    return _b64(secret_signer._mac(b"client", (host or "unknown").encode()))[:32]
