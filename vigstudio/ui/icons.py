"""The app icon and the action icons, found wherever VIG Studio runs from.

Icons live in `resources/icons/` at the repository root (a source checkout or `pip install -e .`) and in
`<bundle>/resources/icons/` inside a PyInstaller build (`sys._MEIPASS`). `VIGSTUDIO_ICON_DIR` overrides
both (for packagers that put the icons elsewhere).

    from vigstudio.ui.icons import icon, app_icon
    button.setIcon(icon("play"))
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from vigstudio.domain.errors import VigError

#: Every action icon the UI may ask for (a test renders each one).
ACTION_ICONS: tuple[str, ...] = (
    "import", "add-case", "play", "pause", "step-back", "step-forward", "skip-back", "skip-forward",
    "mark-in", "mark-out", "clip", "still", "marker", "tag", "lock", "unlock", "export", "review",
    "undo", "redo", "zoom-in", "zoom-out", "delete", "settings", "help", "volume", "mute", "fullscreen",
    "exit-fullscreen", "comment", "bundle", "demo",
    # shell and editor helpers
    "add", "remove", "close", "check", "search", "folder-open", "library", "save", "recording",
    "session", "case", "cycle", "loop", "speed", "warning", "info",
)
APP_ICON_NAME = "vigstudio"
APP_ICON_SIZES: tuple[int, ...] = (16, 24, 32, 48, 64, 128, 256, 512)

_cache: dict[str, QIcon] = {}


class IconNotFound(VigError):
    """An icon name the program asked for has no SVG (a programming or packaging error)."""

    def __init__(self, name: str, where: Path):
        super().__init__(f"unknown icon {name!r}: no {name}.svg in {where}")
        self.name = name


class IconFolderMissing(VigError):
    def __init__(self, tried: list[Path]):
        super().__init__("icon folder not found; looked in " + ", ".join(str(p) for p in tried))


def _candidate_dirs() -> list[Path]:
    candidates = []
    override = os.environ.get("VIGSTUDIO_ICON_DIR")
    if override:
        candidates.append(Path(override))
    bundle = getattr(sys, "_MEIPASS", None)  # set by PyInstaller's bootloader
    if bundle:
        candidates.append(Path(bundle) / "resources" / "icons")
    # vigstudio/ui/icons.py -> repository root (source checkout, editable install)
    candidates.append(Path(__file__).resolve().parents[2] / "resources" / "icons")
    return candidates


def icon_dir() -> Path:
    """The folder holding the icon files; raises `IconFolderMissing` if none of the places has it."""
    tried = _candidate_dirs()
    for candidate in tried:
        if (candidate / f"{APP_ICON_NAME}.svg").is_file():
            return candidate
    raise IconFolderMissing(tried)


def icon_path(name: str) -> Path:
    """Path of `<name>.svg`; raises `IconNotFound` for a name with no file."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise IconNotFound(name, icon_dir())
    folder = icon_dir()
    path = folder / f"{name}.svg"
    if not path.is_file():
        raise IconNotFound(name, folder)
    return path


def icon(name: str) -> QIcon:
    """A cached QIcon for an action icon (SVG, sharp at any size and device pixel ratio)."""
    cached = _cache.get(name)
    if cached is None:
        cached = QIcon(str(icon_path(name)))
        _cache[name] = cached
    return cached


def app_icon() -> QIcon:
    """The application icon with every pre-rendered PNG size (crisp at 16 px) plus the SVG."""
    cached = _cache.get(APP_ICON_NAME)
    if cached is None:
        folder = icon_dir()
        cached = QIcon()
        for size in APP_ICON_SIZES:
            png = folder / f"{APP_ICON_NAME}-{size}.png"
            if png.is_file():
                cached.addFile(str(png), QSize(size, size))
        cached.addFile(str(folder / f"{APP_ICON_NAME}.svg"))
        _cache[APP_ICON_NAME] = cached
    return cached


def clear_cache() -> None:
    """Forget cached icons (e.g. after VIGSTUDIO_ICON_DIR changed)."""
    _cache.clear()
