"""Timecode arithmetic. Frames are the truth; these only format and convert for display."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence


def format_seconds(seconds: float, *, millis: bool = True) -> str:
    """`83.5` -> `"01:23.500"`; hours appear only when needed."""
    total_ms = max(0, round(seconds * 1000))
    hours, rest = divmod(total_ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, ms = divmod(rest, 1000)
    text = f"{minutes:02d}:{secs:02d}"
    if hours:
        text = f"{hours}:{text}"
    return f"{text}.{ms:03d}" if millis else text


def frame_at_time(frame_times: Sequence[float], t: float) -> int:
    """Index of the frame on screen at time `t`, given each frame's start time (ascending)."""
    if not frame_times:
        raise ValueError("no frames")
    return max(0, bisect_right(frame_times, t + 1e-9) - 1)


def clamp_frame(frame: int, frame_count: int) -> int:
    return min(max(frame, 0), max(frame_count - 1, 0))
