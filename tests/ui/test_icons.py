"""Icons and the application style: every icon resolves and renders, the app icon PNGs are right,
the resolver finds a PyInstaller bundle's icons, and the style is readable (contrast, primary buttons)."""

from __future__ import annotations

import importlib.util
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QPushButton

from vigstudio.ui import icons, style
from vigstudio.ui.icons import ACTION_ICONS, APP_ICON_SIZES, IconNotFound, app_icon, icon, icon_dir, icon_path

REPO = Path(__file__).resolve().parents[2]
SVG_NS = "{http://www.w3.org/2000/svg}"

# The icons the UI needs; ACTION_ICONS may grow but must keep these.
REQUIRED_ICONS = (
    "import", "add-case", "play", "pause", "step-back", "step-forward", "skip-back", "skip-forward",
    "mark-in", "mark-out", "clip", "still", "marker", "tag", "lock", "unlock", "export", "review", "undo",
    "redo", "zoom-in", "zoom-out", "delete", "settings", "help", "volume", "mute", "fullscreen",
    "exit-fullscreen", "comment", "bundle", "demo",
)


@pytest.fixture(autouse=True)
def _fresh_icon_cache():
    icons.clear_cache()
    yield
    icons.clear_cache()


def _opaque_pixels(image: QImage) -> int:
    return sum(1 for y in range(image.height()) for x in range(image.width()) if image.pixelColor(x, y).alpha())


def _load_render_icons():
    spec = importlib.util.spec_from_file_location("render_icons", REPO / "packaging" / "render_icons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_required_icons_are_all_offered():
    assert set(REQUIRED_ICONS) <= set(ACTION_ICONS)
    assert len(set(ACTION_ICONS)) == len(ACTION_ICONS)


@pytest.mark.parametrize("name", ACTION_ICONS)
def test_action_icon_resolves_and_renders(qapp, name):
    path = icon_path(name)
    assert path == icon_dir() / f"{name}.svg" and path.is_file()
    for size in (16, 24, 48):
        image = icon(name).pixmap(size, size).toImage()
        assert not image.isNull() and image.width() == size
        drawn = _opaque_pixels(image)
        # a line icon: clearly visible, yet not a filled square
        assert size < drawn < size * size * 0.8, (name, size, drawn)


def test_action_icons_share_one_line_style():
    for name in ACTION_ICONS:
        root = ET.parse(icon_path(name)).getroot()
        assert root.tag == f"{SVG_NS}svg"
        assert root.get("viewBox") == "0 0 24 24", name
        assert (root.get("stroke"), root.get("stroke-width"), root.get("fill")) == ("#37474F", "2", "none"), name
        assert "currentColor" not in icon_path(name).read_text()


def test_icons_are_cached(qapp):
    assert icon("play") is icon("play")
    assert app_icon() is app_icon()


def test_unknown_icon_name_is_a_clear_error(qapp):
    with pytest.raises(IconNotFound, match="unknown icon 'no-such-icon'"):
        icon("no-such-icon")
    with pytest.raises(IconNotFound):
        icon_path("../icons/play")
    with pytest.raises(IconNotFound):
        icon_path("")


@pytest.mark.parametrize("size", APP_ICON_SIZES)
def test_app_icon_png_exists_square_with_transparent_corners(size):
    image = QImage(str(icon_dir() / f"vigstudio-{size}.png"))
    assert not image.isNull()
    assert (image.width(), image.height()) == (size, size)
    assert image.hasAlphaChannel()
    assert image.pixelColor(0, 0).alpha() == 0  # rounded tile: the corner stays see-through
    assert image.pixelColor(size // 2, size // 2).alpha() == 255


def test_app_icon_offers_every_size(qapp):
    available = {s.width() for s in app_icon().availableSizes()}
    assert set(APP_ICON_SIZES) <= available
    assert not app_icon().pixmap(16, 16).isNull()


def test_committed_pngs_match_a_fresh_render_of_the_svg(qapp, tmp_path):
    """Catches an edited vigstudio.svg whose PNGs were not regenerated (packaging/render_icons.py)."""
    render_icons = _load_render_icons()
    sizes = (16, 64)
    render_icons.render_app_icons(out_dir=tmp_path, sizes=sizes)
    for size in sizes:
        fresh = QImage(str(tmp_path / f"vigstudio-{size}.png"))
        committed = QImage(str(icon_dir() / f"vigstudio-{size}.png"))
        diff = max(
            abs(QColor(fresh.pixel(x, y)).value() - QColor(committed.pixel(x, y)).value())
            for y in range(size) for x in range(size)
        )
        assert diff <= 8, f"vigstudio-{size}.png is stale: rerun packaging/render_icons.py"


def test_resolver_prefers_a_pyinstaller_bundle(qapp, tmp_path, monkeypatch):
    bundled = tmp_path / "resources" / "icons"
    bundled.mkdir(parents=True)
    for name in ("vigstudio.svg", "play.svg"):
        shutil.copy(REPO / "resources" / "icons" / name, bundled / name)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert icon_dir() == bundled
    assert icon_path("play") == bundled / "play.svg"
    assert not icon("play").pixmap(24, 24).isNull()
    with pytest.raises(IconNotFound, match=str(bundled)):
        icon_path("pause")  # not in this bundle: the error says where it looked


def test_resolver_falls_back_to_the_checkout_when_override_is_empty(tmp_path, monkeypatch):
    monkeypatch.setenv("VIGSTUDIO_ICON_DIR", str(tmp_path))
    assert icon_dir() == REPO / "resources" / "icons"


# --- style -----------------------------------------------------------------------------------------

def _luminance(hex_colour: str) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    colour = QColor(hex_colour)
    return 0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green()) + 0.0722 * channel(colour.blue())


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_colours_are_readable():
    assert _contrast(style.TEXT, style.SURFACE) >= 7
    assert _contrast(style.TEXT, style.BASE) >= 7
    assert _contrast(style.TEXT, style.ACCENT_SOFT) >= 7  # selected rows
    assert _contrast(style.MUTED, style.SURFACE) >= 4.5
    assert _contrast(style.ON_ACCENT, style.ACCENT) >= 4.5
    assert _contrast(style.DANGER, style.BASE) >= 4.5
    assert _contrast(style.REVIEW_TEXT, style.REVIEW_BACKGROUND) >= 7


@pytest.fixture
def styled_app(qapp):
    saved = (qapp.style().name(), QPalette(qapp.palette()), qapp.font(), qapp.styleSheet())
    style.apply_style(qapp)
    yield qapp
    name, palette, font, sheet = saved
    qapp.setStyleSheet(sheet)
    if name:
        qapp.setStyle(name)
    qapp.setPalette(palette)
    qapp.setFont(font)


def test_apply_style_sets_fusion_palette_and_font(styled_app):
    sheet = styled_app.styleSheet()
    assert "QPushButton[primary=\"true\"]" in sheet
    styled_app.setStyleSheet("")  # a style sheet wraps the style; look at the one underneath
    assert styled_app.style().name().lower() == "fusion"
    styled_app.setStyleSheet(sheet)
    assert styled_app.palette().color(QPalette.ColorRole.Window) == QColor(style.SURFACE)
    assert styled_app.palette().color(QPalette.ColorRole.Highlight) == QColor(style.ACCENT)
    assert 10 <= styled_app.font().pointSizeF() <= 11


def test_primary_button_is_drawn_in_the_accent_colour(styled_app, qtbot):
    plain, primary = QPushButton("Cancel"), QPushButton("Create library")
    primary.setProperty("primary", True)
    for button in (plain, primary):
        qtbot.addWidget(button)
        button.resize(160, 40)
        button.show()
    centre = (80, 8)  # inside the button, above the text
    assert primary.grab().toImage().pixelColor(*centre) == QColor(style.ACCENT)
    assert plain.grab().toImage().pixelColor(*centre) != QColor(style.ACCENT)
    style.set_flag(plain, "primary")  # after show(): re-polish picks the property up
    assert plain.grab().toImage().pixelColor(*centre) == QColor(style.ACCENT)


def test_review_palette_is_dark():
    palette = style.review_palette()
    assert palette.color(QPalette.ColorRole.Window).lightness() < 20
    assert palette.color(QPalette.ColorRole.WindowText).lightness() > 200
