"""The family's review screen and the presenter, driven like a practitioner and a clicker would."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QMenuBar, QToolBar, QWidget

from tests.app.test_review import make_review_session
from tests.videos import read_frame_number
from vigstudio.app import review
from vigstudio.app.library import LibraryService
from vigstudio.ui.review import start_review
from vigstudio.ui.review.controller import SPEEDS
from vigstudio.ui.review.presenter import PresenterWindow
from vigstudio.ui.review.review_window import ReviewWindow


def image_number(image: QImage) -> int:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), np.uint8, image.bytesPerLine() * height).reshape(height, -1)
    return read_frame_number(rows[:, : width * 3].reshape(height, width, 3))


@pytest.fixture
def made(tmp_path, passphrase):
    service = LibraryService()
    service.create(tmp_path / "lib", passphrase)
    session = make_review_session(service, tmp_path)
    yield session
    service.close()


@pytest.fixture
def mode(qtbot, made):
    mode = start_review(made.service, made.session_id, presenter=True)
    yield mode
    mode.end()  # (the windows delete themselves when the review ends)


def shows(mode, frame: int):
    """The family screen shows exactly `frame` (its number read from the picture itself)."""
    picture = mode.family.picture
    return picture.frame_index() == frame and image_number(picture.image()) == frame


def review_windows_shown() -> list:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, (ReviewWindow, PresenterWindow)) and w.isVisible()]


def press(qtbot, mode, key):
    qtbot.keyClick(mode.family, key)


def test_review_opens_full_screen_on_the_first_item(qtbot, mode, made):
    qtbot.waitExposed(mode.family)
    assert mode.family.isFullScreen()
    assert mode.controller.index == 0 and mode.controller.current.id == made.clip_ids[0]
    qtbot.waitUntil(lambda: shows(mode, 20))  # the first frame of "Turning", paused
    assert mode.family.picture.caption() == "Turning"
    qtbot.waitUntil(lambda: mode.family.cursor_hidden, timeout=5000)  # the pointer goes after a moment
    # no chrome: no menus, toolbars, buttons or fields that could lead anywhere (the presenter
    # strip's unseen words box only when the practitioner calls the strip up)
    assert [w for w in mode.family.findChildren(QWidget) if w.isVisible()
            and isinstance(w, (QMenuBar, QToolBar, QAbstractButton, QLineEdit))] == []
    assert [w for w in mode.family.findChildren(QWidget) if isinstance(w, (QMenuBar, QToolBar, QAbstractButton))] == []


def test_keys_move_through_the_playlist_and_a_still_is_its_exact_frame(qtbot, mode, made):
    qtbot.waitUntil(lambda: shows(mode, 20))
    press(qtbot, mode, Qt.Key.Key_Right)
    assert mode.controller.current.id == made.still_ids[0]
    qtbot.waitUntil(lambda: shows(mode, 24))
    assert mode.family.picture.caption() == "She turns to you"
    press(qtbot, mode, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: shows(mode, 4))
    press(qtbot, mode, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: shows(mode, 40))
    press(qtbot, mode, Qt.Key.Key_PageDown)  # already the last item: stays
    assert mode.controller.index == 3
    press(qtbot, mode, Qt.Key.Key_PageUp)
    qtbot.waitUntil(lambda: shows(mode, 4))
    press(qtbot, mode, Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: shows(mode, 24))
    press(qtbot, mode, Qt.Key.Key_T)  # captions off
    assert mode.family.picture.caption() == ""
    assert mode.presenter.model.current_row == 1


def test_up_and_down_change_the_speed_in_steps(qtbot, mode):
    assert mode.controller.speed == 1.0
    seen = []
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Up):
        press(qtbot, mode, key)
        seen.append(mode.controller.speed)
    assert seen == [0.75, 0.5, 0.25, 0.25, 0.5]
    assert mode.controller._player.speed == 0.5
    assert set(seen) <= set(SPEEDS)
    assert mode.presenter.speed_label.text() == "½ speed"


def test_a_clip_plays_to_its_last_frame_and_pauses_there(qtbot, mode):
    qtbot.waitUntil(lambda: shows(mode, 20))
    shown = []
    mode.controller.frameChanged.connect(lambda index, _image: shown.append(index))
    press(qtbot, mode, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: bool(shown) and shown[-1] == 29 and not mode.controller.playing, timeout=10_000)
    qtbot.wait(200)  # nothing after the clip's end comes later
    assert max(shown) == 29 and shows(mode, 29)
    assert shown == sorted(shown) and min(shown) >= 20
    press(qtbot, mode, Qt.Key.Key_Space)  # at the end: plays the clip again from its start
    qtbot.waitUntil(lambda: not mode.controller.playing and shown.count(29) == 2, timeout=10_000)
    assert 20 in shown[shown.index(29):]


def test_loop_and_replay_stay_inside_the_clip(qtbot, mode):
    qtbot.waitUntil(lambda: shows(mode, 20))
    shown = []
    mode.controller.frameChanged.connect(lambda index, _image: shown.append(index))
    press(qtbot, mode, Qt.Key.Key_L)
    assert mode.controller.loop and mode.family.picture.notice() == "Loop on"
    press(qtbot, mode, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: 29 in shown and 20 in shown[shown.index(29):], timeout=10_000)  # round again
    assert mode.controller.playing
    press(qtbot, mode, Qt.Key.Key_L)  # loop off: this round ends on the last frame
    qtbot.waitUntil(lambda: not mode.controller.playing, timeout=10_000)
    assert shown[-1] == 29 and all(20 <= n <= 29 for n in shown)
    press(qtbot, mode, Qt.Key.Key_R)  # replay from the first frame
    qtbot.waitUntil(lambda: not mode.controller.playing and shown.count(20) >= 3, timeout=10_000)
    assert all(20 <= n <= 29 for n in shown)


def test_nothing_from_other_cases_is_in_the_review(qtbot, made, tmp_path):
    (tmp_path / "other").mkdir()
    other = make_review_session(made.service, tmp_path / "other", code="F-020")
    mode = start_review(made.service, made.session_id, presenter=True)
    try:
        assert {(i.kind, i.id) for i in mode.controller.items} == {
            *(("clip", c) for c in made.clip_ids), *(("still", s) for s in made.still_ids)}
        assert not {("clip", c) for c in other.clip_ids} & {(i.kind, i.id) for i in mode.controller.items}
        assert mode.presenter.model.rowCount() == 4
        texts = [w.text() for w in mode.presenter.findChildren(QLabel)] + [mode.presenter.windowTitle()]
        assert not any("F-020" in t for t in texts)
    finally:
        mode.end()


def test_esc_asks_for_the_pin_and_only_the_right_one_leaves(qtbot, mode, made, passphrase):
    review.set_pin(made.service, "2580")
    ended = []
    mode.ended.connect(lambda: ended.append(True))
    press(qtbot, mode, Qt.Key.Key_Escape)
    guard = mode.guard
    assert guard is not None and guard.isVisible()
    assert "review PIN" in guard.prompt.text()
    qtbot.keyClicks(guard.secret_edit, "1111")
    qtbot.keyClick(guard.secret_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "not the PIN" in guard.status.text())
    assert mode.family.isVisible() and not ended
    qtbot.keyClick(guard, Qt.Key.Key_Escape)  # stay in review
    assert not guard.isVisible() and mode.family.isVisible()

    mode.family.close()  # closing the window is leaving too: it asks again
    guard = mode.guard
    assert guard.isVisible() and mode.family.isVisible()
    qtbot.keyClicks(guard.secret_edit, "2580")
    qtbot.keyClick(guard.secret_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ended == [True])
    assert not mode.active and not review_windows_shown()


def test_the_passphrase_also_leaves(qtbot, mode, passphrase):
    guard = mode.request_exit()
    qtbot.keyClicks(guard.secret_edit, passphrase)
    guard.leave_button.click()
    qtbot.waitUntil(lambda: not mode.active)


def test_presenter_saves_the_parents_words_with_the_moment(qtbot, mode, made, passphrase):
    presenter = mode.presenter
    qtbot.waitUntil(lambda: shows(mode, 20))
    assert "P3" in presenter.tags_label.text() and "P2" in presenter.tags_label.text()
    assert "What did you see her do here?" in presenter.prompts_label.text()
    qtbot.keyClicks(presenter.words_edit, "She knows my voice")
    qtbot.keyClick(presenter.words_edit, Qt.Key.Key_Return)
    assert presenter.words_edit.text() == ""
    presenter.next_button.click()  # to the still
    qtbot.waitUntil(lambda: shows(mode, 24))
    qtbot.keyClicks(presenter.words_edit, "I did wait")
    qtbot.keyClick(presenter.words_edit, Qt.Key.Key_Return)
    assert presenter.reflections_list.count() == 2
    latest = presenter.reflections_list.item(0).text()  # the latest first, saying which still
    assert latest.startswith("“I did wait” — still “") and "frame 24" in latest
    saved = review.reflections(made.service, made.session_id)
    assert [(r.text, r.clip_id, r.still_id, r.frame) for r in saved] == [
        ("She knows my voice", made.clip_ids[0], None, 20),
        ("I did wait", made.clip_ids[0], made.still_ids[0], 24)]
