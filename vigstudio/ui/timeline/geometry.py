"""Frame/time/pixel arithmetic of the timeline, kept free of Qt so it is easy to reason about and test.

Positions come from frame *times* (variable frame rate is fine); frames are what the user snaps to.
Frame `i` occupies the time span [times[i], times[i + 1]); the last frame lasts one typical frame.
Frame boundaries are numbered 0..frame_count: boundary `b` is the left edge of frame `b`, and
boundary `frame_count` is the end of the recording. Clip handles sit on boundaries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Horizontal breathing room so the first and last frames (and their handles) are not cut by the edge.
CONTENT_PADDING_PX = 10.0
# At the deepest zoom a typical frame is this wide: wide enough to click and to see frame ticks.
MAX_ZOOM_FRAME_PX = 64.0
_EPS = 1e-9


class FrameAxis:
    """Frame start times of one recording, with fast lookups in both directions (binary search)."""

    def __init__(self, frame_times: Sequence[float]) -> None:
        times = np.asarray(frame_times, dtype=np.float64).reshape(-1)
        if times.size and np.any(np.diff(times) < 0):
            raise ValueError("frame_times must be in presentation order (ascending)")
        self.times = times
        self.frame_count = int(times.size)
        if self.frame_count >= 2:
            steps = np.diff(times)
            positive = steps[steps > 0]
            typical = _median(positive) if positive.size else 1 / 30
        else:
            typical = 1 / 30
        self.typical_frame_duration = typical
        end = float(times[-1]) + typical if self.frame_count else 0.0
        # boundaries[b] is the time of boundary b (left edge of frame b; the last one ends the recording).
        self.boundaries = np.append(times, end)
        self.start_time = float(times[0]) if self.frame_count else 0.0
        self.end_time = end

    @property
    def duration(self) -> float:
        return self.end_time - self.start_time

    def is_empty(self) -> bool:
        return self.frame_count == 0

    def clamp_frame(self, frame: int) -> int:
        return int(min(max(frame, 0), max(self.frame_count - 1, 0)))

    def frame_time(self, frame: int) -> float:
        return float(self.boundaries[min(max(frame, 0), self.frame_count)])

    def frame_at_time(self, t: float) -> int:
        """The frame on screen at time `t` (clamped to the recording)."""
        if not self.frame_count:
            return 0
        index = int(np.searchsorted(self.times, t + _EPS, side="right")) - 1
        return self.clamp_frame(index)

    def nearest_boundary(self, t: float) -> int:
        """The frame boundary (0..frame_count) closest to time `t`: what a dragged handle snaps to."""
        if not self.frame_count:
            return 0
        right = int(np.searchsorted(self.boundaries, t, side="left"))
        if right <= 0:
            return 0
        if right > self.frame_count:
            return self.frame_count
        left = right - 1
        closer_left = t - self.boundaries[left] <= self.boundaries[right] - t
        return left if closer_left else right

    def frames_between(self, t0: float, t1: float) -> range:
        """Frames overlapping the time span [t0, t1] (what is visible; never the whole recording)."""
        if not self.frame_count or t1 < self.start_time or t0 > self.end_time:
            return range(0)
        return range(self.frame_at_time(t0), self.frame_at_time(t1) + 1)


@dataclass
class Viewport:
    """Which slice of the recording is on screen and how stretched: x = pad + (t - start) * pps."""

    width_px: float = 800.0
    pixels_per_second: float = 1.0
    start_time: float = 0.0  # time at the left edge of the content area
    padding_px: float = CONTENT_PADDING_PX
    fitted: bool = True  # showing the whole recording (kept across resizes)

    @property
    def content_width(self) -> float:
        return max(1.0, self.width_px - 2 * self.padding_px)

    @property
    def visible_seconds(self) -> float:
        return self.content_width / self.pixels_per_second

    @property
    def end_time(self) -> float:
        return self.start_time + self.visible_seconds

    def time_to_x(self, t: float) -> float:
        return self.padding_px + (t - self.start_time) * self.pixels_per_second

    def x_to_time(self, x: float) -> float:
        return self.start_time + (x - self.padding_px) / self.pixels_per_second

class TimelineView:
    """A FrameAxis seen through a Viewport: frame<->x mapping, zoom limits, zooming and panning."""

    def __init__(self, frame_times: Sequence[float] = (), width_px: float = 800.0) -> None:
        self.axis = FrameAxis(frame_times)
        self.viewport = Viewport(width_px=width_px)
        self.zoom_to_fit()

    # ----- recording and size -------------------------------------------------------------------
    def set_frame_times(self, frame_times: Sequence[float]) -> None:
        self.axis = FrameAxis(frame_times)
        self.zoom_to_fit()

    def set_width(self, width_px: float) -> None:
        self.viewport.width_px = float(width_px)
        if self.viewport.fitted:
            self.zoom_to_fit()
        else:
            self.set_zoom(self.viewport.pixels_per_second, anchor_x=self.viewport.padding_px)

    # ----- mapping --------------------------------------------------------------------------------
    def frame_to_x(self, frame: int) -> float:
        """x of the left edge of `frame` (or of boundary `frame`, up to frame_count)."""
        return self.viewport.time_to_x(self.axis.frame_time(frame))

    def frame_center_x(self, frame: int) -> float:
        return (self.frame_to_x(frame) + self.frame_to_x(frame + 1)) / 2

    def frame_width(self, frame: int) -> float:
        return self.frame_to_x(frame + 1) - self.frame_to_x(frame)

    def x_to_frame(self, x: float) -> int:
        return self.axis.frame_at_time(self.viewport.x_to_time(x))

    def x_to_boundary(self, x: float) -> int:
        return self.axis.nearest_boundary(self.viewport.x_to_time(x))

    def visible_frames(self) -> range:
        vp = self.viewport
        return self.axis.frames_between(vp.x_to_time(0), vp.x_to_time(vp.width_px))

    def is_frame_visible(self, frame: int) -> bool:
        x = self.frame_to_x(frame)
        return self.viewport.padding_px <= x <= self.viewport.width_px - self.viewport.padding_px

    # ----- zoom -----------------------------------------------------------------------------------
    @property
    def min_pixels_per_second(self) -> float:
        """Fully zoomed out: the whole recording fills the content width."""
        return self.viewport.content_width / max(self.axis.duration, _EPS)

    @property
    def max_pixels_per_second(self) -> float:
        """Fully zoomed in: a typical frame is MAX_ZOOM_FRAME_PX wide."""
        return max(MAX_ZOOM_FRAME_PX / self.axis.typical_frame_duration, self.min_pixels_per_second)

    @property
    def pixels_per_second(self) -> float:
        return self.viewport.pixels_per_second

    @property
    def typical_frame_px(self) -> float:
        return self.axis.typical_frame_duration * self.viewport.pixels_per_second

    def zoom_to_fit(self) -> None:
        self.viewport.pixels_per_second = self.min_pixels_per_second
        self.viewport.start_time = self.axis.start_time
        self.viewport.fitted = True

    def set_zoom(self, pixels_per_second: float, anchor_x: float) -> None:
        """Zoom so that the time under `anchor_x` stays under it (clamped to the zoom limits)."""
        anchor_t = self.viewport.x_to_time(anchor_x)
        lo, hi = self.min_pixels_per_second, self.max_pixels_per_second
        pps = min(max(pixels_per_second, lo), hi)
        self.viewport.pixels_per_second = pps
        self.viewport.fitted = pps <= lo * (1 + 1e-9)
        self.viewport.start_time = anchor_t - (anchor_x - self.viewport.padding_px) / pps
        self.clamp_start()

    def zoom_by(self, factor: float, anchor_x: float) -> None:
        self.set_zoom(self.viewport.pixels_per_second * factor, anchor_x)

    # ----- pan ------------------------------------------------------------------------------------
    @property
    def max_start_time(self) -> float:
        return max(self.axis.start_time, self.axis.end_time - self.viewport.visible_seconds)

    def clamp_start(self) -> None:
        vp = self.viewport
        vp.start_time = min(max(vp.start_time, self.axis.start_time), self.max_start_time)

    def pan_pixels(self, dx: float) -> None:
        self.set_start_time(self.viewport.start_time + dx / self.viewport.pixels_per_second)

    def set_start_time(self, t: float) -> None:
        self.viewport.start_time = t
        self.clamp_start()

    def reveal_frame(self, frame: int) -> bool:
        """Bring `frame` into view page-wise: a frame just past an edge turns the page, a far jump
        centres it. Returns whether the view moved. No movement while it is already visible, so a
        playing playhead sweeps across a still view instead of dragging the view along (no jitter)."""
        if self.axis.is_empty() or self.is_frame_visible(frame):
            return False
        vp = self.viewport
        t = self.axis.frame_time(frame)
        span = vp.visible_seconds
        before = vp.start_time
        if vp.end_time <= t < vp.end_time + span:  # just ran off the right edge: next page
            self.set_start_time(t - 0.05 * span)
        elif vp.start_time - span <= t < vp.start_time:  # stepped off the left edge: previous page
            self.set_start_time(t - 0.95 * span)
        else:
            self.set_start_time(t - 0.5 * span)
        return vp.start_time != before


def _median(values: np.ndarray) -> float:
    """np.median's value without its NaN check, whose first use imports numpy.ma (0.1 s when the
    first editor opens)."""
    ordered = np.sort(values)
    mid = ordered.size // 2
    return float(ordered[mid]) if ordered.size % 2 else float((ordered[mid - 1] + ordered[mid]) / 2)
