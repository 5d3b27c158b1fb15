"""The way into the shared review (from the library window and from the editor) and the export dialog.

`install_review_actions(main_window)` adds a "Review" menu with "Start shared review" (F5: at once,
the screens decide where the family watches), "Start review on…" (Shift+F5: choose the screen),
"Export…" (Ctrl+Shift+E) and "Set review PIN…"; the review also goes on the toolbar. F5 reviews the
session selected in the library tree: a session, a recording or a clip of it (the review then starts
at that clip), a cycle or a case (its latest session with something to show). The editor's own F5
calls `begin_review` for its session. During a review the library window and every editor are
hidden and the auto-lock paused (the review has its own guarded exit); they come back when it ends.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QScreen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from vigstudio.app.review import playlist, set_pin
from vigstudio.domain.errors import VigError
from vigstudio.ui.background import show_info
from vigstudio.ui.icons import icon
from vigstudio.ui.library_model import NodeKind
from vigstudio.ui.review.export_dialog import ExportDialog
from vigstudio.ui.review.mode import ReviewMode, other_screen

CHOOSE_SESSION = "Choose a session (or one of its recordings) in the list first."
CHOOSE_FOR_REVIEW = "Choose a case, a session or a clip in the list first."
NOTHING_TO_SHOW = "This session has no clips or stills yet. Make some in the editor first."


def selected_session_id(main_window) -> int | None:
    node = main_window.current_node()
    if node is None:
        return None
    if node.kind == NodeKind.SESSION:
        return node.obj.id
    if node.kind == NodeKind.CLIP:
        node = node.parent
    if node.kind == NodeKind.RECORDING and node.parent is not None:
        return node.parent.obj.id
    return None


def review_target(main_window) -> tuple[int | None, int | None]:
    """(session id, clip id to start at or None) for F5 in the library window: the selected session
    (or that of the selected recording or clip); for a cycle or case, its latest session with a clip
    or still (else its latest session)."""
    node = main_window.current_node()
    if node is None:  # nothing chosen: a library of one case (the demo) means that case
        cases = [n for n in main_window.model.all_nodes() if n.kind == NodeKind.CASE]
        node = cases[0] if len(cases) == 1 else None
    if node is None:
        return None, None
    if node.kind in (NodeKind.SESSION, NodeKind.RECORDING, NodeKind.CLIP):
        return selected_session_id(main_window), node.obj.id if node.kind == NodeKind.CLIP else None
    sessions = [n for n in _under(node) if n.kind == NodeKind.SESSION]
    if not sessions:
        return None, None
    with_items = [s for s in sessions if s.session_node and (s.session_node.clip_count or s.session_node.still_count)]
    return max(with_items or sessions, key=lambda s: (s.obj.date, s.obj.id)).obj.id, None


def _under(node):
    for child in node.children:
        yield child
        yield from _under(child)


class StartReviewDialog(QDialog):
    """Which screen the family watches, and whether the practitioner gets the presenter window."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("startReviewDialog")
        self.setWindowTitle("Start shared review")
        self.screens: list[QScreen] = QGuiApplication.screens()
        self.screen_combo = QComboBox()
        for number, screen in enumerate(self.screens, 1):
            size = screen.geometry().size()
            self.screen_combo.addItem(f"Screen {number}: {screen.name()} ({size.width()}×{size.height()})")
        # With two screens the family's is usually the second (the TV or projector).
        second = other_screen(QGuiApplication.primaryScreen())
        if second is not None and second in self.screens:
            self.screen_combo.setCurrentIndex(self.screens.index(second))
        two = len(self.screens) > 1
        self.presenter_check = QCheckBox("Show the presenter window (playlist, prompts, the parent's words)"
                                         if two else "Show the presenter window on this same screen "
                                         "(the family could see it; P shows a discreet strip instead)")
        self.presenter_check.setChecked(two)
        note = QLabel("The review fills the family's screen and shows only this session. Esc asks for the "
                      "review PIN or the library passphrase before leaving.")
        note.setWordWrap(True)
        note.setProperty("muted", True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start review")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Family's screen", self.screen_combo)
        form.addRow("", self.presenter_check)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    @property
    def family_screen(self) -> QScreen | None:
        index = self.screen_combo.currentIndex()
        return self.screens[index] if 0 <= index < len(self.screens) else None


class SetPinDialog(QDialog):
    """Set the library's review PIN (4–8 digits, asked twice); kept only as a hash in the library."""

    def __init__(self, service, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = service
        self.setObjectName("setPinDialog")
        self.setWindowTitle("Review PIN")
        intro = QLabel("A short PIN ends a shared review without typing the whole library passphrase "
                       "(which always works too). Use 4 to 8 digits a child would not guess.")
        intro.setWordWrap(True)
        self.pin_edit, self.repeat_edit = QLineEdit(), QLineEdit()
        for edit in (self.pin_edit, self.repeat_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setMaxLength(8)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("New PIN", self.pin_edit)
        form.addRow("Repeat it", self.repeat_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def save(self) -> None:
        if self.pin_edit.text() != self.repeat_edit.text():
            self.status.setText("The two PINs are not the same.")
            return
        try:
            set_pin(self.service, self.pin_edit.text())
        except VigError as error:
            self.status.setText(sentence(str(error)))
            return
        self.accept()


def sentence(text: str) -> str:
    return (text[:1].upper() + text[1:]).rstrip(".") + "."


def install_review_actions(main_window) -> tuple[QAction, QAction]:
    """Add "Start shared review" (F5), "Start review on…" (Shift+F5) and "Export…" to the library
    window; returns the first and the export action."""
    start = QAction(icon("review"), "Start shared review", main_window)
    start.setObjectName("startReviewAction")
    start.setShortcut(QKeySequence("F5"))
    start.setToolTip("Start the shared review of the selected session, case or clip (F5)")
    start.triggered.connect(lambda _checked=False: review_selected(main_window))
    start_on = QAction("Start review on…", main_window)
    start_on.setObjectName("startReviewOnAction")
    start_on.setShortcut(QKeySequence("Shift+F5"))
    start_on.setToolTip("Choose the family's screen and whether the presenter window shows (Shift+F5)")
    start_on.triggered.connect(lambda _checked=False: open_start_dialog(main_window))
    export = QAction(icon("export"), "Export…", main_window)
    export.setObjectName("exportAction")
    export.setShortcut(QKeySequence("Ctrl+Shift+E"))  # Ctrl+E opens the editor
    export.setToolTip("Export a clip, a still or the whole review of the selected session (Ctrl+Shift+E)")
    export.triggered.connect(lambda _checked=False: open_export_dialog(main_window))

    pin = QAction("Set review PIN…", main_window)
    pin.setObjectName("setReviewPinAction")
    pin.triggered.connect(lambda _checked=False: open_pin_dialog(main_window))

    menu = main_window.menuBar().addMenu("&Review")
    menu.addAction(start)
    menu.addAction(start_on)
    menu.addAction(export)
    from vigstudio.ui.review.family_dialogs import add_family_actions  # keepsake, closing letter
    add_family_actions(main_window, menu)
    menu.addSeparator()
    menu.addAction(pin)
    toolbar_actions = main_window.toolbar.actions()
    before = toolbar_actions[2] if len(toolbar_actions) > 2 else None  # after Import and New case
    main_window.toolbar.insertAction(before, start)
    main_window.library_actions.extend([start, start_on, export, pin, menu.menuAction()])  # disabled while the window is locked
    main_window.review_actions = (start, export)
    main_window.review_mode = None
    return start, export


def review_selected(main_window) -> ReviewMode | None:
    """F5 in the library window: the review of what is selected, at once."""
    session_id, clip_id = review_target(main_window)
    if session_id is None:
        main_window.statusBar().showMessage(CHOOSE_FOR_REVIEW, 8000)
        return None
    return begin_review(main_window, session_id, start_at_clip=clip_id)


def open_start_dialog(main_window) -> StartReviewDialog | None:
    session_id, clip_id = review_target(main_window)
    if session_id is None:
        main_window.statusBar().showMessage(CHOOSE_FOR_REVIEW, 8000)
        return None
    if not playlist(main_window.service, session_id):
        show_info(main_window, "Start shared review", NOTHING_TO_SHOW)
        return None
    dialog = StartReviewDialog(main_window)
    dialog.accepted.connect(lambda: begin_review(main_window, session_id, dialog.family_screen,
                                                 presenter=dialog.presenter_check.isChecked(),
                                                 start_at_clip=clip_id))
    dialog.open()
    return dialog


def begin_review(main_window, session_id: int, family_screen: QScreen | None = None, *,
                 presenter: bool | None = None, start_at_clip: int | None = None,
                 over: QWidget | None = None) -> ReviewMode | None:
    """Start the review of `session_id` (at `start_at_clip` if given); `presenter` None lets the screens
    decide (see `mode`). Says so, on `over` (default: the library window), when there is nothing to show."""
    if main_window.locked or main_window.review_mode is not None:
        return main_window.review_mode
    try:
        items = playlist(main_window.service, session_id)
    except VigError as error:
        show_info(over or main_window, "Start shared review", sentence(str(error)))
        return None
    if not items:
        show_info(over or main_window, "Start shared review", NOTHING_TO_SHOW)
        return None
    mode = ReviewMode(main_window.service, session_id, main_window)
    main_window.review_mode = mode
    main_window.idle_watcher.stop()  # a quiet talk over a paused still must not lock the library away
    # Nothing about the family stays behind the review, where Alt+Tab would bring it up.
    hidden = [w for w in _editors(main_window) if w.isVisible()]
    for window in hidden:
        window.playback.pause()  # (its sound would go on behind the family view)
        window.hide()
    main_window.hide()

    def ended() -> None:
        main_window.review_mode = None
        main_window.show()
        if not main_window.locked:
            for window in hidden:
                if shiboken6.isValid(window):
                    window.show()
            main_window.idle_watcher.start()
        (hidden[-1] if hidden and not main_window.locked and shiboken6.isValid(hidden[-1]) else main_window).raise_()
        mode.deleteLater()

    mode.ended.connect(ended)
    mode.start(family_screen, presenter=presenter)
    if start_at_clip is not None:
        index = next((n for n, i in enumerate(items) if not i.is_still and i.id == start_at_clip), None)
        if index is not None:
            mode.controller.go_to(index)
    return mode


def _editors(main_window) -> list[QWidget]:
    launcher = getattr(main_window, "editor_launcher", None)
    return list(launcher.editors.values()) if launcher is not None else []


def open_pin_dialog(main_window) -> SetPinDialog:
    dialog = SetPinDialog(main_window.service, main_window)
    dialog.accepted.connect(lambda: main_window.statusBar().showMessage("Review PIN saved.", 8000))
    dialog.open()
    return dialog


def open_export_dialog(main_window) -> ExportDialog | None:
    return open_session_dialog(main_window, ExportDialog)


def open_session_dialog(main_window, dialog_class):
    """Open `dialog_class(service, session_id, main_window)` for the selected session, or say to pick one."""
    session_id = _session_or_say_so(main_window)
    if session_id is None:
        return None
    dialog = dialog_class(main_window.service, session_id, main_window)
    dialog.open()
    return dialog


def _session_or_say_so(main_window) -> int | None:
    session_id = selected_session_id(main_window)
    if session_id is None:
        main_window.statusBar().showMessage(CHOOSE_SESSION, 8000)
    return session_id
