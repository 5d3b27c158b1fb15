"""The small things a new practitioner tripped over on the way from import to review, each checked on
the real widgets: sizes, texts that were cut, one name per clip, menus while locked, shortcuts."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from tests.app.test_review import make_review_session
from tests.ui.shell_support import nodes_of, open_window
from tests.ui.test_editor_support import open_editor
from tests.videos import make_video
from vigstudio.app import editing
from vigstudio.app.library import LibraryService
from vigstudio.domain.wording import counted
from vigstudio.ui.editor.chrome import first_size
from vigstudio.ui.library_model import NodeKind
from vigstudio.ui.review import install_review_actions, start_review
from vigstudio.ui.review.export_dialog import ExportDialog
from vigstudio.ui.review.picture import ReviewPicture
from vigstudio.ui.style import apply_style
from vigstudio.ui.supervision import install_supervision_menu

TITLE_BAR = 25  # what a window manager adds above the window on the laptop where the walk was tried


@pytest.fixture
def made(tmp_path, passphrase):
    service = LibraryService()
    service.create(tmp_path / "lib", passphrase)
    session = make_review_session(service, tmp_path)
    yield session
    service.close()


def luminance(colour: QColor) -> float:
    return 0.2126 * colour.red() + 0.7152 * colour.green() + 0.0722 * colour.blue()


def lightness_range(image: QImage) -> tuple[float, float]:
    values = [luminance(image.pixelColor(x, y)) for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)]
    return min(values), max(values)


def test_the_editor_first_opens_inside_the_screen_with_its_title_bar(qtbot, made):
    window = open_editor(qtbot, made.service, made.session_id)
    free = window.screen().availableGeometry()
    size = first_size(window)
    if window.minimumSizeHint().height() + TITLE_BAR <= free.height():
        assert size.height() + TITLE_BAR <= free.height()
    if window.minimumSizeHint().width() <= free.width():
        assert size.width() <= free.width()
    window.close()


def test_the_leave_review_box_shows_its_whole_message_after_a_wrong_passphrase(qtbot, made):
    mode = start_review(made.service, made.session_id)
    try:
        guard = mode.request_exit()
        qtbot.waitExposed(guard)
        height_before = guard.height()
        qtbot.keyClicks(guard.secret_edit, "not it")
        qtbot.keyClick(guard.secret_edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not guard.checking, timeout=10_000)
        status = guard.status
        assert status.text().startswith("That is not the PIN")
        assert status.heightForWidth(status.width()) <= status.height()  # every line of it shows
        assert guard.rect().contains(status.geometry())
        assert guard.height() == height_before  # the room was kept for it: the box does not jump
    finally:
        mode.end()


def test_a_clip_has_one_name_on_every_screen(qtbot, made, tmp_path):
    untitled = editing.add_clip(made.service, made.recording_id, 32, 40)  # the third clip in review order, no title
    window = open_editor(qtbot, made.service, made.session_id)
    mode = start_review(made.service, made.session_id, presenter=True)
    dialog = ExportDialog(made.service, made.session_id, folder=tmp_path)
    qtbot.addWidget(dialog)
    library = open_window(qtbot, made.service)
    try:
        names = {
            "editor list": window.clip_model.data(window.clip_model.index(2), Qt.ItemDataRole.DisplayRole),
            "library": next(n.label() for n in nodes_of(library, NodeKind.CLIP) if n.obj.id == untitled.id),
            "presenter": mode.presenter.model.data(mode.presenter.model.index(3), Qt.ItemDataRole.DisplayRole),
            "export": dialog.what_combo.itemText(4),
        }
        window.clips_panel.select_clip(untitled.id)
        names["principles"] = window.principles.target.text()
        assert all("Clip 3" in name for name in names.values()), names
        assert not any("ntitled" in name for name in names.values()), names
    finally:
        mode.end()
        window.close()


def test_the_principles_do_not_move_when_a_clip_is_selected(qtbot, made):
    window = open_editor(qtbot, made.service, made.session_id)
    tree = window.principles.tree
    top = tree.mapTo(window, tree.rect().topLeft()).y()
    window.clips_panel.select_clip(made.clip_ids[0])
    assert window.principles.target.text().startswith("Tagging")
    QApplication.processEvents()
    assert tree.mapTo(window, tree.rect().topLeft()).y() == top
    window.close()


def test_the_current_row_of_a_combo_box_list_is_readable(qtbot, made, tmp_path):
    apply_style(QApplication.instance())
    try:
        dialog = ExportDialog(made.service, made.session_id, folder=tmp_path)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.what_combo.setCurrentIndex(2)
        dialog.what_combo.showPopup()
        view = dialog.what_combo.view()
        qtbot.waitExposed(view)
        row = view.visualRect(view.model().index(2, 0))
        darkest, lightest = lightness_range(view.viewport().grab(row).toImage())
        assert lightest - darkest > 120  # dark text on the light selection, not white on it
        dialog.what_combo.hidePopup()
    finally:
        QApplication.instance().setStyleSheet("")  # (the style sheet would leak into other tests)


def test_the_speed_notice_reads_on_a_light_picture(qtbot):
    picture = ReviewPicture()
    qtbot.addWidget(picture)
    picture.resize(960, 540)
    white = np.full((540, 960, 3), 250, np.uint8)
    picture.set_frame(0, QImage(white.data, 960, 540, 960 * 3, QImage.Format.Format_RGB888).copy())
    picture.show_notice("¾ speed")
    box = picture.notice_rect()
    assert not box.isEmpty()
    darkest, lightest = lightness_range(picture.grab(box).toImage())
    assert darkest < 60 and lightest > 180  # light words on their own dark box


def test_counts_read_as_words():
    assert (counted(1, "still"), counted(0, "still"), counted(3, "clip")) == ("1 still", "0 stills", "3 clips")


def test_the_sharing_and_review_menus_are_greyed_out_while_locked(qtbot, made, passphrase):
    window = open_window(qtbot, made.service)
    install_review_actions(window)
    sharing = install_supervision_menu(window)
    review_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Review")
    window.lock()
    assert not sharing.menuAction().isEnabled() and not review_menu.menuAction().isEnabled()
    with qtbot.waitSignal(window.lock_changed, timeout=10_000):
        window.unlock(passphrase)
    assert sharing.menuAction().isEnabled() and review_menu.menuAction().isEnabled()


def test_ctrl_w_leaves_the_library_open_and_closing_it_asks_first(qtbot, made):
    window = open_window(qtbot, made.service)
    assert window.close_library_action.shortcut().toString() != "Ctrl+W"  # Ctrl+W closes an editor
    box = window.ask_close_library()
    assert isinstance(box, QMessageBox) and box.isVisible()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert made.service.is_open
    box = window.ask_close_library()
    with qtbot.waitSignal(window.library_closed):
        next(b for b in box.buttons() if b.text() == "Close library").click()
    assert not made.service.is_open


def test_a_drop_beside_the_rows_imports_into_the_selected_session_as_the_menu_does(qtbot, made, tmp_path):
    window = open_window(qtbot, made.service)
    [session] = nodes_of(window, NodeKind.SESSION)
    assert window.tree.select_key(session.key)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(make_video(tmp_path / "second-camera.mp4", frames=12)))])
    below_the_rows = window.tree.viewport().mapTo(window, window.tree.viewport().rect().bottomLeft()) - \
        window.tree.viewport().rect().topLeft()
    event = QDropEvent(QPointF(below_the_rows.x() + 40, below_the_rows.y() - 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    qtbot.waitUntil(lambda: len(nodes_of(window, NodeKind.RECORDING)) == 2 and not window.tasks, timeout=30_000)
    assert len(nodes_of(window, NodeKind.SESSION)) == 1  # into the selected session, not a new one


def test_the_public_key_shows_from_its_start(qtbot, made):
    from vigstudio.ui.supervision import PublicKeyDialog

    dialog = PublicKeyDialog(None, made.service)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    edit = dialog.key_edit
    # shown from its start (the contact card begins with its kind and the age1 key), not scrolled to its end
    assert edit.text().startswith("vigcard1:age1") and edit.cursorPosition() == 0
    start = edit.text()[:12]
    assert edit.fontMetrics().horizontalAdvance(start) < edit.width()
    assert isinstance(dialog.findChild(QLabel), QLabel)


def test_the_session_tabs_readiness_line_is_whole(qtbot, made):
    window = open_editor(qtbot, made.service, made.session_id)
    window.session_dock.raise_()
    line = window.side.readiness
    qtbot.waitUntil(line.isVisible)
    summary = window.data.readiness().summary()
    assert line.text() == summary and "…" not in line.text()  # wrapped, never cut short
    assert line.heightForWidth(line.width()) <= line.height()
    window.close()
