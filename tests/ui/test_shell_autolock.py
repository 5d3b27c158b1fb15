"""Auto-lock and Ctrl+L: the lock screen hides every family detail until the passphrase is entered."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from tests.ui.shell_support import (
    labels_in_tree,
    library_with_recording,
    nodes_of,
    open_window,
    visible_texts,
)
from tests.videos import make_video
from vigstudio.ui import settings
from vigstudio.ui.autolock import IdleWatcher
from vigstudio.ui.library_model import NodeKind


def _assert_nothing_about_the_family(window) -> None:
    assert window.stack.currentWidget() is window.lock_screen
    assert not window.tree.isVisible() and not window.details.isVisible()
    assert window.model.rowCount() == 0
    assert not window.toolbar.isVisible()
    texts = visible_texts(window)
    assert "locked" in window.windowTitle()
    assert not [t for t in texts if "F-014" in t or "filming" in t], texts
    assert all(not (a.isEnabled()) for a in window.library_actions)


def test_idle_timeout_locks_and_the_passphrase_unlocks(qtbot, tmp_path, passphrase):
    service = library_with_recording(tmp_path, passphrase)
    window = open_window(qtbot, service, idle_timeout_ms=150)
    recording = nodes_of(window, NodeKind.RECORDING)[0]
    window.tree.setCurrentIndex(window.model.index_for_key(recording.key))
    assert "filming.mp4" in window.details.text()

    qtbot.waitUntil(lambda: window.locked, timeout=5000)
    _assert_nothing_about_the_family(window)
    assert not service.is_open  # the key is dropped while locked

    # A wrong passphrase is shown on the lock screen; still locked.
    window.lock_screen.passphrase_edit.setText("not the passphrase")
    with qtbot.waitSignal(window.lock_screen.unlock_requested):
        qtbot.keyClick(window.lock_screen.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(window.lock_screen.error_label.text()), timeout=10000)
    assert "Wrong passphrase" in window.lock_screen.error_label.text()
    assert window.locked
    _assert_nothing_about_the_family(window)

    # The right one brings everything back, including the selection.
    window.lock_screen.passphrase_edit.setText(passphrase)
    with qtbot.waitSignal(window.lock_changed, timeout=10000) as changed:
        qtbot.mouseClick(window.lock_screen.unlock_button, Qt.MouseButton.LeftButton)
    assert changed.args == [False]
    assert service.is_open and window.stack.currentWidget() is window.splitter
    assert any("F-014" in label for label in labels_in_tree(window))
    assert window.current_node().key == recording.key
    assert window.idle_watcher.active  # counting again


def test_input_restarts_the_idle_countdown(qtbot, tmp_path, passphrase):
    service = library_with_recording(tmp_path, passphrase)
    window = open_window(qtbot, service, idle_timeout_ms=3_000)
    timer = window.idle_watcher._timer
    for send_input in (lambda: qtbot.keyClick(window.tree, Qt.Key.Key_Down),
                       lambda: qtbot.mouseClick(window.tree.viewport(), Qt.MouseButton.LeftButton)):
        qtbot.waitUntil(lambda: timer.remainingTime() < 2_700, timeout=5000)
        send_input()
        assert timer.remainingTime() > 2_700
    assert not window.locked


def test_ctrl_l_locks_at_once(qtbot, tmp_path, passphrase):
    service = library_with_recording(tmp_path, passphrase)
    window = open_window(qtbot, service)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    qtbot.keyClick(window.tree, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    _assert_nothing_about_the_family(window)


def test_locking_closes_open_dialogs(qtbot, tmp_path, passphrase):
    service = library_with_recording(tmp_path, passphrase)
    window = open_window(qtbot, service)
    dialog = window.new_case()
    dialog.code_edit.setText("F-099")
    assert dialog.isVisible()
    window.lock_action.trigger()
    assert window.locked
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]
    _assert_nothing_about_the_family(window)


def test_idle_minutes_come_from_the_settings_dialog(qtbot, tmp_path, passphrase):
    service = library_with_recording(tmp_path, passphrase)
    window = open_window(qtbot, service)
    assert window.idle_watcher.timeout_ms == settings.DEFAULT_IDLE_MINUTES * 60_000
    dialog = window.open_settings()
    dialog.minutes_spin.setValue(12)
    dialog.accept()
    assert settings.idle_minutes() == 12
    assert window.idle_watcher.timeout_ms == 12 * 60_000


def test_idle_watcher_counts_from_the_last_input(qtbot):
    watcher = IdleWatcher(100)
    watcher.start()
    with qtbot.waitSignal(watcher.idle, timeout=5000):
        pass
    watcher.stop()
    assert not watcher.active


def test_locking_during_an_import_lets_it_finish_unseen(qtbot, tmp_path, passphrase):
    service = library_with_recording(tmp_path, passphrase)
    window = open_window(qtbot, service)
    task = window.import_files([str(make_video(tmp_path / "second visit.mp4", frames=48))], case_code="F-014")
    window.lock("Locked.")
    assert not task.dialog.isVisible()
    assert service.is_open  # the import still needs the library
    with qtbot.waitSignal(task.finished, timeout=30000):
        pass
    assert not service.is_open  # closed as soon as the work was done
    _assert_nothing_about_the_family(window)
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]

    task = window.unlock(passphrase)
    with qtbot.waitSignal(task.finished, timeout=10000):
        pass
    assert not window.locked
    assert len(nodes_of(window, NodeKind.RECORDING)) == 2
    assert "Imported second visit.mp4 into case F-014" in window.statusBar().currentMessage()
