"""Start-up time: from a fresh Python process to the first question on screen.

Each run is a new interpreter (so imports count), running the app headless with Textual's
Pilot at 100x40 and stopping as soon as the first question is in the chat log; beside it,
a bare Textual app (one Static) to the same point. Prints median and best of N runs.
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
    rows = []
    for name, code in (("bare Textual app", BARE), ("ras-chat, first question", APP)):
        times = [once(code) for _ in range(args.runs)]
        rows.append((name, statistics.median(times), min(times)))
    print(f"{'':28} {'median':>8} {'best':>8}   (seconds from process start, {args.runs} runs)")
    for name, med, best in rows:
        print(f"{name:28} {med:8.3f} {best:8.3f}")
    app_median = rows[1][1]
    print(f"target < 1 s: {'met' if app_median < 1 else 'NOT met'} ({app_median - rows[0][1]:+.3f} s over bare Textual)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
