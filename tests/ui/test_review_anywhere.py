"""F5 starts the review from wherever the practitioner is; Ctrl+L locks from every window.

Real library window, real editor (opened the way a double-click opens it), real review windows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.app.test_review import make_review_session
from tests.ui.shell_support import open_window
from tests.videos import make_video
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService
from vigstudio.ui.library_model import NodeKind
from vigstudio.ui.review import install_review_actions
from vigstudio.ui.review.presenter import PresenterWindow
from vigstudio.ui.review.review_window import ReviewWindow


@pytest.fixture
def made(tmp_path, passphrase):
    service = LibraryService()
    service.create(tmp_path / "lib", passphrase)
    session = make_review_session(service, tmp_path)
    # a newer session of the same case with nothing to show yet
    import_recording(service, "F-014", make_video(tmp_path / "later.mp4", frames=12))
    yield session
    service.close()


@pytest.fixture
def window(qtbot, made):
    window = open_window(qtbot, made.service)
    install_review_actions(window)
    yield window
    if window.review_mode is not None:
        window.review_mode.end()


def node(window, kind: NodeKind, index: int = 0):
    return [n for n in window.model.all_nodes() if n.kind == kind][index]


def family_data_on_screen() -> list:
    """Top-level windows showing anything of the family (everything but the locked library window)."""
    return [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.objectName() != "mainWindow"]


def test_f5_in_the_editor_starts_the_review_of_its_session(qtbot, window, made):
    editor = window.editor_launcher.open(made.session_id)
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitActive(editor)
    assert any(a.shortcut().toString() == "F5" for a in editor.chrome.toolbar.actions())  # a toolbar button too
    session_menu = editor.menuBar().actions()[0].menu()
    assert "Start shared review" in [a.text() for a in session_menu.actions()]
    qtbot.keyClick(editor.timeline, Qt.Key.Key_F5)
    mode = window.review_mode
    assert mode is not None and mode.controller.session_id == made.session_id
    qtbot.waitExposed(mode.family)
    assert mode.family.isFullScreen()
    # nothing of the practitioner's behind the family view for Alt+Tab to bring up
    assert not editor.isVisible() and not window.isVisible()
    assert [w for w in family_data_on_screen() if not isinstance(w, ReviewWindow)] == []
    guard = mode.request_exit()
    qtbot.keyClicks(guard.secret_edit, "correct horse battery staple")
    qtbot.keyClick(guard.secret_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.review_mode is None)
    assert editor.isVisible() and window.isVisible()  # back where the practitioner was


def test_f5_on_a_case_reviews_its_latest_session_with_something_to_show(qtbot, window, made):
    assert window.tree.select_key(node(window, NodeKind.CASE).key)
    qtbot.keyClick(window.tree, Qt.Key.Key_F5)
    assert window.review_mode is not None and window.review_mode.controller.session_id == made.session_id


def test_f5_on_a_clip_starts_the_review_at_that_clip(qtbot, window, made):
    clips = [n for n in window.model.all_nodes() if n.kind == NodeKind.CLIP]
    assert [c.label() for c in clips] == ["Turning", "Waiting"]  # the names every screen uses
    assert window.tree.select_key(clips[1].key)
    qtbot.keyClick(window.tree, Qt.Key.Key_F5)
    mode = window.review_mode
    assert mode.controller.current.id == made.clip_ids[1]


def test_f5_on_an_empty_session_says_so_and_starts_nothing(qtbot, window, made):
    later = node(window, NodeKind.SESSION, 1)
    assert later.obj.id != made.session_id
    assert window.tree.select_key(later.key)
    qtbot.keyClick(window.tree, Qt.Key.Key_F5)
    assert window.review_mode is None


def test_ctrl_l_in_the_editor_locks_and_closes_it(qtbot, window, made):
    editor = window.editor_launcher.open(made.session_id)
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitActive(editor)
    qtbot.keyClick(editor.timeline, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    qtbot.waitUntil(lambda: family_data_on_screen() == [])
    assert window.editor_launcher.editors == {}


@pytest.mark.parametrize("where", ["family", "presenter", "strip words", "exit guard"])
def test_ctrl_l_during_the_review_closes_every_review_window_and_locks(qtbot, window, made, where):
    from vigstudio.ui.review.actions import begin_review

    mode = begin_review(window, made.session_id, presenter=True)
    qtbot.waitExposed(mode.family)
    target = {"family": lambda: mode.family, "presenter": lambda: mode.presenter.words_edit,
              "strip words": lambda: (mode.family.strip.write_words(), mode.family.strip.words_edit)[1],
              "exit guard": lambda: mode.request_exit().secret_edit}[where]()
    qtbot.keyClick(target, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked and window.review_mode is None
    qtbot.waitUntil(lambda: family_data_on_screen() == [])
    assert window.isVisible() and window.stack.currentIndex() == window.LOCKED
    assert not [w for w in QApplication.topLevelWidgets()
                if isinstance(w, ReviewWindow | PresenterWindow) and w.isVisible()]


def test_ctrl_l_in_a_dialog_locks(qtbot, window):
    dialog = window.open_settings()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog.minutes_spin, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_f5_on_the_demo_runs_its_review_at_once(qtbot, tmp_path):
    from PySide6.QtCore import QModelIndex

    from vigstudio.app.demo import create_demo_library

    service = LibraryService()
    create_demo_library(service, tmp_path / "demo", seconds=3.0)
    try:
        window = open_window(qtbot, service)
        install_review_actions(window)
        window.tree.setCurrentIndex(QModelIndex())  # as it opens: nothing chosen yet

        def active() -> bool:
            window.activateWindow()
            return QApplication.activeWindow() is window

        qtbot.waitUntil(active)
        window.tree.setFocus()
        qtbot.keyClick(window.tree, Qt.Key.Key_F5)  # one key press
        mode = window.review_mode
        assert mode is not None and len(mode.controller.items) == 6
        qtbot.waitExposed(mode.family)
        qtbot.waitUntil(lambda: mode.family.picture.frame_index() is not None)
        assert mode.family.picture.caption() == "Turning towards each other"
        mode.end()
    finally:
        service.close()


def test_the_shortcut_sheets_name_f5_and_ctrl_l(qtbot, window):
    from vigstudio.ui.dialogs import ShortcutsDialog
    from vigstudio.ui.main_window import menu_shortcut_actions
    from vigstudio.ui.shortcuts import spec

    sheet = ShortcutsDialog(window, menu_shortcut_actions(window))
    qtbot.addWidget(sheet)
    keys = dict(sheet.rows)
    assert keys.get("F5", "").startswith("Start shared review") and "Ctrl+L" in keys and "Ctrl+Shift+W" in keys
    assert spec("start_review").keys == ("F5",) and spec("lock").keys == ("Ctrl+L",)  # the editor's sheet
