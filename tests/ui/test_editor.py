# ruff: noqa: F811  (pytest fixtures imported from the support module are redefined as arguments)
"""The session editor end to end: real library, real numbered video imported through the app, real
widgets driven by keys and clicks; every check reads the shown picture or the library back."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QAction, QDropEvent
from PySide6.QtWidgets import QApplication

from tests.ui.test_editor_support import (  # noqa: F401 (fixtures)
    FPS,
    FRAMES,
    Hands,
    editor_window,
    library,
    library_state,
    numbered_video,
    open_editor,
    shown_number,
    wait_for_frame,
)
from tests.videos import make_video
from vigstudio.app import editing
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService
from vigstudio.domain.model import Who
from vigstudio.ui import settings
from vigstudio.ui.editor.clip_list import CODES_ROLE
from vigstudio.ui.player import NO_DEVICE
from vigstudio.ui.shortcuts import sequences_text

K = Qt.Key
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def make_clip_by_keys(qtbot, hands: Hands, window, start: int, last: int) -> None:
    window.playback.seek(start)
    wait_for_frame(qtbot, window, start)
    hands.key(K.Key_I)
    window.playback.seek(last)
    wait_for_frame(qtbot, window, last)
    hands.key(K.Key_O)
    hands.key(K.Key_C)


# -- moving through the recording -----------------------------------------------------------------


def test_keys_step_to_the_exact_frame(qtbot, editor_window):
    window, hands = editor_window, Hands(qtbot, editor_window)
    assert shown_number(window) == 0
    hands.key(K.Key_Right, times=3)
    wait_for_frame(qtbot, window, 3)
    hands.key(K.Key_Left)
    wait_for_frame(qtbot, window, 2)
    hands.key(K.Key_Right, SHIFT)  # one second later
    wait_for_frame(qtbot, window, 2 + FPS)
    hands.key(K.Key_Left, SHIFT)
    wait_for_frame(qtbot, window, 2)
    hands.key(K.Key_End)
    wait_for_frame(qtbot, window, FRAMES - 1)
    hands.key(K.Key_Right)  # nothing after the last frame
    hands.key(K.Key_Left)
    wait_for_frame(qtbot, window, FRAMES - 2)
    hands.key(K.Key_Home)
    wait_for_frame(qtbot, window, 0)
    assert window.transport.frame_label.text() == "Frame 0"
    assert window.timeline.playhead == 0


def test_the_zoomed_timeline_follows_the_playhead(qtbot, editor_window):
    window, hands = editor_window, Hands(qtbot, editor_window)
    hands.key(K.Key_Plus, times=8)  # zoomed in: only part of the recording is on screen
    assert FRAMES - 1 not in window.timeline.visible_frames()
    hands.key(K.Key_End)
    wait_for_frame(qtbot, window, FRAMES - 1)
    assert FRAMES - 1 in window.timeline.visible_frames()
    assert window.timeline.playhead == FRAMES - 1


def test_scrubbing_the_timeline_shows_the_frame_under_the_pointer(qtbot, editor_window):
    window = editor_window
    Hands(qtbot, window).click_timeline_at(40)
    wait_for_frame(qtbot, window, 40)
    assert window.timeline.playhead == 40


def test_space_plays_and_pauses_and_no_sound_device_is_said_quietly(qtbot, editor_window):
    window, hands = editor_window, Hands(qtbot, editor_window)
    hands.key(K.Key_Space)
    qtbot.waitUntil(lambda: window.playback.playing)
    qtbot.waitUntil(lambda: (window.view.frame_index() or 0) > 2)
    player = window.playback.player
    if not player.audio_available and player.audio_status == NO_DEVICE:
        assert "playing silently" in window.view.notice_text()
        assert not window.transport.volume_slider.isEnabled()
    hands.key(K.Key_K)
    qtbot.waitUntil(lambda: not window.playback.playing)
    stopped_at = window.playback.current_frame
    qtbot.waitUntil(lambda: window.view.frame_index() == stopped_at)
    assert shown_number(window) == stopped_at


def test_shuttle_forward_then_backward_steps_exact_frames(qtbot, editor_window):
    window, hands = editor_window, Hands(qtbot, editor_window)
    hands.key(K.Key_L)
    qtbot.waitUntil(lambda: window.playback.playing)
    assert window.playback.player.speed == 1.0
    hands.key(K.Key_L)
    assert window.playback.player.speed == 2.0 and window.transport.speed() == 2.0
    hands.key(K.Key_K)
    qtbot.waitUntil(lambda: not window.playback.playing)
    assert window.playback.player.speed == 1.0  # the speed from the menu comes back
    window.playback.seek(0)
    wait_for_frame(qtbot, window, 0)
    hands.key(K.Key_L, times=3)  # 4×: beyond what the player plays, so silent stepping forward
    assert window.playback.shuttling and not window.playback.playing
    qtbot.waitUntil(lambda: (window.view.frame_index() or 0) > 8)
    hands.key(K.Key_K)
    assert not window.playback.shuttling and not window.playback.playing
    window.playback.seek(FRAMES - 1)
    wait_for_frame(qtbot, window, FRAMES - 1)
    hands.key(K.Key_J)  # backward: silent timer stepping
    assert window.playback.shuttling and not window.playback.playing
    qtbot.waitUntil(lambda: (window.view.frame_index() or FRAMES) < FRAMES - 5)
    hands.key(K.Key_K)
    assert not window.playback.shuttling
    stopped_at = window.playback.current_frame
    qtbot.waitUntil(lambda: window.view.frame_index() == stopped_at)
    assert shown_number(window) == stopped_at


# -- marking, tagging, stills, with undo and redo -------------------------------------------------


def test_in_out_and_c_make_one_clip_undo_and_redo(qtbot, editor_window, library):
    service, session_id = library
    window, hands = editor_window, Hands(qtbot, editor_window)
    make_clip_by_keys(qtbot, hands, window, 5, 14)
    [(clip, tags)] = library_state(service, session_id)["clips"]
    assert (clip.start_frame, clip.end_frame, tags) == (5, 15, ())  # the out frame is included
    assert window.marking.in_frame is None and window.marking.out_frame is None
    assert [c.id for c in window.timeline.clips] == [clip.id]
    assert window.selected_clip_id() == clip.id
    assert window.undo_action.text() == f"Undo Make clip {clip.id}"
    hands.key(K.Key_Z, CTRL)
    assert library_state(service, session_id)["clips"] == []
    assert window.clip_model.rowCount() == 0 and window.timeline.clips == []
    hands.key(K.Key_Z, CTRL | SHIFT)
    [(again, _)] = library_state(service, session_id)["clips"]
    assert again == clip  # the same id and frames
    assert window.clip_model.rowCount() == 1


def test_enter_makes_a_clip_ending_at_the_frame_on_screen(qtbot, editor_window, library):
    service, session_id = library
    window, hands = editor_window, Hands(qtbot, editor_window)
    hands.key(K.Key_Right, times=2)
    wait_for_frame(qtbot, window, 2)
    hands.key(K.Key_I)
    hands.key(K.Key_Right, times=4)
    wait_for_frame(qtbot, window, 6)
    hands.key(K.Key_Return)
    [(clip, _)] = library_state(service, session_id)["clips"]
    assert (clip.start_frame, clip.end_frame) == (2, 7)


def test_tag_the_clip_in_the_principles_panel_undo_and_redo(qtbot, editor_window, library):
    service, session_id = library
    window, hands = editor_window, Hands(qtbot, editor_window)
    make_clip_by_keys(qtbot, hands, window, 10, 30)
    panel = window.principles
    panel.select("P2", "P2.1")
    hands.click(panel.who_buttons[Who.PARENT])
    panel.text.setFocus()
    hands.type("she waits for his smile")
    hands.click(panel.tag_button)
    [(clip, [tag])] = library_state(service, session_id)["clips"]
    assert (tag.principle, tag.behaviour, tag.who, tag.text, tag.frame) == (
        "P2", "P2.1", Who.PARENT, "she waits for his smile", None)
    assert window.clip_model.index(0).data(CODES_ROLE) == ["P2"]
    assert panel.tags.count() == 1 and "Waiting" in panel.tags.item(0).text()
    assert panel.text.text() == ""  # ready for the next tag
    # a tag on one frame inside the clip
    window.playback.seek(20)
    wait_for_frame(qtbot, window, 20)
    panel.select("P1")
    hands.click(panel.frame_only)
    hands.click(panel.tag_button)
    tags = library_state(service, session_id)["clips"][0][1]
    assert [(t.principle, t.frame) for t in tags] == [("P2", None), ("P1", 20)]
    assert window.clip_model.index(0).data(CODES_ROLE) == ["P2", "P1"]
    window.undo_stack.undo()
    assert [t.principle for t in library_state(service, session_id)["clips"][0][1]] == ["P2"]
    window.undo_stack.undo()
    assert library_state(service, session_id)["clips"][0][1] == ()
    assert panel.tags.count() == 0
    window.undo_stack.redo()
    window.undo_stack.redo()
    assert [t.id for t in library_state(service, session_id)["clips"][0][1]] == [t.id for t in tags]


def test_double_click_on_a_behaviour_tags_at_once(qtbot, editor_window, library):
    service, session_id = library
    window, hands = editor_window, Hands(qtbot, editor_window)
    make_clip_by_keys(qtbot, hands, window, 0, 9)
    tree = window.principles.tree
    window.principles.select("P3", "P3.1")
    item = tree.currentItem()
    tree.scrollToItem(item)
    hands.double_click(tree.viewport(), tree.visualItemRect(item).center())
    [(_, [tag])] = library_state(service, session_id)["clips"]
    assert (tag.principle, tag.behaviour) == ("P3", "P3.1")


def test_s_takes_a_still_and_the_caption_is_typed_then_undone_and_redone(qtbot, editor_window, library):
    service, session_id = library
    window, hands = editor_window, Hands(qtbot, editor_window)
    window.playback.seek(33)
    wait_for_frame(qtbot, window, 33)
    hands.key(K.Key_S)
    [still] = library_state(service, session_id)["stills"]
    assert still.frame == 33 and still.caption == ""
    assert QApplication.focusWidget() is window.stills.caption  # ready for the caption
    hands.type("You waited, and she turned to you")
    qtbot.waitUntil(lambda: library_state(service, session_id)["stills"][0].caption
                    == "You waited, and she turned to you")
    hands.key(K.Key_Escape)  # done typing: keys go back to the video
    assert QApplication.focusWidget() is window.timeline
    assert window.stills.model.picture(still.recording_id, 33) is not None  # the exact frame, in memory
    assert window.undo_action.text() == "Undo Edit caption of still at frame 33"
    window.undo_stack.undo()  # the whole caption is one step
    assert library_state(service, session_id)["stills"][0].caption == ""
    assert window.stills.caption.toPlainText() == ""
    window.undo_stack.undo()
    assert library_state(service, session_id)["stills"] == []
    window.undo_stack.redo()
    window.undo_stack.redo()
    [again] = library_state(service, session_id)["stills"]
    assert (again.id, again.caption) == (still.id, "You waited, and she turned to you")
    hands.key(K.Key_Right)  # the letter keys work again after Esc
    wait_for_frame(qtbot, window, 34)


def test_m_drops_a_marker_with_an_optional_note(qtbot, editor_window, library):
    service, session_id = library
    window, hands = editor_window, Hands(qtbot, editor_window)
    window.playback.seek(12)
    wait_for_frame(qtbot, window, 12)
    hands.key(K.Key_M)
    assert window.marking.marker_popup.isVisible()
    hands.type("look again: he reaches")
    hands.key(K.Key_Return)  # Enter adds the marker; it does not make a clip
    assert not window.marking.marker_popup.isVisible()
    hands.key(K.Key_Right)
    wait_for_frame(qtbot, window, 13)
    hands.key(K.Key_M)
    hands.key(K.Key_Return)  # an empty note is fine
    hands.key(K.Key_M)
    hands.key(K.Key_Escape)  # cancelled
    state = library_state(service, session_id)
    assert [(m.frame, m.note) for m in state["markers"]] == [(12, "look again: he reaches"), (13, "")]
    assert state["clips"] == []
    assert window.timeline.tooltip_at(window.timeline.frame_center_x(12),
                                      window.timeline.lanes.ruler.top + 4) in ("look again: he reaches", "")
    # Alt+Left / Alt+Right go from marker to marker; Shift+M deletes the one shown
    hands.key(K.Key_End)
    wait_for_frame(qtbot, window, FRAMES - 1)
    hands.key(K.Key_Left, Qt.KeyboardModifier.AltModifier)
    wait_for_frame(qtbot, window, 13)
    hands.key(K.Key_Left, Qt.KeyboardModifier.AltModifier)
    wait_for_frame(qtbot, window, 12)
    hands.key(K.Key_Right, Qt.KeyboardModifier.AltModifier)
    wait_for_frame(qtbot, window, 13)
    hands.key(K.Key_M, SHIFT)
    assert [m.frame for m in library_state(service, session_id)["markers"]] == [12]
    window.undo_stack.undo()
    assert [m.frame for m in library_state(service, session_id)["markers"]] == [12, 13]
    window.undo_stack.undo()
    assert [m.frame for m in library_state(service, session_id)["markers"]] == [12]


def test_notes_and_helping_question_commit_as_you_type(qtbot, editor_window, library):
    service, session_id = library
    window, hands = editor_window, Hands(qtbot, editor_window)
    window.side.question.setFocus()
    hands.type("To enjoy playing with Sam")
    qtbot.waitUntil(lambda: library_state(service, session_id)["question"] == "To enjoy playing with Sam")
    window.side.notes.setFocus()  # leaving the question closes its undo step
    hands.type("Calm start; lots of waiting.")
    qtbot.waitUntil(lambda: library_state(service, session_id)["notes"] == "Calm start; lots of waiting.")
    assert window.undo_action.text() == "Undo Edit session notes"
    window.undo_stack.undo()
    assert library_state(service, session_id)["notes"] == ""
    assert window.side.notes.toPlainText() == ""
    window.undo_stack.undo()
    assert library_state(service, session_id)["question"] == ""


def test_clip_list_rename_reorder_filter_delete_and_jump(qtbot, editor_window, library):
    service, session_id = library
    window, hands = editor_window, Hands(qtbot, editor_window)
    for start, last in ((0, 9), (20, 29), (40, 49)):
        make_clip_by_keys(qtbot, hands, window, start, last)
    first, second, third = (c for c, _ in library_state(service, session_id)["clips"])
    model, view = window.clip_model, window.clips_panel.view
    # rename in place
    view.setFocus()
    window.clips_panel.select_clip(second.id)
    hands.key(K.Key_F2)
    editor = QApplication.focusWidget()
    editor.selectAll()
    hands.type("He turns to her")
    hands.key(K.Key_Return)  # commits the title (queued by Qt's delegate), does not make a clip
    qtbot.waitUntil(lambda: [c.title for c, _ in library_state(service, session_id)["clips"]]
                    == ["", "He turns to her", ""])
    assert model.index(1).data() == "He turns to her"
    # drag the third to the top: the drop on the upper half of the first row
    window.clips_panel.select_clip(third.id)
    top = view.visualRect(model.index(0))
    drop = QDropEvent(QPointF(top.center().x(), top.top() + 2), Qt.DropAction.MoveAction,
                      model.mimeData([model.index(2)]), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    view.dropEvent(drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: [c.id for c, _ in library_state(service, session_id)["clips"]]
                    == [third.id, first.id, second.id])
    assert model.clip_ids() == [third.id, first.id, second.id]
    assert window.undo_action.text() == f"Undo Move clip {third.id} to place 1"
    window.undo_stack.undo()
    assert [c.id for c, _ in library_state(service, session_id)["clips"]] == [first.id, second.id, third.id]
    # Alt+Down: one place later, from the keyboard
    view.setFocus()
    window.clips_panel.select_clip(first.id)
    hands.key(K.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [c.id for c, _ in library_state(service, session_id)["clips"]] == [second.id, first.id, third.id]
    window.undo_stack.undo()
    # filter by principle
    editing.tag_clip(window.service, first.id, "P4")  # an edit from elsewhere shows up too
    assert model.index(0).data(CODES_ROLE) == ["P4"]
    window.clips_panel.filter.setCurrentIndex(window.clips_panel.filter.findData("P4"))
    assert model.clip_ids() == [first.id]
    window.clips_panel.filter.setCurrentIndex(0)
    assert model.rowCount() == 3
    # double-click jumps to the clip
    rect = view.visualRect(model.index(2))
    hands.double_click(view.viewport(), rect.center())
    wait_for_frame(qtbot, window, third.start_frame)
    # delete, and undo brings back the same clip with its place
    view.setFocus()
    window.clips_panel.select_clip(first.id)
    hands.key(K.Key_Delete)
    assert [c.id for c, _ in library_state(service, session_id)["clips"]] == [second.id, third.id]
    window.undo_stack.undo()
    assert [c.id for c, _ in library_state(service, session_id)["clips"]] == [first.id, second.id, third.id]


def test_trims_from_the_timeline_merge_into_one_undo_step(qtbot, editor_window, library):
    service, session_id = library
    window, hands = editor_window, Hands(qtbot, editor_window)
    make_clip_by_keys(qtbot, hands, window, 10, 29)
    [(clip, _)] = library_state(service, session_id)["clips"]
    depth = window.undo_stack.count()
    for end in (31, 33, 35):  # a handle dragged frame by frame, then released
        window.timeline.clipTrimmed.emit(clip.id, 10, end, False)
    window.timeline.clipTrimmed.emit(clip.id, 10, 36, True)
    [(trimmed, _)] = library_state(service, session_id)["clips"]
    assert (trimmed.start_frame, trimmed.end_frame) == (10, 36)
    assert window.undo_stack.count() == depth + 1
    assert [(c.start_frame, c.end_frame_exclusive) for c in window.timeline.clips] == [(10, 36)]
    window.undo_stack.undo()
    [(back, _)] = library_state(service, session_id)["clips"]
    assert (back.start_frame, back.end_frame) == (10, 30)
    # a trim the library refuses puts the handle back
    editing.tag_clip(window.service, clip.id, "P1", frame=12)
    window.timeline.clipTrimmed.emit(clip.id, 15, 30, True)
    assert "tags on frame 12" in window.statusBar().currentMessage()
    assert [(c.start_frame, c.end_frame_exclusive) for c in window.timeline.clips] == [(10, 30)]


# -- the window itself ----------------------------------------------------------------------------


def test_tooltips_show_shortcuts_and_f1_opens_the_sheet(qtbot, editor_window):
    window, hands = editor_window, Hands(qtbot, editor_window)
    assert window.actions_by_id["make_clip"].toolTip() == "Make clip (C, Enter)"
    assert window.actions_by_id["take_still"].toolTip() == "Take still (S)"
    button = window.chrome.toolbar.widgetForAction(window.actions_by_id["mark_in"])
    assert button.toolTip() == "Set in point (I)"
    hands.key(K.Key_F1)
    qtbot.waitUntil(lambda: window._sheet is not None and window._sheet.isVisible())
    assert "take_still" in window._sheet.action_ids()


def test_every_action_with_a_shortcut_is_in_the_f1_sheet(qtbot, editor_window):
    """The sheet is made from the window's registered actions: none is missing, whoever made it (the
    keys the sheet once lacked among them)."""
    window, hands = editor_window, Hands(qtbot, editor_window)
    hands.key(K.Key_F1)
    qtbot.waitUntil(lambda: window._sheet is not None and window._sheet.isVisible())
    listed = {(row.keys, row.label) for row in window._sheet.rows}
    with_keys = [a for a in {*window.actions(), *window.findChildren(QAction)}
                 if any(not s.isEmpty() for s in a.shortcuts())]
    assert len(with_keys) >= 30
    for action in with_keys:
        assert (sequences_text(action.shortcuts()), action.text().replace("&", "")) in listed, action.text()
    shown_keys = {keys for keys, _label in listed}
    for keys in ("Alt+←", "Alt+→", "Shift+M", "Alt+X", "Ctrl+0", "Alt+↑", "Alt+↓", "Ctrl+W", "Delete, Backspace"):
        assert keys in shown_keys, keys
    assert all(row.group != "Other" for row in window._sheet.rows)


def test_edit_menu_names_what_undo_will_undo(qtbot, editor_window):
    window, hands = editor_window, Hands(qtbot, editor_window)
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    assert window.undo_action in edit_menu.actions()
    assert not window.undo_action.isEnabled()
    make_clip_by_keys(qtbot, hands, window, 3, 8)
    assert window.undo_action.isEnabled() and window.undo_action.text().startswith("Undo Make clip")
    window.undo_stack.undo()
    assert window.redo_action.text().startswith("Redo Make clip")


def test_everything_survives_closing_and_reopening(qtbot, tmp_path, passphrase, library):
    service, session_id = library
    window = open_editor(qtbot, service, session_id)
    hands = Hands(qtbot, window)
    make_clip_by_keys(qtbot, hands, window, 8, 20)
    window.principles.select("P2", "P2.1")
    hands.click(window.principles.tag_button)
    window.playback.seek(12)
    wait_for_frame(qtbot, window, 12)
    hands.key(K.Key_S)
    hands.type("You waited")
    hands.key(K.Key_Escape)  # leaving the caption commits it at once (no waiting for the pause)
    hands.key(K.Key_M)
    hands.key(K.Key_Return)
    window.side.notes.setFocus()
    hands.type("Good eye contact")
    before = library_state(service, session_id)
    window.close()  # closing commits what was still being typed
    service.close()

    fresh = LibraryService()
    fresh.open(tmp_path / "lib", passphrase)
    try:
        state = library_state(fresh, session_id)
        assert state["notes"] == "Good eye contact"
        assert state["clips"] == before["clips"] and state["stills"] == before["stills"]
        assert [(s.frame, s.caption) for s in state["stills"]] == [(12, "You waited")]
        assert [m.frame for m in state["markers"]] == [12]
        again = open_editor(qtbot, fresh, session_id)
        assert again.clip_model.rowCount() == 1
        assert again.clip_model.index(0).data(CODES_ROLE) == ["P2"]
        assert again.stills.model.rowCount() == 1
        assert again.side.notes.toPlainText() == "Good eye contact"
        assert [(c.start_frame, c.end_frame_exclusive) for c in again.timeline.clips] == [(8, 21)]
        again.close()
    finally:
        fresh.close()


def test_window_layout_is_remembered_without_anything_about_the_family(qtbot, library):
    service, session_id = library
    window = open_editor(qtbot, service, session_id)
    window.side.notes.setFocus()
    Hands(qtbot, window).type("Mother tearful at start")
    window.session_dock.hide()  # a layout choice worth keeping
    window.close()
    ini = settings.gui_settings().fileName()
    text = open(ini, encoding="utf-8", errors="replace").read()
    assert "geometry" in text and "state" in text
    for secret in ("F-014", "tearful", "visit.mp4"):
        assert secret not in text
    again = open_editor(qtbot, service, session_id)
    assert not again.session_dock.isVisible() and again.clips_dock.isVisible()
    again.close()


def test_the_editor_closes_when_the_library_is_locked(qtbot, library):
    service, session_id = library
    window = open_editor(qtbot, service, session_id)
    with qtbot.waitSignal(window.closed):
        service.close()
    assert not window.isVisible()


def test_thumbnails_and_waveform_from_the_import_are_shown(qtbot, editor_window):
    playback = editor_window.playback
    assert playback.thumbnails is not None
    picture = playback.thumbnails(40)
    assert picture is not None and not picture.isNull() and picture.height() > 0
    assert playback.waveform is not None and len(playback.waveform) > 0  # the video has sound


def test_a_session_with_two_recordings_has_a_picker(qtbot, tmp_path, library):
    service, session_id = library
    second = import_recording(service, "F-014", make_video(tmp_path / "second.mp4", frames=30, fps=FPS),
                                session_id=session_id)
    window = open_editor(qtbot, service, session_id)
    assert window.chrome.picker_action.isVisible() and window.chrome.recording_picker.count() == 2
    first_id = window.recording.id
    make_clip_by_keys(qtbot, Hands(qtbot, window), window, 2, 6)
    window.chrome.recording_picker.setCurrentIndex(window.chrome.recording_picker.findData(second.id))
    assert window.recording.id == second.id
    wait_for_frame(qtbot, window, 0)
    assert window.timeline.clips == []  # the first recording's clip is not drawn on this one
    assert window.clip_model.rowCount() == 1  # but the session's review order lists it
    window.go_to_clip(window.clip_model.clip_ids()[0])
    assert window.recording.id == first_id
    wait_for_frame(qtbot, window, 2)
    window.close()
