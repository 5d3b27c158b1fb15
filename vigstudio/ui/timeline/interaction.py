"""What is under the mouse, and what a drag does. Qt-free: the widget feeds in coordinates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum, auto
from typing import Any

from vigstudio.ui.timeline.geometry import TimelineView
from vigstudio.ui.timeline.items import TimelineClip, TimelineMarker, TimelineMomentLane, TimelineObservation
from vigstudio.ui.timeline.lanes import Lanes
from vigstudio.ui.timeline.painting import HANDLE_WIDTH

# A handle can be grabbed a little outside its drawn width (thin handles are hard to hit).
HANDLE_GRAB_PX = HANDLE_WIDTH + 2
MARKER_GRAB_PX = 6.0


class HitKind(Enum):
    NOTHING = auto()
    SCRUB = auto()  # ruler, empty clip lane, thumbnails, waveform
    CLIP = auto()
    START_HANDLE = auto()
    END_HANDLE = auto()
    OBSERVATION = auto()  # a WWW observation in its lane


@dataclass(frozen=True)
class Hit:
    kind: HitKind
    clip: TimelineClip | None = None
    marker: TimelineMarker | None = None
    observation: TimelineObservation | None = None

    @property
    def is_handle(self) -> bool:
        return self.kind in (HitKind.START_HANDLE, HitKind.END_HANDLE)


def hit_test(view: TimelineView, lanes: Lanes, clips: Sequence[TimelineClip],
             markers: Sequence[TimelineMarker], selected_id: Any, x: float, y: float) -> Hit:
    if view.axis.is_empty() or y < lanes.ruler.top or y >= lanes.bottom:
        return Hit(HitKind.NOTHING)
    if lanes.ruler.contains(y):
        return Hit(HitKind.SCRUB, marker=_marker_at(view, markers, x))
    if lanes.clips.contains(y):
        handle = _handle_at(view, clips, selected_id, x)
        if handle is not None:
            return handle
        clip = _clip_at(view, clips, selected_id, x)
        if clip is not None:
            return Hit(HitKind.CLIP, clip)
    return Hit(HitKind.SCRUB)


def observation_at(view: TimelineView, lanes: Lanes, observations: Sequence[TimelineObservation],
                   x: float, y: float) -> TimelineObservation | None:
    """The observation under (x, y) in its lane: a range under the pointer (the shortest first), else
    the nearest single moment within reach."""
    band = lanes.observations
    if band is None or not band.contains(y) or view.axis.is_empty():
        return None
    ranges = [o for o in observations if o.end_frame_exclusive is not None
              and view.frame_to_x(o.frame) <= x < view.frame_to_x(o.end_frame_exclusive)]
    best, best_distance = None, MARKER_GRAB_PX
    for obs in observations:
        if obs.end_frame_exclusive is None:
            distance = abs(view.frame_to_x(obs.frame) + view.frame_width(obs.frame) / 2 - x)
            if distance <= best_distance:
                best, best_distance = obs, distance
    if best is not None:
        return best
    return min(ranges, key=lambda o: o.last_frame - o.frame) if ranges else None


def moment_at(view: TimelineView, lanes: Lanes, moment_lanes: Sequence[TimelineMomentLane],
              x: float, y: float) -> tuple[TimelineMomentLane, TimelineObservation] | None:
    """The moment nearest x within reach, in the moment lane under y (with that lane)."""
    if view.axis.is_empty():
        return None
    for lane, band in zip(moment_lanes, lanes.moments, strict=False):
        if not band.contains(y):
            continue
        best, best_distance = None, MARKER_GRAB_PX
        for moment in lane.moments:
            distance = abs(view.frame_to_x(moment.frame) + view.frame_width(moment.frame) / 2 - x)
            if distance <= best_distance:
                best, best_distance = moment, distance
        return (lane, best) if best is not None else None
    return None


def _marker_at(view: TimelineView, markers: Sequence[TimelineMarker], x: float) -> TimelineMarker | None:
    best, best_distance = None, MARKER_GRAB_PX
    for marker in markers:
        distance = abs(view.frame_to_x(marker.frame) + 3 - x)  # the flag sits right of its pole
        if distance <= best_distance:
            best, best_distance = marker, distance
    return best


def _handle_at(view: TimelineView, clips: Sequence[TimelineClip], selected_id: Any, x: float) -> Hit | None:
    """The nearest handle within reach; the selected clip wins ties, and on a clip too narrow to hold
    both handles the side of its middle the pointer is on decides."""
    best: tuple[float, int, Hit] | None = None
    for clip in clips:
        x0, x1 = view.frame_to_x(clip.start_frame), view.frame_to_x(clip.end_frame_exclusive)
        middle = (x0 + x1) / 2
        candidates = []
        if abs(x - x0) <= HANDLE_GRAB_PX and (x <= middle or x1 - x0 > 2 * HANDLE_GRAB_PX):
            # The start handle is drawn inside the clip, right of its edge.
            candidates.append((abs(x - (x0 + HANDLE_WIDTH / 2)), Hit(HitKind.START_HANDLE, clip)))
        if abs(x - x1) <= HANDLE_GRAB_PX and (x > middle or x1 - x0 > 2 * HANDLE_GRAB_PX):
            candidates.append((abs(x - (x1 - HANDLE_WIDTH / 2)), Hit(HitKind.END_HANDLE, clip)))
        for distance, hit in candidates:
            rank = 0 if clip.id == selected_id else 1
            if best is None or (rank, distance) < (best[1], best[0]):
                best = (distance, rank, hit)
    return best[2] if best else None


def _clip_at(view: TimelineView, clips: Sequence[TimelineClip], selected_id: Any, x: float) -> TimelineClip | None:
    """The clip band under x: the selected one first, else the shortest (overlaps stay reachable)."""
    under = [c for c in clips
             if view.frame_to_x(c.start_frame) <= x < view.frame_to_x(c.end_frame_exclusive)]
    if not under:
        return None
    for clip in under:
        if clip.id == selected_id:
            return clip
    return min(under, key=lambda c: c.frame_count)


@dataclass
class TrimDrag:
    """Dragging one handle of a clip: snaps to frame boundaries; the clip keeps at least one frame and
    stays inside the recording; the other edge does not move."""

    clip: TimelineClip
    edge: str  # "start" or "end"
    grab_offset_px: float  # pointer x minus the handle's boundary x at press time
    start: int
    end: int
    moved: bool = False

    @staticmethod
    def begin(view: TimelineView, hit: Hit, x: float) -> TrimDrag:
        assert hit.clip is not None and hit.is_handle
        clip = hit.clip
        edge = "start" if hit.kind is HitKind.START_HANDLE else "end"
        boundary = clip.start_frame if edge == "start" else clip.end_frame_exclusive
        return TrimDrag(clip, edge, x - view.frame_to_x(boundary), clip.start_frame, clip.end_frame_exclusive)

    def update(self, view: TimelineView, x: float) -> bool:
        """Move the handle to the boundary nearest the pointer; True if the range changed."""
        boundary = view.x_to_boundary(x - self.grab_offset_px)
        frame_count = view.axis.frame_count
        if self.edge == "start":
            start, end = min(max(boundary, 0), self.clip.end_frame_exclusive - 1), self.clip.end_frame_exclusive
        else:
            start, end = self.clip.start_frame, max(min(boundary, frame_count), self.clip.start_frame + 1)
        if (start, end) == (self.start, self.end):
            return False
        self.start, self.end = start, end
        self.moved = True
        return True

    def edited_clip(self) -> TimelineClip:
        return TimelineClip(self.clip.id, self.start, self.end, self.clip.title, self.clip.colour)
