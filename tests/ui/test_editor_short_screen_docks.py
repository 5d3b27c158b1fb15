# ruff: noqa: F811  (pytest fixtures imported from other test modules are redefined as arguments)
"""The right-hand column on a short screen: Principles, Session and Comments as tabs, each the
column's full height, so at 1366×768 the principles tree shows all six principles, every tag on the
clip shows, and the session notes get more than a line. On a tall screen they stay stacked; a layout
the user saved wins either way. Real library, real imported video, real widgets.

The offscreen test screen is 800 pixels tall, below `SHORT_SCREEN_HEIGHT`: a short screen as it is.
A tall screen is one at least `SHORT_SCREEN_HEIGHT` tall, so those tests lower the threshold to the
test screen's height rather than fake a screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QDockWidget, QTabBar

from tests.ui.test_editor_small_screen import LAPTOP, editor_with_clips  # noqa: F401 (fixture)
from tests.ui.test_editor_support import library, numbered_video, open_editor  # noqa: F401 (fixtures)
from vigstudio.ui.editor import chrome


def on_screen(dock: QDockWidget) -> bool:
    """Shown, not just "visible": a dock tabbed behind another is visible but has nothing on screen."""
    return dock.isVisible() and not dock.visibleRegion().isEmpty()


def right_column_tabs(window) -> QTabBar:
    [bar] = [b for b in window.findChildren(QTabBar)
             if b.isVisible() and [b.tabText(i) for i in range(b.count())] == ["Principles", "Session", "Comments"]]
    return bar


@pytest.fixture
def tall_screen(monkeypatch):
    """The test screen counts as tall: at least as tall as the threshold."""
    height = QApplication.primaryScreen().availableGeometry().height()
    monkeypatch.setattr(chrome, "SHORT_SCREEN_HEIGHT", height)


def test_on_a_laptop_screen_the_principles_get_the_whole_column(qtbot, editor_with_clips):
    window = editor_with_clips
    assert chrome.is_short_screen(window) and window.size() == LAPTOP
    assert set(window.tabifiedDockWidgets(window.principles_dock)) == {window.session_dock, window.supervision.dock}
    assert on_screen(window.principles_dock)
    assert not on_screen(window.session_dock) and not on_screen(window.supervision.dock)
    bar = right_column_tabs(window)
    assert bar.tabText(bar.currentIndex()) == "Principles"
    assert bar.shape() in (QTabBar.Shape.RoundedNorth, QTabBar.Shape.TriangularNorth)  # on top: read as tabs

    # tagging the clip "Turn-taking…" (two tags already): both tags show whole ...
    window.clips_panel.select_clip(window.data.clips[0].clip.id)
    principles = window.principles
    tags = principles.tags
    assert tags.count() == 2
    qtbot.waitUntil(lambda: all(tags.viewport().rect().contains(tags.visualItemRect(tags.item(i)))
                                for i in range(tags.count())))
    # ... and so do all six principles in the tree, none cut off, nothing to scroll to
    tree = principles.tree
    tops = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    assert [t.text(0).split()[0] for t in tops] == ["P1", "P2", "P3", "P4", "P5", "P6"]
    for top in tops:
        assert tree.viewport().rect().contains(tree.visualItemRect(top)), top.text(0)
    assert tree.verticalScrollBar().maximum() == 0
    assert not window.principles_dock.widget().needs_scrolling()


def test_the_session_panel_is_a_tab_away_and_its_notes_have_room(qtbot, editor_with_clips):
    window = editor_with_clips
    bar = right_column_tabs(window)
    session_tab = [bar.tabText(i) for i in range(bar.count())].index("Session")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(session_tab).center())
    qtbot.waitUntil(lambda: on_screen(window.session_dock))
    assert not on_screen(window.principles_dock)
    side = window.side
    assert side.question.isVisible() and side.notes.isVisible() and side.readiness.isVisible()
    lines = QFontMetrics(side.notes.font()).lineSpacing()
    assert side.notes.viewport().height() >= 8 * lines  # it was one line with the docks stacked
    assert not window.session_dock.widget().needs_scrolling()
    # and back to the principles
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(0).center())
    qtbot.waitUntil(lambda: on_screen(window.principles_dock))


def test_on_a_tall_screen_the_docks_stay_stacked(qtbot, tall_screen, library):
    service, session_id = library
    window = open_editor(qtbot, service, session_id)
    assert not chrome.is_short_screen(window)
    assert window.tabifiedDockWidgets(window.principles_dock) == []
    assert window.tabifiedDockWidgets(window.session_dock) == [window.supervision.dock]
    assert on_screen(window.principles_dock) and on_screen(window.session_dock)
    assert window.principles_dock.geometry().bottom() < window.session_dock.geometry().top()
    window.close()


def test_a_layout_the_user_saved_wins_over_the_short_screen_one(qtbot, library, monkeypatch):
    service, session_id = library
    with monkeypatch.context() as tall:
        tall.setattr(chrome, "SHORT_SCREEN_HEIGHT", QApplication.primaryScreen().availableGeometry().height())
        stacked = open_editor(qtbot, service, session_id)
        assert stacked.tabifiedDockWidgets(stacked.principles_dock) == []
        stacked.close()  # the stacked layout is saved
    again = open_editor(qtbot, service, session_id)
    assert chrome.is_short_screen(again)
    assert again.tabifiedDockWidgets(again.principles_dock) == []
    assert on_screen(again.principles_dock) and on_screen(again.session_dock)
    again.close()


def test_a_supervisor_on_a_short_screen_starts_on_the_comments_tab(qtbot, opened):
    _practice, supervisor, node = opened
    window = open_editor(qtbot, supervisor, node.session.id)
    assert set(window.tabifiedDockWidgets(window.principles_dock)) == {window.session_dock, window.supervision.dock}
    qtbot.waitUntil(lambda: on_screen(window.supervision.dock))
    assert window.supervision.panel.add_box.isVisible() and not on_screen(window.principles_dock)
    window.close()
