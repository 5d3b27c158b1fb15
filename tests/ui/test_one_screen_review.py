"""One screen: the family view fills it, the presenter window never appears behind it, and the
practitioner's aid is the strip inside the family window (P), whose words box writes unseen (W).
Two screens: see test_review_screens.py (a child process with two virtual screens)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

from tests.app.test_review import make_review_session
from vigstudio.app import review
from vigstudio.app.library import LibraryService
from vigstudio.ui.review import start_review
from vigstudio.ui.review.presenter import PresenterWindow


@pytest.fixture
def made(tmp_path, passphrase):
    service = LibraryService()
    service.create(tmp_path / "lib", passphrase)
    session = make_review_session(service, tmp_path)
    yield session
    service.close()


@pytest.fixture
def mode(qtbot, made):
    assert len(QGuiApplication.screens()) == 1  # the offscreen platform's one screen
    mode = start_review(made.service, made.session_id)  # the screens decide
    qtbot.waitExposed(mode.family)
    yield mode
    mode.end()


def texts_on(widget) -> str:
    return " ".join([label.text() for label in widget.findChildren(QLabel) if label.isVisible()]
                    + [edit.text() for edit in widget.findChildren(QLineEdit)
                       if edit.isVisible() and edit.echoMode() == QLineEdit.EchoMode.Normal])


def test_one_screen_has_no_presenter_window_to_alt_tab_to(qtbot, mode):
    assert mode.one_screen and mode.family.isFullScreen()
    assert mode.presenter is None
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, PresenterWindow) and w.isVisible()]
    assert not mode.family.strip.isVisible()  # off until the practitioner asks


def test_p_calls_up_the_strip_at_the_bottom_edge_and_p_sends_it_away(qtbot, mode):
    qtbot.keyClick(mode.family, Qt.Key.Key_P)
    strip = mode.family.strip
    assert strip.isVisible()
    assert strip.geometry().bottom() == mode.family.rect().bottom()  # at the edge
    assert strip.height() < mode.family.height() // 10  # discreet
    assert strip.geometry().top() >= mode.family.picture.geometry().bottom()  # the picture makes room
    assert "Item 1 of 4" in texts_on(strip)
    qtbot.keyClick(mode.family, Qt.Key.Key_Right)  # the family's keys still work with the strip up
    assert "Item 2 of 4" in texts_on(strip)
    qtbot.keyClick(mode.family, Qt.Key.Key_P)
    assert not strip.isVisible()


def test_w_writes_the_parents_words_without_showing_them(qtbot, mode, made):
    qtbot.waitUntil(lambda: mode.controller.current_frame == 20)
    qtbot.keyClick(mode.family, Qt.Key.Key_W)
    strip = mode.family.strip
    assert strip.isVisible() and strip.words_edit.hasFocus()
    said = "She knows my voice"
    qtbot.keyClicks(strip.words_edit, said)
    assert strip.words_edit.echoMode() == QLineEdit.EchoMode.Password
    assert said not in texts_on(mode.family)
    assert said not in mode.family.strip.words_edit.displayText()
    qtbot.keyClick(strip.words_edit, Qt.Key.Key_Return)
    assert strip.words_edit.text() == "" and "Saved (4 words)" in texts_on(strip)
    assert said not in texts_on(mode.family)  # nothing of the words is shown back
    assert mode.family.hasFocus()  # the keys are the review's again
    saved = review.reflections(made.service, made.session_id)
    assert [(r.text, r.clip_id, r.frame) for r in saved] == [(said, made.clip_ids[0], 20)]


def test_esc_in_the_words_box_gives_the_keys_back_without_asking_to_leave(qtbot, mode):
    qtbot.keyClick(mode.family, Qt.Key.Key_W)
    qtbot.keyClick(mode.family.strip.words_edit, Qt.Key.Key_Escape)
    assert mode.guard is None and mode.family.hasFocus()
    qtbot.keyClick(mode.family, Qt.Key.Key_Space)  # the review's keys work again
    assert mode.controller.playing


def test_asking_for_the_presenter_on_one_screen_still_works(qtbot, made):
    mode = start_review(made.service, made.session_id, presenter=True)  # "Start review on…", ticked
    try:
        assert mode.presenter is not None and mode.presenter.isVisible()
    finally:
        mode.end()
