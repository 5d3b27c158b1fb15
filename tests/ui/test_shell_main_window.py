"""The library window: empty state, cases, import (menu path, drag and drop, cancel, bad file)."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from tests.ui.shell_support import labels_in_tree, make_library, nodes_of, open_window
from tests.videos import make_broken, make_video
from vigstudio.app.cases import add_case, find_case
from vigstudio.app.importing import import_recording
from vigstudio.app.recordings import open_recording_media
from vigstudio.app.tree import library_tree
from vigstudio.domain.model import ReferralSource
from vigstudio.ui.dialogs import ChooseCaseDialog, NewCaseDialog
from vigstudio.ui.library_model import NodeKind
from vigstudio.ui.main_window import MainWindow


def _ok(dialog) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def _containers(service) -> list:
    return sorted(p.name for p in (service.path / "media").glob("*")) if (service.path / "media").exists() else []


def _add_case_through_dialog(qtbot, window: MainWindow, code: str) -> None:
    dialog = window.new_case()
    assert isinstance(dialog, NewCaseDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.code_edit, code)
    dialog.referral_combo.setCurrentIndex(dialog.referral_combo.findData(ReferralSource.MIDWIFERY))
    _ok(dialog)
    qtbot.waitUntil(lambda: any(code in label for label in labels_in_tree(window)), timeout=5000)


def _select(window: MainWindow, kind: NodeKind, number: int = 0) -> None:
    node = nodes_of(window, kind)[number]
    window.tree.setCurrentIndex(window.model.index_for_key(node.key))


def test_a_new_library_shows_the_empty_state(qtbot, tmp_path, passphrase):
    window = open_window(qtbot, make_library(tmp_path / "lib", passphrase))
    assert window.stack.currentWidget() is window.empty_state
    assert window.empty_state.title.text() == "Import a recording to begin"
    assert window.empty_state.import_button.isVisible() and window.empty_state.add_case_button.isVisible()
    assert not window.demo_banner.isVisible()
    assert window.windowTitle() == "VIG Studio — lib"


def test_add_a_case_through_the_dialog(qtbot, tmp_path, passphrase):
    service = make_library(tmp_path / "lib", passphrase)
    window = open_window(qtbot, service)
    qtbot.mouseClick(window.empty_state.add_case_button, Qt.MouseButton.LeftButton)
    dialog = window.active_dialog
    assert isinstance(dialog, NewCaseDialog)
    dialog.reject()

    _add_case_through_dialog(qtbot, window, "F-014")
    assert window.stack.currentWidget() is window.splitter  # the empty state has gone
    assert find_case(service, "F-014").referral == ReferralSource.MIDWIFERY
    # The new case is selected and described.
    assert window.current_node().obj.code == "F-014"
    assert "Case F-014" in window.details.text() and "Midwifery" in window.details.text()

    # The same code again is refused inline; the dialog stays open.
    dialog = window.new_case()
    dialog.code_edit.setText("f-014")
    _ok(dialog)
    assert dialog.isVisible() and "already exists" in dialog.error_label.text()


def test_import_a_recording_through_the_menu_path(qtbot, tmp_path, passphrase, monkeypatch):
    service = make_library(tmp_path / "lib", passphrase, ("F-014", "F-015"))
    window = open_window(qtbot, service)
    video = make_video(tmp_path / "filming day.mp4", frames=30)
    _select(window, NodeKind.CASE, 1)

    task = window.import_files([str(video)])  # what the menu does after its file dialog
    assert task is not None
    with qtbot.waitSignal(task.finished, timeout=30000):
        pass
    qtbot.waitUntil(lambda: len(nodes_of(window, NodeKind.RECORDING)) == 1, timeout=5000)
    (recording,) = nodes_of(window, NodeKind.RECORDING)
    assert recording.case().code == "F-015"
    assert recording.parent.kind == NodeKind.SESSION and recording.parent.parent.kind == NodeKind.CYCLE
    assert recording.obj.file_name == "filming day.mp4"
    # The new recording is selected, its details show its frames.
    assert window.current_node().key == recording.key
    assert "30" in window.details.text() and "filming day.mp4" in window.details.text()
    assert "Imported filming day.mp4 into case F-015" in window.statusBar().currentMessage()

    # Importing with the session selected adds to that session.
    _select(window, NodeKind.SESSION)
    task = window.import_files([str(make_video(tmp_path / "second.mp4", frames=12))])
    with qtbot.waitSignal(task.finished, timeout=30000):
        pass
    qtbot.waitUntil(lambda: len(nodes_of(window, NodeKind.RECORDING)) == 2, timeout=5000)
    assert len(nodes_of(window, NodeKind.SESSION)) == 1

    # Activating a recording hands its session and recording ids to the editor launcher.
    opened = []
    monkeypatch.setattr(window.editor_launcher, "open",
                        lambda session_id, recording_id: opened.append((session_id, recording_id)))
    window.tree.activated.emit(window.model.index_for_key(recording.key))
    assert opened == [(recording.obj.session_id, recording.obj.id)]


def test_import_without_a_case_asks_which_case(qtbot, tmp_path, passphrase):
    service = make_library(tmp_path / "lib", passphrase)
    window = open_window(qtbot, service)
    video = make_video(tmp_path / "a.mp4", frames=12)

    # No case yet: the user is asked to add one first, then the import runs.
    assert window.import_files([str(video)]) is None
    dialog = window.active_dialog
    assert isinstance(dialog, NewCaseDialog)
    dialog.code_edit.setText("F-001")
    _ok(dialog)
    qtbot.waitUntil(lambda: len(nodes_of(window, NodeKind.RECORDING)) == 1 and not window.tasks, timeout=30000)
    assert nodes_of(window, NodeKind.RECORDING)[0].case().code == "F-001"

    # With cases but no selection: choose one from the list.
    add_case(service, "F-002")
    qtbot.waitUntil(lambda: len(nodes_of(window, NodeKind.CASE)) == 2, timeout=5000)
    window.tree.clearSelection()
    window.tree.setCurrentIndex(window.model.index(-1, 0))
    assert window.import_files([str(video)]) is None
    chooser = window.active_dialog
    assert isinstance(chooser, ChooseCaseDialog)
    chooser.combo.setCurrentIndex(chooser.combo.findData("F-002"))
    _ok(chooser)
    qtbot.waitUntil(lambda: len(nodes_of(window, NodeKind.RECORDING)) == 2 and not window.tasks, timeout=30000)
    assert sorted(r.case().code for r in nodes_of(window, NodeKind.RECORDING)) == ["F-001", "F-002"]


def test_drop_a_video_onto_a_case(qtbot, tmp_path, passphrase):
    service = make_library(tmp_path / "lib", passphrase, ("F-014", "F-015"))
    window = open_window(qtbot, service)
    video = make_video(tmp_path / "dropped.mov", frames=12)
    target = window.model.index_for_key(nodes_of(window, NodeKind.CASE)[0].key)
    point = window.tree.viewport().mapTo(window, window.tree.visualRect(target).center())
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(video))])
    event = QDropEvent(QPointF(point), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert event.isAccepted() and window.tasks
    qtbot.waitUntil(lambda: len(nodes_of(window, NodeKind.RECORDING)) == 1 and not window.tasks, timeout=30000)
    assert nodes_of(window, NodeKind.RECORDING)[0].case().code == "F-014"


def test_an_unusable_file_gives_a_clear_message_and_adds_nothing(qtbot, tmp_path, passphrase):
    service = make_library(tmp_path / "lib", passphrase, ("F-014",))
    window = open_window(qtbot, service)
    broken = make_broken("text", tmp_path / "notes.mp4")
    task = window.import_files([str(broken)], case_code="F-014")
    with qtbot.waitSignal(task.finished, timeout=30000):
        pass
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1 and boxes[0].windowTitle() == "Import failed"
    assert "notes.mp4" in boxes[0].text() and "Nothing was added" in boxes[0].text()
    assert not nodes_of(window, NodeKind.RECORDING) and not nodes_of(window, NodeKind.SESSION)
    assert _containers(service) == []


def test_cancel_an_import_adds_nothing(qtbot, tmp_path, passphrase):
    service = make_library(tmp_path / "lib", passphrase, ("F-014",))
    window = open_window(qtbot, service)
    video = make_video(tmp_path / "long.mp4", frames=120)
    task = window.import_files([str(video)], case_code="F-014")
    # Cancel right at the first progress report, on the worker's own thread, so the import cannot
    # finish first however slow the machine (the Cancel button's path is tested with the runner).
    task.progressed.connect(task.cancel, Qt.ConnectionType.DirectConnection)
    with qtbot.waitSignal(task.finished, timeout=30000):
        pass
    assert task.cancelled
    assert "cancelled" in window.statusBar().currentMessage()
    assert not [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert library_tree(service)[0].sessions() == []
    assert _containers(service) == []


def test_change_the_passphrase_through_the_dialog(qtbot, tmp_path, passphrase):
    service = make_library(tmp_path / "lib", passphrase, ("F-014",))
    window = open_window(qtbot, service)
    dialog = window.change_passphrase()
    dialog.old_edit.setText(passphrase)
    dialog.new_edit.setText("too short")
    dialog.repeat_edit.setText("too short")
    _ok(dialog)
    assert "at least 10 characters" in dialog.error_label.text()

    new = "a brand new passphrase"
    dialog.old_edit.setText("not the old one")
    dialog.new_edit.setText(new)
    dialog.repeat_edit.setText(new)
    _ok(dialog)
    qtbot.waitUntil(lambda: bool(dialog.error_label.text()), timeout=10000)
    assert "wrong passphrase" in dialog.error_label.text().lower() and dialog.isVisible()

    dialog.old_edit.setText(passphrase)
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        _ok(dialog)
    assert "Passphrase changed" in window.statusBar().currentMessage()
    window.lock("Locked.")
    task = window.unlock(new)
    with qtbot.waitSignal(task.finished, timeout=10000):
        pass
    assert not window.locked


def test_check_library_reports_no_damage(qtbot, tmp_path, passphrase):
    service = make_library(tmp_path / "lib", passphrase, ("F-014",))
    import_recording(service, "F-014", make_video(tmp_path / "a.mp4", frames=12))
    window = open_window(qtbot, service)
    task = window.check_library()
    with qtbot.waitSignal(task.finished, timeout=30000):
        pass
    (box,) = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert box.windowTitle() == "Library check" and "2 encrypted files" in box.text()
    assert "no damage" in box.text()


def test_back_up_from_the_library_menu(qtbot, tmp_path, passphrase, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from vigstudio.app.backup import restore
    from vigstudio.app.library import LibraryService

    service = make_library(tmp_path / "lib", passphrase, ("F-014",))
    window = open_window(qtbot, service)
    assert window.backup_action in window.menuBar().actions()[0].menu().actions()
    out = tmp_path / "lib.vigbackup"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    task = window.choose_backup_file()
    with qtbot.waitSignal(task.finished, timeout=30000):
        pass
    assert out.is_file()
    restore(out, tmp_path / "copy", passphrase)
    with LibraryService() as copy:
        copy.open(tmp_path / "copy", passphrase)
        assert [c.case.code for c in library_tree(copy)] == ["F-014"]


def test_every_action_with_a_shortcut_is_in_the_f1_list(qtbot, tmp_path, passphrase):
    """The library window's key list is made from its registered actions (the review and sharing
    menus' too), in the menus' order; the tree's Enter / double-click is the one line of its own."""
    from PySide6.QtGui import QAction

    from vigstudio.ui.app import install_features
    from vigstudio.ui.dialogs import ShortcutsDialog
    from vigstudio.ui.shortcuts import sequences_text

    window = open_window(qtbot, make_library(tmp_path / "lib", passphrase))
    install_features(window)
    window.shortcuts_action.trigger()
    dialog = window.active_dialog
    assert isinstance(dialog, ShortcutsDialog) and dialog.isVisible()
    with_keys = [a for a in window.findChildren(QAction) if any(not s.isEmpty() for s in a.shortcuts())]
    assert len(with_keys) >= 10
    for action in with_keys:
        label = action.text().replace("&", "").rstrip("…")
        assert (sequences_text(action.shortcuts()), label) in dialog.rows, label
    keys = [k for k, _what in dialog.rows]
    assert keys[:3] == ["Ctrl+N", "Ctrl+I", "Ctrl+E"] and {"F5", "Ctrl+Shift+E", "F1"} <= set(keys)
    assert dialog.rows[-1] == ("Enter / double-click", "Open the selected session")


def test_a_file_with_two_camera_tracks_asks_which_one(qtbot, tmp_path, passphrase):
    from tests.app.test_importing import _dual_camera_file
    from tests.videos import read_frame_number
    from vigstudio.ui.dialogs import ChooseTrackDialog

    service = make_library(tmp_path / "lib", passphrase, ("F-014",))
    window = open_window(qtbot, service)
    dual = _dual_camera_file(tmp_path / "two cameras.mp4")
    plain = make_video(tmp_path / "plain.mp4", frames=12)
    assert window.import_files([str(plain), str(dual)], case_code="F-014") is None
    dialog = window.active_dialog
    assert isinstance(dialog, ChooseTrackDialog)
    assert dialog.combo.count() == 2 and "128×96" in dialog.combo.itemText(1)
    dialog.combo.setCurrentIndex(1)
    _ok(dialog)
    qtbot.waitUntil(lambda: len(nodes_of(window, NodeKind.RECORDING)) == 2 and not window.tasks, timeout=30000)
    shown = {}
    for node in nodes_of(window, NodeKind.RECORDING):
        with open_recording_media(service, node.obj.id) as media:
            shown[node.obj.file_name] = read_frame_number(media.frame(3))
    assert shown == {"plain.mp4": 3, "two cameras.mp4": 1003}

    # Cancelling the question imports nothing.
    assert window.import_files([str(dual)], case_code="F-014") is None
    window.active_dialog.reject()
    assert "cancelled" in window.statusBar().currentMessage()
    assert len(nodes_of(window, NodeKind.RECORDING)) == 2


def test_no_two_actions_share_a_key_and_the_window_has_one_edit_menu(qtbot, tmp_path, passphrase):
    """Features that edit from the library window share one undo history: a second Ctrl+Z action
    would make Qt's shortcut ambiguous, and it would fire neither."""
    from collections import Counter

    from PySide6.QtGui import QAction

    from vigstudio.ui.app import install_features

    window = open_window(qtbot, make_library(tmp_path / "lib", passphrase))
    install_features(window)
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus.count("&Edit") == 1 and menus.index("&Edit") == 1
    keys = Counter(s.toString() for a in window.findChildren(QAction) for s in a.shortcuts() if not s.isEmpty())
    assert [key for key, n in keys.items() if n > 1] == []
    assert window.www_undo.stack is window.undo_stack is window.caseload_undo.stack
