"""ExitGuard: the calm small box that stands between the review and the library.

Leaving review needs the review PIN or the library passphrase (checked off the GUI thread: the
passphrase takes as long as an unlock). "Stay in review" is the default and what Esc does, so a
child pressing keys only ever brings the box up and sends it away again.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from vigstudio.app.review import has_pin, verify_exit
from vigstudio.ui.background import run_in_background

WRONG = "That is not the PIN or the passphrase. The review goes on."


class ExitGuard(QDialog):
    """Accepted only once the secret was verified; `left` is emitted then."""

    left = Signal()

    def __init__(self, service, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = service
        self.setObjectName("reviewExitGuard")
        self.setWindowTitle("Leave the review?")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setMinimumWidth(380)
        try:
            pin = has_pin(service)
        except Exception:  # the library went away: only the passphrase is offered
            pin = False
        asked = "the review PIN or the library passphrase" if pin else "the library passphrase"
        self.prompt = QLabel(f"To leave the review, enter {asked}.")
        self.prompt.setWordWrap(True)
        self.secret_edit = QLineEdit()
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret_edit.setAccessibleName("PIN or passphrase")
        self.secret_edit.returnPressed.connect(self.submit)
        self.status = QLabel("")
        self.status.setObjectName("exitGuardStatus")
        self.status.setWordWrap(True)
        self.status.setProperty("muted", True)
        # Two lines kept for it from the start: the box neither jumps nor cuts the message short.
        self.status.setMinimumHeight(2 * self.status.fontMetrics().lineSpacing() + 4)
        self.stay_button = QPushButton("Stay in review")
        self.stay_button.clicked.connect(self.reject)
        self.leave_button = QPushButton("Leave review")
        self.leave_button.setAutoDefault(False)
        self.leave_button.clicked.connect(self.submit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.stay_button)
        buttons.addWidget(self.leave_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 16)
        layout.setSpacing(10)
        layout.addWidget(self.prompt)
        layout.addWidget(self.secret_edit)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.checking = False

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.secret_edit.setFocus()

    def submit(self) -> None:
        secret = self.secret_edit.text()
        if self.checking or not secret:
            return
        self.checking = True
        self.secret_edit.setEnabled(False)
        self.leave_button.setEnabled(False)
        self.status.setText("Checking…")
        service = self.service
        run_in_background(self, lambda _progress: verify_exit(service, secret), self._checked,
                          lambda _error: self._checked(False), show_progress=False, cancellable=False,
                          failure_title="Could not check")

    def _checked(self, ok: bool) -> None:
        self.checking = False
        self.secret_edit.setEnabled(True)
        self.leave_button.setEnabled(True)
        self.secret_edit.clear()
        if ok:
            self.status.setText("")
            self.accept()
            self.left.emit()
            return
        self.status.setText(WRONG)
        self.adjustSize()  # (a larger font may still need a third line)
        self.secret_edit.setFocus()

    def reject(self) -> None:
        if not self.checking:
            super().reject()
