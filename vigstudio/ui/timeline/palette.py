"""Colours and fonts of the timeline. Defaults mirror the app's calm light theme (muted teal accent);
the editor may pass its own `TimelinePalette` (the widget imports no app-wide style module)."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QColor, QFont


def _c(hex_or_rgba: str, alpha: int = 255) -> QColor:
    colour = QColor(hex_or_rgba)
    colour.setAlpha(alpha)
    return colour


@dataclass
class TimelinePalette:
    background: QColor = field(default_factory=lambda: _c("#E9ECEE"))
    ruler: QColor = field(default_factory=lambda: _c("#F8F9FA"))
    lane: QColor = field(default_factory=lambda: _c("#F1F3F4"))
    strip: QColor = field(default_factory=lambda: _c("#DCE1E4"))
    placeholder: QColor = field(default_factory=lambda: _c("#CFD6DA"))
    wave_background: QColor = field(default_factory=lambda: _c("#F8F9FA"))
    wave: QColor = field(default_factory=lambda: _c("#72838C"))
    wave_axis: QColor = field(default_factory=lambda: _c("#C9D1D5"))
    tick: QColor = field(default_factory=lambda: _c("#9AA4AA"))
    major_tick: QColor = field(default_factory=lambda: _c("#6B777E"))
    text: QColor = field(default_factory=lambda: _c("#263238"))
    muted: QColor = field(default_factory=lambda: _c("#5B6870"))
    border: QColor = field(default_factory=lambda: _c("#D3D9DD"))
    accent: QColor = field(default_factory=lambda: _c("#2F6F73"))
    halo: QColor = field(default_factory=lambda: _c("#FFFFFF", 200))
    in_out: QColor = field(default_factory=lambda: _c("#37474F"))
    in_out_shade: QColor = field(default_factory=lambda: _c("#2F6F73", 30))
    marker: QColor = field(default_factory=lambda: _c("#B7832F"))
    clip_tint_alpha: int = 46
    clip_band_alpha: int = 120
    clip_selected_band_alpha: int = 190
    label_point_size: float = 9.0
    title_point_size: float = 9.0

    def label_font(self, base: QFont) -> QFont:
        font = QFont(base)
        font.setPointSizeF(self.label_point_size)
        return font

    def title_font(self, base: QFont) -> QFont:
        font = QFont(base)
        font.setPointSizeF(self.title_point_size)
        font.setWeight(QFont.Weight.DemiBold)
        return font
