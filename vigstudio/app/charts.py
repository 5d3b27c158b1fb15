"""Outcome charts, drawn in one place for the case's Outcomes view and the service report alike.

matplotlib with its Agg canvas on a private `Figure` (no pyplot state, no Qt, safe off the GUI
thread); each chart comes back as PNG bytes in memory — never a picture file on disk.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from vigstudio.domain.measures import Measure

BAND_COLOURS = ("#e8f1ea", "#f4f0dc", "#f6e6d4", "#f3dcd6", "#eed3d8")  # calm greens to muted reds
INK, SOFT, CASE_LINE, LINE = "#33302b", "#8a847a", "#b5523b", "#2f6f8f"


@dataclass(frozen=True)
class Point:
    label: str  # the time point, e.g. "pre", "session-3"
    total: float | None
    verdict: str = ""  # "reliable improvement", "reliable deterioration", "recovered" or ""


def _png(fig: Figure) -> bytes:
    out = io.BytesIO()
    FigureCanvasAgg(fig).print_png(out)  # type: ignore[no-untyped-call]  # matplotlib leaves it untyped
    return out.getvalue()


def _frame(fig: Figure, measure: Measure) -> Axes:
    ax = fig.add_subplot(1, 1, 1)
    low, high = measure.score_range
    for n, band in enumerate(measure.bands):
        ax.axhspan(band.low - 0.5 if n else low, band.high + 0.5 if n < len(measure.bands) - 1 else high,
                   color=BAND_COLOURS[min(n, len(BAND_COLOURS) - 1)], zorder=0, linewidth=0)
        ax.text(1.01, (band.low + band.high) / 2, band.label, transform=ax.get_yaxis_transform(),
                va="center", fontsize=7.5, color=SOFT)
    if measure.caseness is not None:
        ax.axhline(measure.caseness - 0.5, color=CASE_LINE, linestyle="--", linewidth=1)
        ax.text(0.01, measure.caseness - 0.3, f"caseness ≥ {measure.caseness}", color=CASE_LINE, fontsize=8,
                transform=ax.get_yaxis_transform())
    ax.set_ylim(low, high)
    ax.set_ylabel(f"{measure.id} total", color=INK)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(colors=INK, labelsize=8.5)
    return ax


def measure_over_time(measure: Measure, points: Sequence[Point], *, width: float = 6.4,
                      height: float = 3.2, dpi: int = 110) -> bytes:
    """One family's totals on one measure over its time points, bands shaded, caseness dashed,
    reliable change and recovery written beside the last point."""
    fig = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    ax = _frame(fig, measure)
    xs = list(range(len(points)))
    ys = [p.total for p in points]
    scored = [(x, y) for x, y in zip(xs, ys, strict=True) if y is not None]
    if scored:
        ax.plot([x for x, _ in scored], [y for _, y in scored], color=LINE, marker="o", linewidth=2, zorder=3)
    for x, p in zip(xs, points, strict=True):
        if p.total is None:
            ax.text(x, measure.score_range[0], "not scorable", rotation=90, fontsize=7, color=SOFT,
                    ha="center", va="bottom")
        if p.verdict:
            ax.annotate(p.verdict, (x, p.total or 0), textcoords="offset points", xytext=(0, 10),
                        ha="center", fontsize=8, color=INK)
    ax.set_xticks(xs, [p.label for p in points])
    ax.set_xlim(-0.5, max(len(points) - 0.5, 0.5))
    ax.set_title(measure.name, fontsize=10, color=INK, loc="left")
    return _png(fig)


def pre_post(measure: Measure, pairs: Sequence[tuple[float, float]], *, width: float = 5.2,
             height: float = 3.0, dpi: int = 150) -> bytes:
    """The report's chart: each completer's pre → post as a faint line, the means bold."""
    fig = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    ax = _frame(fig, measure)
    # One collection of every completer's line: an artist per line cost seconds at a service's hundreds.
    ax.add_collection(LineCollection([[(0, before), (1, after)] for before, after in pairs], colors=SOFT,
                                     alpha=0.35, linewidths=1, zorder=2), autolim=False)
    if pairs:
        mean_before = sum(p[0] for p in pairs) / len(pairs)
        mean_after = sum(p[1] for p in pairs) / len(pairs)
        ax.plot([0, 1], [mean_before, mean_after], color=LINE, marker="o", linewidth=3, zorder=3)
    ax.set_xticks([0, 1], ["pre", "post"])
    ax.set_xlim(-0.3, 1.3)
    ax.set_title(f"{measure.id}: pre and post (n = {len(pairs)})", fontsize=10, color=INK, loc="left")
    return _png(fig)


def goals(rated: Sequence[tuple[str, int | None, int | None]], *, width: float = 7.2, height: float = 2.5,
          dpi: int = 110) -> bytes:
    """The parent's goals (label, start, end) rated 0–10: start as an open circle, end filled, an arrow
    between them, so a goal that moved up reads at a glance."""
    fig = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    ax = fig.add_subplot(1, 1, 1)
    for y, (_label, start, end) in enumerate(rated):
        if start is not None and end is not None:
            ax.annotate("", xy=(end, y), xytext=(start, y),
                        arrowprops={"arrowstyle": "->", "color": LINE, "linewidth": 1.5})
        if start is not None:
            ax.plot([start], [y], marker="o", markerfacecolor="white", markeredgecolor=LINE, markersize=8)
        if end is not None:
            ax.plot([end], [y], marker="o", color=LINE, markersize=8)
    ax.set_yticks(range(len(rated)), [_short(label) for label, _, _ in rated])
    ax.set_xlim(-0.5, 10.5)
    ax.set_xticks(range(0, 11))
    ax.set_ylim(-0.7, max(len(rated) - 0.3, 0.7))
    ax.invert_yaxis()
    ax.set_xlabel("rated by the parent, 0–10 (open: start, filled: end)", color=SOFT, fontsize=8)
    ax.set_title("Goals", fontsize=10, color=INK, loc="left")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(colors=INK, labelsize=8.5)
    return _png(fig)


def _short(text: str, limit: int = 38) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
