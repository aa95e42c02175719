"""Helpers for the web tests and the benchmark: the answers of a test plan, a form's CSRF
token, and the app served by uvicorn on a free 127.0.0.1 port in a thread."""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

PLANS = Path(__file__).resolve().parents[2] / "tests" / "plans"


def plan_answers(name: str) -> list[str]:
    """What the person types in tests/plans/NAME.plan (the `> ` lines), in order."""
    out = []
    for line in (PLANS / f"{name}.plan").read_text(encoding="utf-8").splitlines():
        if line.startswith("> "):
            text = line[2:]
            out.append(json.loads(text) if text.startswith('"') else text)
    return out


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def turn_of(html: str) -> str:
    found = re.search(r'name="turn" value="(\d+)"', html)
    assert found, "no turn on the page"
    return found.group(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def served(app: Any, log_level: str = "warning", **config: Any) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 in a thread; yields its address."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level=log_level, **config))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
