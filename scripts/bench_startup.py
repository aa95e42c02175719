"""Start-up time: from a fresh Python process to the first question on screen.

Both programs run in a pseudo-terminal (100x40, TERM=xterm-256color), each a new
interpreter (so imports count), timed from the fork until the first question's words
have been written to the terminal:

- the real `ras-chat` command (`python -m ras_chat`, a new SQLite file in a temporary
  folder, the example policy, the cache in a temporary folder filled by one run first;
  compiled modules written as usual, whatever PYTHONDONTWRITEBYTECODE says, as pip
  writes them for an installed package);
- a bare Textual app that shows one Static (the same words) and a Footer.

The runs alternate (bare, ras-chat, bare, ras-chat, ...) so a busy moment on the machine
hits both alike. Printed: median and best of each, the ratio of the medians, the CPU
time each used until then (from /proc: steadier than wall-clock on a busy machine), the
load average before and after, and one run with an empty cache (the first start after an
install or a change of the dialogue or policy file).

Target (issue 18): the ras-chat median within 1.3 times the bare app's, and under 0.5 s
on an idle machine.

    .venv/bin/python scripts/bench_startup.py [--runs 7] [--size 100x40]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

QUESTION = (b"answering", b"today?")

BARE = r"""
from textual.app import App
from textual.widgets import Footer, Static


class Bare(App):
    def compose(self):
        yield Static("Who is answering today?")
        yield Footer()


Bare().run()
"""


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system, every thread) the process `pid` has used so far (Linux)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def in_terminal(argv: list[str], env: dict[str, str], size: tuple[int, int], cpu: list[float] | None = None) -> float:
    """Seconds from starting `argv` in a pty until the first question's words are on it
    (and the CPU time it used until then appended to `cpu`)."""
    import fcntl
    import pty
    import select
    import signal
    import struct
    import termios

    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child
        os.execvpe(argv[0], argv, env)
    cols, rows = size
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    seen = b""
    try:
        while not all(word in seen for word in QUESTION):
            ready, _, _ = select.select([fd], [], [], 30)
            if not ready:
                raise RuntimeError(f"{argv} showed no first question within 30 s")
            try:
                seen += os.read(fd, 65536)
            except OSError as exc:
                raise RuntimeError(f"{argv} ended before showing the first question: {seen[-400:]!r}") from exc
        elapsed = time.perf_counter() - start
        if cpu is not None:
            # stopped first: on a busy machine this process may read /proc a while after the
            # words came, and the program's threads go on working meanwhile
            os.kill(pid, signal.SIGSTOP)
            cpu.append(cpu_seconds(pid))
        return elapsed
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", default="100x40", help="terminal COLSxROWS")
    args = parser.parse_args(argv)
    size = tuple(int(n) for n in args.size.lower().split("x"))
    assert len(size) == 2

    with tempfile.TemporaryDirectory() as tmp:
        bare_file = os.path.join(tmp, "bare.py")
        with open(bare_file, "w") as f:
            f.write(BARE)
        base = dict(os.environ, TERM="xterm-256color")
        base.pop("NO_COLOR", None)
        # As on a person's machine, where pip compiles every module on install: a shell with
        # PYTHONDONTWRITEBYTECODE=1 would make ras-chat compile its own modules from source
        # on every start (about 0.05 s) while Textual's came compiled with its package.
        base.pop("PYTHONDONTWRITEBYTECODE", None)
        cache = os.path.join(tmp, "cache")

        def env_for(n: int, cache_dir: str = cache) -> dict[str, str]:
            return dict(base, RAS_CHAT_DB=os.path.join(tmp, f"sessions-{n}.db"), RAS_CHAT_CACHE_DIR=cache_dir)

        ras = [sys.executable, "-m", "ras_chat"]
        bare = [sys.executable, bare_file]
        load_before = os.getloadavg()
        cold = in_terminal(ras, env_for(0, os.path.join(tmp, "cold-cache")), size)  # empty cache; warms .pyc too
        in_terminal(ras, env_for(1), size)  # fills the cache used below
        in_terminal(bare, base, size)
        times: dict[str, list[float]] = {"bare": [], "ras": []}
        cpu: dict[str, list[float]] = {"bare": [], "ras": []}
        for n in range(args.runs):
            times["bare"].append(in_terminal(bare, base, size, cpu["bare"]))
            times["ras"].append(in_terminal(ras, env_for(n + 2), size, cpu["ras"]))
        load_after = os.getloadavg()

    med = {k: statistics.median(v) for k, v in times.items()}
    best = {k: min(v) for k, v in times.items()}
    ratio = med["ras"] / med["bare"]
    print(f"first question on screen, pseudo-terminal {size[0]}x{size[1]}, {args.runs} runs each, alternating")
    print(f"{'':34} {'median':>8} {'best':>8}")
    print(f"{'bare Textual (Static + Footer)':34} {med['bare']:8.3f} {best['bare']:8.3f}")
    print(f"{'ras-chat command (cache filled)':34} {med['ras']:8.3f} {best['ras']:8.3f}")
    print(f"{'ras-chat command (empty cache)':34} {cold:8.3f} {'':>8}   (one run)")
    print(f"ratio of medians ras-chat / bare: {ratio:.2f} (target at most 1.3: {'met' if ratio <= 1.3 else 'NOT met'})")
    cpu_med = {k: statistics.median(v) for k, v in cpu.items()}
    print(
        f"CPU time to the first question (all threads, clock ticks of {1 / os.sysconf('SC_CLK_TCK'):.2f} s), median:"
        f" bare {cpu_med['bare']:.2f} s, ras-chat {cpu_med['ras']:.2f} s, ratio {cpu_med['ras'] / cpu_med['bare']:.2f}"
        " (steadier than wall-clock when the machine is busy)"
    )
    print(f"ras-chat median under 0.5 s: {'yes' if med['ras'] < 0.5 else 'no'} ({med['ras']:.3f} s)")
    print(
        "load average (1, 5, 15 min) before: "
        + ", ".join(f"{x:.2f}" for x in load_before)
        + "; after: "
        + ", ".join(f"{x:.2f}" for x in load_after)
        + f"; {os.cpu_count()} cores"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
