# ruff: noqa: F811  (pytest fixtures imported from the support module are redefined as arguments)
"""The editor on a 1366×768 clinic laptop: the window's minimum fits the screen less its decorations,
and at 1366×768 every transport control is shown whole, side by side, with the side panels scrolling
rather than pushing the picture, transport and timeline off the screen. Real library, real imported
video with clips, tags and stills."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QLabel, QWidget

from tests.ui.test_editor_support import library, numbered_video, open_editor  # noqa: F401 (fixtures)
from vigstudio.app import editing
from vigstudio.ui.editor.chrome import DockScroller

LAPTOP = QSize(1366, 768)
# What a 1366×768 screen leaves for a window: less a taskbar and a title bar.
MOST_WIDTH, MOST_HEIGHT = 1280, 700


@pytest.fixture
def editor_with_clips(qtbot, library):
    service, session_id = library
    recording = editing.recordings_of_session(service, session_id)[0]
    turning = editing.add_clip(service, recording.id, 10, 30, "Turn-taking with the stacking cups, and a long look")
    waiting = editing.add_clip(service, recording.id, 40, 60, "She waits")
    editing.tag_clip(service, turning.id, "P4", text="Giving and taking short turns")
    editing.tag_clip(service, turning.id, "P1")
    editing.tag_clip(service, waiting.id, "P2", text="You waited.")
    editing.add_still(service, recording.id, 20, "Your turn, my turn — you both enjoyed it")
    editing.add_still(service, recording.id, 50, "You waited, and she turned to you")
    editing.set_helping_question(service, editing.cycle_of_session(service, session_id).id,
                                "I'd like to enjoy playtime with Maya more, and not feel rushed.")
    window = open_editor(qtbot, service, session_id)
    window.resize(LAPTOP)
    qtbot.waitUntil(lambda: window.size() == LAPTOP)
    yield window
    window.close()


def _in(widget: QWidget, ancestor: QWidget) -> QRect:
    """`widget`'s rectangle in `ancestor`'s coordinates."""
    return QRect(widget.mapTo(ancestor, widget.rect().topLeft()), widget.size())


def test_the_minimum_size_fits_a_laptop_screen(editor_with_clips):
    window = editor_with_clips
    minimum = window.minimumSizeHint()
    assert minimum.width() <= MOST_WIDTH and minimum.height() <= MOST_HEIGHT, minimum
    assert window.transport.minimumSizeHint().width() < 800  # it was 874 with the wide read-outs


def test_every_transport_control_is_whole_and_apart_at_1366x768(editor_with_clips):
    window = editor_with_clips
    bar = window.transport
    assert _in(bar, window).bottom() < window.statusBar().geometry().top()
    assert window.timeline.isVisible() and window.timeline.height() >= window.timeline.minimumSizeHint().height()
    controls = [w for w in bar.findChildren(QWidget) if w.parentWidget() is bar and not w.isHidden()]
    buttons = [bar.start_button, bar.second_back_button, bar.step_back_button, bar.play_button,
               bar.step_forward_button, bar.second_forward_button, bar.end_button, bar.speed_button,
               bar.mute_button]
    assert set(buttons) <= set(controls)
    for control in controls:
        assert control.isVisible(), control.objectName()
        assert bar.rect().contains(control.geometry()), control.objectName()
        hint = control.minimumSizeHint()
        assert control.width() >= hint.width() and control.height() >= hint.height(), control.objectName()
    for button in buttons:
        assert button.toolTip(), button.objectName()  # icon buttons say what they do (and the key)
    for label in (w for w in controls if isinstance(w, QLabel)):
        assert label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width(), label.text()
    for a, b in itertools.combinations(controls, 2):
        assert not a.geometry().intersects(b.geometry()), (a.objectName(), b.objectName())


def test_side_panels_sit_beside_the_picture_and_scroll_rather_than_clip(editor_with_clips):
    window = editor_with_clips
    centre = window.centralWidget().geometry()
    # Shown docks (a dock tabbed behind another is "visible" but has nothing on screen).
    docks = [d for d in window.findChildren(QDockWidget) if d.isVisible() and not d.visibleRegion().isEmpty()]
    assert {window.clips_dock, window.principles_dock} <= set(docks)  # (the stills: a tab behind the clips)
    for dock in docks:
        assert window.rect().contains(dock.geometry()), dock.objectName()
        assert not dock.geometry().intersects(centre), dock.objectName()
        scroller = dock.widget()
        assert isinstance(scroller, DockScroller)
        panel = scroller.panel()
        # The panel is never squeezed below what it needs: when the dock is smaller, it scrolls.
        assert panel.width() >= panel.minimumSizeHint().width(), dock.objectName()
        assert panel.height() >= panel.minimumSizeHint().height(), dock.objectName()
        if panel.height() > scroller.viewport().height():
            assert scroller.verticalScrollBar().isVisible(), dock.objectName()
        if panel.width() > scroller.viewport().width():
            assert scroller.horizontalScrollBar().isVisible(), dock.objectName()
    # The Principles panel is where tagging happens: at 1366×768 it shows whole, without scrolling.
    assert not window.principles_dock.widget().needs_scrolling()


def test_a_short_window_scrolls_the_side_panels(qtbot, editor_with_clips):
    window = editor_with_clips
    short = QSize(MOST_WIDTH, 480)
    window.resize(short)
    qtbot.waitUntil(lambda: window.size() == short)
    window.stills_dock.raise_()  # (a tab of the whole left column on a short screen: it may fit)
    stills = window.stills_dock.widget()
    assert stills.panel().height() >= stills.panel().minimumSizeHint().height()
    scrollers = [window.principles_dock.widget()]
    qtbot.waitUntil(lambda: all(s.needs_scrolling() for s in scrollers))
    for scroller in scrollers:
        panel = scroller.panel()
        assert panel.height() >= panel.minimumSizeHint().height()
        assert scroller.verticalScrollBar().isVisible() and scroller.verticalScrollBar().maximum() > 0
    assert _in(window.transport, window).bottom() < window.statusBar().geometry().top()


def test_the_clip_and_still_lists_show_more_than_two_rows_and_a_half(qtbot, editor_with_clips):
    """On a short screen the clips and the stills are tabs of the left column, each its full height."""
    window = editor_with_clips
    clips_view = window.clips_panel.findChild(QAbstractItemView)
    row = clips_view.visualRect(clips_view.model().index(0, 0)).height()
    assert clips_view.viewport().height() >= 4 * row  # room for four clips at least (it showed 2½)
    window.marking.take_still()  # taking a still brings its tab forward, the caption ready to type
    qtbot.waitUntil(lambda: window.stills_dock.visibleRegion().isEmpty() is False)
    stills_view = window.stills.findChild(QAbstractItemView)
    row = stills_view.visualRect(stills_view.model().index(0, 0)).height()
    assert stills_view.viewport().height() >= 3 * row
    window.marking.mark_in()
    window.playback.step(2)
    window.marking.mark_out()
    window.marking.make_clip()  # making a clip brings the clips back
    qtbot.waitUntil(lambda: not window.clips_dock.visibleRegion().isEmpty())
