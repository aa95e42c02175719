"""`ras-chat serve` guards (issues 19 and 20): Host and Origin checked, visitors capped, the
terminal size bounded, no empty session per tab, the database address kept off the command
line, and a busy port is one line and exit 2."""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ras_chat.commands.serve import (
    COLUMNS,
    ROWS,
    allowed_hosts,
    allowed_origins,
    child_command,
    child_environment,
    clamp,
    guard_problem,
)
from ras_chat.store import open_store

ROOT = Path(__file__).resolve().parent.parent


def test_the_database_address_goes_in_the_environment_not_the_command_line():
    url = "postgresql://jo:s3cret-pass@db.example/ras"
    args = argparse.Namespace(policy="example", theme=None, db=url)
    assert "s3cret" not in child_command(args) and "postgresql" not in child_command(args)
    env = child_environment(args)
    assert env["RAS_CHAT_DB"] == url and env["RAS_CHAT_SERVED"] == "1"


def test_host_and_origin_are_checked():
    hosts = allowed_hosts("127.0.0.1", 8000, None)
    origins = allowed_origins(hosts, None)
    ok = {"Host": "127.0.0.1:8000", "Origin": "http://127.0.0.1:8000"}
    assert guard_problem(ok, hosts, origins, websocket=True) is None
    assert guard_problem({"Host": "localhost:8000", "Origin": "http://localhost:8000"}, hosts, origins, websocket=True) is None
    assert guard_problem({"Host": "127.0.0.1:8000"}, hosts, origins, websocket=False) is None  # the page itself
    # another web site's page opening a conversation over the visitor's connection
    assert guard_problem({**ok, "Origin": "https://evil.example"}, hosts, origins, websocket=True)
    assert guard_problem({"Host": "127.0.0.1:8000"}, hosts, origins, websocket=True)  # a websocket with no Origin
    # DNS rebinding: a name that now points at 127.0.0.1
    assert guard_problem({"Host": "evil.example:8000", "Origin": "http://evil.example:8000"}, hosts, origins, websocket=True)
    assert guard_problem({"Host": "127.0.0.1:8001", "Origin": "http://127.0.0.1:8001"}, hosts, origins, websocket=True)
    behind = allowed_hosts("127.0.0.1", 8000, "https://care.example.org")
    assert guard_problem({"Host": "care.example.org", "Origin": "https://care.example.org"}, behind, allowed_origins(behind, "https://care.example.org"), True) is None


def test_the_terminal_size_is_bounded():
    assert clamp(1000, COLUMNS, 80) == 250 and clamp(1000, ROWS, 24) == 100
    assert clamp(-5, COLUMNS, 80) == 20 and clamp("lots", ROWS, 24) == 24 and clamp(None, COLUMNS, 80) == 80
    assert clamp("120", COLUMNS, 80) == 120


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_busy_port_is_one_clear_line_and_exit_2():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "ras_chat", "serve", "--port", str(port)], capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 2
    assert done.stderr == f"ras-chat serve: port {port} on 127.0.0.1 is already in use; choose another with --port\n"


@pytest.fixture
def server(tmp_path):
    """`ras-chat serve` on a free port with at most one visitor and a database given by --db."""
    port = free_port()
    db = tmp_path / "secret-name-7731.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAS_CHAT_")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "tests"), env.get("PYTHONPATH", "")])  # tests/: store_helpers
    proc = subprocess.Popen(
        [sys.executable, "-m", "ras_chat", "--db", str(db), "serve", "--port", str(port), "--visitors", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    end = time.monotonic() + 30
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("the server did not start")
    yield port, db, proc
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
            found += children_of(int(entry.name))
    return found


def test_a_live_server_guards_its_door(server):
    aiohttp = pytest.importorskip("aiohttp")
    port, db, proc = server
    base = f"http://127.0.0.1:{port}"

    async def scenario() -> dict:
        out: dict = {}
        async with aiohttp.ClientSession() as http:
            async with http.get(base + "/", headers={"Host": "evil.example"}) as r:
                out["wrong host"] = r.status
            async with http.get(base + "/") as r:
                out["page"] = r.status
            try:
                async with http.ws_connect(base + "/ws", headers={"Origin": "https://evil.example"}):
                    out["cross origin"] = "accepted"
            except aiohttp.WSServerHandshakeError as exc:
                out["cross origin"] = exc.status
            ws = await http.ws_connect(base + "/ws?width=1000&height=1000", headers={"Origin": base})
            got = b""
            for _ in range(200):  # until the app has drawn its first question
                msg = await asyncio.wait_for(ws.receive(), 30)
                if msg.type == aiohttp.WSMsgType.BINARY:
                    got += msg.data
                if b"answering" in got:
                    break
            out["drawn"] = b"answering" in got
            # the visitor's process: the database is in its environment, not its command line
            kids = children_of(proc.pid)
            out["cmdlines"] = [Path(f"/proc/{k}/cmdline").read_bytes() for k in kids]
            out["environs"] = [Path(f"/proc/{k}/environ").read_bytes() for k in kids if Path(f"/proc/{k}/environ").exists()]
            try:
                async with http.ws_connect(base + "/ws", headers={"Origin": base}):
                    out["second visitor"] = "accepted"
            except aiohttp.WSServerHandshakeError as exc:
                out["second visitor"] = exc.status
            await ws.close()
        return out

    out = asyncio.run(scenario())
    assert out["wrong host"] == 403 and out["page"] == 200
    assert out["cross origin"] == 403
    assert out["drawn"]
    assert out["second visitor"] == 503  # --visitors 1
    assert out["cmdlines"] and not any(b"secret-name-7731" in c for c in out["cmdlines"])
    assert any(b"RAS_CHAT_DB=" + str(db).encode() in e for e in out["environs"])
    # asked for 1000 x 1000, the tab's terminal is 250 x 100
    assert any(b"\0COLUMNS=250\0" in e and b"\0ROWS=100\0" in e for e in out["environs"])
    time.sleep(1)  # let the tab's process end
    with open_store(db) as store:
        assert store.list_sessions() == []  # a tab that never answered leaves no session
