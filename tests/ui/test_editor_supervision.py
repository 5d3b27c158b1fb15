"""The editor on a supervision case: read-only clips, and the supervisor's comments going round trip
practitioner → supervisor → practitioner with two real libraries, driven through the real widgets."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from tests.bundle.support import CODE, NOTES, QUESTION
from tests.ui.shell_support import open_window
from tests.ui.test_editor_support import open_editor, shown_number, wait_for_frame
from vigstudio.app import bundles, editing, feedback, keys
from vigstudio.ui.editor.comments_panel import CommentsPanel
from vigstudio.ui.review import start_review
from vigstudio.ui.settings import gui_settings


def wait_for_clip_frame(qtbot, window, frame: int, original: int) -> None:
    """Frame `frame` of a supervision clip on screen: the picture is the practitioner's frame `original`."""
    qtbot.waitUntil(lambda: window.view.frame_index() == frame)
    assert shown_number(window) == original


def click_row(qtbot, panel: CommentsPanel, row: int) -> None:
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton,
                     pos=panel.list.visualItemRect(panel.list.item(row)).center())


def activate_row_from_the_keyboard(qtbot, panel: CommentsPanel, row: int) -> None:
    panel.list.setFocus()
    panel.list.setCurrentRow(row)
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)


def showing(window, recording_id: int, frame: int) -> bool:
    return window.recording is not None and window.recording.id == recording_id \
        and window.view.frame_index() == frame


def clip_bounds(service, session_id):
    return [(c.clip.start_frame, c.clip.end_frame, c.clip.title) for c in editing.clips_of_session(service, session_id)]


def test_supervision_clips_are_read_only_in_the_editor(qtbot, opened):
    _practice, supervisor, node = opened
    window = open_editor(qtbot, supervisor, node.session.id)
    session_id = node.session.id
    before = clip_bounds(supervisor, session_id)
    assert window.clips_panel.read_only_note.isVisible() and "from a supervision bundle" in window.clips_panel.read_only_note.text()
    assert not window.actions_by_id["make_clip"].isEnabled() and not window.actions_by_id["take_still"].isEnabled()
    assert not window.clips_panel.delete_action.isEnabled()
    assert not window.principles.tag_button.isVisible() and not window.principles.text.isVisible()
    assert window.stills.caption.isReadOnly()

    # a drag on the selected clip's edge selects the clip, never trims it
    clip = window.data.clips[0].clip
    window.clips_panel.select_clip(clip.id)
    timeline = window.timeline
    y = round((timeline.lanes.clips.top + timeline.lanes.clips.bottom) / 2)
    edge = QPoint(round(timeline.frame_to_x(clip.end_frame)) - 2, y)
    assert "Drag to trim" not in timeline.tooltip_at(edge.x(), edge.y())
    trims = []
    timeline.clipTrimmed.connect(lambda *args: trims.append(args))
    qtbot.mousePress(timeline, Qt.MouseButton.LeftButton, pos=edge)
    qtbot.mouseMove(timeline, QPoint(edge.x() - 40, y))
    qtbot.mouseRelease(timeline, Qt.MouseButton.LeftButton, pos=QPoint(edge.x() - 40, y))
    # keys that would edit elsewhere do nothing here: C makes no clip, Delete deletes none
    window.marking.in_frame, window.marking.out_frame = 1, 3
    qtbot.keyClick(window.timeline, Qt.Key.Key_C)
    window.clips_panel.view.setFocus()
    qtbot.keyClick(window.clips_panel.view, Qt.Key.Key_Delete)
    assert trims == [] and window.statusBar().currentMessage() == ""  # nothing was even asked of the library
    assert clip_bounds(supervisor, session_id) == before and window.undo_stack.count() == 0
    window.close()


def test_a_comment_goes_round_trip_through_the_editors(qtbot, opened, tmp_path):
    practice, supervisor, node = opened
    window = open_editor(qtbot, supervisor, node.session.id)
    panel = window.supervision.panel
    assert window.supervision.dock.isVisible() and panel.add_box.isVisible()
    first = min(node.clips, key=lambda c: c.position)
    window.go_to_clip(first.id)
    window.playback.seek(4)
    wait_for_clip_frame(qtbot, window, 4, 5 + 4)  # the practitioner's clip starts at frame 5
    assert "frame 4" in panel.moment.text()

    words = "Lovely waiting here, you gave her time"
    panel.text.setFocus()
    qtbot.keyClicks(panel.text, words)
    panel.principle.setCurrentIndex(panel.principle.findData("P2"))
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    [comment] = feedback.comments(supervisor, node.session.id)
    assert (comment.text, comment.clip_id, comment.frame, comment.principle) == (words, first.id, 4, "P2")
    assert panel.text.text() == "" and any(words in row for row in panel.rows_text())
    assert any("P2" in row and "frame 4" in row for row in panel.rows_text())

    window.undo_action.trigger()
    assert feedback.comments(supervisor, node.session.id) == [] and panel.rows_text() == []
    window.redo_action.trigger()
    assert [c.uid for c in feedback.comments(supervisor, node.session.id)] == [comment.uid]
    assert any(words in row for row in panel.rows_text())
    # a click on the comment goes back to its moment
    window.playback.seek(0)
    wait_for_clip_frame(qtbot, window, 0, 5)
    item = panel.list.item(0)
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=panel.list.visualItemRect(item).center())
    wait_for_clip_frame(qtbot, window, 4, 5 + 4)
    window.close()

    # comments are never in the settings file
    assert "waiting" not in "".join(str(gui_settings().value(k)) for k in gui_settings().allKeys())

    back = tmp_path / "feedback.age"
    feedback.export_feedback_bundle(supervisor, CODE, back, [keys.public_key(practice.service)])
    assert bundles.open_bundle(practice.service, back).comments_added == 1
    mine = open_editor(qtbot, practice.service, practice.session_id)
    panel = mine.supervision.panel
    assert not panel.add_box.isVisible() and mine.actions_by_id["make_clip"].isEnabled()
    [row] = panel.rows_text()
    assert words in row and "Clip 1" in row and "frame 9" in row  # the clip starts at frame 5 there
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton,
                     pos=panel.list.visualItemRect(panel.list.item(0)).center())
    wait_for_frame(qtbot, mine, 5 + 4)
    mine.close()


def test_the_presenter_shows_and_adds_comments_on_the_item_on_screen(qtbot, opened):
    _practice, supervisor, node = opened
    first = min(node.clips, key=lambda c: c.position)
    feedback.add_comment(supervisor, node.session.id, "on the first clip", clip_id=first.id, frame=2)
    mode = start_review(supervisor, node.session.id, presenter=True)
    try:
        presenter = mode.presenter
        panel = presenter.comments_panel
        qtbot.waitUntil(lambda: mode.controller.current is not None and mode.controller.current.id == first.id)
        assert [r.split("\n")[1] for r in panel.rows_text()] == ["on the first clip"]
        assert panel.add_box.isVisible()
        qtbot.keyClicks(panel.text, "you named it")
        qtbot.keyClick(panel.text, Qt.Key.Key_Return)
        texts = [c.text for c in feedback.comments(supervisor, node.session.id)]
        assert texts == ["on the first clip", "you named it"]
        assert [r.split("\n")[1] for r in panel.rows_text()] == ["on the first clip", "you named it"]
        mode.controller.next()  # the next item has no comments of its own
        qtbot.waitUntil(lambda: mode.controller.current.id != first.id)
        assert panel.rows_text() == []
        # nothing of the comments reaches the family's screen
        assert "you named it" not in mode.family.picture.caption()
    finally:
        mode.end()


def test_the_practitioners_notes_and_helping_question_are_shown_read_only(qtbot, opened):
    _practice, supervisor, node = opened
    window = open_editor(qtbot, supervisor, node.session.id)
    window.activateWindow()  # the keys below go to the focused field, as typing does
    qtbot.waitActive(window)
    side = window.side
    assert (side.question.toPlainText(), side.notes.toPlainText()) == (QUESTION, NOTES)
    assert side.question.isReadOnly() and side.notes.isReadOnly()
    assert "read-only" in side.question_label.text() and "read-only" in side.notes_label.text()
    window.session_dock.raise_()
    qtbot.waitUntil(side.notes.isVisible)
    for field, words in ((side.notes, NOTES), (side.question, QUESTION)):
        qtbot.mouseClick(field.viewport(), Qt.MouseButton.LeftButton)  # into the field, as a person would
        qtbot.waitUntil(field.hasFocus)
        qtbot.keyClicks(field, " and more")
        qtbot.keyClick(field, Qt.Key.Key_Backspace)
        qtbot.keyClick(field, Qt.Key.Key_Escape)  # what would commit a change
        assert field.toPlainText() == words
    window.timeline.setFocus()
    assert editing.get_session(supervisor, node.session.id).notes == NOTES
    assert editing.cycle_of_session(supervisor, node.session.id).helping_question == QUESTION
    assert window.undo_stack.count() == 0 and window.statusBar().currentMessage() == ""
    window.close()


def test_a_comment_on_the_shared_review_recording_goes_back_to_its_time(qtbot, opened_with_review, tmp_path):
    practice, supervisor, node = opened_with_review
    window = open_editor(qtbot, supervisor, node.session.id)
    panel = window.supervision.panel
    assert panel.empty.isVisible() and "press Enter" in panel.empty.text()  # how to add the first one
    [review] = [r for r in window.data.recordings if "review_sha256" in bundles.origin_of(supervisor, r.id)]
    assert window.chrome.picker_action.isVisible() and window.recording.id != review.id  # a clip's recording first

    # the supervisor picks the shared review, stops at frame 20 and comments there
    window.chrome.recording_picker.setCurrentIndex(window.chrome.recording_picker.findData(review.id))
    qtbot.waitUntil(lambda: showing(window, review.id, 0))
    window.playback.seek(20)
    wait_for_frame(qtbot, window, 20)
    panel.text.setFocus()
    qtbot.keyClicks(panel.text, "you waited for her to look back")
    qtbot.keyClick(panel.text, Qt.Key.Key_Return)
    [comment] = feedback.comments(supervisor, node.session.id)
    assert (comment.clip_id, comment.recording_id, comment.frame) == (None, review.id, 20)
    [row] = panel.rows_text()
    assert row.startswith("Shared review · frame 20 · 00:00.800") and not panel.empty.isVisible()

    # from a clip, a click on the comment switches back to the review, at its frame
    first = min(node.clips, key=lambda c: c.position)
    window.go_to_clip(first.id)
    wait_for_clip_frame(qtbot, window, 0, 5)
    click_row(qtbot, panel, 0)
    qtbot.waitUntil(lambda: showing(window, review.id, 20))
    assert shown_number(window) == 20 and window.chrome.recording_picker.currentData() == review.id
    # and Enter on it does the same (the list from the keyboard)
    window.go_to_clip(first.id)
    wait_for_clip_frame(qtbot, window, 0, 5)
    activate_row_from_the_keyboard(qtbot, panel, 0)
    qtbot.waitUntil(lambda: showing(window, review.id, 20))
    assert shown_number(window) == 20
    window.close()

    # back home the comment sits on the review session's recording: its editor opens at that frame
    back = tmp_path / "feedback.age"
    feedback.export_feedback_bundle(supervisor, CODE, back, [keys.public_key(practice.service)])
    assert bundles.open_bundle(practice.service, back).comments_added == 1
    library = open_window(qtbot, practice.service)
    launcher = library.editor_launcher
    mine = launcher.open(practice.session_id)
    qtbot.waitUntil(lambda: mine.view.frame_index() == 0)
    assert not mine.side.notes.isReadOnly() and not mine.side.question.isReadOnly()
    panel = mine.supervision.panel
    [row] = panel.rows_text()
    assert row.startswith("Shared review · frame 20") and "you waited" in row
    click_row(qtbot, panel, 0)
    review_editor = launcher.editors.get(practice.review_session_id)
    assert review_editor is not None and review_editor is not mine
    [home_review] = review_editor.data.recordings
    qtbot.waitUntil(lambda: showing(review_editor, home_review.id, 20))
    assert shown_number(review_editor) == 20
    launcher.close_all()


def test_a_click_on_a_review_comment_says_where_it_is_when_no_library_window_can_open_it(
        qtbot, opened_with_review, tmp_path):
    practice, supervisor, node = opened_with_review
    [review] = [r for r in editing.recordings_of_session(supervisor, node.session.id)
                if "review_sha256" in bundles.origin_of(supervisor, r.id)]
    feedback.add_comment(supervisor, node.session.id, "here", recording_id=review.id, frame=3)
    back = tmp_path / "feedback.age"
    feedback.export_feedback_bundle(supervisor, CODE, back, [keys.public_key(practice.service)])
    bundles.open_bundle(practice.service, back)
    mine = open_editor(qtbot, practice.service, practice.session_id)  # on its own, no library window
    click_row(qtbot, mine.supervision.panel, 0)
    assert "shared-review session" in mine.statusBar().currentMessage()
    wait_for_frame(qtbot, mine, 0)
    mine.close()


def test_the_moments_comments_jump_to_are_kept_decoded(qtbot, opened):
    """A session opens with its comments' moments decoded ahead (as markers and clip starts are),
    and a comment added while it is open joins them: jumping to a comment shows it at once."""
    _practice, supervisor, node = opened
    first = min(node.clips, key=lambda c: c.position)
    feedback.add_comment(supervisor, node.session.id, "look at her face", clip_id=first.id, frame=6)
    window = open_editor(qtbot, supervisor, node.session.id)
    window.go_to_clip(first.id)
    qtbot.waitUntil(lambda: window.playback.source is not None and 6 in window.playback.source.ready_moments)
    source = window.playback.source
    assert source.wait_prefetch() and source.has_frame(6)

    window.playback.seek(3)
    wait_for_clip_frame(qtbot, window, 3, 5 + 3)
    panel = window.supervision.panel
    panel.text.setFocus()
    qtbot.keyClicks(panel.text, "and here she waits")
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert [c.frame for c in feedback.comments(supervisor, node.session.id)] == [6, 3]
    qtbot.waitUntil(lambda: {6, 3} <= set(window.playback.source.ready_moments))
    window.close()
