"""Plain inputs of the timeline: what the editor hands over (no Qt, no database objects)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TimelineClip:
    """A clip range on the timeline. `colour` is anything QColor accepts ("#5b8bb0", a QColor...)."""

    id: Any
    start_frame: int
    end_frame_exclusive: int
    title: str = ""
    colour: Any = "#6f8fb0"

    @property
    def frame_count(self) -> int:
        return self.end_frame_exclusive - self.start_frame


@dataclass(frozen=True)
class TimelineMarker:
    frame: int
    note: str = ""


@dataclass(frozen=True)
class TimelineObservation:
    """A WWW observation: one frame, or frames [frame, end_frame_exclusive) (drawn in its own lane)."""

    id: Any
    frame: int
    end_frame_exclusive: int | None = None
    code: str = ""
    label: str = ""  # the code's label, for the tooltip
    text: str = ""
    colour: Any = "#8E6BB8"

    @property
    def last_frame(self) -> int:
        return self.frame if self.end_frame_exclusive is None else self.end_frame_exclusive - 1


@dataclass(frozen=True)
class TimelineMomentLane:
    """A labelled lane of single-frame moments under the clips (e.g. the supervisor's ratings of the
    guider, or the practitioner's self-assessment). `key` names the lane in `momentClicked`."""

    key: str
    label: str  # drawn at the lane's left: whose moments these are
    moments: tuple[TimelineObservation, ...] = ()
    colour: Any = "#5E7C8A"  # the label's colour
    description: str = ""  # the lane's tooltip (between its moments): what the lane shows, and whose


def clip_length_text(frame_count: int, seconds: float) -> str:
    """"3.2 s · 96 frames" — the clip tooltip's second line."""
    unit = "frame" if frame_count == 1 else "frames"
    return f"{seconds:.1f} s · {frame_count} {unit}"
