"""The one way the GUI runs slow work: off the GUI thread, with progress, cancel and clear errors.

Like Anki's CollectionOp: `run_in_background(parent, fn, on_success, ...)` calls `fn(progress)` on a
worker thread with an `app.progress.Progress`; its callback crosses back to the GUI thread as a
queued Qt signal that feeds a small progress dialog. Cancel calls `Progress.cancel()`, so the next
progress step inside the work raises `Cancelled` and the work cleans up after itself. The GUI thread
never waits: results, errors and cancellation all arrive as queued signals.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vigstudio.app.logging_setup import log_unexpected
from vigstudio.app.progress import Progress
from vigstudio.domain.errors import Cancelled, VigError

log = logging.getLogger(__name__)

SHOW_DIALOG_AFTER_MS = 300  # quick work (opening a library) finishes without a flashing dialog
_BAR_STEPS = 1000
_MIN_EMIT_INTERVAL = 0.05  # seconds between progress signals, so a chatty task cannot flood the queue

# Running tasks are kept alive here until they report back (Qt does not own Python objects).
_running: set[BackgroundTask] = set()


class ProgressDialog(QDialog):
    """One label, one bar, one Cancel button. Closing the window counts as Cancel."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None, label: str, cancellable: bool):
        super().__init__(parent)
        self.setObjectName("progressDialog")
        self.setWindowTitle("VIG Studio")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(420)
        self.title = QLabel(label)
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: 600;")
        self.label = QLabel("")  # the current stage, as the work reports it
        self.label.setWordWrap(True)
        self.label.setProperty("muted", True)
        self.bar = QProgressBar()
        self.bar.setRange(0, _BAR_STEPS)
        self.bar.setTextVisible(True)
        # parented at once: a parentless widget made visible is briefly a window of its own, and
        # takes the focus from the active window even when this dialog is never shown
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setVisible(cancellable)
        self.cancel_button.clicked.connect(self._on_cancel)
        self._cancellable = cancellable
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)

    def set_progress(self, fraction: float, label: str) -> None:
        self.bar.setValue(round(max(0.0, min(1.0, fraction)) * _BAR_STEPS))
        if label and self.cancel_button.isEnabled():
            self.label.setText(label[:1].upper() + label[1:])

    def _on_cancel(self) -> None:
        if not self._cancellable or not self.cancel_button.isEnabled():
            return
        self.cancel_button.setEnabled(False)
        self.label.setText("Cancelling…")
        self.cancel_requested.emit()

    def reject(self) -> None:  # Esc or the window's close button
        self._on_cancel()


class _Worker(QRunnable):
    def __init__(self, task: BackgroundTask):
        super().__init__()
        self.setAutoDelete(True)
        self._task = task

    def run(self) -> None:  # on a pool thread
        task = self._task
        try:
            result = task._fn(task.progress)
        except BaseException as exc:  # every outcome must reach the GUI thread
            outcome, value = task._failed_signal, exc
        else:
            outcome, value = task._succeeded_signal, result
        if shiboken6.isValid(task):  # not when the app quit meanwhile and took the task's QObject with it
            outcome.emit(value)


class BackgroundTask(QObject):
    """A piece of work running off the GUI thread. Signals arrive on the GUI thread."""

    progressed = Signal(float, str)
    finished = Signal()  # after the success/failure/cancel handler has run

    _succeeded_signal = Signal(object)
    _failed_signal = Signal(object)

    def __init__(
        self,
        parent: QWidget | None,
        fn: Callable[[Progress], Any],
        on_success: Callable[[Any], None] | None,
        on_failure: Callable[[VigError], None] | None,
        on_cancelled: Callable[[], None] | None,
        progress_label: str,
        cancellable: bool,
        failure_title: str,
        show_progress: bool = True,
    ):
        super().__init__(None)  # not owned by the widget: the worker may outlive it
        self._fn = fn
        self._on_success = on_success
        self._on_failure = on_failure
        self._on_cancelled = on_cancelled
        self._failure_title = failure_title
        self._parent_widget = parent
        self._last_emit = 0.0
        self._last_label: str | None = None
        self._emit_lock = threading.Lock()
        self.done = False
        self.progress = Progress(self._report_from_worker, what="work")  # (labels may name a case)
        self.dialog = ProgressDialog(parent, progress_label, cancellable)
        self.dialog.cancel_requested.connect(self.cancel)
        self.progressed.connect(self.dialog.set_progress)
        self._succeeded_signal.connect(self._succeeded)
        self._failed_signal.connect(self._failed)
        self._show_timer = QTimer(self)
        self._show_timer.setSingleShot(True)
        self._show_timer.timeout.connect(self._show_dialog)
        self._show_progress = show_progress
        self._dialog_suppressed = not show_progress

    # -- called on the worker thread ----------------------------------------------------------
    def _report_from_worker(self, fraction: float, label: str) -> None:
        now = time.monotonic()
        with self._emit_lock:
            same_stage = label == self._last_label
            if fraction < 1.0 and same_stage and now - self._last_emit < _MIN_EMIT_INTERVAL:
                return
            self._last_emit, self._last_label = now, label
        self.progressed.emit(fraction, label)

    # -- GUI thread ---------------------------------------------------------------------------
    def start(self) -> BackgroundTask:
        _running.add(self)
        self._show_timer.start(SHOW_DIALOG_AFTER_MS)
        QThreadPool.globalInstance().start(_Worker(self))
        return self

    @Slot()
    def cancel(self) -> None:
        self.progress.cancel()

    @property
    def cancelled(self) -> bool:
        return self.progress.cancelled

    def suppress_dialog(self, suppressed: bool) -> None:
        """Hide the progress dialog while the window is locked; bring it back on unlock."""
        self._dialog_suppressed = suppressed or not self._show_progress
        if suppressed:
            if shiboken6.isValid(self.dialog):
                self.dialog.hide()
        elif self._show_progress and not self.done and not self._show_timer.isActive():
            self._show_dialog()

    @Slot()
    def _show_dialog(self) -> None:
        if not self.done and not self._dialog_suppressed and shiboken6.isValid(self.dialog):
            self.dialog.show()

    def _close_dialog(self) -> None:
        self.done = True
        self._show_timer.stop()
        if shiboken6.isValid(self.dialog):  # the parent window may have been closed meanwhile
            self.dialog.hide()
            self.dialog.deleteLater()

    @Slot(object)
    def _succeeded(self, result: Any) -> None:
        self._close_dialog()
        try:
            # A window closed while its work ran: the work is done and kept, but its handler would
            # reach into deleted widgets.
            window_gone = self._parent_widget is not None and self._live_parent() is None
            if self._on_success is not None and not window_gone:
                self._on_success(result)
        finally:
            self._finish()

    @Slot(object)
    def _failed(self, exc: BaseException) -> None:
        self._close_dialog()
        try:
            if isinstance(exc, Cancelled):
                if self._on_cancelled is not None:
                    self._on_cancelled()
            elif isinstance(exc, VigError):
                log.info("%s: %s", self._failure_title, type(exc).__name__)
                if self._on_failure is not None:
                    self._on_failure(exc)
                else:
                    show_error(self._live_parent(), self._failure_title, str(exc))
            else:
                # Unexpected: logged with frames and type only (the message may hold data).
                reference = log_unexpected(exc, self._failure_title)
                show_error(self._live_parent(), self._failure_title,
                           f"Something unexpected went wrong ({type(exc).__name__}, reference "
                           f"{reference}). Work that had finished is kept; the log file has details.")
        finally:
            self._finish()

    def _live_parent(self) -> QWidget | None:
        parent = self._parent_widget
        return parent if parent is not None and shiboken6.isValid(parent) else None

    def _finish(self) -> None:
        _running.discard(self)
        self.finished.emit()


def run_in_background(
    parent: QWidget | None,
    fn: Callable[[Progress], Any],
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[VigError], None] | None = None,
    *,
    on_cancelled: Callable[[], None] | None = None,
    progress_label: str = "Working…",
    cancellable: bool = True,
    failure_title: str = "Could not finish",
    show_progress: bool = True,
) -> BackgroundTask:
    """Run `fn(progress)` on a worker thread; handlers run later on the GUI thread.

    `on_failure` gets expected errors (`VigError`); without it they are shown in a message box
    titled `failure_title`. Cancellation calls `on_cancelled` (no message). Anything unexpected is
    logged and shown as a generic message. `show_progress=False` is for short work whose caller
    shows its own busy state (unlocking: the passphrase field says "Checking…").
    """
    task = BackgroundTask(parent, fn, on_success, on_failure, on_cancelled, progress_label,
                          cancellable, failure_title, show_progress)
    return task.start()


def running_tasks() -> list[BackgroundTask]:
    return list(_running)


def show_error(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    """A non-blocking warning box (opened, not exec'd, so nothing waits in a nested loop)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def show_info(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("infoBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
