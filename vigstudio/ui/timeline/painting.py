"""Drawing of the timeline. Everything here works on the visible range only: the cost of a repaint
depends on the widget's width, never on the recording's length."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen, QPolygonF

from vigstudio.ui.timeline.geometry import TimelineView
from vigstudio.ui.timeline.items import TimelineClip, TimelineMarker, TimelineMomentLane, TimelineObservation
from vigstudio.ui.timeline.lanes import Band, Lanes
from vigstudio.ui.timeline.palette import TimelinePalette
from vigstudio.ui.timeline.peaks import PeakTrack, envelope_coverage, premultiplied_argb
from vigstudio.ui.timeline.ruler import ruler_ticks
from vigstudio.ui.timeline.thumbcache import ThumbnailCache

HANDLE_WIDTH = 6.0
_MIN_BAND_PX = 3.0


def _fill(p: QPainter, rect: QRectF, colour: QColor) -> None:
    """Fill snapped to whole pixels: crisp edges, and translucent integer fills take Qt's fast path."""
    left, right = round(rect.left()), round(rect.right())
    top, bottom = round(rect.top()), round(rect.bottom())
    p.fillRect(QRect(left, top, max(1, right - left), max(1, bottom - top)), colour)


@dataclass
class Scene:
    """What one repaint shows (a snapshot of the widget's state)."""

    view: TimelineView
    lanes: Lanes
    width: float
    clips: Sequence[TimelineClip]
    markers: Sequence[TimelineMarker]
    playhead: int | None
    in_frame: int | None
    out_frame: int | None
    selected_id: Any
    peaks: PeakTrack | None
    thumbs: ThumbnailCache
    hovered_handle: tuple[Any, str] | None
    focused: bool
    observations: Sequence[TimelineObservation] = ()
    selected_observation: Any = None
    moment_lanes: Sequence[TimelineMomentLane] = ()


class TimelinePainter:
    def __init__(self, palette: TimelinePalette, base_font: QFont) -> None:
        self.palette = palette
        self.label_font = palette.label_font(base_font)
        self.title_font = palette.title_font(base_font)

    def paint(self, p: QPainter, scene: Scene) -> None:
        pal = self.palette
        p.fillRect(QRectF(0, 0, scene.width, p.device().height()), pal.background)
        if scene.view.axis.is_empty():
            self._paint_empty(p, scene)
            return
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self._paint_lane_backgrounds(p, scene)
        self._paint_thumbnails(p, scene)
        self._paint_waveform(p, scene)
        self._paint_ruler(p, scene)
        self._paint_in_out(p, scene)
        self._paint_clips(p, scene)
        self._paint_observations(p, scene)
        self._paint_moment_lanes(p, scene)
        self._paint_markers(p, scene)
        self._paint_playhead(p, scene)
        if scene.focused:
            pen = QPen(pal.accent, 1)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(QRectF(0.5, 0.5, scene.width - 1, scene.lanes.bottom - 1))

    # ----- lanes ----------------------------------------------------------------------------------
    def _content_rect(self, scene: Scene, band: Band) -> QRectF:
        """The band's rectangle clipped to the recording's extent (nothing drawn past the ends)."""
        view = scene.view
        x0 = max(0.0, view.viewport.time_to_x(view.axis.start_time))
        x1 = min(scene.width, view.viewport.time_to_x(view.axis.end_time))
        return QRectF(x0, band.top, max(0.0, x1 - x0), band.height)

    def _paint_empty(self, p: QPainter, scene: Scene) -> None:
        p.setPen(self.palette.muted)
        p.setFont(self.label_font)
        p.drawText(QRectF(0, 0, scene.width, scene.lanes.bottom), Qt.AlignmentFlag.AlignCenter,
                   "No recording")

    def _paint_lane_backgrounds(self, p: QPainter, scene: Scene) -> None:
        pal, lanes = self.palette, scene.lanes
        p.fillRect(QRectF(0, lanes.ruler.top, scene.width, lanes.ruler.height), pal.ruler)
        p.fillRect(self._content_rect(scene, lanes.clips), pal.lane)
        if lanes.observations is not None:
            p.fillRect(self._content_rect(scene, lanes.observations), pal.lane)
        for band in lanes.moments:
            p.fillRect(self._content_rect(scene, band), pal.lane)
        p.fillRect(self._content_rect(scene, lanes.thumbs), pal.strip)
        p.fillRect(self._content_rect(scene, lanes.wave), pal.wave_background)
        p.setPen(QPen(pal.border, 1))
        p.drawLine(QLineF(0, lanes.ruler.bottom - 0.5, scene.width, lanes.ruler.bottom - 0.5))

    # ----- ruler ----------------------------------------------------------------------------------
    def _paint_ruler(self, p: QPainter, scene: Scene) -> None:
        pal, band = self.palette, scene.lanes.ruler
        ticks = ruler_ticks(scene.view)
        minor = [QLineF(t.x, band.bottom - 4, t.x, band.bottom - 1) for t in ticks if not t.major]
        major = [QLineF(t.x, band.bottom - 9, t.x, band.bottom - 1) for t in ticks if t.major]
        p.setPen(QPen(pal.tick, 1))
        p.drawLines(minor)
        p.setPen(QPen(pal.major_tick, 1))
        p.drawLines(major)
        p.setFont(self.label_font)
        p.setPen(pal.muted)
        metrics = QFontMetricsF(self.label_font)
        baseline = band.top + metrics.ascent() + 3
        for tick in ticks:
            if tick.label and tick.x + 3 + metrics.horizontalAdvance(tick.label) <= scene.width - 2:
                p.drawText(QPointF(tick.x + 3, baseline), tick.label)

    # ----- thumbnails -----------------------------------------------------------------------------
    def _paint_thumbnails(self, p: QPainter, scene: Scene) -> None:
        thumbs, view, band = scene.thumbs, scene.view, scene.lanes.thumbs
        if not thumbs.has_provider:
            return
        visible = view.visible_frames()
        if not visible:
            return
        thumbs.probe_aspect(visible.start)
        inset = 2.0
        tile_h = max(8.0, band.height - 2 * inset)
        tile_w = max(8.0, round(tile_h * thumbs.aspect))
        size = QSize(int(tile_w), int(tile_h))
        top = band.top + inset
        clip_rect = self._content_rect(scene, band)
        p.save()
        p.setClipRect(clip_rect)
        if view.typical_frame_px >= min(tile_w * 0.5, 36.0):
            # Deep zoom: one picture per frame, centred in the frame's span, so frames read as cells.
            for frame in visible:
                x0, x1 = view.frame_to_x(frame), view.frame_to_x(frame + 1)
                cell = QRectF(x0 + 0.5, top, max(1.0, x1 - x0 - 1), tile_h)
                self._draw_tile(p, thumbs, frame, size, cell)
        else:
            # A fixed grid anchored at the recording's start, so tiles do not swim while panning.
            vp = view.viewport
            origin = vp.time_to_x(view.axis.start_time)
            first = max(0, int((0 - origin) // tile_w))
            last = int((scene.width - origin) // tile_w)
            for k in range(first, last + 1):
                x0 = origin + k * tile_w
                frame = view.x_to_frame(x0 + tile_w / 2)
                self._draw_tile(p, thumbs, frame, size, QRectF(x0 + 0.5, top, tile_w - 1, tile_h))
        p.restore()

    def _draw_tile(self, p: QPainter, thumbs: ThumbnailCache, frame: int, size: QSize, cell: QRectF) -> None:
        pixmap = thumbs.pixmap(frame, size)
        if pixmap is None:
            p.fillRect(cell, self.palette.placeholder)
            return
        # Centre-crop the picture into the cell (cells are narrower than a tile at deep zoom).
        sx = max(0.0, (pixmap.width() - cell.width()) / 2)
        sy = max(0.0, (pixmap.height() - cell.height()) / 2)
        source = QRectF(sx, sy, min(cell.width(), pixmap.width()), min(cell.height(), pixmap.height()))
        left = cell.left() + max(0.0, (cell.width() - source.width()) / 2)
        p.drawPixmap(QRectF(QPointF(left, cell.top()), source.size()), pixmap, source)

    # ----- waveform -------------------------------------------------------------------------------
    def _paint_waveform(self, p: QPainter, scene: Scene) -> None:
        pal, band, view = self.palette, scene.lanes.wave, scene.view
        mid = band.top + band.height / 2
        half = band.height / 2 - 2
        content = self._content_rect(scene, band)
        if scene.peaks is None or scene.peaks.is_empty:
            p.setPen(QPen(pal.wave_axis, 1, Qt.PenStyle.DashLine))
            p.drawLine(QLineF(content.left(), mid, content.right(), mid))
            p.setFont(self.label_font)
            p.setPen(pal.muted)
            label_rect = QRectF(max(content.left(), 0) + 8, band.top, 200, band.height)
            text_width = QFontMetricsF(self.label_font).horizontalAdvance("no audio") + 8
            p.fillRect(QRectF(label_rect.left() - 4, mid - 8, text_width, 16), pal.wave_background)
            p.drawText(label_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, "no audio")
            return
        p.setPen(QPen(pal.wave_axis, 1))
        p.drawLine(QLineF(content.left(), mid, content.right(), mid))
        xs, lo, hi = scene.peaks.columns(view.viewport)
        if not len(xs):
            return
        inside = (xs >= content.left()) & (xs < content.right())
        xs, lo, hi = xs[inside], lo[inside], hi[inside]
        if not len(xs):
            return
        top = int(band.top)
        height = int(band.bottom) - top
        local_mid = mid - top
        tops = local_mid - hi * half
        # At least one pixel tall, so silence still reads as a thin line rather than nothing.
        bottoms = np.maximum(local_mid - lo * half, tops + 1)
        # Columns are consecutive screen pixels: render them as one image instead of a line each.
        first = int(xs[0])
        columns = np.zeros(int(xs[-1]) - first + 1, dtype=np.int64)
        columns[(xs.astype(np.int64) - first)] = 1
        cover_tops = np.full(columns.size, float(height), dtype=np.float32)
        cover_bottoms = np.zeros(columns.size, dtype=np.float32)
        cover_tops[xs.astype(np.int64) - first] = tops
        cover_bottoms[xs.astype(np.int64) - first] = bottoms
        colour = pal.wave
        pixels = premultiplied_argb(envelope_coverage(cover_tops, cover_bottoms, height),
                                    (colour.red(), colour.green(), colour.blue()), colour.alpha())
        pixels = np.ascontiguousarray(pixels)
        image = QImage(pixels.data, pixels.shape[1], pixels.shape[0], pixels.shape[1] * 4,
                       QImage.Format.Format_ARGB32_Premultiplied)
        p.drawImage(QPointF(first, top), image)

    # ----- in/out ---------------------------------------------------------------------------------
    def _paint_in_out(self, p: QPainter, scene: Scene) -> None:
        pal, view, lanes = self.palette, scene.view, scene.lanes
        if scene.in_frame is None and scene.out_frame is None:
            return
        top, bottom = lanes.clips.top, lanes.bottom
        x_in = view.frame_to_x(scene.in_frame) if scene.in_frame is not None else None
        # The out frame is the last frame included: its bracket closes at the frame's right edge.
        x_out = view.frame_to_x(scene.out_frame + 1) if scene.out_frame is not None else None
        if x_in is not None and x_out is not None and x_out > x_in:
            _fill(p, QRectF(x_in, top, x_out - x_in, bottom - top), pal.in_out_shade)
            ruler_mark = QColor(pal.accent)
            ruler_mark.setAlpha(110)
            _fill(p, QRectF(x_in, lanes.ruler.bottom - 3, x_out - x_in, 3), ruler_mark)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(pal.in_out, 2)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        arm = 5.0
        for x, direction in ((x_in, 1), (x_out, -1)):
            if x is None or x < -arm or x > scene.width + arm:
                continue
            bracket = QPolygonF([QPointF(x + direction * arm, top + 1), QPointF(x, top + 1),
                                 QPointF(x, bottom - 1), QPointF(x + direction * arm, bottom - 1)])
            p.drawPolyline(bracket)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    # ----- clips ----------------------------------------------------------------------------------
    def _paint_clips(self, p: QPainter, scene: Scene) -> None:
        view, width = scene.view, scene.width
        ordered = sorted(scene.clips, key=lambda c: c.id == scene.selected_id)  # selected on top
        for clip in ordered:
            x0, x1 = view.frame_to_x(clip.start_frame), view.frame_to_x(clip.end_frame_exclusive)
            if x1 < -HANDLE_WIDTH or x0 > width + HANDLE_WIDTH:
                continue
            if x1 - x0 < _MIN_BAND_PX:
                centre = (x0 + x1) / 2
                x0, x1 = centre - _MIN_BAND_PX / 2, centre + _MIN_BAND_PX / 2
            self._paint_clip(p, scene, clip, x0, x1)

    def _paint_clip(self, p: QPainter, scene: Scene, clip: TimelineClip, x0: float, x1: float) -> None:
        pal, lanes = self.palette, scene.lanes
        selected = clip.id == scene.selected_id
        base = QColor(clip.colour)
        tint = QColor(base)
        tint.setAlpha(pal.clip_tint_alpha)
        media = lanes.media
        _fill(p, QRectF(x0, media.top, x1 - x0, media.height), tint)
        band_colour = QColor(base)
        band_colour.setAlpha(pal.clip_selected_band_alpha if selected else pal.clip_band_alpha)
        band = QRectF(x0, lanes.clips.top + 1, x1 - x0, lanes.clips.height - 2)
        if x1 - x0 < 2 * HANDLE_WIDTH + 2:
            # Too narrow for handles and a title at this zoom: a plain mark (cheap with many clips).
            _fill(p, band, band_colour.darker(130) if selected else band_colour)
            return
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        path = QPainterPath()
        path.addRoundedRect(band, 3, 3)
        p.fillPath(path, band_colour)
        if selected:
            p.setPen(QPen(base.darker(150), 1.5))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
            # Edges of the selected clip carried down through the strip, so the trim is easy to judge.
            p.setPen(QPen(base.darker(130), 1))
            p.drawLine(QLineF(x0, media.top, x0, media.bottom))
            p.drawLine(QLineF(x1, media.top, x1, media.bottom))
        # Title, inside the band between the handles, elided to fit.
        # Kept on screen when the clip starts left of the view, so a long clip stays named.
        room = band.adjusted(HANDLE_WIDTH + 4, 0, -(HANDLE_WIDTH + 4), 0)
        room.setLeft(max(room.left(), 6.0))
        if room.width() > 16 and clip.title:
            p.setFont(self.title_font)
            p.setPen(pal.text)
            metrics = QFontMetricsF(self.title_font)
            text = metrics.elidedText(clip.title, Qt.TextElideMode.ElideRight, room.width())
            p.drawText(room, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
        for edge, x in (("start", x0), ("end", x1)):
            hovered = scene.hovered_handle == (clip.id, edge)
            self._paint_handle(p, band, x, edge, base, selected or hovered)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    def _paint_handle(self, p: QPainter, band: QRectF, x: float, edge: str, base: QColor, strong: bool) -> None:
        left = x if edge == "start" else x - HANDLE_WIDTH
        rect = QRectF(left, band.top(), HANDLE_WIDTH, band.height())
        colour = base.darker(135 if strong else 115)
        path = QPainterPath()
        path.addRoundedRect(rect, 2, 2)
        p.fillPath(path, colour)
        p.setPen(QPen(QColor(255, 255, 255, 200 if strong else 140), 1))
        cx = rect.center().x()
        p.drawLine(QLineF(cx, rect.top() + 5, cx, rect.bottom() - 5))

    # ----- markers --------------------------------------------------------------------------------
    def _paint_markers(self, p: QPainter, scene: Scene) -> None:
        pal, view, band = self.palette, scene.view, scene.lanes.ruler
        vp = view.viewport
        t0, t1 = vp.x_to_time(-10), vp.x_to_time(scene.width + 10)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for marker in scene.markers:
            t = view.axis.frame_time(marker.frame)
            if not t0 <= t <= t1:
                continue
            x = round(view.frame_to_x(marker.frame)) + 0.5
            p.setPen(QPen(pal.marker.darker(120), 1))
            p.drawLine(QLineF(x, band.top + 3, x, band.bottom))
            flag = QPolygonF([QPointF(x, band.top + 3), QPointF(x + 8, band.top + 6),
                              QPointF(x, band.top + 9)])
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(pal.marker)
            p.drawPolygon(flag)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    # ----- observations (WWW) ---------------------------------------------------------------------
    def _paint_observations(self, p: QPainter, scene: Scene) -> None:
        """A range as a rounded bar, a single moment as a diamond; the code written in when it fits."""
        band, view = scene.lanes.observations, scene.view
        if band is None or not scene.observations:
            return
        vp = view.viewport
        t0, t1 = vp.x_to_time(-20), vp.x_to_time(scene.width + 20)
        metrics = QFontMetricsF(self.label_font)
        p.setFont(self.label_font)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for obs in scene.observations:
            end = obs.last_frame + 1
            if view.axis.frame_time(end) < t0 or view.axis.frame_time(obs.frame) > t1:
                continue
            colour = QColor(obs.colour)
            selected = obs.id == scene.selected_observation
            x0 = view.frame_to_x(obs.frame)
            if obs.end_frame_exclusive is None:
                x = x0 + view.frame_width(obs.frame) / 2
                mid = (band.top + band.bottom) / 2
                r = band.height / 2 - 2
                diamond = QPolygonF([QPointF(x, mid - r), QPointF(x + r * 0.7, mid), QPointF(x, mid + r),
                                     QPointF(x - r * 0.7, mid)])
                p.setPen(QPen(self.palette.accent if selected else colour.darker(140), 2 if selected else 1))
                p.setBrush(colour)
                p.drawPolygon(diamond)
                label_x, room = x + r, 0.0
            else:
                x1 = view.frame_to_x(obs.end_frame_exclusive)
                rect = QRectF(x0, band.top + 2, max(3.0, x1 - x0), band.height - 4)
                fill = QColor(colour)
                fill.setAlpha(190)
                p.setPen(QPen(self.palette.accent if selected else colour.darker(140), 2 if selected else 1))
                p.setBrush(fill)
                p.drawRoundedRect(rect, 3, 3)
                label_x, room = x0 + 3, rect.width() - 6
            if room >= metrics.horizontalAdvance(obs.code):
                p.setPen(self.palette.text)
                p.drawText(QPointF(label_x, band.top + (band.height + metrics.ascent() - metrics.descent()) / 2),
                           obs.code)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    # ----- labelled moment lanes (the guider's ratings, the self-assessment) -------------------------
    def _paint_moment_lanes(self, p: QPainter, scene: Scene) -> None:
        """Each moment a diamond with its code beside it when there is room; the lane's label (whose
        moments they are) at its left, over a veil so it stays readable over moments under it."""
        view, metrics = scene.view, QFontMetricsF(self.label_font)
        vp = view.viewport
        t0, t1 = vp.x_to_time(-40), vp.x_to_time(scene.width + 20)
        p.setFont(self.label_font)
        for lane, band in zip(scene.moment_lanes, scene.lanes.moments, strict=False):
            baseline = band.top + (band.height + metrics.ascent() - metrics.descent()) / 2
            # the label first, the moments over it: a moment under the label stays in sight
            label = metrics.elidedText(lane.label, Qt.TextElideMode.ElideRight, max(40.0, scene.width / 4))
            chip = QRectF(2, band.top + 1, metrics.horizontalAdvance(label) + 10, band.height - 2)
            veil = QColor(self.palette.ruler)
            veil.setAlpha(200)
            p.fillRect(chip, veil)
            _fill(p, QRectF(chip.left(), chip.top(), 3, chip.height()), QColor(lane.colour))
            p.setPen(QColor(lane.colour).darker(130))
            p.drawText(QPointF(chip.left() + 6, baseline), label)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            mid, r = (band.top + band.bottom) / 2, band.height / 2 - 2
            for moment in lane.moments:
                if not t0 <= view.axis.frame_time(moment.frame) <= t1:
                    continue
                colour = QColor(moment.colour)
                x = view.frame_to_x(moment.frame) + view.frame_width(moment.frame) / 2
                diamond = QPolygonF([QPointF(x, mid - r), QPointF(x + r * 0.7, mid), QPointF(x, mid + r),
                                     QPointF(x - r * 0.7, mid)])
                p.setPen(QPen(colour.darker(140), 1))
                p.setBrush(colour)
                p.drawPolygon(diamond)
                code_rect = QRectF(x + r * 0.7 + 1, band.top + 2, metrics.horizontalAdvance(moment.code) + 3,
                                   band.height - 4)
                p.fillRect(code_rect, veil)  # the code stays readable over the label
                p.setPen(self.palette.text)
                p.drawText(QPointF(x + r * 0.7 + 2, baseline), moment.code)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    # ----- playhead -------------------------------------------------------------------------------
    def _paint_playhead(self, p: QPainter, scene: Scene) -> None:
        if scene.playhead is None:
            return
        pal, view, lanes = self.palette, scene.view, scene.lanes
        x0 = view.frame_to_x(scene.playhead)
        frame_px = view.frame_width(scene.playhead)
        if x0 + frame_px < -8 or x0 > scene.width + 8:
            return
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if frame_px >= 6:
            # Deep zoom: the current frame's cell is outlined so "which frame" is unambiguous.
            cell = QColor(pal.accent)
            cell.setAlpha(40)
            _fill(p, QRectF(x0, lanes.ruler.bottom, frame_px, lanes.bottom - lanes.ruler.bottom), cell)
        x = round(x0) + 0.5
        p.setPen(QPen(pal.halo, 3))
        p.drawLine(QLineF(x, lanes.ruler.top + 8, x, lanes.bottom))
        p.setPen(QPen(pal.accent, 1.5))
        p.drawLine(QLineF(x, lanes.ruler.top + 8, x, lanes.bottom))
        head = QPolygonF([QPointF(x - 5, lanes.ruler.top + 2), QPointF(x + 5, lanes.ruler.top + 2),
                          QPointF(x + 5, lanes.ruler.top + 9), QPointF(x, lanes.ruler.top + 14),
                          QPointF(x - 5, lanes.ruler.top + 9)])
        p.setPen(QPen(pal.halo, 1))
        p.setBrush(pal.accent)
        p.drawPolygon(head)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
