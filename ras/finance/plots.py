"""Pictures of a calibration or a simulation: PNG files (matplotlib, imported only here,
only when asked, with the Agg backend so no screen is needed) and the same pictures in
plain characters for any terminal.

Every terminal picture starts with a one-line summary in words, so a person using a
screen reader gets the point without reading the grid.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DENSITY = " .:+#"
"""Characters for how many cases fall in a cell of the terminal scatter, fewest to most."""
LINE = "*"


@dataclass
class Curve:
    """A fitted line to draw over a scatter; `group` colours it as that group's cases."""

    label: str
    x: np.ndarray
    y: np.ndarray
    group: int | None = None


def _money(value: float) -> str:
    sign = "-" if value < 0 else ""
    value = abs(value)
    return sign + (f"£{value:,.0f}" if value >= 100 else f"£{value:,.2f}")


# ----- terminal ------------------------------------------------------------------------


def text_scatter(
    x: np.ndarray,
    y: np.ndarray,
    *,
    x_label: str,
    y_label: str,
    curves: Sequence[Curve] = (),
    width: int = 60,
    height: int = 18,
    summary: str = "",
    line_label: str = "fitted",
) -> str:
    """A scatter in characters: denser cells darker (` .:+#`), fitted lines as `*`."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    head = summary or f"Scatter of {len(x):,} cases: {y_label} against {x_label}."
    if len(x) == 0:
        return head + "\n(no cases to draw)"
    x_lo, x_hi = float(min(x.min(), 0.0)), float(x.max())
    y_lo, y_hi = float(min(y.min(), 0.0)), float(np.percentile(y, 99.5))
    x_hi = x_hi if x_hi > x_lo else x_lo + 1
    y_hi = y_hi if y_hi > y_lo else y_lo + 1
    col = np.clip(((x - x_lo) / (x_hi - x_lo) * (width - 1)).round().astype(int), 0, width - 1)
    row = np.clip(((y - y_lo) / (y_hi - y_lo) * (height - 1)).round().astype(int), 0, height - 1)
    counts = np.zeros((height, width), dtype=np.int64)
    np.add.at(counts, (row, col), 1)
    grid = [[" "] * width for _ in range(height)]
    if counts.max() > 0:
        top = np.log1p(counts.max())
        level = np.where(counts > 0, 1 + (np.log1p(counts) / top * (len(DENSITY) - 2)).round(), 0).astype(int)
        for r, c in zip(*np.nonzero(level)):
            grid[r][c] = DENSITY[min(level[r, c], len(DENSITY) - 1)]
    for curve in curves:
        xs = np.linspace(float(np.min(curve.x)), float(np.max(curve.x)), width * 2)
        ys = np.interp(xs, curve.x, curve.y)
        for cx, cy in zip(xs, ys):
            c = int(round((cx - x_lo) / (x_hi - x_lo) * (width - 1)))
            r = int(round((cy - y_lo) / (y_hi - y_lo) * (height - 1)))
            if 0 <= c < width and 0 <= r < height:
                grid[r][c] = LINE
    label_w = max(len(_money(y_hi)), len(_money(y_lo)))
    lines = [head, f"{y_label} (up), {x_label} (across); darker = more cases, {LINE} = {line_label}"]
    for r in range(height - 1, -1, -1):
        tag = _money(y_hi) if r == height - 1 else _money(y_lo) if r == 0 else ""
        lines.append(f"{tag:>{label_w}} |" + "".join(grid[r]))
    lines.append(" " * label_w + " +" + "-" * width)
    left, right = f"{x_lo:,.0f}", f"{x_hi:,.0f}"
    lines.append(" " * (label_w + 2) + left + right.rjust(width - len(left)))
    return "\n".join(lines)


def text_histogram(values: np.ndarray, *, label: str, bins: int = 15, width: int = 40, summary: str = "") -> str:
    """A histogram as rows of `#`, one row a range of values, with the count."""
    v = np.asarray(values, dtype=np.float64)
    if len(v) == 0:
        return (summary or f"Histogram of {label}") + "\n(no cases to draw)"
    lo, hi = np.percentile(v, [0.5, 99.5])
    if hi <= lo:
        lo, hi = lo - 1, hi + 1
    edges = np.linspace(lo, hi, bins + 1)
    counts, _ = np.histogram(np.clip(v, lo, hi), bins=edges)
    head = summary or (
        f"Histogram of {label} for {len(v):,} cases: median {_money(float(np.median(v)))}, "
        f"middle half from {_money(float(np.percentile(v, 25)))} to {_money(float(np.percentile(v, 75)))}."
    )
    lines = [head]
    edge_text = [f"{_money(edges[i])} to {_money(edges[i + 1])}" for i in range(bins)]
    w = max(map(len, edge_text))
    top = counts.max() or 1
    for text, count in zip(edge_text, counts):
        bar = "#" * int(round(count / top * width))
        lines.append(f"{text:>{w}} |{bar} {count:,}")
    return "\n".join(lines)


# ----- PNG files ------------------------------------------------------------------------


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def scatter_png(
    path: str | Path,
    x: np.ndarray,
    y: np.ndarray,
    *,
    title: str,
    x_label: str,
    y_label: str,
    curves: Sequence[Curve] = (),
    groups: np.ndarray | None = None,
    group_names: Sequence[str] = (),
) -> Path:
    """A scatter of cases (coloured by group when given) with the fitted lines drawn over it."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 5.5), dpi=110)
    size = 4 if len(x) > 5000 else 10
    alpha = 0.25 if len(x) > 5000 else 0.5
    if groups is not None and len(group_names):
        for g, name in enumerate(group_names):
            m = groups == g
            if m.any():
                ax.scatter(x[m], y[m], s=size, alpha=alpha, label=f"{name} ({int(m.sum()):,})", linewidths=0)
    else:
        ax.scatter(x, y, s=size, alpha=alpha, color="tab:blue", linewidths=0, label=f"cases ({len(x):,})")
    for curve in curves:
        colour = f"C{curve.group}" if curve.group is not None else "black"
        ax.plot(curve.x, curve.y, linewidth=2, color=colour, label=curve.label)
    ax.set_title(textwrap.fill(title, 80), fontsize=10)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.grid(True, alpha=0.25)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path)
    plt.close(fig)
    return path


def histogram_png(path: str | Path, values: np.ndarray, *, title: str, x_label: str, bins: int = 40) -> Path:
    """The spread of differences (pounds a week), with 0 and the median marked."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 5), dpi=110)
    v = np.asarray(values, dtype=np.float64)
    if len(v):
        lo, hi = np.percentile(v, [0.5, 99.5])
        ax.hist(np.clip(v, lo, hi), bins=bins, color="tab:blue", alpha=0.8)
        ax.axvline(0, color="black", linewidth=1, label="no difference")
        ax.axvline(float(np.median(v)), color="tab:red", linestyle="--", label=f"median {np.median(v):,.2f}")
        ax.legend(fontsize=8)
    ax.set_title(textwrap.fill(title, 80), fontsize=10)
    ax.set_xlabel(x_label)
    ax.set_ylabel("cases")
    ax.grid(True, alpha=0.25)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path)
    plt.close(fig)
    return path
