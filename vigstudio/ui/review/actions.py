"""The library window's way into the shared review and the export dialog.

`install_review_actions(main_window)` adds a "Review" menu with "Start shared review…" (F5),
"Export…" (Ctrl+Shift+E) and "Set review PIN…"; the review also goes on the toolbar. Review and export work
on the session selected in the library tree (or the session of the selected recording). During a review the library window is hidden and its
auto-lock paused (the review has its own guarded exit), and it comes back when the review ends.
"""

from __future__ import annotations

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


def selected_session_id(main_window) -> int | None:
    node = main_window.current_node()
    if node is None:
        return None
    if node.kind == NodeKind.SESSION:
        return node.obj.id
    if node.kind == NodeKind.RECORDING and node.parent is not None:
        return node.parent.obj.id
    return None


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
        self.presenter_check = QCheckBox("Show the presenter window (playlist, prompts, the parent's words)")
        self.presenter_check.setChecked(True)
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
    """Add "Start shared review…" (F5) and "Export…" to the library window; returns both actions."""
    start = QAction(icon("review"), "Start shared review…", main_window)
    start.setObjectName("startReviewAction")
    start.setShortcut(QKeySequence("F5"))
    start.setToolTip("Start the shared review of the selected session (F5)")
    start.triggered.connect(lambda _checked=False: open_start_dialog(main_window))
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
    menu.addAction(export)
    from vigstudio.ui.review.family_dialogs import add_family_actions  # keepsake, closing letter
    add_family_actions(main_window, menu)
    menu.addSeparator()
    menu.addAction(pin)
    toolbar_actions = main_window.toolbar.actions()
    before = toolbar_actions[2] if len(toolbar_actions) > 2 else None  # after Import and New case
    main_window.toolbar.insertAction(before, start)
    main_window.library_actions.extend([start, export, pin])  # disabled while the window is locked
    main_window.review_actions = (start, export)
    main_window.review_mode = None
    return start, export


def open_start_dialog(main_window) -> StartReviewDialog | None:
    session_id = _session_or_say_so(main_window)
    if session_id is None:
        return None
    if not playlist(main_window.service, session_id):
        show_info(main_window, "Start shared review",
                  "This session has no clips or stills yet. Make some in the editor first.")
        return None
    dialog = StartReviewDialog(main_window)
    dialog.accepted.connect(lambda: begin_review(main_window, session_id, dialog.family_screen,
                                                 presenter=dialog.presenter_check.isChecked()))
    dialog.open()
    return dialog


def begin_review(main_window, session_id: int, family_screen: QScreen | None = None, *,
                 presenter: bool = True) -> ReviewMode:
    mode = ReviewMode(main_window.service, session_id, main_window)
    main_window.review_mode = mode
    main_window.idle_watcher.stop()  # a quiet talk over a paused still must not lock the library away
    main_window.hide()

    def ended() -> None:
        main_window.review_mode = None
        main_window.show()
        main_window.raise_()
        if not main_window.locked:
            main_window.idle_watcher.start()
        mode.deleteLater()

    mode.ended.connect(ended)
    mode.start(family_screen, presenter=presenter)
    return mode


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
