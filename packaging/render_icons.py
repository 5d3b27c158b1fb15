"""Render the app icon SVG to the PNG sizes desktops and PyInstaller want.

Run from anywhere (headless is fine): `.venv/bin/python packaging/render_icons.py`.
Writes resources/icons/vigstudio-<size>.png for every size in APP_ICON_SIZES, so the PNGs can always be
regenerated from resources/icons/vigstudio.svg after an edit.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Offscreen so this runs on build machines and CI without a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
APP_ICON_SVG = ICON_DIR / "vigstudio.svg"
APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def png_path(size: int, icon_dir: Path = ICON_DIR) -> Path:
    return icon_dir / f"vigstudio-{size}.png"


def render_svg(svg: Path, size: int) -> QImage:
    """Render `svg` into a transparent size×size image, antialiased."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"not a renderable SVG: {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def render_app_icons(svg: Path = APP_ICON_SVG, out_dir: Path = ICON_DIR,
                     sizes: tuple[int, ...] = APP_ICON_SIZES) -> list[Path]:
    """Write one PNG per size; returns the written paths."""
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # QImage/QPainter need one
    del app
    written = []
    for size in sizes:
        target = png_path(size, out_dir)
        if not render_svg(svg, size).save(str(target), "PNG"):
            raise OSError(f"could not write {target}")
        written.append(target)
    return written


def main() -> int:
    for path in render_app_icons():
        print(path.relative_to(ICON_DIR.parent.parent))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
