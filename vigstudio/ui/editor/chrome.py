"""The editor window's menus, toolbar and the few actions that are not in the shortcuts table
(zoom to fit, clear in/out, marker navigation, close). Kept apart from `window` so the window module
reads as the editor's behaviour, not its furniture."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QSizePolicy, QToolBar, QWidget

from vigstudio.ui.icons import icon

if TYPE_CHECKING:
    from vigstudio.ui.editor.window import EditorWindow


def _action(window: EditorWindow, text: str, key: str, slot: Callable[[], object], icon_name: str | None = None,
            tip: str | None = None) -> QAction:
    action = QAction(icon(icon_name), text, window) if icon_name else QAction(text, window)
    action.setShortcut(QKeySequence(key))
    native = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{tip or text} ({native})")
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)
    return action


def add_window_actions(window: EditorWindow) -> None:
    window.fit_action = _action(window, "Whole recording", "Ctrl+0", window.timeline.zoom_to_fit,
                                tip="Zoom the timeline out to the whole recording")
    window.clear_marks_action = _action(window, "Clear in and out", "Alt+X", window.clear_in_out)
    window.next_marker_action = _action(window, "Next marker", "Alt+Right", lambda: window.go_to_marker(+1),
                                        tip="Go to the next marker")
    window.previous_marker_action = _action(window, "Previous marker", "Alt+Left",
                                            lambda: window.go_to_marker(-1), tip="Go to the previous marker")
    window.delete_marker_action = _action(window, "Delete marker here", "Shift+M", window.delete_marker_here,
                                          tip="Delete the marker on the frame shown")
    window.close_action = _action(window, "Close editor", "Ctrl+W", window.close, "close")


def build_menus(window: EditorWindow) -> None:
    a = window.actions_by_id
    clips = window.clips_panel
    menus = {
        "&Session": [window.close_action],
        "&Edit": [a["undo"], a["redo"], None, clips.delete_action, clips.move_up_action, clips.move_down_action],
        "&Playback": [a["play_pause"], a["shuttle_back"], a["shuttle_forward"], None, a["step_back"],
                      a["step_forward"], a["second_back"], a["second_forward"], a["go_start"], a["go_end"]],
        "&Mark": [a["mark_in"], a["mark_out"], a["make_clip"], window.clear_marks_action, None,
                  a["add_marker"], window.previous_marker_action, window.next_marker_action,
                  window.delete_marker_action, None, a["take_still"]],
        "&View": [a["zoom_in"], a["zoom_out"], window.fit_action, None],
        "&Help": [a["shortcuts_sheet"]],
    }
    for title, actions in menus.items():
        menu = window.menuBar().addMenu(title)
        for action in actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        if title == "&View":
            for dock in (window.clips_dock, window.stills_dock, window.principles_dock, window.session_dock):
                menu.addAction(dock.toggleViewAction())


def build_toolbar(window: EditorWindow) -> QToolBar:
    a = window.actions_by_id
    toolbar = QToolBar("Editing")
    toolbar.setObjectName("editorToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    window.recording_picker = QComboBox()
    window.recording_picker.setObjectName("recordingPicker")
    window.recording_picker.setAccessibleName("Recording")
    window.recording_picker.setToolTip("Which recording of this session to work on")
    window.recording_picker.currentIndexChanged.connect(window.recording_picked)
    window.picker_action = toolbar.addWidget(window.recording_picker)
    for action_id in ("mark_in", "mark_out", "make_clip", "add_marker", "take_still"):
        toolbar.addAction(a[action_id])
    window.in_out_label = QLabel()
    window.in_out_label.setObjectName("inOutLabel")
    window.in_out_label.setProperty("muted", True)
    window.in_out_label.setContentsMargins(10, 0, 10, 0)
    toolbar.addWidget(window.in_out_label)
    spacer = QWidget()
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    toolbar.addWidget(spacer)
    icon_only = ("undo", "redo", "zoom_out", "zoom_in", "shortcuts_sheet")
    for action_id in icon_only:
        if action_id == "zoom_out":
            toolbar.addSeparator()
        toolbar.addAction(a[action_id])
        button = toolbar.widgetForAction(a[action_id])
        if button is not None:
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    for action in toolbar.actions():
        button = toolbar.widgetForAction(action)
        if button is not None and not isinstance(button, QComboBox | QLabel):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click leaves the keys with the video
    window.addToolBar(toolbar)
    return toolbar
