"""Audio peaks resampled to one min/max pair per screen column (numpy only, visible columns only)."""

from __future__ import annotations

import numpy as np

from vigstudio.ui.timeline.geometry import Viewport


class PeakTrack:
    """Min/max peaks per bin, normalised once so quiet recordings still show a readable shape."""

    def __init__(self, mins: np.ndarray, maxs: np.ndarray, bins_per_second: float) -> None:
        mins = np.asarray(mins).reshape(-1)
        maxs = np.asarray(maxs).reshape(-1)
        if mins.shape != maxs.shape:
            raise ValueError("mins and maxs must have the same length")
        if np.issubdtype(mins.dtype, np.integer):
            scale = float(np.iinfo(mins.dtype).max)
            mins, maxs = mins / scale, maxs / scale
        self.mins = np.clip(mins.astype(np.float32), -1.0, 1.0)
        self.maxs = np.clip(maxs.astype(np.float32), -1.0, 1.0)
        self.bins_per_second = float(bins_per_second) if bins_per_second > 0 else 1.0
        peak = float(max(np.abs(self.mins).max(initial=0.0), np.abs(self.maxs).max(initial=0.0)))
        # Never blow silence/noise up to full height: at most ×8.
        self.gain = 1.0 / max(peak, 0.125)

    def __len__(self) -> int:
        return int(self.mins.size)

    @property
    def is_empty(self) -> bool:
        return self.mins.size == 0

    def columns(self, viewport: Viewport) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(x, lo, hi) per screen column that has audio; lo/hi are gain-adjusted in -1..1.
        Bin k covers [k, k + 1) / bins_per_second seconds, on the frame times' clock."""
        if self.is_empty:
            empty = np.empty(0, dtype=np.float32)
            return empty, empty, empty
        width = int(np.ceil(viewport.width_px))
        edges_x = np.arange(width + 1, dtype=np.float64)
        edges_t = viewport.start_time + (edges_x - viewport.padding_px) / viewport.pixels_per_second
        edges_bin = np.floor(edges_t * self.bins_per_second).astype(np.int64)
        start_bin = edges_bin[:-1]
        # A column covers bins [start, max(start + 1, next start)): at least the bin under it.
        keep = (start_bin >= 0) & (start_bin < len(self))
        if not np.any(keep):
            empty = np.empty(0, dtype=np.float32)
            return empty, empty, empty
        xs = edges_x[:-1][keep]
        starts = start_bin[keep]
        first, last = int(starts[0]), int(min(edges_bin[1:][keep][-1], len(self) - 1))
        last = max(last, int(starts[-1]))
        window_lo = self.mins[first:last + 1]
        window_hi = self.maxs[first:last + 1]
        offsets = starts - first
        # reduceat over consecutive offsets gives per-column extremes; equal offsets repeat a bin.
        lo = np.minimum.reduceat(window_lo, offsets)
        hi = np.maximum.reduceat(window_hi, offsets)
        # reduceat's last segment runs to the end of the window, which is this column's own span.
        gain = self.gain
        return xs.astype(np.float32), np.clip(lo * gain, -1, 1), np.clip(hi * gain, -1, 1)


def envelope_coverage(tops: np.ndarray, bottoms: np.ndarray, height: int) -> np.ndarray:
    """How much of each pixel (rows × columns, 0..1) lies between each column's top and bottom.

    Fractional coverage at the ends gives smooth edges without per-column drawing calls.
    """
    rows = np.arange(height, dtype=np.float32)[:, None]
    covered = np.minimum(rows + 1, bottoms[None, :]) - np.maximum(rows, tops[None, :])
    return np.clip(covered, 0.0, 1.0)


def premultiplied_argb(coverage: np.ndarray, rgb: tuple[int, int, int], alpha: int = 255) -> np.ndarray:
    """A uint32 ARGB32-premultiplied pixel array of one colour, with coverage as its opacity."""
    a = coverage * (alpha / 255.0)
    r, g, b = (np.rint(a * c).astype(np.uint32) for c in rgb)
    return (np.rint(a * 255).astype(np.uint32) << 24) | (r << 16) | (g << 8) | b
