"""The editor window's menus, toolbar and its own actions (zoom to fit, clear in/out, marker
navigation, close; their keys are in the shortcuts table like every other), and what keeps the window usable on a small
laptop screen (1366×768): side panels that scroll instead of forcing the window taller, a first
size that fits the screen, and on a short screen the right column's panels as tabs. Kept apart from
`window` so the window module reads as the editor's behaviour, not its furniture."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QAction
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

from vigstudio.ui.shortcuts import make_actions

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


# What a window manager adds round a window (a title bar, thin borders), which `resize()` leaves out:
# without it the editor first opened a title bar (25 px) taller than a 768-pixel screen.
FRAME_ALLOWANCE = QSize(16, 40)


def first_size(window: QWidget) -> QSize:
    """The editor's size before any saved geometry: the usual size, or the screen's free area less the
    window's frame when that is smaller (a 1366×768 laptop), but never below what the window needs."""
    screen = window.screen()
    size = DEFAULT_SIZE
    if screen is not None:
        size = size.boundedTo(screen.availableGeometry().size() - FRAME_ALLOWANCE)
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
    where they read as tabs rather than as a status line.

    The left column likewise: stacked, the clips and the stills (with its picture and caption) showed
    two and a half rows each; on a short screen they are two tabs, the one being worked in raised
    (making a clip raises Clips, taking a still raises Stills)."""
    right, left = Qt.DockWidgetArea.RightDockWidgetArea, Qt.DockWidgetArea.LeftDockWidgetArea
    window.setTabPosition(right, QTabWidget.TabPosition.North)
    window.setTabPosition(left, QTabWidget.TabPosition.North)
    if not is_short_screen(window):
        return
    window.tabifyDockWidget(window.clips_dock, window.stills_dock)
    window.clips_dock.raise_()
    comments_dock = window.supervision.dock
    for dock in (window.session_dock, comments_dock):
        window.tabifyDockWidget(window.principles_dock, dock)
    if window.data.read_only:
        comments_dock.raise_()  # a supervisor is here to comment
    else:
        window.principles_dock.raise_()


class EditorChrome(QObject):
    """The window's furniture, owned here: its own actions (zoom to fit, clear in/out, marker
    navigation, close), the menus, and the toolbar with the recording picker and the in/out readout.
    It reads the window's actions and docks and calls its public methods; it adds its actions, menus
    and toolbar through Qt's own calls and sets no attribute on the window."""

    def __init__(self, window: EditorWindow):
        super().__init__(window)
        own = make_actions(window, {  # keys, labels and tooltips from the shortcuts table
            "zoom_fit": window.timeline.zoom_to_fit,
            "clear_marks": window.marking.clear_in_out,
            "next_marker": lambda: window.marking.go_to_marker(+1),
            "previous_marker": lambda: window.marking.go_to_marker(-1),
            "delete_marker": window.marking.delete_marker_here,
            "close_editor": window.close,
        })
        self.fit_action = own["zoom_fit"]
        self.clear_marks_action = own["clear_marks"]
        self.next_marker_action = own["next_marker"]
        self.previous_marker_action = own["previous_marker"]
        self.delete_marker_action = own["delete_marker"]
        self.close_action = own["close_editor"]

        self.recording_picker = QComboBox()
        self.recording_picker.setObjectName("recordingPicker")
        self.recording_picker.setAccessibleName("Recording")
        self.recording_picker.setToolTip("Which recording of this session to work on")
        self.recording_picker.currentIndexChanged.connect(window.recording_picked)
        self.in_out_label = QLabel()
        self.in_out_label.setObjectName("inOutLabel")
        self.in_out_label.setProperty("muted", True)
        self.in_out_label.setContentsMargins(10, 0, 10, 0)
        self.toolbar = QToolBar("Editing")
        self.picker_action = self._fill_toolbar(window)
        self._build_menus(window)

    def show_in_out(self, text: str) -> None:
        self.in_out_label.setText(text)

    def _build_menus(self, window: EditorWindow) -> None:
        a = window.actions_by_id
        clips = window.clips_panel
        menus: dict[str, list[QAction | None]] = {
            "&Session": [a["start_review"], None, a["lock"], self.close_action],
            "&Edit": [a["undo"], a["redo"], None, clips.delete_action, clips.move_up_action,
                      clips.move_down_action],
            "&Playback": [a["play_pause"], a["shuttle_back"], a["shuttle_forward"], None, a["step_back"],
                          a["step_forward"], a["second_back"], a["second_forward"], a["go_start"], a["go_end"]],
            "&Mark": [a["mark_in"], a["mark_out"], a["make_clip"], self.clear_marks_action, None,
                      a["add_marker"], self.previous_marker_action, self.next_marker_action,
                      self.delete_marker_action, None, a["take_still"]],
            "&View": [a["zoom_in"], a["zoom_out"], self.fit_action, None],
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
                for dock in window.side_docks():
                    menu.addAction(dock.toggleViewAction())

    def _fill_toolbar(self, window: EditorWindow) -> QAction:
        """Returns the action of the recording picker (shown only when the session has several)."""
        a = window.actions_by_id
        toolbar = self.toolbar
        toolbar.setObjectName("editorToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        picker_action = toolbar.addWidget(self.recording_picker)
        for action_id in ("mark_in", "mark_out", "make_clip", "add_marker", "take_still", "start_review"):
            toolbar.addAction(a[action_id])
        toolbar.addWidget(self.in_out_label)
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
        return picker_action

