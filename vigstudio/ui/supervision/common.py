"""Small pieces the supervision dialogs share: inline error label, a calm base dialog, pickers."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vigstudio.app.cases import list_cases
from vigstudio.app.library import LibraryService
from vigstudio.domain.errors import VigError
from vigstudio.domain.model import CaseOrigin
from vigstudio.ui.background import BackgroundTask, run_in_background
from vigstudio.ui.dialogs import sentence


class SupervisionDialog(QDialog):
    """Opened with `open()`; app refusals are shown inline in `error` and the dialog stays."""

    def __init__(self, parent: QWidget | None, service: LibraryService, title: str, name: str):
        super().__init__(parent)
        self.service = service
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        self.layout_ = QVBoxLayout(self)
        self.error = QLabel()
        self.error.setObjectName("dialogError")
        self.error.setWordWrap(True)
        self.error.setProperty("error", True)
        self.error.hide()
        self.task: BackgroundTask | None = None
        self.done_message = ""  # what the window's status bar says once the dialog has succeeded

    def note(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setProperty("muted", True)
        return label

    def button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        return button

    def add_button_row(self, *buttons: QPushButton) -> None:
        """Action buttons left-aligned in one row."""
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        self.layout_.addLayout(row)

    def add_close_button(self) -> None:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.layout_.addWidget(buttons)

    def show_error(self, error: VigError | str) -> None:
        if not shiboken6.isValid(self.error):  # a background task that ended after the dialog closed
            return
        self.error.setText(sentence(str(error)))
        self.error.show()

    def clear_error(self) -> None:
        self.error.hide()

    def attempt(self, fn, *args, **kwargs):
        """Call an app function; a `VigError` is shown inline and None returned."""
        self.clear_error()
        try:
            return fn(*args, **kwargs)
        except VigError as err:
            self.show_error(err)
            return None

    def in_background(self, work, done, label: str) -> BackgroundTask:
        """Run `work(progress)` off the GUI thread; `done(result)` on success, refusals inline."""
        self.clear_error()
        self.task = run_in_background(self, work, done, self.show_error, progress_label=label)
        return self.task


def case_codes(service: LibraryService, origin: CaseOrigin | None = None) -> list[str]:
    return [c.code for c in list_cases(service) if origin is None or c.origin == origin]


def choose_case(combo: QComboBox, case_code: str | None) -> None:
    """Preselect the case chosen in the window, and no case when none is: a form must not act on
    whichever family's case sorts first."""
    combo.setPlaceholderText("Choose the family's case…")
    combo.setCurrentIndex(combo.findText(case_code) if case_code else -1)


def checkable_list(items: list[tuple[str, object]], checked: bool = False) -> QListWidget:
    widget = QListWidget()
    for text, data in items:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, data)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        widget.addItem(item)
    return widget


def checked_data(widget: QListWidget) -> list:
    return [widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked]
