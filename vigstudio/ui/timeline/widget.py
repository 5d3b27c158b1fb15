"""TimelineWidget: the editor's timeline (ruler, clips, WWW observations, thumbnails, waveform, playhead).

It takes plain inputs (frame times, a thumbnail callback, peak arrays, clip ranges) and reports what
the user did through signals; it never decides anything about the library. The editor owns transport
keys (Left/Right, Space...), so the only keys handled here are + and − (zoom); others pass through.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QSize, Qt, Signal, Slot
from PySide6.QtGui import (
    QFocusEvent,
    QHelpEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QScrollBar, QSizePolicy, QToolTip, QWidget

from vigstudio.ui.timeline.geometry import TimelineView
from vigstudio.ui.timeline.interaction import Hit, HitKind, TrimDrag, hit_test, moment_at, observation_at
from vigstudio.ui.timeline.items import (
    TimelineClip,
    TimelineMarker,
    TimelineMomentLane,
    TimelineObservation,
    clip_length_text,
)
from vigstudio.ui.timeline.lanes import Lanes
from vigstudio.ui.timeline.painting import Scene, TimelinePainter
from vigstudio.ui.timeline.palette import TimelinePalette
from vigstudio.ui.timeline.peaks import PeakTrack
from vigstudio.ui.timeline.thumbcache import ThumbnailCache

KEY_ZOOM_FACTOR = 1.5
WHEEL_ZOOM_FACTOR = 1.25  # per wheel notch (120 units); touchpads send fractions of a notch
WHEEL_PAN_FRACTION = 0.1  # of the visible width per notch
SCROLLBAR_HEIGHT = 12


class TimelineWidget(QWidget):
    """Signals carry frame indices (presentation order) and the caller's clip ids unchanged."""

    scrubbed = Signal(int)  # the frame under the pointer while pressing/dragging on ruler or strip
    seekRequested = Signal(int)  # the frame where a scrub ended (mouse released)
    clipTrimmed = Signal(object, int, int, bool)  # clip id, start, end (exclusive), final
    clipSelected = Signal(object)  # clip id
    viewChanged = Signal(float, float)  # visible time span (seconds), after zoom or pan
    observationClicked = Signal(object)  # observation id (the editor jumps to its frame)
    momentClicked = Signal(str, object)  # a moment lane's key, the moment's id (the editor seeks its frame)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view = TimelineView((), width_px=max(1, self.width()))
        self._lanes = Lanes.for_height(self.height() - SCROLLBAR_HEIGHT)
        self._palette = TimelinePalette()
        self._painter = TimelinePainter(self._palette, self.font())
        self._thumbs = ThumbnailCache()
        self._peaks: PeakTrack | None = None
        self._clips: list[TimelineClip] = []
        self._markers: list[TimelineMarker] = []
        self._observations: list[TimelineObservation] = []
        self._observation_lane = False
        self._moment_lanes: list[TimelineMomentLane] = []
        self._selected_observation: Any = None
        self._playhead: int | None = None
        self._in: int | None = None
        self._out: int | None = None
        self._selected: Any = None
        self._playing = False
        self._scrub_frame: int | None = None  # not None while the user scrubs
        self._trim: TrimDrag | None = None
        self._hovered_handle: tuple[Any, str] | None = None
        self._trimmable = True
        self._syncing_scrollbar = False

        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._fit_height()
        self.setAccessibleName("Timeline")
        self.setAccessibleDescription("Recording timeline. Ctrl+wheel or + and − to zoom; drag to scrub; "
                                      "drag a clip's edges to trim it.")
        self.setToolTip("")
        self._scrollbar = QScrollBar(Qt.Orientation.Horizontal, self)
        self._scrollbar.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._scrollbar.valueChanged.connect(self._on_scrollbar)
        self._sync_scrollbar()

    # ----- inputs ---------------------------------------------------------------------------------
    def set_recording(self, frame_times: Sequence[float]) -> None:
        """Frame start times in seconds, presentation order (variable frame rate welcome)."""
        self._view.set_frame_times(frame_times)
        self._view.set_width(self.width())
        self._thumbs.clear()
        if self._playhead is not None:
            self._playhead = self._view.axis.clamp_frame(self._playhead)
        self._view_changed()

    def set_thumbnail_provider(self, provider: Callable[[int], QImage | None] | None) -> None:
        """`provider(frame)` returns the nearest thumbnail, or None while thumbnails are being made."""
        self._thumbs.set_provider(provider)
        self.update()

    def set_waveform(self, mins: np.ndarray, maxs: np.ndarray, bins_per_second: float) -> None:
        """Min/max audio peaks per bin (floats in −1..1 or integer PCM); empty arrays mean no audio.
        Bin k covers [k, k + 1) / bins_per_second seconds, on the same clock as the frame times."""
        track = PeakTrack(mins, maxs, bins_per_second)
        self._peaks = None if track.is_empty else track
        self.update()

    def set_clips(self, clips: Sequence[TimelineClip]) -> None:
        self._clips = list(clips)
        if self._trim is not None:
            # The editor may echo trims back mid-drag; the drag goes on unless the clip was removed.
            match = next((c for c in self._clips if c.id == self._trim.clip.id), None)
            if match is None:
                self._trim = None
        self.update()

    def set_markers(self, markers: Sequence[TimelineMarker | tuple[int, str]]) -> None:
        self._markers = [m if isinstance(m, TimelineMarker) else TimelineMarker(int(m[0]), str(m[1]))
                         for m in markers]
        self.update()

    def set_observations(self, observations: Sequence[TimelineObservation], *, lane: bool | None = None) -> None:
        """WWW observations in their own lane. `lane` shows the lane even while it is empty (a WWW
        session); by default it is shown when there are observations."""
        self._observations = list(observations)
        show = bool(observations) if lane is None else (lane or bool(observations))
        if show != self._observation_lane:
            self._observation_lane = show
            self._lanes = self._layout()
        self.update()

    def set_selected_observation(self, observation_id: Any) -> None:
        self._selected_observation = observation_id
        self.update()

    @property
    def observations(self) -> list[TimelineObservation]:
        return list(self._observations)

    def set_moment_lanes(self, lanes: Sequence[TimelineMomentLane]) -> None:
        """Labelled lanes of moments under the clips (an empty list removes them); the timeline grows
        by their height, so the thumbnails and waveform keep theirs."""
        count = len(self._moment_lanes)
        self._moment_lanes = list(lanes)
        if len(self._moment_lanes) != count:
            self._fit_height()
            self._lanes = self._layout()
        self.update()

    @property
    def moment_lanes(self) -> list[TimelineMomentLane]:
        return list(self._moment_lanes)

    def _fit_height(self) -> None:
        extra = int(Lanes.moments_height(len(self._moment_lanes)))
        self.setMinimumHeight(int(Lanes.preferred_height()) + SCROLLBAR_HEIGHT - 20 + extra)
        self.setMaximumHeight(int(Lanes.for_height(10_000).bottom) + SCROLLBAR_HEIGHT + extra)

    def _layout(self) -> Lanes:
        return Lanes.for_height(self.height() - SCROLLBAR_HEIGHT, observations=self._observation_lane,
                                moment_lanes=len(self._moment_lanes))

    def set_playhead(self, frame: int | None) -> None:
        if frame is not None:
            frame = self._view.axis.clamp_frame(int(frame))
        if frame == self._playhead:
            return
        was_visible = self._playhead is not None and self._view.is_frame_visible(self._playhead)
        self._playhead = frame
        # Follow page-wise, but never while the user scrubs or drags a handle, and during playback
        # only if the playhead was on screen (the user may have panned away to look at something).
        user_dragging = self._scrub_frame is not None or self._trim is not None
        if frame is not None and not user_dragging and (was_visible or not self._playing):
            if self._view.reveal_frame(frame):
                self._view_changed()
                return
        self.update()

    def set_playing(self, playing: bool) -> None:
        """Tell the timeline whether playback runs (it then pages along with the playhead)."""
        self._playing = bool(playing)

    def set_in_out(self, in_frame: int | None, out_frame: int | None) -> None:
        """In = first frame, out = last frame included (drawn as brackets around the range)."""
        self._in, self._out = in_frame, out_frame
        self.update()

    def set_trimmable(self, trimmable: bool) -> None:
        """False: the clips' edges are not handles (read-only clips, e.g. from a supervision bundle)."""
        self._trimmable = trimmable

    def set_selected_clip(self, clip_id: Any) -> None:
        self._selected = clip_id
        self.update()

    # ----- read-only state (for the editor and tests) ---------------------------------------------
    @property
    def view(self) -> TimelineView:
        return self._view

    @property
    def lanes(self) -> Lanes:
        return self._lanes

    @property
    def clips(self) -> list[TimelineClip]:
        return list(self._clips)

    @property
    def playhead(self) -> int | None:
        return self._playhead

    def frame_to_x(self, frame: int) -> float:
        return self._view.frame_to_x(frame)

    def frame_center_x(self, frame: int) -> float:
        return self._view.frame_center_x(frame)

    def x_to_frame(self, x: float) -> int:
        return self._view.x_to_frame(x)

    def visible_frames(self) -> range:
        return self._view.visible_frames()

    # ----- zoom slots -----------------------------------------------------------------------------
    @Slot()
    def zoom_in(self) -> None:
        self._zoom_around_playhead(KEY_ZOOM_FACTOR)

    @Slot()
    def zoom_out(self) -> None:
        self._zoom_around_playhead(1 / KEY_ZOOM_FACTOR)

    @Slot()
    def zoom_to_fit(self) -> None:
        self._view.zoom_to_fit()
        self._view_changed()

    def set_zoom(self, pixels_per_second: float, anchor_x: float | None = None) -> None:
        anchor = self.width() / 2 if anchor_x is None else anchor_x
        self._view.set_zoom(pixels_per_second, anchor)
        self._view_changed()

    def _zoom_around_playhead(self, factor: float) -> None:
        if self._playhead is not None and self._view.is_frame_visible(self._playhead):
            anchor = self._view.frame_to_x(self._playhead)
        else:
            anchor = self.width() / 2
        self._view.zoom_by(factor, anchor)
        if self._playhead is not None:
            self._view.reveal_frame(self._playhead)
        self._view_changed()

    # ----- events ---------------------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        extra = int(Lanes.moments_height(len(self._moment_lanes)))
        return QSize(900, int(Lanes.preferred_height()) + SCROLLBAR_HEIGHT + 2 + extra)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.minimumHeight())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._lanes = self._layout()
        self._view.set_width(self.width())
        self._scrollbar.setGeometry(0, self.height() - SCROLLBAR_HEIGHT, self.width(), SCROLLBAR_HEIGHT)
        self._view_changed()
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self._painter.paint(painter, self._scene())
        finally:
            painter.end()

    def _scene(self) -> Scene:
        clips = self._clips
        if self._trim is not None:
            edited = self._trim.edited_clip()
            clips = [edited if c.id == edited.id else c for c in clips]
        return Scene(self._view, self._lanes, float(self.width()), clips, self._markers, self._playhead,
                     self._in, self._out, self._selected, self._peaks, self._thumbs, self._hovered_handle,
                     self.hasFocus(), self._observations, self._selected_observation, self._moment_lanes)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_out()
        else:
            event.ignore()  # transport keys belong to the editor
            return
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta()
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            notches = delta.y() / 120 if delta.y() else delta.x() / 120
            if notches:
                self._view.zoom_by(WHEEL_ZOOM_FACTOR ** notches, event.position().x())
                self._view_changed()
        else:
            # Horizontal scroll pans; a plain vertical wheel pans too (down/away = later in time).
            if event.hasPixelDelta() and not event.pixelDelta().isNull():
                pixels = event.pixelDelta()
                dx = -pixels.x() if pixels.x() else -pixels.y()
            else:
                notches = -delta.x() / 120 if delta.x() else -delta.y() / 120
                dx = notches * WHEEL_PAN_FRACTION * self._view.viewport.content_width
            if dx:
                self._view.pan_pixels(dx)
                self._view_changed()
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        pos = event.position()
        hit = self._hit(pos)
        if hit.is_handle:
            self._trim = TrimDrag.begin(self._view, hit, pos.x())
            if hit.clip is not None and hit.clip.id != self._selected:
                self._selected = hit.clip.id
                self.clipSelected.emit(hit.clip.id)
        elif hit.kind is HitKind.CLIP and hit.clip is not None:
            self._selected = hit.clip.id
            self.clipSelected.emit(hit.clip.id)
        elif hit.kind is HitKind.OBSERVATION and hit.observation is not None:
            self._selected_observation = hit.observation.id
            self.observationClicked.emit(hit.observation.id)
        elif (moment := moment_at(self._view, self._lanes, self._moment_lanes, pos.x(), pos.y())) is not None:
            self.momentClicked.emit(moment[0].key, moment[1].id)
        elif hit.kind is HitKind.SCRUB:
            self._scrub_to(pos.x(), force=True)
        self.update()
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._trim is not None:
            if self._trim.update(self._view, pos.x()):
                self.clipTrimmed.emit(self._trim.clip.id, self._trim.start, self._trim.end, False)
                self.update()
        elif self._scrub_frame is not None:
            self._scrub_to(pos.x())
        else:
            self._update_hover(self._hit(pos))
            if moment_at(self._view, self._lanes, self._moment_lanes, pos.x(), pos.y()) is not None:
                self.setCursor(Qt.CursorShape.PointingHandCursor)  # a click goes to the moment
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        if self._trim is not None:
            trim, self._trim = self._trim, None
            if trim.moved:
                edited = trim.edited_clip()
                self._clips = [edited if c.id == edited.id else c for c in self._clips]
                self.clipTrimmed.emit(edited.id, edited.start_frame, edited.end_frame_exclusive, True)
        elif self._scrub_frame is not None:
            frame, self._scrub_frame = self._scrub_frame, None
            self.seekRequested.emit(frame)
        self._update_hover(self._hit(event.position()))
        self.update()
        event.accept()

    def leaveEvent(self, event: QEvent) -> None:
        self._update_hover(Hit(HitKind.NOTHING))
        super().leaveEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            text = self._tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    # ----- helpers --------------------------------------------------------------------------------
    def _hit(self, pos: QPointF) -> Hit:
        obs = observation_at(self._view, self._lanes, self._observations, pos.x(), pos.y())
        if obs is not None:
            return Hit(HitKind.OBSERVATION, observation=obs)
        hit = hit_test(self._view, self._lanes, self._clips, self._markers, self._selected, pos.x(), pos.y())
        if hit.is_handle and not self._trimmable:
            return Hit(HitKind.CLIP, hit.clip, hit.marker)  # an edge selects the clip, never trims it
        return hit

    def _scrub_to(self, x: float, force: bool = False) -> None:
        # Clamp to the visible content so dragging past the edge holds the edge frame.
        vp = self._view.viewport
        x = min(max(x, vp.padding_px), vp.width_px - vp.padding_px - 0.01)
        frame = self._view.x_to_frame(x)
        if frame == self._scrub_frame and not force:
            return
        self._scrub_frame = frame
        self._playhead = frame
        self.scrubbed.emit(frame)
        self.update()

    def _update_hover(self, hit: Hit) -> None:
        hovered = None
        if hit.is_handle and hit.clip is not None:
            hovered = (hit.clip.id, "start" if hit.kind is HitKind.START_HANDLE else "end")
            self.setCursor(Qt.CursorShape.SizeHorCursor)
        elif hit.kind in (HitKind.CLIP, HitKind.OBSERVATION):
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.unsetCursor()
        if hovered != self._hovered_handle:
            self._hovered_handle = hovered
            self.update()

    def tooltip_at(self, x: float, y: float) -> str:
        return self._tooltip_at(QPointF(x, y))

    def _tooltip_at(self, pos: QPointF) -> str:
        moment = moment_at(self._view, self._lanes, self._moment_lanes, pos.x(), pos.y())
        if moment is not None:
            lane, m = moment
            return "\n".join(part for part in (f"{lane.label}: {m.code} · {m.label}", m.text, f"frame {m.frame}")
                             if part)
        for lane, band in zip(self._moment_lanes, self._lanes.moments, strict=False):
            if band.contains(pos.y()):
                return lane.description or lane.label
        hit = self._hit(pos)
        if hit.observation is not None:
            o = hit.observation
            frames = (f"frame {o.frame}" if o.end_frame_exclusive is None
                      else f"frames {o.frame}–{o.end_frame_exclusive - 1}")
            return "\n".join(part for part in (f"{o.code} · {o.label}", o.text, frames) if part)
        if hit.marker is not None:
            return hit.marker.note or f"Marker at frame {hit.marker.frame}"
        if hit.clip is not None:
            clip = hit.clip
            axis = self._view.axis
            seconds = axis.frame_time(clip.end_frame_exclusive) - axis.frame_time(clip.start_frame)
            title = clip.title or "Untitled clip"
            hint = "\nDrag to trim" if hit.is_handle else ""
            return f"{title}\n{clip_length_text(clip.frame_count, seconds)}{hint}"
        return ""

    def _view_changed(self) -> None:
        self._sync_scrollbar()
        vp = self._view.viewport
        self.viewChanged.emit(vp.start_time, vp.end_time)
        self.update()

    def _sync_scrollbar(self) -> None:
        """The scrollbar counts content pixels at the current zoom (ints suffice: 20 min at the deepest
        zoom is ~2.3 million px)."""
        vp, axis = self._view.viewport, self._view.axis
        total = int(round(axis.duration * vp.pixels_per_second))
        page = int(round(vp.content_width))
        self._syncing_scrollbar = True
        try:
            self._scrollbar.setRange(0, max(0, total - page))
            self._scrollbar.setPageStep(max(1, page))
            self._scrollbar.setSingleStep(max(1, page // 10))
            self._scrollbar.setValue(int(round((vp.start_time - axis.start_time) * vp.pixels_per_second)))
            self._scrollbar.setEnabled(total > page)
        finally:
            self._syncing_scrollbar = False

    def _on_scrollbar(self, value: int) -> None:
        if self._syncing_scrollbar:
            return
        vp = self._view.viewport
        self._view.set_start_time(self._view.axis.start_time + value / vp.pixels_per_second)
        self.viewChanged.emit(vp.start_time, vp.end_time)
        self.update()
