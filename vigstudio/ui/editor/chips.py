"""Principle chips: small rounded labels ("P2") in the catalogue's colour, drawn by the clip list and
the principles panel. Colours and names come from the catalogue (data), never from code."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QIcon, QPainter, QPainterPath, QPixmap

from vigstudio.domain.errors import InvalidInput
from vigstudio.domain.principles import Catalogue

NEUTRAL = "#8A969D"  # a clip with no tags yet, or a code the catalogue no longer knows
CHIP_PAD_X = 6.0
CHIP_GAP = 4.0


def principle_colour(catalogue: Catalogue, code: str) -> QColor:
    try:
        return QColor(catalogue.principle(code).colour)
    except InvalidInput:
        return QColor(NEUTRAL)


def principle_name(catalogue: Catalogue, code: str) -> str:
    try:
        return catalogue.principle(code).name
    except InvalidInput:
        return code


def text_colour_on(background: QColor) -> QColor:
    """White on the catalogue's mid-tone colours, near-black on light ones (readable either way)."""
    r, g, b = background.redF(), background.greenF(), background.blueF()
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return QColor("#FFFFFF") if luminance < 0.6 else QColor("#263238")


def chip_font(base: QFont) -> QFont:
    font = QFont(base)
    font.setPointSizeF(max(7.5, base.pointSizeF() * 0.85))
    font.setWeight(QFont.Weight.DemiBold)
    return font


def chip_width(text: str, font: QFont) -> float:
    return QFontMetricsF(font).horizontalAdvance(text) + 2 * CHIP_PAD_X


def paint_chip(painter: QPainter, rect: QRectF, text: str, colour: QColor, font: QFont) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    path = QPainterPath()
    path.addRoundedRect(rect, rect.height() / 2, rect.height() / 2)
    painter.fillPath(path, colour)
    painter.setPen(text_colour_on(colour))
    painter.setFont(font)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()


def paint_chips(painter: QPainter, left: float, top: float, height: float, codes: list[str],
                catalogue: Catalogue, font: QFont, max_right: float) -> float:
    """Chips for `codes` left to right from (left, top); stops before `max_right`. Returns the x after."""
    x = left
    for code in codes:
        width = chip_width(code, font)
        if x + width > max_right:
            break
        paint_chip(painter, QRectF(x, top, width, height), code, principle_colour(catalogue, code), font)
        x += width + CHIP_GAP
    return x


def colour_dot_icon(colour: QColor, size: int = 14) -> QIcon:
    """A round swatch for menus and combo boxes (the filter, the principles list)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(colour)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(QRectF(1, 1, size - 2, size - 2))
    painter.end()
    return QIcon(pixmap)
