"""The editor window's menus, toolbar and the few actions that are not in the shortcuts table
(zoom to fit, clear in/out, marker navigation, close), and what keeps the window usable on a small
laptop screen (1366×768): side panels that scroll instead of forcing the window taller, a first
size that fits the screen, and on a short screen the right column's panels as tabs. Kept apart from
`window` so the window module reads as the editor's behaviour, not its furniture."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QToolBar,
    QWidget,
)

from vigstudio.ui.icons import icon

if TYPE_CHECKING:
    from vigstudio.ui.editor.window import EditorWindow

DEFAULT_SIZE = QSize(1360, 860)
DOCK_MIN_HEIGHT = 120  # a side panel can be squeezed to this before it scrolls
# Below this free screen height the right column's docks are tabs, each the column's full height.
SHORT_SCREEN_HEIGHT = 900


class DockScroller(QScrollArea):
    """A side panel in its dock, shorter than the panel needs if the screen is: it then scrolls,
    instead of the panel's full height setting the window's minimum height (which on a 768-pixel
    screen pushed the transport and timeline off the bottom).

    The panel is sized here rather than by `widgetResizable`, which asks word-wrapped labels for their
    preferred height and so scrolls long before the panel is really short of room. The panel gets the
    whole width and at least its minimum height for that width; a vertical scroll bar appears only
    when that does not fit, and a horizontal one only when the dock is also at its narrowest."""

    def __init__(self, panel: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(f"{panel.objectName() or 'panel'}Scroller")
        self.setWidget(panel)
        self.setWidgetResizable(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the panel's own fields take the focus
        self._refit = QTimer(self)  # owned: it dies with the scroller, unlike a static singleShot
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit)
        panel.installEventFilter(self)

    def panel(self) -> QWidget:
        return self.widget()

    def minimumSizeHint(self) -> QSize:
        inner = self.widget().minimumSizeHint()
        return QSize(inner.width(), min(inner.height(), DOCK_MIN_HEIGHT))

    def sizeHint(self) -> QSize:
        return self.widget().sizeHint().expandedTo(self.minimumSizeHint())

    def needs_scrolling(self) -> bool:
        return (self.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOn
                or self.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOn)

    def _needed_height(self, width: int) -> int:
        panel = self.widget()
        height = panel.minimumSizeHint().height()
        layout = panel.layout()
        if layout is not None and layout.hasHeightForWidth():
            height = max(height, layout.minimumHeightForWidth(width))
        return height

    def _fit(self) -> None:
        panel = self.widget()
        if panel is None:
            return
        min_width = panel.minimumSizeHint().width()
        bar_width = self.verticalScrollBar().sizeHint().width()
        bar_height = self.horizontalScrollBar().sizeHint().height()
        width, height = self.width(), self.height()
        vertical = self._needed_height(max(width, min_width)) > height
        horizontal = width - (bar_width if vertical else 0) < min_width
        if horizontal and not vertical:  # the horizontal bar takes height from the panel
            vertical = self._needed_height(min_width) > height - bar_height
        panel_width = max(width - (bar_width if vertical else 0), min_width)
        panel_height = max(height - (bar_height if horizontal else 0), self._needed_height(panel_width))
        on, off = Qt.ScrollBarPolicy.ScrollBarAlwaysOn, Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        self.setVerticalScrollBarPolicy(on if vertical else off)
        self.setHorizontalScrollBarPolicy(on if horizontal else off)
        if panel.size() != QSize(panel_width, panel_height):
            panel.resize(panel_width, panel_height)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def eventFilter(self, watched, event) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the panel's needs changed (a longer text, a new row)
            self._refit.start()  # after the panel's own layout has settled
        return super().eventFilter(watched, event)


def first_size(window: QWidget) -> QSize:
    """The editor's size before any saved geometry: the usual size, or the screen's free area when
    that is smaller (a 1366×768 laptop), but never below what the window needs."""
    screen = window.screen()
    size = DEFAULT_SIZE
    if screen is not None:
        size = size.boundedTo(screen.availableGeometry().size())
    return size.expandedTo(window.minimumSizeHint())


def is_short_screen(window: QWidget) -> bool:
    screen = window.screen()
    return screen is not None and screen.availableGeometry().height() < SHORT_SCREEN_HEIGHT


def arrange_right_column(window: EditorWindow) -> None:
    """The right column's first layout (a layout the user saved replaces it afterwards).

    Stacked, Principles and the Session/Comments tabs below it share the column's height: on a
    768-pixel screen that left the principles tree without P6, room for a tag and a half on the clip,
    and one line of session notes. So on a short screen the three are tabs of one dock, each as tall
    as the column, the one to work in first: Principles (a supervisor's Comments). The tabs sit on top,
    where they read as tabs rather than as a status line."""
    right = Qt.DockWidgetArea.RightDockWidgetArea
    window.setTabPosition(right, QTabWidget.TabPosition.North)
    if not is_short_screen(window):
        return
    for dock in (window.session_dock, window.comments_dock):
        window.tabifyDockWidget(window.principles_dock, dock)
    if window.editor.is_read_only(window.data.session_id):
        window.comments_dock.raise_()  # a supervisor is here to comment
    else:
        window.principles_dock.raise_()


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
