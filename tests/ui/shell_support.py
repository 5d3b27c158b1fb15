"""Helpers for the GUI shell tests: real libraries in tmp_path, real windows, no mocks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget

from tests.videos import make_video
from vigstudio.app.cases import add_case
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService
from vigstudio.ui.library_model import NodeKind
from vigstudio.ui.main_window import MainWindow


def styled_app() -> QApplication:
    """The test QApplication. The app style is left alone: a global stylesheet set here would leak
    into other tests of the session."""
    return QApplication.instance()


def make_library(path: Path, passphrase: str, cases: tuple[str, ...] = ()) -> LibraryService:
    service = LibraryService()
    service.create(path, passphrase)
    for code in cases:
        add_case(service, code, referral="health_visitor")
    return service


def library_with_recording(tmp_path: Path, passphrase: str, code: str = "F-014") -> LibraryService:
    service = make_library(tmp_path / "lib", passphrase, (code,))
    video = make_video(tmp_path / "filming.mp4", frames=24)
    import_recording(service, code, video)
    return service


def open_window(qtbot, service: LibraryService, **kwargs) -> MainWindow:
    styled_app()
    window = MainWindow(service, **kwargs)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def labels_in_tree(window: MainWindow) -> list[str]:
    return [node.label() for node in window.model.all_nodes()]


def nodes_of(window: MainWindow, kind: NodeKind):
    return [node for node in window.model.all_nodes() if node.kind == kind]


def visible_texts(root: QWidget) -> list[str]:
    """Every text a person could read on screen inside `root` (labels, fields, window title)."""
    texts = [root.windowTitle()]
    for widget in root.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel):
            texts.append(widget.text())
        elif isinstance(widget, QLineEdit) and widget.echoMode() == QLineEdit.EchoMode.Normal:
            texts.append(widget.text())
    return texts
