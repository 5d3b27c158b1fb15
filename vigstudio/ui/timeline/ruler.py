"""Ruler ticks and labels for the visible range. Qt-free; the painter only draws what this returns.

Labels adapt to zoom: minutes:seconds when zoomed out, tenths of seconds in between, and frame numbers
once single frames are wide enough to see (then every frame gets a small tick).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from vigstudio.ui.timeline.geometry import TimelineView

# Labels need this much room so "12:30" never collides with its neighbour at 9 pt.
MIN_LABEL_SPACING_PX = 70.0
# Minor ticks closer than this turn into a grey smear, so they are skipped.
MIN_TICK_SPACING_PX = 5.0
# From this frame width on, the ruler counts frames instead of seconds.
FRAME_MODE_FRAME_PX = 10.0

_TIME_STEPS = (0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200)
# How many minor intervals each major step is split into (a "round" sub-step for each).
_MINOR_DIVISIONS = {0.1: 5, 0.2: 4, 0.5: 5, 1: 5, 2: 4, 5: 5, 10: 5, 15: 3, 30: 6, 60: 6, 120: 4,
                    300: 5, 600: 5, 900: 3, 1800: 6, 3600: 6, 7200: 4}
_FRAME_STEPS = (1, 2, 5, 10, 20, 25, 50, 100)


@dataclass(frozen=True)
class Tick:
    x: float
    major: bool
    label: str | None = None


def format_ruler_time(seconds: float, step: float) -> str:
    """`83.0` -> "1:23"; with sub-second steps `83.5` -> "1:23.5"; hours only when needed."""
    if step >= 1:
        total = int(round(seconds))
        hours, rest = divmod(total, 3600)
        minutes, secs = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
    tenths = int(round(seconds * 10))
    minutes, rest = divmod(tenths, 600)
    return f"{minutes}:{rest // 10:02d}.{rest % 10}"


def ruler_mode(view: TimelineView) -> str:
    """"frames", "seconds" (sub-second steps) or "minutes" (m:ss labels)."""
    if view.typical_frame_px >= FRAME_MODE_FRAME_PX:
        return "frames"
    return "seconds" if _time_step(view.pixels_per_second) < 1 else "minutes"


def ruler_ticks(view: TimelineView) -> list[Tick]:
    """Ticks for the visible part only (bounded by the widget width, never by the recording length)."""
    if view.axis.is_empty():
        return []
    if ruler_mode(view) == "frames":
        return _frame_ticks(view)
    return _time_ticks(view)


def _time_step(pixels_per_second: float) -> float:
    for step in _TIME_STEPS:
        if step * pixels_per_second >= MIN_LABEL_SPACING_PX:
            return step
    return _TIME_STEPS[-1]


def _time_ticks(view: TimelineView) -> list[Tick]:
    vp, axis = view.viewport, view.axis
    step = _time_step(vp.pixels_per_second)
    divisions = _MINOR_DIVISIONS[step]
    minor = step / divisions
    draw_minor = minor * vp.pixels_per_second >= MIN_TICK_SPACING_PX
    unit = minor if draw_minor else step
    # Labels show the frames' own clock (as the editor's timecode does); whole units avoid float drift.
    t0 = max(vp.x_to_time(0), axis.start_time)
    t1 = min(vp.x_to_time(vp.width_px), axis.end_time)
    ticks = []
    per_major = divisions if draw_minor else 1
    for k in range(math.ceil(t0 / unit - 1e-9), math.floor(t1 / unit + 1e-9) + 1):
        t = k * unit
        x = vp.time_to_x(t)
        if k % per_major == 0:
            ticks.append(Tick(x, True, format_ruler_time(t, step)))
        else:
            ticks.append(Tick(x, False))
    return ticks


def _frame_ticks(view: TimelineView) -> list[Tick]:
    frame_px = view.typical_frame_px
    every = next((n for n in _FRAME_STEPS if n * frame_px >= MIN_LABEL_SPACING_PX * 0.7), _FRAME_STEPS[-1])
    ticks = []
    for frame in view.visible_frames():
        x = view.frame_to_x(frame)
        if frame % every == 0:
            ticks.append(Tick(x, True, str(frame)))
        else:
            ticks.append(Tick(x, False))
    return ticks
