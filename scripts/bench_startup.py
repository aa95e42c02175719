"""Start-up time: from a fresh Python process to the first question on screen.

Three figures, each a new interpreter (so imports count), median and best of N runs:

- the real `ras-chat` command in a pseudo-terminal (100x40, a new SQLite file, the
  example policy), timed until the first question's words have been written to the
  terminal: what a worker waits for;
- the app driven headless by Textual's Pilot until the question is in the chat log
  (Pilot adds its own waits, so this is slower than the terminal);
- a bare Textual app (one Static) to the same point, for comparison.

Target: the first question in under 1 second.

    .venv/bin/python scripts/bench_startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

APP = r"""
import asyncio, time, sys
t0 = float(sys.argv[1])
from ras_chat.startup import pause_collector
pause_collector()  # as `ras-chat` does on entry
from ras_chat.ui.app import make_app
from ras_chat.ui.testing import fixed_session

async def main():
    app = make_app(fixed_session())
    async with app.run_test(size=(100, 40)) as pilot:
        while not app.session.state.transcript or "Who is answering today?" not in app.chat_texts():
            await pilot.pause(0.005)
        await pilot.pause()  # and painted
        print(f"{time.time() - t0:.4f}")
asyncio.run(main())
"""

BARE = r"""
import asyncio, time, sys
t0 = float(sys.argv[1])
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("Who is answering today?")

async def main():
    app = Bare()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        print(f"{time.time() - t0:.4f}")
asyncio.run(main())
"""


def in_terminal() -> float:
    """Seconds from starting `python -m ras_chat` in a pty to the first question's words on it."""
    import fcntl
    import os
    import pty
    import select
    import signal
    import struct
    import tempfile
    import termios

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, TERM="xterm-256color", RAS_CHAT_DB=os.path.join(tmp, "sessions.db"))
        env.pop("NO_COLOR", None)
        start = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: the real command
            os.execvpe(sys.executable, [sys.executable, "-m", "ras_chat"], env)
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
        seen = b""
        try:
            while not (b"answering" in seen and b"today?" in seen):
                ready, _, _ = select.select([fd], [], [], 30)
                if not ready:
                    raise RuntimeError("ras-chat showed no first question within 30 s")
                seen += os.read(fd, 65536)
            return time.perf_counter() - start
        finally:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(fd)


def once(code: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", code, repr(time.time())], capture_output=True, text=True, check=True, timeout=120
    )
    return float(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    once(APP)  # warm the file cache and .pyc files
    in_terminal()
    rows = []
    for name, run in (
        ("bare Textual app (Pilot)", lambda: once(BARE)),
        ("ras-chat app (Pilot)", lambda: once(APP)),
        ("ras-chat command, terminal", in_terminal),
    ):
        times = [run() for _ in range(args.runs)]
        rows.append((name, statistics.median(times), min(times)))
    print(f"{'':28} {'median':>8} {'best':>8}   (seconds from process start, {args.runs} runs)")
    for name, med, best in rows:
        print(f"{name:28} {med:8.3f} {best:8.3f}")
    worst = max(rows[1][1], rows[2][1])
    print(
        f"target < 1 s: {'met' if worst < 1 else 'NOT met'} (slower of the two medians {worst:.3f} s; "
        f"the app is {rows[1][1] - rows[0][1]:+.3f} s over bare Textual under Pilot)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
