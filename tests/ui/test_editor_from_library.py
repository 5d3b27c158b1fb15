"""Opening the editor from the library window (double-click or Ctrl+E), one per session, and closing
it when the library locks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.shell_support import library_with_recording, nodes_of, open_window
from vigstudio.ui.editor import EditorWindow
from vigstudio.ui.editor.launcher import EditorLauncher
from vigstudio.ui.library_model import NodeKind


def launcher_of(window) -> EditorLauncher:
    existing = window.findChildren(EditorLauncher)
    return existing[0] if existing else EditorLauncher(window)


def editors() -> list[EditorWindow]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, EditorWindow) and w.isVisible()]


def test_double_click_and_ctrl_e_open_the_sessions_editor(qtbot, tmp_path, passphrase):
    service = library_with_recording(tmp_path, passphrase)
    window = open_window(qtbot, service)
    launcher = launcher_of(window)
    [session] = nodes_of(window, NodeKind.SESSION)
    [recording] = nodes_of(window, NodeKind.RECORDING)

    window.tree.activated.emit(window.model.index_for_key(session.key))  # a double-click
    [editor] = editors()
    assert launcher.editors == {session.obj.id: editor}
    qtbot.waitUntil(lambda: editor.view.frame_index() == 0)
    assert editor.recording.id == recording.obj.id

    window.tree.activated.emit(window.model.index_for_key(recording.key))
    assert editors() == [editor]  # the same editor, raised; not a second one

    with qtbot.waitSignal(editor.closed):
        editor.close()
    assert launcher.editors == {} and editors() == []
    def back_to_library() -> bool:  # the closed editor's window goes away asynchronously
        window.activateWindow()
        return QApplication.activeWindow() is window

    qtbot.waitUntil(back_to_library)
    window.tree.setCurrentIndex(window.model.index_for_key(recording.key))
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    [again] = editors()
    assert again is not editor and again.recording.id == recording.obj.id
    again.close()

def test_ctrl_e_without_a_session_says_what_to_select(qtbot, tmp_path, passphrase):
    service = library_with_recording(tmp_path, passphrase)
    window = open_window(qtbot, service)
    launcher = launcher_of(window)
    [case] = nodes_of(window, NodeKind.CASE)
    window.tree.setCurrentIndex(window.model.index_for_key(case.key))
    assert launcher.open_current() is None
    assert "Select a session" in window.statusBar().currentMessage()
    assert editors() == []


def test_locking_the_library_closes_its_editors(qtbot, tmp_path, passphrase):
    service = library_with_recording(tmp_path, passphrase)
    window = open_window(qtbot, service)
    launcher = launcher_of(window)
    [session] = nodes_of(window, NodeKind.SESSION)
    editor = launcher.open(session.obj.id)
    qtbot.waitUntil(lambda: editor.view.frame_index() == 0)
    with qtbot.waitSignal(editor.closed):
        window.lock("Locked.")
    assert editors() == [] and launcher.editors == {}
    assert launcher.open(session.obj.id) is None  # nothing opens while locked
