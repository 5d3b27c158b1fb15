"""A calm, neutral, readable look: Fusion, soft greys, one muted teal accent.

`apply_style(app)` once at start-up. Widgets use the colour constants below rather than their own hex
codes, and opt into the few special looks through dynamic properties:

    button.setProperty("primary", True)        # the one main action of a screen (teal)
    button.setProperty("danger", True)         # destructive action (delete, withdraw consent)
    label.setObjectName("EmptyState")          # the friendly "what to do first" text
    label.setObjectName("DemoBanner")          # the banner that marks a demo library

`review_palette()` is the dark palette for the family review screen, where the video is the only thing
that should draw the eye.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

# Light theme. Contrast (WCAG): TEXT on SURFACE ≈ 13:1, MUTED on SURFACE ≥ 4.5:1, white on ACCENT ≥ 4.5:1.
TEXT = "#263238"
MUTED = "#5B6870"
SURFACE = "#F4F5F6"   # window background
BASE = "#FFFFFF"      # lists, text fields
ALT_BASE = "#F8F9FA"  # alternating rows
BORDER = "#D3D9DD"
HOVER = "#E6EAEC"
ACCENT = "#2F6F73"    # muted teal: selection, primary buttons, focus
ACCENT_DARK = "#245A5E"
ACCENT_SOFT = "#D5E8E7"
ON_ACCENT = "#FFFFFF"
DANGER = "#B03A30"
WARNING = "#9A6700"
DISABLED_TEXT = "#9AA4AA"

# Family review screen: black around the picture, soft light text.
REVIEW_BACKGROUND = "#000000"
REVIEW_SURFACE = "#15191B"
REVIEW_TEXT = "#E6EAEC"
REVIEW_MUTED = "#9AA6AD"

FONT_POINT_SIZE = 10.5  # readable on clinic laptops without looking oversized

STYLESHEET = f"""
QToolBar {{
    background: {SURFACE};
    border: none;
    border-bottom: 1px solid {BORDER};
    padding: 3px;
    spacing: 4px;
}}
QToolButton {{
    border: 1px solid transparent;
    border-radius: 6px;
    padding: 4px;
}}
QToolButton:hover {{ background: {HOVER}; }}
QToolButton:checked, QToolButton:pressed {{ background: {ACCENT_SOFT}; border-color: {ACCENT_SOFT}; }}
QListView, QTreeView, QTableView {{
    background: {BASE};
    alternate-background-color: {ALT_BASE};
    border: 1px solid {BORDER};
    border-radius: 6px;
    outline: none;
}}
QListView::item, QTreeView::item {{ padding: 4px 2px; }}
QListView::item:hover, QTreeView::item:hover {{ background: {HOVER}; }}
QListView::item:selected, QTreeView::item:selected, QTableView::item:selected {{
    background: {ACCENT_SOFT};
    color: {TEXT};
}}
QTreeView::branch:selected:!has-children {{ background: {ACCENT_SOFT}; }}
/* Tabs of docks tabbed together (the editor's columns on a laptop screen): a little less side padding
   than the style's, so "Principles  Session  Comments" read whole in a 260-pixel column; a tab bar a
   few pixels short of its ideal width elides every title ("Prin…", "S…"). */
QMainWindow > QTabBar::tab {{
    padding: 4px 7px;
    color: {MUTED};
    border: 1px solid transparent;
    border-bottom: 2px solid transparent;
}}
QMainWindow > QTabBar::tab:hover {{ background: {HOVER}; }}
QMainWindow > QTabBar::tab:selected {{ color: {TEXT}; background: {BASE}; border-bottom-color: {ACCENT}; }}
/* A combo box's list: its current row keeps dark text on the soft selection (the palette's white
   highlighted text on it left that row looking blank). */
QComboBox QAbstractItemView {{ selection-background-color: {ACCENT_SOFT}; selection-color: {TEXT}; }}
QComboBox QAbstractItemView::item:selected {{ background: {ACCENT_SOFT}; color: {TEXT}; }}
QPushButton {{
    background: {BASE};
    color: {TEXT};
    border: 1px solid {BORDER};
    border-radius: 6px;
    padding: 6px 14px;
}}
QPushButton:hover {{ background: {HOVER}; }}
QPushButton:focus {{ border-color: {ACCENT}; }}
QPushButton:disabled {{ color: {DISABLED_TEXT}; }}
QPushButton[primary="true"] {{
    background: {ACCENT};
    color: {ON_ACCENT};
    border-color: {ACCENT_DARK};
    font-weight: 600;
}}
QPushButton[primary="true"]:hover {{ background: {ACCENT_DARK}; }}
QPushButton[primary="true"]:disabled {{ background: {BORDER}; border-color: {BORDER}; color: {MUTED}; }}
QPushButton[danger="true"] {{ color: {DANGER}; border-color: {DANGER}; }}
QLineEdit, QPlainTextEdit, QTextEdit, QSpinBox, QComboBox {{
    background: {BASE};
    border: 1px solid {BORDER};
    border-radius: 5px;
    padding: 4px 6px;
}}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QSpinBox:focus, QComboBox:focus {{
    border-color: {ACCENT};
}}
QLabel#EmptyState {{
    color: {MUTED};
    font-size: 12pt;
    padding: 24px;
}}
QLabel#DemoBanner {{
    background: #FFF4D6;
    color: {WARNING};
    border-bottom: 1px solid #EBD9A6;
    padding: 6px 12px;
    font-weight: 600;
}}
QLabel[muted="true"] {{ color: {MUTED}; }}
QLabel[error="true"] {{ color: {DANGER}; }}
QStatusBar {{ color: {MUTED}; }}
QProgressBar {{
    border: 1px solid {BORDER};
    border-radius: 5px;
    background: {BASE};
    text-align: center;
}}
QProgressBar::chunk {{ background: {ACCENT}; border-radius: 4px; }}
"""


def light_palette() -> QPalette:
    """The everyday palette: soft grey window, white fields, teal selection."""
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: SURFACE,
        QPalette.ColorRole.WindowText: TEXT,
        QPalette.ColorRole.Base: BASE,
        QPalette.ColorRole.AlternateBase: ALT_BASE,
        QPalette.ColorRole.Text: TEXT,
        QPalette.ColorRole.Button: SURFACE,
        QPalette.ColorRole.ButtonText: TEXT,
        QPalette.ColorRole.BrightText: ON_ACCENT,
        QPalette.ColorRole.Highlight: ACCENT,
        QPalette.ColorRole.HighlightedText: ON_ACCENT,
        QPalette.ColorRole.ToolTipBase: TEXT,
        QPalette.ColorRole.ToolTipText: SURFACE,
        QPalette.ColorRole.PlaceholderText: MUTED,
        QPalette.ColorRole.Link: ACCENT,
        QPalette.ColorRole.Light: BASE,
        QPalette.ColorRole.Midlight: HOVER,
        QPalette.ColorRole.Mid: BORDER,
        QPalette.ColorRole.Dark: "#B0BAC0",
        QPalette.ColorRole.Shadow: "#8A969D",
    }
    for role, colour in roles.items():
        pal.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(DISABLED_TEXT))
    return pal


def review_palette() -> QPalette:
    """Dark palette for the family review screen (set it on that window only)."""
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: REVIEW_BACKGROUND,
        QPalette.ColorRole.WindowText: REVIEW_TEXT,
        QPalette.ColorRole.Base: REVIEW_SURFACE,
        QPalette.ColorRole.AlternateBase: REVIEW_SURFACE,
        QPalette.ColorRole.Text: REVIEW_TEXT,
        QPalette.ColorRole.Button: REVIEW_SURFACE,
        QPalette.ColorRole.ButtonText: REVIEW_TEXT,
        QPalette.ColorRole.Highlight: ACCENT,
        QPalette.ColorRole.HighlightedText: ON_ACCENT,
        QPalette.ColorRole.PlaceholderText: REVIEW_MUTED,
        QPalette.ColorRole.ToolTipBase: REVIEW_SURFACE,
        QPalette.ColorRole.ToolTipText: REVIEW_TEXT,
    }
    for role, colour in roles.items():
        pal.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(REVIEW_MUTED))
    return pal


def apply_style(app: QApplication) -> None:
    """Fusion + the light palette + a readable font + the small stylesheet above."""
    app.setStyle(QStyleFactory.create("Fusion"))
    app.setPalette(light_palette())
    font = QFont(app.font())
    size = font.pointSizeF()
    if size <= 0 or not 10 <= size <= 11:  # clamp into the readable range; keep the system family
        font.setPointSizeF(FONT_POINT_SIZE)
    app.setFont(font)
    app.setStyleSheet(STYLESHEET)


def set_flag(widget: QWidget, name: str, value: bool = True) -> None:
    """Set a style property such as `primary` or `danger` after the widget was shown (re-polishes)."""
    widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()
