"""A WWW session in the real editor: the observations lane on the timeline, the list beside the picture,
clicks that jump to the frame, undoable coding, and the quiet session clock."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt

from tests.ui.test_editor_support import numbered_video, open_editor, wait_for_frame  # noqa: F401
from vigstudio.app.cases import add_case
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService
from vigstudio.app.www import courses, observations, wonder


@pytest.fixture
def www_library(tmp_path, passphrase, numbered_video):  # noqa: F811
    service = LibraryService()
    service.create(tmp_path / "lib", passphrase)
    add_case(service, "F-021")
    course = courses.add_intervention(service, "F-021", "www")
    session = courses.add_session(service, course.id, dt.date.today(), attendees=["mother"])
    recording = import_recording(service, "F-021", numbered_video, session_id=session.id)
    yield service, session.id, recording.id
    service.close()


def test_observations_show_in_their_lane_and_jump_to_their_frame(qtbot, www_library):
    service, session_id, recording_id = www_library
    reach = observations.add_observation(service, recording_id, 20, "I-REACH", end_frame=30, text="reaches")
    window = open_editor(qtbot, service, session_id)
    try:
        assert window.observations_dock.isVisible()
        lanes = window.timeline.lanes
        assert lanes.observations is not None and lanes.clips.bottom <= lanes.observations.top < lanes.thumbs.top
        assert [o.id for o in window.timeline.observations] == [reach.id]
        assert "WWW course" in window.windowTitle()
        assert not window.side.question.isVisible()  # no VIG cycle, no helping question
        # a click on the observation in its lane jumps to its first frame
        x = int(window.timeline.frame_center_x(25))
        y = int(lanes.observations.top + lanes.observations.height / 2)
        qtbot.mouseClick(window.timeline, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
        wait_for_frame(qtbot, window, 20)
        assert "I-REACH" in window.timeline.tooltip_at(x, y)

        # code the frame on screen as a response to the selected initiative, from the panel
        window.playback.seek(33)
        wait_for_frame(qtbot, window, 33)
        panel = window.observations_panel
        panel.select(reach.id)
        panel.code.setCurrentIndex(panel.code.findData("M-FOLLOW"))
        panel.text.setText("follows")
        qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(window.timeline.observations) == 2)
        follow = observations.observations_of_session(service, session_id)[1]
        assert (follow.frame, follow.end_frame, follow.code, follow.text, follow.responds_to) == (
            33, None, "M-FOLLOW", "follows", reach.id)
        assert panel.list.count() == 2

        # a click in the list jumps too
        window.playback.seek(0)
        wait_for_frame(qtbot, window, 0)
        item = panel.list.item(1)
        panel.list.scrollToItem(item)
        qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton,
                         pos=panel.list.visualItemRect(item).center())
        wait_for_frame(qtbot, window, 33)

        # undo / redo through the editor's one stack
        window.undo_action.trigger()
        qtbot.waitUntil(lambda: len(window.timeline.observations) == 1)
        window.redo_action.trigger()
        qtbot.waitUntil(lambda: len(window.timeline.observations) == 2)
        assert observations.get_observation(service, follow.id).responds_to == reach.id  # same id back
        # an in–out range becomes a range observation; deleting is undoable too
        window.playback.seek(40)
        wait_for_frame(qtbot, window, 40)
        window.marking.mark_in()
        window.playback.seek(44)
        wait_for_frame(qtbot, window, 44)
        window.marking.mark_out()
        shared = window.add_observation("SHARED")
        assert (shared.frame, shared.end_frame) == (40, 45)
        panel.select(shared.id)
        panel.delete_button.click()
        qtbot.waitUntil(lambda: len(observations.observations_of_session(service, session_id)) == 2)
        window.undo_action.trigger()
        qtbot.waitUntil(lambda: len(observations.observations_of_session(service, session_id)) == 3)
        assert window.undo_stack.undoText().startswith("Add observation SHARED")
    finally:
        window.close()


def test_the_session_clock_counts_quietly_in_two_halves(qtbot, www_library):
    service, session_id, _ = www_library
    window = open_editor(qtbot, service, session_id)
    try:
        row = window.observations_panel.clock_row
        assert row.reading.text() == "Clock: Watch · 00:00 · 30:00 left"
        row.first.setValue(20)
        row.second.setValue(25)
        assert row.reading.text() == "Clock: Watch · 00:00 · 20:00 left"
        row.toggle()
        assert row.clock.running and row.start_button.text() == "Pause"
        row.to_second_half()
        text = row.reading.text()
        assert text.startswith("Clock: Wonder · 00:0") and ("25:00 left" in text or "24:59 left" in text)
        row.toggle()
        assert row.start_button.text() == "Resume"
        row.reset()
        assert row.reading.text() == "Clock: Watch · 00:00 · 20:00 left"
    finally:
        window.close()


def test_a_vig_session_keeps_its_helping_question_and_no_lane(qtbot, tmp_path, passphrase, numbered_video):  # noqa: F811
    service = LibraryService()
    service.create(tmp_path / "lib", passphrase)
    try:
        add_case(service, "F-014")
        recording = import_recording(service, "F-014", numbered_video)
        window = open_editor(qtbot, service, recording.session_id)
        try:
            assert not window.observations_dock.isVisible() and window.wonder_dock.isHidden()
            assert window.timeline.lanes.observations is None
            assert window.side.question.isVisible()
        finally:
            window.close()
    finally:
        service.close()


def test_wonder_notes_in_the_editor_link_jump_and_undo(qtbot, www_library):
    service, session_id, recording_id = www_library
    reach = observations.add_observation(service, recording_id, 20, "I-REACH")
    window = open_editor(qtbot, service, session_id)
    try:
        panel = window.wonder_panel
        assert not window.wonder_dock.isHidden()
        # her words about the selected observation
        window.observations_panel.select(reach.id)
        panel.kind.setCurrentIndex(panel.kind.findData("mother_observed"))
        panel.link.setCurrentIndex(panel.link.findData("observation"))
        panel.text.setText("he wanted the ball")
        qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.list.count() == 1)
        notes = wonder.notes_of_session(service, session_id)
        assert [(n.kind.value, n.text, n.observation_id) for n in notes] == [
            ("mother_observed", "he wanted the ball", reach.id)]
        # a theme from the catalogue, about the frame on screen
        window.playback.seek(40)
        wait_for_frame(qtbot, window, 40)
        panel.kind.setCurrentIndex(panel.kind.findData("theme"))
        assert not panel.theme.isHidden()
        panel.theme.setCurrentIndex(panel.theme.findData("T-PLAY"))
        panel.link.setCurrentIndex(panel.link.findData("frame"))
        panel._add()
        qtbot.waitUntil(lambda: panel.list.count() == 2)
        theme = wonder.notes_of_session(service, session_id)[1]
        assert (theme.theme, theme.recording_id, theme.frame) == ("T-PLAY", recording_id, 40)
        assert "Play and enjoyment" in panel.list.item(1).text()
        # a click on the first note jumps to its observation
        qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton,
                         pos=panel.list.visualItemRect(panel.list.item(0)).center())
        wait_for_frame(qtbot, window, 20)
        # undo the theme, redo it: the same note again
        window.undo_action.trigger()
        qtbot.waitUntil(lambda: panel.list.count() == 1)
        window.redo_action.trigger()
        qtbot.waitUntil(lambda: panel.list.count() == 2)
        assert wonder.notes_of_session(service, session_id)[1].id == theme.id
    finally:
        window.close()


def test_an_observation_s_frames_and_code_are_edited_undoably(qtbot, www_library):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from vigstudio.ui.www.observation_dialog import ObservationDialog

    service, session_id, recording_id = www_library
    reach = observations.add_observation(service, recording_id, 20, "I-REACH", end_frame=30, text="reaches")
    follow = observations.add_observation(service, recording_id, 33, "M-FOLLOW")
    window = open_editor(qtbot, service, session_id)
    try:
        panel = window.observations_panel
        window.playback.seek(12)
        wait_for_frame(qtbot, window, 12)
        catalogue = panel.catalogue
        dialog = ObservationDialog(window, observations.get_observation(service, follow.id), catalogue, window.recording.frame_count,
                                   [reach], current_frame=12)
        assert dialog.moment.isChecked() and not dialog.last.isEnabled()
        dialog.here.click()  # start at the frame on screen
        dialog.moment.setChecked(False)
        dialog.last.setValue(15)  # shown inclusive: frames 12 to 15
        dialog.code.setCurrentIndex(dialog.code.findData("M-REDIRECT"))
        dialog.coder.setText("second coder")
        dialog.answers.setCurrentIndex(dialog.answers.findData(reach.id))
        QTimer.singleShot(0, dialog.accept)
        edited = window.www.edit(follow.id, dialog)
        assert (edited.frame, edited.end_frame, edited.code, edited.coder, edited.responds_to) == (
            12, 16, "M-REDIRECT", "second coder", reach.id)
        qtbot.waitUntil(lambda: any(o.code == "M-REDIRECT" for o in window.timeline.observations))
        assert "12–15  M-REDIRECT" in panel.list.item(0).text()  # now the first in frame order
        assert window.undo_stack.undoText() == "Edit observation M-REDIRECT at frame 12"
        window.undo_action.trigger()
        back = observations.get_observation(service, follow.id)
        assert (back.frame, back.end_frame, back.code, back.coder, back.responds_to) == (33, None, "M-FOLLOW", "", None)
        qtbot.waitUntil(lambda: all(o.code != "M-REDIRECT" for o in window.timeline.observations))
        window.redo_action.trigger()
        assert observations.get_observation(service, follow.id).end_frame == 16

        # a refused edit changes nothing and pushes nothing
        dialog = ObservationDialog(window, observations.get_observation(service, reach.id), catalogue, window.recording.frame_count, [])
        dialog.code.setCurrentIndex(dialog.code.findData("M-WAIT"))  # an answered initiative must stay one
        QTimer.singleShot(0, dialog.accept)
        assert window.www.edit(reach.id, dialog) is None
        assert "must stay an initiative" in window.statusBar().currentMessage()
        assert observations.get_observation(service, reach.id).code == "I-REACH"
        assert window.undo_stack.undoText() == "Edit observation M-REDIRECT at frame 12"

        # F2 on the list opens the dialog of the selected observation (cancelled: nothing changes)
        panel.select(reach.id)
        opened = []

        def cancel() -> None:
            dialog = QApplication.activeModalWidget()
            opened.append(dialog.windowTitle())
            dialog.reject()

        QTimer.singleShot(0, cancel)
        qtbot.keyClick(panel.list, Qt.Key.Key_F2)
        assert opened == [f"Observation {reach.id}"]
        assert window.undo_stack.undoText() == "Edit observation M-REDIRECT at frame 12"
    finally:
        window.close()


def test_a_wonder_note_is_edited_undoably(qtbot, www_library):
    from PySide6.QtCore import QTimer

    from vigstudio.ui.editor.wonder_panel import edit_note
    from vigstudio.ui.www.note_dialog import NoteDialog

    service, session_id, recording_id = www_library
    reach = observations.add_observation(service, recording_id, 20, "I-REACH")
    note = wonder.add_note(service, session_id, "mother_observed", "he wanted the ball", observation_id=reach.id)
    window = open_editor(qtbot, service, session_id)
    try:
        catalogue = window.wonder_panel.catalogue
        dialog = NoteDialog(window, note, catalogue, frame_on_screen=(recording_id, 44))
        assert not dialog.theme.isEnabled() and dialog.about.findData("observation") == -1
        dialog.kind.setCurrentIndex(dialog.kind.findData("theme"))
        assert dialog.theme.isEnabled()
        dialog.theme.setCurrentIndex(dialog.theme.findData("T-PLAY"))
        dialog.text.setText("play")
        dialog.about.setCurrentIndex(dialog.about.findData("frame"))
        QTimer.singleShot(0, dialog.accept)
        edited = edit_note(window, note.id, dialog)
        assert (edited.kind.value, edited.theme, edited.text, edited.observation_id, edited.recording_id,
                edited.frame) == ("theme", "T-PLAY", "play", None, recording_id, 44)
        qtbot.waitUntil(lambda: "Play and enjoyment" in window.wonder_panel.list.item(0).text())
        assert window.undo_stack.undoText() == "Edit theme note"
        window.undo_action.trigger()
        back = wonder.notes_of_session(service, session_id)[0]
        assert (back.kind.value, back.theme, back.text, back.observation_id, back.frame) == (
            "mother_observed", None, "he wanted the ball", reach.id, None)
        window.redo_action.trigger()
        assert wonder.notes_of_session(service, session_id)[0].frame == 44
    finally:
        window.close()



def test_wonder_is_a_tab_beside_observations_not_a_fourth_tab_in_the_right_column(qtbot, www_library):
    service, session_id, _recording_id = www_library
    window = open_editor(qtbot, service, session_id)
    try:
        assert window.wonder_dock in window.tabifiedDockWidgets(window.observations_dock)
        assert window.wonder_dock not in window.tabifiedDockWidgets(window.session_dock)
        assert window.dockWidgetArea(window.wonder_dock) == window.dockWidgetArea(window.observations_dock)
    finally:
        window.close()


def test_at_1366x768_the_editors_dock_tabs_show_their_titles_whole(qtbot, www_library):
    """A tab bar a few pixels short of its ideal width elides every title to "Prin…", "S…"."""
    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QTabBar

    from vigstudio.ui.style import STYLESHEET

    service, session_id, _recording_id = www_library
    window = open_editor(qtbot, service, session_id)
    try:
        window.setStyleSheet(STYLESHEET)  # the app's (on the window: the application's would leak into other tests)
        window.resize(QSize(1366, 768))
        qtbot.waitUntil(lambda: window.size() == QSize(1366, 768))
        bars = [b for b in window.findChildren(QTabBar) if b.parent() is window and b.isVisible() and b.count()]
        assert {b.tabText(0) for b in bars} >= {"Principles", "Observations"}
        qtbot.wait(100)
        for bar in bars:
            assert all(bar.tabRect(i).width() >= bar.tabSizeHint(i).width() for i in range(bar.count())), \
                [(bar.tabText(i), bar.tabRect(i).width(), bar.tabSizeHint(i).width()) for i in range(bar.count())]
    finally:
        window.close()
