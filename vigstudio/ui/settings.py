"""GUI preferences in QSettings: library paths and the idle-lock delay, nothing about any family.

The file lives in the platformdirs config folder, resolved on every call (not through Qt's
per-process cached default path), so tests that point XDG_CONFIG_HOME elsewhere stay isolated.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from PySide6.QtCore import QSettings

ORGANIZATION = "VIG Studio"
APPLICATION = "VIG Studio"
DEFAULT_IDLE_MINUTES = 5
MAX_RECENT = 5

_RECENT_KEY = "library/recent"
_IDLE_KEY = "autolock/idle_minutes"


def gui_settings() -> QSettings:
    path = Path(platformdirs.user_config_dir("vigstudio")) / "gui.ini"
    return QSettings(str(path), QSettings.Format.IniFormat)


def recent_libraries() -> list[str]:
    value = gui_settings().value(_RECENT_KEY, [])
    if isinstance(value, str):  # QSettings returns a lone string for a one-item list in ini files
        value = [value]
    return [str(p) for p in value or [] if p]


def last_library() -> str | None:
    recent = recent_libraries()
    return recent[0] if recent else None


def remember_library(path: str) -> None:
    """Only the folder path is kept; the most recent first."""
    path = str(Path(path).resolve())
    recent = [path] + [p for p in recent_libraries() if p != path]
    settings = gui_settings()
    settings.setValue(_RECENT_KEY, recent[:MAX_RECENT])
    settings.sync()


def idle_minutes() -> int:
    try:
        minutes = int(gui_settings().value(_IDLE_KEY, DEFAULT_IDLE_MINUTES))
    except (TypeError, ValueError):
        minutes = DEFAULT_IDLE_MINUTES
    return max(1, minutes)


def set_idle_minutes(minutes: int) -> None:
    settings = gui_settings()
    settings.setValue(_IDLE_KEY, max(1, int(minutes)))
    settings.sync()
