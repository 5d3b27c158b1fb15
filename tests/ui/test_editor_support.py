"""Helpers for the editor tests: a real library in tmp_path with a numbered video imported through
the app, a real editor window, keys sent the way a person types them. (No tests in here.)"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from tests.videos import make_video, read_frame_number
from vigstudio.app import editing
from vigstudio.app.cases import add_case
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService
from vigstudio.ui.editor import EditorWindow
from vigstudio.ui.style import apply_style

FRAMES = 75  # 3 s at 25 fps
FPS = 25


@pytest.fixture(scope="module")
def numbered_video(tmp_path_factory) -> Path:
    return make_video(tmp_path_factory.mktemp("videos") / "visit.mp4", frames=FRAMES, fps=FPS, audio="aac")


def make_library(folder: Path, passphrase: str, video: Path) -> tuple[LibraryService, int]:
    """A new library with one case and the video imported through the app's import use case."""
    service = LibraryService()
    service.create(folder, passphrase)
    add_case(service, "F-014", referral="health_visitor")
    recording = import_recording(service, "F-014", video)
    return service, recording.session_id


@pytest.fixture
def library(tmp_path, passphrase, numbered_video):
    service, session_id = make_library(tmp_path / "lib", passphrase, numbered_video)
    yield service, session_id
    service.close()


def open_editor(qtbot, service: LibraryService, session_id: int) -> EditorWindow:
    apply_style(QApplication.instance())
    window = EditorWindow(service, session_id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.waitUntil(lambda: window.view.frame_index() == 0)
    window.timeline.setFocus()
    return window


@pytest.fixture
def editor_window(qtbot, library):
    service, session_id = library
    window = open_editor(qtbot, service, session_id)
    yield window
    window.close()


def shown_number(window: EditorWindow) -> int:
    """The number drawn into the picture the view shows (not what any label claims)."""
    image = window.view.image().convertToFormat(QImage.Format.Format_RGB888)
    height, width = image.height(), image.width()
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(height, image.bytesPerLine())
    return read_frame_number(rows[:, : width * 3].reshape(height, width, 3))


def wait_for_frame(qtbot, window: EditorWindow, frame: int) -> None:
    qtbot.waitUntil(lambda: window.view.frame_index() == frame)
    assert shown_number(window) == frame


class Hands:
    """Sends keys and clicks as a person would, counting each action (typing a text counts once)."""

    def __init__(self, qtbot, window: EditorWindow):
        self.qtbot, self.window, self.count = qtbot, window, 0

    def target(self) -> QWidget:
        return QApplication.focusWidget() or self.window

    def key(self, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier, times: int = 1) -> None:
        for _ in range(times):
            self.qtbot.keyClick(self.target(), key, modifier)
            self.count += 1

    def type(self, text: str) -> None:
        self.qtbot.keyClicks(self.target(), text)
        self.count += 1

    def click(self, widget: QWidget, pos: QPoint | None = None) -> None:
        if pos is None:
            pos = widget.rect().center()
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
        self.count += 1

    def double_click(self, widget: QWidget, pos: QPoint) -> None:
        # A real double-click starts with a press and release (item views need that press).
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
        self.qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)
        self.count += 1

    def click_timeline_at(self, frame: int) -> None:
        timeline = self.window.timeline
        thumbs = timeline.lanes.thumbs  # a scrub area (the clip lane would select a clip instead)
        y = round((thumbs.top + thumbs.bottom) / 2)
        self.click(timeline, QPoint(round(timeline.frame_center_x(frame)), y))


def library_state(service: LibraryService, session_id: int) -> dict:
    """What the library holds for the session, read back through the app."""
    return {
        "clips": [(c.clip, c.annotations) for c in editing.clips_of_session(service, session_id)],
        "stills": editing.stills_of_session(service, session_id),
        "markers": editing.markers_of_session(service, session_id),
        "notes": editing.get_session(service, session_id).notes,
        "question": editing.cycle_of_session(service, session_id).helping_question,
    }
