"""The library window's small dialogs. Each is opened with `open()` (never a nested `exec()` loop)
and reports through `accepted`; problems the app reports are shown inline, and the dialog stays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vigstudio.domain.errors import PassphraseTooShort, VigError
from vigstudio.domain.model import Case, ReferralSource
from vigstudio.ui.library_model import REFERRAL_LABELS
from vigstudio.ui.shortcuts import sheet_row


def _error_label() -> QLabel:
    label = QLabel()
    label.setObjectName("dialogError")
    label.setWordWrap(True)
    label.setProperty("error", True)
    return label


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setProperty("muted", True)
    return label


def close_and_action_row(dialog: QDialog, text: str, slot: Callable[[], object], *,
                         default: bool = True) -> tuple[QPushButton, QHBoxLayout]:
    """The export-like dialogs' bottom row: Close, then the primary action, both to the right."""
    action = QPushButton(text)
    action.setProperty("primary", True)
    action.setDefault(default)
    action.clicked.connect(slot)
    close = QPushButton("Close")
    close.clicked.connect(dialog.reject)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(close)
    row.addWidget(action)
    return action, row


def sentence(message: str) -> str:
    """App errors are one lower-case line; shown in a window they read better as a sentence."""
    message = message.strip()
    if not message:
        return message
    message = message[0].upper() + message[1:]
    return message if message.endswith((".", "!", "?")) else message + "."


class NewCaseDialog(QDialog):
    """Code (pseudonymous), referral source, optional name. `submit(code, name, referral)` does the
    adding (an app call) and may raise `VigError`, which is shown inline."""

    def __init__(self, parent: QWidget | None, submit: Callable[[str, str | None, ReferralSource], Case],
                 intro: str | None = None):
        super().__init__(parent)
        self.setObjectName("newCaseDialog")
        self.setWindowTitle("New case")
        self.setMinimumWidth(440)
        self._submit = submit
        self.case: Case | None = None
        self.code_edit = QLineEdit()
        self.code_edit.setPlaceholderText("e.g. F-014")
        self.referral_combo = QComboBox()
        for referral, label in REFERRAL_LABELS.items():
            self.referral_combo.addItem(label, referral)
        self.referral_combo.setCurrentIndex(list(REFERRAL_LABELS).index(ReferralSource.HEALTH_VISITOR))
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Optional, only shown inside this library")
        self.error_label = _error_label()
        self.code_edit.textChanged.connect(lambda _t: self.error_label.clear())

        form = QFormLayout()
        form.addRow("Case code", self.code_edit)
        form.addRow("Referred by", self.referral_combo)
        form.addRow("Name", self.name_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add case")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if intro:
            layout.addWidget(_note(intro))
        layout.addLayout(form)
        layout.addWidget(_note("Use a pseudonymous code, not the family's name: the code is what appears "
                               "in exports, supervision bundles and logs."))
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def accept(self) -> None:
        code = self.code_edit.text().strip()
        if not code:
            self.error_label.setText("Enter a case code, for example F-014.")
            return
        try:
            self.case = self._submit(code, self.name_edit.text().strip() or None,
                                     self.referral_combo.currentData())
        except VigError as error:
            self.error_label.setText(sentence(str(error)))
            return
        super().accept()


class ChooseCaseDialog(QDialog):
    """Which case does this recording belong to? Pick one, or type a new code to add a case."""

    NEW_CASE = "__new__"

    def __init__(self, parent: QWidget | None, codes: list[str], preselect: str | None, file_count: int):
        super().__init__(parent)
        self.setObjectName("chooseCaseDialog")
        self.setWindowTitle("Import into which case?")
        self.setMinimumWidth(400)
        self.combo = QComboBox()
        for code in codes:
            self.combo.addItem(code, code)
        self.combo.addItem("New case…", self.NEW_CASE)
        if preselect and preselect in codes:
            self.combo.setCurrentIndex(codes.index(preselect))
        what = "this recording" if file_count == 1 else f"these {file_count} recordings"
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Which case does {what} belong to?"))
        layout.addWidget(self.combo)
        layout.addWidget(_note("A new filming session is made in the case's current cycle."))
        layout.addWidget(buttons)

    def choice(self) -> str:
        return self.combo.currentData()


class ChooseTrackDialog(QDialog):
    """A file with two (or more) full-length camera tracks: which one is the recording?"""

    def __init__(self, parent: QWidget | None, file_name: str, tracks):
        super().__init__(parent)
        self.setObjectName("chooseTrackDialog")
        self.setWindowTitle("Which camera?")
        self.setMinimumWidth(420)
        self.combo = QComboBox()
        for track in tracks:
            self.combo.addItem(track.describe(), track.number)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{file_name} has {len(tracks)} camera tracks. Which one is the recording?"))
        layout.addWidget(self.combo)
        layout.addWidget(_note("The whole file is kept; the editor shows the track chosen here."))
        layout.addWidget(buttons)

    def choice(self) -> int:
        return int(self.combo.currentData())


class ChangePassphraseDialog(QDialog):
    """Current passphrase + new one twice. Checks length and match locally; `submit(old, new)` is
    run by the caller in the background, which reports back via `show_error` or `accept`."""

    def __init__(self, parent: QWidget | None, submit: Callable[[str, str], None]):
        super().__init__(parent)
        self.setObjectName("changePassphraseDialog")
        self.setWindowTitle("Change passphrase")
        self.setMinimumWidth(420)
        self._submit = submit
        self.old_edit, self.new_edit, self.repeat_edit = (QLineEdit() for _ in range(3))
        for edit in (self.old_edit, self.new_edit, self.repeat_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.textChanged.connect(lambda _t: self.error_label.clear())
        self.error_label = _error_label()
        form = QFormLayout()
        form.addRow("Current passphrase", self.old_edit)
        form.addRow("New passphrase", self.new_edit)
        form.addRow("New, again", self.repeat_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Change passphrase")
        self.buttons.accepted.connect(self._try_submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_note("Only the key that locks the library is re-wrapped: this takes a second, "
                               "and nothing else is rewritten."))
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def _try_submit(self) -> None:
        new = self.new_edit.text()
        if len(new) < PassphraseTooShort.MIN_LENGTH:
            self.error_label.setText(sentence(str(PassphraseTooShort())))
            return
        if new != self.repeat_edit.text():
            self.error_label.setText("The two new passphrases are not the same.")
            return
        self.set_busy(True)
        self._submit(self.old_edit.text(), new)

    def set_busy(self, busy: bool) -> None:
        for widget in (self.old_edit, self.new_edit, self.repeat_edit, self.buttons):
            widget.setEnabled(not busy)

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.error_label.setText(sentence(message))


class SettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None, idle_minutes: int):
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.minutes_spin = QSpinBox()
        self.minutes_spin.setRange(1, 240)
        self.minutes_spin.setSuffix(" min")
        self.minutes_spin.setValue(idle_minutes)
        form = QFormLayout()
        form.addRow("Lock after no use for", self.minutes_spin)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_note("On a shared laptop keep this short: when it locks, nothing about any "
                               "family stays on screen until the passphrase is entered again."))
        layout.addWidget(buttons)


# The library tree's own keys: not an action, so not among the window's registered shortcuts.
TREE_KEYS = ("Enter / double-click", "Open the selected session")


class ShortcutsDialog(QDialog):
    """The library window's keys, read from its registered actions (in its menus' order)."""

    def __init__(self, parent: QWidget | None, actions: Sequence[QAction]):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.rows = [(r.keys, r.label) for r in map(sheet_row, actions)] + [TREE_KEYS]
        rows = "".join(f"<tr><td style='padding:3px 18px 3px 0'><b>{escape(keys)}</b></td><td>{escape(what)}</td></tr>"
                       for keys, what in self.rows)
        label = QLabel(f"<table>{rows}</table>")
        label.setTextFormat(Qt.TextFormat.RichText)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(_note("The editor has its own keys (play, step, mark in/out): press F1 there."))
        layout.addWidget(buttons)
