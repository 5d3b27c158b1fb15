"""FrameView: the editor's picture — the exact frame, aspect-correct, letterboxed, sharp when paused.

It takes plain values and knows nothing of players or media sources:

    view.set_sample_aspect_ratio(info.sample_aspect_ratio)
    player.frameChanged.connect(view.set_frame)         # (index, QImage)
    view.set_frame(i, source.frame(i), seconds=source.frame_time(i))   # or a numpy RGB frame

Frames arrive upright (the media engine applies display rotation); the sample aspect ratio stretches the
picture's width (720×576 at SAR 16:15 shows as 768×576).
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, QTimer, QVariantAnimation, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPaintEvent, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from vigstudio.domain.timecode import format_seconds
from vigstudio.ui import style

BACKGROUND = QColor(style.REVIEW_SURFACE)  # near-black: the letterbox and the empty view
TEXT = QColor(style.REVIEW_TEXT)
MUTED_TEXT = QColor(style.REVIEW_MUTED)
LABEL_BACKGROUND = QColor(0, 0, 0, 150)

NOTICE_MS = 5000  # how long a notice stays before fading, unless told otherwise
FADE_MS = 600


def wrap_rgb(frame: np.ndarray) -> tuple[QImage, np.ndarray]:
    """Wrap an H×W×3 uint8 RGB array in a QImage without copying it when it is C-contiguous (frames from
    the media engine are); anything else (a crop, a strided view) is copied once.

    Returns the image and the array it reads. PySide6 does not keep that array alive: the caller must
    hold it as long as the image is used (FrameView does), and not write to it meanwhile.
    """
    if frame.ndim != 3 or frame.shape[2] != 3 or frame.dtype != np.uint8:
        raise ValueError(f"expected an H×W×3 uint8 RGB frame, got {frame.shape} {frame.dtype}")
    if not frame.flags.c_contiguous:
        frame = np.ascontiguousarray(frame)
    height, width = frame.shape[:2]
    return QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_RGB888), frame


class FrameView(QWidget):
    """Shows one frame scaled into the widget, letterboxed, with a discreet frame/time label,
    a quiet notice line and a placeholder when there is nothing to show."""

    resized = Signal()  # the space for the picture changed (the player converts frames to fit it)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("frameView")
        self.setAccessibleName("Video frame")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)  # we paint every pixel

        self._image: QImage | None = None
        self._buffer: np.ndarray | None = None  # keeps the numpy memory behind _image alive
        self._index: int | None = None
        self._preview = False  # the picture is the frame's small scrubbing proxy, the exact one to come
        self._sar = 1.0
        self._playing = False
        self._time_text = ""
        self._overlay_visible = True
        self._placeholder = ("No recording open", "Import a recording to begin")
        self._scaled: tuple[tuple[int, int, int], QPixmap] | None = None  # (image key, w, h) -> pixmap

        self._notice = ""
        self._notice_opacity = 1.0
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self._fade_notice)
        self._fade = QVariantAnimation(self)
        self._fade.setDuration(FADE_MS)
        self._fade.setStartValue(1.0)
        self._fade.setEndValue(0.0)
        self._fade.valueChanged.connect(self._set_notice_opacity)
        self._fade.finished.connect(self.clear_notice)

    # --- frames ---------------------------------------------------------------------------------------

    def set_frame(self, index: int, image: QImage | np.ndarray, seconds: float | None = None) -> None:
        """Show frame `index`. A numpy frame (H×W×3 uint8 RGB) is wrapped, not copied, and kept alive
        here until the next frame replaces it. `seconds`, if given, sets the timecode shown."""
        if isinstance(image, np.ndarray):
            qimage, self._buffer = wrap_rgb(image)
        else:
            qimage = image
            self._buffer = None
        if qimage.isNull():
            self.clear()
            return
        self._preview = False
        self._image = qimage
        self._index = index
        if seconds is not None:
            self._time_text = format_seconds(seconds)
        self._scaled = None
        self.setAccessibleDescription(self.overlay_text())
        self.update()

    def set_preview(self, index: int, image: QImage | np.ndarray, seconds: float | None = None) -> None:
        """Show frame `index`'s small proxy picture (scaled up to the same place) until `set_frame`
        brings the exact one."""
        self.set_frame(index, image, seconds)
        self._preview = self._image is not None

    def is_preview(self) -> bool:
        """Whether the picture shown is a scrubbing preview rather than the decoded frame."""
        return self._preview

    def clear(self) -> None:
        """Forget the frame and show the placeholder."""
        self._image = None
        self._buffer = None
        self._index = None
        self._preview = False
        self._time_text = ""
        self._scaled = None
        self.setAccessibleDescription("")
        self.update()

    def has_frame(self) -> bool:
        return self._image is not None

    def frame_index(self) -> int | None:
        return self._index

    def image(self) -> QImage | None:
        return self._image

    def set_sample_aspect_ratio(self, sar: float) -> None:
        """Pixel width/height of the recording (1.0 square; 16/15 PAL 4:3). Nonsense (0, NaN) means 1."""
        sar = float(sar) if sar and math.isfinite(sar) and sar > 0 else 1.0
        if sar != self._sar:
            self._sar = sar
            self._scaled = None
            self.update()

    def sample_aspect_ratio(self) -> float:
        return self._sar

    def set_playing(self, playing: bool) -> None:
        """While playing, frames are scaled the fast way; a paused frame is redrawn smooth and sharp."""
        if playing != self._playing:
            self._playing = playing
            self.update()

    def device_size(self) -> tuple[int, int]:
        """The widget's size in device pixels (what a picture filling it needs)."""
        ratio = self.devicePixelRatioF()
        return round(self.width() * ratio), round(self.height() * ratio)

    def display_size(self) -> QSize:
        """The frame's size on a square-pixel screen at 100 %, the SAR applied to its width."""
        if self._image is None:
            return QSize()
        return QSize(max(1, round(self._image.width() * self._sar)), self._image.height())

    def picture_rect(self) -> QRect:
        """Where the picture lands in the widget: as large as fits, centred, aspect kept; empty if none."""
        shown = self.display_size()
        if shown.isEmpty() or self.width() <= 0 or self.height() <= 0:
            return QRect()
        scale = min(self.width() / shown.width(), self.height() / shown.height())
        width = max(1, round(shown.width() * scale))
        height = max(1, round(shown.height() * scale))
        return QRect((self.width() - width) // 2, (self.height() - height) // 2, width, height)

    # --- overlay, notices, placeholder ---------------------------------------------------------------

    def set_time_text(self, text: str) -> None:
        self._time_text = text
        self.setAccessibleDescription(self.overlay_text())
        self.update()

    def set_frame_time(self, seconds: float) -> None:
        self.set_time_text(format_seconds(seconds))

    def set_overlay_visible(self, visible: bool) -> None:
        self._overlay_visible = visible
        self.update()

    def overlay_visible(self) -> bool:
        return self._overlay_visible

    def overlay_text(self) -> str:
        """What the frame/time label says (also when hidden): "Frame 120 · 00:04.800"."""
        if self._index is None:
            return ""
        parts = [f"Frame {self._index}"]
        if self._time_text:
            parts.append(self._time_text)
        return "  ·  ".join(parts)

    def show_notice(self, text: str, timeout_ms: int | None = NOTICE_MS) -> None:
        """A quiet line over the picture ("No sound device — playing silently"). It fades after
        `timeout_ms`; `None` or 0 keeps it until `clear_notice()`."""
        self._fade.stop()
        self._notice = text
        self._notice_opacity = 1.0
        if timeout_ms:
            self._notice_timer.start(timeout_ms)
        else:
            self._notice_timer.stop()
        self.update()

    def clear_notice(self) -> None:
        self._notice_timer.stop()
        self._fade.stop()
        self._notice = ""
        self.update()

    def notice_text(self) -> str:
        return self._notice

    def set_placeholder_text(self, title: str, detail: str = "") -> None:
        self._placeholder = (title, detail)
        self.update()

    def placeholder_text(self) -> str:
        return "\n".join(t for t in self._placeholder if t)

    def _fade_notice(self) -> None:
        self._fade.start()

    def _set_notice_opacity(self, value: float) -> None:
        self._notice_opacity = float(value)
        self.update()

    # --- painting --------------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(640, 360)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, 90)

    def resizeEvent(self, event) -> None:
        self._scaled = None  # the cached scale is for the old size
        super().resizeEvent(event)
        self.resized.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        if self._image is None:
            self._paint_placeholder(painter)
        else:
            target = self.picture_rect()
            if self._playing:
                # Fast path: a new frame every tick, nothing worth caching; nearest-neighbour scaling.
                painter.drawImage(target, self._image)
            else:
                painter.drawPixmap(target.topLeft(), self._smooth_pixmap(target.size()))
            if self._overlay_visible:
                self._paint_overlay(painter, target)
        if self._notice:
            self._paint_notice(painter)
        painter.end()

    def _smooth_pixmap(self, size: QSize) -> QPixmap:
        """The frame scaled once, with a good filter, at device pixels (sharp on HiDPI), then reused for
        every repaint at this size (notices fading, overlay toggling, window uncovering)."""
        ratio = self.devicePixelRatioF()
        width, height = round(size.width() * ratio), round(size.height() * ratio)
        key = (self._image.cacheKey(), width, height)
        if self._scaled is None or self._scaled[0] != key:
            if (width, height) == (self._image.width(), self._image.height()):
                scaled = self._image
            else:
                scaled = self._image.scaled(width, height, Qt.AspectRatioMode.IgnoreAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation)
            pixmap = QPixmap.fromImage(scaled)
            pixmap.setDevicePixelRatio(ratio)
            self._scaled = (key, pixmap)
        return self._scaled[1]

    def _label_font(self, scale: float = 0.95) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(8.0, font.pointSizeF() * scale))
        # Tabular figures: the label does not jitter as the digits change during playback.
        font.setFeature(QFont.Tag("tnum"), 1)
        return font

    def _paint_pill(self, painter: QPainter, text: str, anchor: QPointF, font: QFont,
                    align: Qt.AlignmentFlag, opacity: float = 1.0) -> None:
        metrics = QFontMetricsF(font)
        pad_x, pad_y = 8.0, 3.0
        box = QRectF(0, 0, metrics.horizontalAdvance(text) + 2 * pad_x, metrics.height() + 2 * pad_y)
        if align & Qt.AlignmentFlag.AlignHCenter:
            box.moveCenter(QPointF(anchor.x(), anchor.y() + box.height() / 2))
        else:
            box.moveTopLeft(anchor)
        painter.save()
        painter.setOpacity(opacity)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        path = QPainterPath()
        path.addRoundedRect(box, 5, 5)
        painter.fillPath(path, LABEL_BACKGROUND)
        painter.setFont(font)
        painter.setPen(TEXT)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def overlay_rect(self) -> QRectF:
        """Where the frame/time label goes: in the black band above the picture (or beside it, for a
        portrait picture), never over the picture itself; empty when no band is wide enough (the
        transport bar shows the frame and time too)."""
        text = self.overlay_text()
        target = self.picture_rect()
        if not text or target.isNull():
            return QRectF()
        metrics = QFontMetricsF(self._label_font())
        width, height = metrics.horizontalAdvance(text) + 16.0, metrics.height() + 6.0
        if target.top() >= height + 4:  # the band above
            return QRectF(target.left() + 8, (target.top() - height) / 2, width, height)
        if target.left() >= width + 8:  # the band to the left
            return QRectF((target.left() - width) / 2, target.top() + 8, width, height)
        return QRectF()

    def _paint_overlay(self, painter: QPainter, target: QRect) -> None:
        where = self.overlay_rect()
        if not where.isEmpty():
            self._paint_pill(painter, self.overlay_text(), where.topLeft(), self._label_font(),
                             Qt.AlignmentFlag.AlignLeft)

    def _paint_notice(self, painter: QPainter) -> None:
        font = self._label_font(1.0)
        height = QFontMetricsF(font).height() + 6
        self._paint_pill(painter, self._notice, QPointF(self.width() / 2, self.height() - height - 12),
                         font, Qt.AlignmentFlag.AlignHCenter, self._notice_opacity)

    def _paint_placeholder(self, painter: QPainter) -> None:
        title, detail = self._placeholder
        title_font = QFont(self.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.3)
        detail_font = QFont(self.font())
        title_height = QFontMetricsF(title_font).height()
        centre = self.rect().center()
        painter.setFont(title_font)
        painter.setPen(TEXT)
        title_box = QRect(0, int(centre.y() - title_height), self.width(), int(title_height) + 2)
        painter.drawText(title_box, Qt.AlignmentFlag.AlignCenter, title)
        if detail:
            painter.setFont(detail_font)
            painter.setPen(MUTED_TEXT)
            detail_box = QRect(0, title_box.bottom() + 6, self.width(), int(QFontMetricsF(detail_font).height()) + 2)
            painter.drawText(detail_box, Qt.AlignmentFlag.AlignCenter, detail)

