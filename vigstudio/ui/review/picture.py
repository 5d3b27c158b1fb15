"""ReviewPicture: the family screen's picture — black all round, as large as it goes, a caption in
large calm type, and a short-lived quiet notice (speed, loop) that fades on its own.

Nothing else is drawn: no frame numbers, no timecode, no controls.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from vigstudio.ui import style

BLACK = QColor(style.REVIEW_BACKGROUND)
CAPTION_TEXT = QColor(style.REVIEW_TEXT)
NOTICE_TEXT = QColor(style.REVIEW_TEXT)
NOTICE_BACKGROUND = QColor(0, 0, 0, 215)
NOTICE_MS = 1800


class ReviewPicture(QWidget):
    def __init__(self, parent: QWidget | None = None, *, caption_scale: float = 1.0):
        super().__init__(parent)
        self.setObjectName("reviewPicture")
        self.setAccessibleName("Review picture")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMouseTracking(True)
        self._image: QImage | None = None
        self._frame: int | None = None
        self._sar = 1.0
        self._caption = ""
        self._message = ""  # shown on black when there is no picture (an empty review)
        self._notice = ""
        self._caption_scale = caption_scale
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.clear_notice)

    # -- what to show ---------------------------------------------------------------------------

    def set_frame(self, index: int, image: QImage) -> None:
        self._frame, self._image = index, image
        self.update()

    def set_sample_aspect_ratio(self, sar: float) -> None:
        self._sar = float(sar) if sar and sar > 0 else 1.0
        self.update()

    def set_caption(self, text: str) -> None:
        self._caption = (text or "").strip()
        self.update()

    def set_message(self, text: str) -> None:
        self._message = text
        self.update()

    def show_notice(self, text: str) -> None:
        self._notice = text
        self._notice_timer.start(NOTICE_MS)
        self.update()

    def clear_notice(self) -> None:
        self._notice = ""
        self.update()

    # -- what is shown (for tests and the presenter) --------------------------------------------

    def frame_index(self) -> int | None:
        return self._frame

    def image(self) -> QImage | None:
        return self._image

    def caption(self) -> str:
        return self._caption

    def notice(self) -> str:
        return self._notice

    def picture_rect(self) -> QRect:
        """Where the picture is drawn: the largest rectangle of its display aspect that fits above the
        caption (the caption never covers the picture: the family sees all of it)."""
        if self._image is None or self._image.isNull():
            return QRect()
        caption = self._caption_height()
        size = QSize(round(self._image.width() * self._sar), self._image.height())
        size.scale(QSize(self.width(), self.height() - caption), Qt.AspectRatioMode.KeepAspectRatio)
        # picture and caption together, centred on the screen
        top = max(0, (self.height() - size.height() - caption) // 2)
        return QRect((self.width() - size.width()) // 2, top, size.width(), size.height())

    def _caption_font(self) -> QFont:
        return self._font(0.05)

    def _caption_height(self) -> int:
        """Height of the band the caption needs under the picture (0 without a caption)."""
        if not self._caption:
            return 0
        metrics = QFontMetrics(self._caption_font())
        margin = round(metrics.height() * 0.6)
        flags = Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap
        text = metrics.boundingRect(QRect(0, 0, self._text_width(metrics), 10_000), flags, self._caption)
        return min(self.height() // 3, text.height() + 2 * margin)

    def _text_width(self, metrics: QFontMetrics) -> int:
        return max(40, min(self.width() - 40, round(metrics.averageCharWidth() * 48)))

    def sizeHint(self) -> QSize:
        return QSize(640, 360)

    # -- painting -------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), BLACK)
        target = self.picture_rect()
        if not target.isNull():
            # Smooth scaling: a paused still is shown sharp, never as blocky enlarged pixels.
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawImage(target, self._image)
        elif self._message:
            self._paint_text(painter, self._message, self.rect(), self._font(0.045), CAPTION_TEXT)
        if self._caption:
            self._paint_caption(painter, target if not target.isNull() else self.rect())
        if self._notice:
            self._paint_notice(painter)
        painter.end()

    def notice_rect(self) -> QRect:
        """Where the quiet notice ("¾ speed") is drawn: a dark rounded box at the top right."""
        if not self._notice:
            return QRect()
        metrics = QFontMetrics(self._font(0.03))
        pad_x, pad_y = metrics.height() // 2, metrics.height() // 4
        width = metrics.horizontalAdvance(self._notice) + 2 * pad_x
        height = metrics.height() + 2 * pad_y
        margin = round(self.height() * 0.03)
        return QRect(self.width() - margin - width, margin, width, height)

    def _paint_notice(self, painter: QPainter) -> None:
        # Light text on its own dark box: drawn straight onto a light picture, grey text was unreadable.
        box = self.notice_rect()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(NOTICE_BACKGROUND)
        painter.drawRoundedRect(QRectF(box), box.height() / 4, box.height() / 4)
        painter.setFont(self._font(0.03))
        painter.setPen(NOTICE_TEXT)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self._notice)
        painter.restore()

    def _font(self, fraction_of_height: float) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(max(14, round(self.height() * fraction_of_height * self._caption_scale)))
        return font

    def _paint_caption(self, painter: QPainter, picture: QRect) -> None:
        height = self._caption_height()
        band = QRect(0, self.height() - height, self.width(), height)
        if not picture.isNull() and picture.bottom() < band.top():  # keep it close under the picture
            band.moveTop(picture.bottom() + 1)
        self._paint_text(painter, self._caption, band, self._caption_font(), CAPTION_TEXT)

    def _paint_text(self, painter: QPainter, text: str, rect: QRect, font: QFont, colour: QColor) -> None:
        painter.setFont(font)
        painter.setPen(colour)
        width = self._text_width(QFontMetrics(font))
        box = QRectF(rect.center().x() - width / 2, rect.top(), width, rect.height())
        painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), text)
