"""`ras-chat serve`: refuses to leave this computer without --public; the page shows the
first question in a real (headless) Chromium."""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ras_chat.__main__ import main
from ras_chat.commands.serve import child_command, is_local, public_url, refusal

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2", "LOCALHOST"])
def test_this_computers_own_addresses_are_allowed(host):
    assert is_local(host) and refusal(host) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "example.org", ""])
def test_other_addresses_are_refused_and_the_reason_is_personal_data(host):
    assert not is_local(host)
    assert "personal data" in refusal(host) and "--public" in refusal(host)


def test_serve_on_all_addresses_without_public_exits_2_and_says_why(capsys):
    assert main(["serve", "--host", "0.0.0.0", "--port", "8123"]) == 2
    err = capsys.readouterr().err
    assert "not listening on '0.0.0.0' without --public" in err and "personal data" in err


def test_a_bad_port_is_refused(capsys):
    assert main(["serve", "--port", "70000"]) == 2
    assert "--port" in capsys.readouterr().err


def test_each_tab_runs_the_app_itself_with_the_chosen_policy_and_theme():
    args = argparse.Namespace(policy="example", theme="high-contrast", db="/tmp/my db.sqlite")
    command = child_command(args)
    assert command.startswith(sys.executable) and " -m ras_chat.ui " in command
    assert "--theme high-contrast" in command and "my db.sqlite" not in command  # the database goes in the environment (issue 19)
    assert public_url("::1", 8000) == "http://[::1]:8000"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, seconds: float = 20) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise AssertionError(f"server stopped: {proc.stdout.read().decode(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"server did not answer at {url} within {seconds} s")


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed (apt-get install chromium; .ci/run does this)")
def test_the_browser_page_shows_the_first_question_and_takes_an_answer(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["RAS_CHAT_DB"] = str(tmp_path / "sessions.db")  # never the real data folder
    proc = subprocess.Popen(
        [sys.executable, "-m", "ras_chat", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        wait_until_up(url, proc)
        frames: list[str] = []

        def screen_text() -> str:
            # the terminal is drawn on a canvas (xterm.js); what the app sent it is in the
            # websocket frames: join them and drop the escape codes to read the words
            return ANSI.sub("", "".join(f if isinstance(f, str) else f.decode("utf-8", "replace") for f in frames))

        def wait_for(words: str, seconds: float = 15) -> bool:
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                if words in screen_text():
                    return True
                page.wait_for_timeout(100)
            return False

        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1200, "height": 900})
                page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(f)))
                page.goto(url)
                assert wait_for("Who is answering today?"), screen_text()[-2000:]
                assert page.locator(".textual-terminal canvas").count() >= 1
                page.click(".textual-terminal")
                page.keyboard.press("1")
                assert wait_for("What would you like us to call you"), screen_text()[-2000:]
                assert (tmp_path / "sessions.db").exists()  # the tab's answers were saved
            finally:
                browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
