"""The library window: cases → cycles → sessions → recordings, details, import, lock.

All work goes through `LibraryService` (the app layer); anything slow runs through
`run_in_background`. The tree is a `LibraryModel` that reloads itself from the app's Change
notifications, so this window never refreshes views by hand after an edit.

Locking (idle timeout or Ctrl+L) detaches the model, closes the library (once no background work
still needs it) and shows only the lock screen; unlocking re-opens it with the passphrase.
"""

from __future__ import annotations

import logging
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from vigstudio.app import demo as demo_library
from vigstudio.app.cases import add_case
from vigstudio.app.library import CheckReport, LibraryService
from vigstudio.domain.errors import VigError, WrongPassphrase
from vigstudio.domain.model import ReferralSource
from vigstudio.ui import settings
from vigstudio.ui.autolock import IdleWatcher, LockScreen
from vigstudio.ui.background import BackgroundTask, ProgressDialog, run_in_background, show_error, show_info
from vigstudio.ui.dialogs import (
    ChangePassphraseDialog,
    NewCaseDialog,
    SettingsDialog,
    ShortcutsDialog,
    sentence,
)
from vigstudio.ui.editor.launcher import EditorLauncher
from vigstudio.ui.icons import app_icon, icon
from vigstudio.ui.library_import import RecordingImport, local_files
from vigstudio.ui.library_model import LibraryModel, Node, NodeKind, recording_node_of
from vigstudio.ui.library_tree import LibraryTree
from vigstudio.ui.panels import DemoBanner, DetailsPane, EmptyState
from vigstudio.ui.shortcuts import menu_shortcut_actions

log = logging.getLogger(__name__)

APP_TITLE = "VIG Studio"


class MainWindow(QMainWindow):
    """Shows one open library. Emits `library_closed` when the user closes the library."""

    library_closed = Signal()
    lock_changed = Signal(bool)

    CONTENT, EMPTY, LOCKED = range(3)

    def __init__(self, service: LibraryService, *, idle_timeout_ms: int | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.resize(1100, 700)
        self.service = service
        self.library_path = str(service.path)
        self.locked = False
        self.tasks: set[BackgroundTask] = set()
        self.active_dialog: QDialog | None = None
        self._pending_notices: list[tuple[str, str, bool]] = []
        self._close_library_when_idle = False
        self._quit_when_idle = False
        self._demo = False
        # The session editor: double-click / Ctrl+E open it (and it closes the editors on lock).
        self.editor_launcher = EditorLauncher(self)

        self.model = LibraryModel(self)
        self.importing = RecordingImport(self)  # choosing files, their case and session, the import itself
        self._build_actions()
        self._build_menus_and_toolbar()
        self._build_central()
        self.statusBar()
        self.model.reloaded.connect(self._update_state)

        minutes_ms = settings.idle_minutes() * 60_000
        self.idle_watcher = IdleWatcher(idle_timeout_ms or minutes_ms, self)
        self.idle_watcher.idle.connect(self._lock_when_idle)

        self.model.attach(service)
        self._update_state()
        self.idle_watcher.start()
        # Ctrl+L from any window of the app (editor, review, presenter, a dialog) locks this library.
        QApplication.instance().installEventFilter(LockKeyFilter(self))

    # ================================================================== building
    def _action(self, icon_name: str | None, text: str, slot, shortcut: str | QKeySequence | None = None,
                tip: str | None = None) -> QAction:
        action = QAction(text, self)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        hint = tip or text.rstrip("…")
        if shortcut is not None:
            hint += f" ({QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)})"
        action.setToolTip(hint)
        action.setStatusTip(tip or "")
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        self.new_case_action = self._action("add-case", "New case…", self.new_case, "Ctrl+N",
                                            "Add a case with a pseudonymous code")
        self.import_action = self._action("import", "Import recording…", self.choose_files_to_import,
                                          "Ctrl+I", "Import a video file into a case")
        self.lock_action = self._action("lock", "Lock now", lambda: self.lock("Locked."), "Ctrl+L",
                                        "Hide everything until the passphrase is entered")
        self.passphrase_action = self._action(None, "Change passphrase…", self.change_passphrase)
        self.check_action = self._action("check", "Check library…", self.check_library, None,
                                         "Check every encrypted file of the library for damage")
        self.backup_action = self._action(None, "Back up library…", self.choose_backup_file, None,
                                          "Write an encrypted backup of the whole library to one file")
        self.settings_action = self._action("settings", "Settings…", self.open_settings, "Ctrl+,",
                                            "Auto-lock time")
        # Not Ctrl+W: that closes an editor, and one key press too many must not close the library.
        self.close_library_action = self._action("close", "Close library…", self.ask_close_library, "Ctrl+Shift+W",
                                                 "Close this library (the passphrase opens it again)")
        self.quit_action = self._action(None, "Quit", self.close, "Ctrl+Q")
        self.shortcuts_action = self._action("help", "Keyboard shortcuts", self.show_shortcuts, "F1")
        self.about_action = self._action("info", "About VIG Studio", self.show_about)
        self.library_actions = [self.new_case_action, self.import_action, self.lock_action,
                                self.passphrase_action, self.check_action, self.backup_action,
                                self.settings_action, self.close_library_action]

    def _build_menus_and_toolbar(self) -> None:
        library_menu = self.menuBar().addMenu("&Library")
        for action in (self.new_case_action, self.import_action, self.editor_launcher.open_action, None,
                       self.lock_action,
                       self.passphrase_action, self.check_action, self.backup_action, self.settings_action, None,
                       self.close_library_action, self.quit_action):
            if action is None:
                library_menu.addSeparator()
            else:
                library_menu.addAction(action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)

        self.toolbar = QToolBar("Library")
        self.toolbar.setObjectName("libraryToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.addAction(self.import_action)
        self.toolbar.addAction(self.new_case_action)
        spacer = QWidget()
        spacer.setSizePolicy(spacer.sizePolicy().Policy.Expanding, spacer.sizePolicy().Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.toolbar.addAction(self.settings_action)
        self.toolbar.addAction(self.lock_action)
        self.addToolBar(self.toolbar)

    def _build_central(self) -> None:
        self.tree = LibraryTree(self.model)
        self.tree.activated.connect(self._activated)
        self.tree.current_node_changed.connect(lambda node: self.details.show_node(node))
        self.details = DetailsPane()
        self.splitter = QSplitter()
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([420, 640])
        self.splitter.setContentsMargins(8, 8, 8, 8)

        self.empty_state = EmptyState()
        self.empty_state.add_case_clicked.connect(self.new_case)
        self.empty_state.import_clicked.connect(self.choose_files_to_import)
        self.lock_screen = LockScreen()
        self.lock_screen.unlock_requested.connect(self.unlock)
        self.lock_screen.close_library_requested.connect(self.close_library)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.empty_state)
        self.stack.addWidget(self.lock_screen)
        self.demo_banner = DemoBanner()
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.demo_banner)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

    # ================================================================== state
    @property
    def is_demo(self) -> bool:
        """Every case is a demo case (as of the last unlocked view: the model is empty while locked)."""
        return self._demo

    def _update_state(self) -> None:
        if self.locked:
            self.stack.setCurrentIndex(self.LOCKED)
            self.demo_banner.hide()
            self.setWindowTitle(f"{APP_TITLE} — locked")
            return
        cases = self.model.cases()
        self._demo = bool(cases) and all(case.is_demo for case in cases)
        self.stack.setCurrentIndex(self.CONTENT if cases else self.EMPTY)
        self.demo_banner.setVisible(self.is_demo)
        name = "Demo library" if self.is_demo else Path(self.library_path).name
        self.setWindowTitle(f"{APP_TITLE} — {name}")

    def current_node(self) -> Node | None:
        return self.tree.current_node()

    def _activated(self, index: QModelIndex) -> None:
        node = self.model.node(index)
        if node is None or node.kind not in (NodeKind.SESSION, NodeKind.RECORDING, NodeKind.CLIP):
            return
        recording = recording_node_of(node)
        session = node if recording is None else recording.parent
        recording_id = recording.obj.id if recording is not None else None
        self.editor_launcher.open(session.obj.id, recording_id)

    def notify(self, title: str, text: str, error: bool = False) -> None:
        """Messages that may name a case wait until the window is unlocked."""
        if self.locked:
            self._pending_notices.append((title, text, error))
        elif error:
            show_error(self, title, text)
        else:
            self.statusBar().showMessage(text, 8000)

    def run_task(self, fn, on_success=None, on_failure=None, **kwargs) -> BackgroundTask:
        task = run_in_background(self, fn, on_success, on_failure, **kwargs)
        self.tasks.add(task)
        task.finished.connect(lambda: self._task_finished(task))
        if self.locked:
            task.suppress_dialog(True)
        return task

    def _task_finished(self, task: BackgroundTask) -> None:
        self.tasks.discard(task)
        if self.tasks:
            return
        if self._quit_when_idle:
            self.close()
        elif self.locked and self._close_library_when_idle:
            self._close_library_when_idle = False
            self.service.close()

    # ================================================================== cases
    def open_dialog(self, dialog: QDialog) -> QDialog:
        self.active_dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: QDialog) -> None:
        if self.active_dialog is dialog:
            self.active_dialog = None

    def _add_case(self, code: str, name: str | None, referral: ReferralSource):
        case = add_case(self.service, code, name=name, referral=referral)
        self.tree.select_later(("case", case.id))
        return case

    def new_case(self, intro: str | None = None, then=None) -> NewCaseDialog | None:
        if self.locked:
            return None
        dialog = NewCaseDialog(self, self._add_case, intro)

        def added() -> None:
            self.statusBar().showMessage(f"Case {dialog.case.code} added.", 6000)
            if then is not None:
                then(dialog.case.code)

        dialog.accepted.connect(added)
        self.open_dialog(dialog)
        return dialog

    # ================================================================== import (`RecordingImport`)
    def choose_files_to_import(self) -> None:
        self.importing.choose_files()

    def import_files(self, paths: list[str], case_code: str | None = None,
                     session_id: int | None = None) -> BackgroundTask | None:
        """Import into `case_code` (a new filming session unless `session_id`); without a case, the
        selected item decides, or the user is asked. Returns the running task, if one started."""
        return self.importing.import_files(paths, case_code, session_id)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if not self.locked and event.mimeData().hasUrls() and local_files(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_files(event.mimeData().urls())
        if self.locked or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        # Dropped on a row: that case (a new session) or that session; anywhere else: what is selected.
        self.importing.import_dropped(paths, self._node_at(event.position().toPoint()) or self.current_node())

    def _node_at(self, window_pos) -> Node | None:
        if self.stack.currentIndex() != self.CONTENT:
            return None
        return self.tree.node_at(self.tree.viewport().mapFrom(self, window_pos))

    # ================================================================== library
    def check_library(self) -> BackgroundTask:
        def done(report: CheckReport) -> None:
            if report.ok:
                show_info(self, "Library check", f"All {report.checked} encrypted files were checked: "
                          "no damage found.")
            else:
                show_error(self, "Library check", "Problems were found:\n\n" + "\n".join(report.problems[:20]))

        return self.run_task(lambda progress: self.service.check(progress), done,
                         progress_label="Checking every encrypted file…", failure_title="Library check")

    def choose_backup_file(self) -> BackgroundTask | None:
        path, _filter = QFileDialog.getSaveFileName(self, "Back up library", str(Path.home() / "library.vigbackup"),
                                                    "VIG Studio backups (*.vigbackup)")
        return self.back_up(Path(path)) if path else None

    def back_up(self, path: Path) -> BackgroundTask:
        """The backup runs off the GUI thread with progress and cancel (a cancelled one leaves no file)."""
        from vigstudio.app.backup import backup

        def done(info) -> None:
            self.notify("Backup", f"Backed up to {path.name}: {info.containers} recordings. It opens with "
                         "this library's passphrase only; keep it somewhere safe.")

        return self.run_task(lambda progress: backup(self.service, path, progress), done,
                         progress_label="Backing up the library…", failure_title="Backup")

    def change_passphrase(self) -> ChangePassphraseDialog:
        def changed(_result) -> None:
            if shiboken6.isValid(dialog):  # a lock meanwhile closes the dialog
                dialog.accept()
            self.notify("Passphrase", "Passphrase changed. Use the new one from now on.")

        def refused(error: VigError) -> None:
            if shiboken6.isValid(dialog):
                dialog.show_error(str(error))

        def submit(old: str, new: str) -> None:
            self.run_task(lambda _p: self.service.change_passphrase(old, new), changed, refused,
                      progress_label="Changing the passphrase…", cancellable=False, show_progress=False)

        dialog = ChangePassphraseDialog(self, submit)
        self.open_dialog(dialog)
        return dialog

    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self, settings.idle_minutes())

        def save() -> None:
            settings.set_idle_minutes(dialog.minutes_spin.value())
            self.idle_watcher.set_timeout_ms(dialog.minutes_spin.value() * 60_000)

        dialog.accepted.connect(save)
        self.open_dialog(dialog)
        return dialog

    def show_shortcuts(self) -> None:
        self.open_dialog(ShortcutsDialog(self, menu_shortcut_actions(self)))

    def show_about(self) -> None:
        show_info(self, "About VIG Studio",
                  "VIG Studio 0.1: find, trim and share the moments that go better than usual, for "
                  "Video Interaction Guidance and Watch, Wait and Wonder.\n\n"
                  "Every recording and note is encrypted on this computer.")

    def ask_close_library(self) -> QMessageBox | None:
        """Close library…: asks first (every editor closes too, and it takes the passphrase to reopen)."""
        if self.locked:
            return None
        box = QMessageBox(QMessageBox.Icon.Question, "Close library",
                          "Close this library? Any editor open on it closes too; the passphrase opens it again.",
                          QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("closeLibraryBox")
        close = box.addButton("Close library", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(lambda button: button is close and self.close_library())
        self.open_dialog(box)
        return box

    def close_library(self) -> None:
        if self.tasks:
            show_error(self, "Close library", "Work is still running. Wait for it to finish, or cancel it.")
            return
        self.model.detach()
        self.service.close()
        self.idle_watcher.stop()
        self.library_closed.emit()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.tasks:
            # Cancel and close once the work has cleaned up after itself.
            self._quit_when_idle = True
            for task in list(self.tasks):
                task.cancel()
            event.ignore()
            return
        self.idle_watcher.stop()
        self.model.detach()
        self.service.close()
        super().closeEvent(event)

    # ================================================================== lock
    def _lock_when_idle(self) -> None:
        minutes = self.idle_watcher.timeout_ms // 60_000
        self.lock(f"Locked after {minutes} minute{'s' if minutes != 1 else ''} without use." if minutes
                  else "Locked after a while without use.")

    def lock(self, reason: str = "Locked.") -> None:
        if self.locked:
            return
        self.locked = True
        self.idle_watcher.stop()
        review = getattr(self, "review_mode", None)
        if review is not None:
            review.end()  # the family's screen and the presenter close; this window comes back locked
        for widget in QApplication.topLevelWidgets():  # dialogs may show case codes
            if isinstance(widget, QDialog) and widget.isVisible() and not isinstance(widget, ProgressDialog):
                widget.reject()
        for task in self.tasks:
            task.suppress_dialog(True)
        self.model.detach()
        self.details.show_node(None)
        self.statusBar().clearMessage()
        for action in self.library_actions:
            action.setEnabled(False)
        self.toolbar.hide()
        hint = reason + " Enter the library passphrase to continue."
        if self._demo:
            hint += f" (Demo library passphrase: “{demo_library.DEMO_PASSPHRASE}”)"
        self.lock_screen.reset(hint)
        if self.tasks:
            self._close_library_when_idle = True
        else:
            self.service.close()
        self._update_state()
        self.lock_screen.passphrase_edit.setFocus()
        self.lock_changed.emit(True)

    def unlock(self, passphrase: str) -> BackgroundTask | None:
        if not self.locked:
            return None
        path = self.library_path
        if self.service.is_open:  # background work kept it open: just check the passphrase
            work = lambda _p: self.service.check_passphrase(passphrase)  # noqa: E731
        else:
            work = lambda _p: self.service.open(path, passphrase)  # noqa: E731
        return self.run_task(work, lambda _r: self._unlocked(), self._unlock_failed,
                         progress_label="Unlocking…", cancellable=False, show_progress=False)

    def _unlock_failed(self, error: VigError) -> None:
        if isinstance(error, WrongPassphrase):  # the full path is noise here: it is this library
            self.lock_screen.show_error("Wrong passphrase for this library. Try again.")
        else:
            self.lock_screen.show_error(sentence(str(error)))

    def _unlocked(self) -> None:
        self._close_library_when_idle = False
        self.locked = False
        self.lock_screen.reset("")
        for action in self.library_actions:
            action.setEnabled(True)
        self.toolbar.show()
        self.model.attach(self.service)
        self._update_state()
        for task in self.tasks:
            task.suppress_dialog(False)
        notices, self._pending_notices = self._pending_notices, []
        for title, text, error in notices:
            self.notify(title, text, error)
        self.idle_watcher.start()
        self.lock_changed.emit(False)


class LockKeyFilter(QObject):
    """Ctrl+L pressed in any window while this library window is in use locks it: the library
    window's own shortcut reaches only its own window, and a review window swallows other keys."""

    def __init__(self, main_window: MainWindow):
        super().__init__(main_window)
        self.main_window = main_window

    def eventFilter(self, watched, event) -> bool:
        # Every event of the application passes here: the cheap type test first (asking for the
        # event's type makes a Python enum each time, for thousands of paint and mouse events).
        if not isinstance(event, QKeyEvent) or event.type() != QEvent.Type.KeyPress:
            return False
        if event.key() != Qt.Key.Key_L or event.modifiers() != Qt.KeyboardModifier.ControlModifier:
            return False
        window = self.main_window
        in_use = window.isVisible() or getattr(window, "review_mode", None) is not None
        if window.locked or not in_use:
            return False
        window.lock("Locked.")
        return True

