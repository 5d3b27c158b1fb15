"""The risk flag: raised by a risk item's answer, it asks for the action taken and who took it.

It cannot be dismissed: Escape and the window's close button do nothing, and "Later" only leaves the
flag open, shown in red in the case's Outcomes view until the action is recorded (both audited).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from vigstudio.app import outcomes
from vigstudio.app.library import LibraryService
from vigstudio.domain.outcomes import RiskFlag
from vigstudio.ui.supervision.common import SupervisionDialog


def flag_text(flag: RiskFlag) -> str:
    return f"{flag.measure} item {flag.item}: {flag.why}"


class RiskFlagDialog(SupervisionDialog):
    def __init__(self, parent: QWidget | None, service: LibraryService, flags: list[RiskFlag]):
        super().__init__(parent, service, "Risk flag: record the action taken", "riskFlagDialog")
        self.flags = [f for f in flags if f.open]
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        heading = QLabel("An answer needs a response today")
        heading.setProperty("error", True)
        heading.setObjectName("riskHeading")
        self.layout_.addWidget(heading)
        self.list = QLabel("\n".join(flag_text(f) for f in self.flags))
        self.list.setWordWrap(True)
        self.layout_.addWidget(self.list)
        self.layout_.addWidget(self.note(
            "Record what was done (e.g. discussed, safety plan, GP informed) and who did it. The flag stays "
            "in the case, in red, until this is recorded."))
        self.action_edit = QPlainTextEdit()
        self.action_edit.setObjectName("riskAction")
        self.action_edit.setPlaceholderText("Action taken")
        self.action_edit.setFixedHeight(80)
        self.by_edit = QLineEdit()
        self.by_edit.setObjectName("riskBy")
        self.by_edit.setPlaceholderText("who (a role or initials)")
        form = QFormLayout()
        form.addRow("Action", self.action_edit)
        form.addRow("By", self.by_edit)
        self.layout_.addLayout(form)
        self.layout_.addWidget(self.error)
        self.record_button = self.button("Record action", self.record)
        self.record_button.setDefault(True)
        self.later_button = self.button("Later (the flag stays open)", self.reject)
        self.add_button_row(self.record_button, self.later_button)

    def record(self) -> None:
        action, by = self.action_edit.toPlainText(), self.by_edit.text()
        for flag in list(self.flags):
            if self.attempt(outcomes.act_on_flag, self.service, flag.id, action, by) is None:
                return
            self.flags.remove(flag)
        self.done_message = "Action recorded; the risk flag is closed"
        self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            return  # not dismissable by a stray key
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.flags:  # only "Record action" or "Later" close it
            event.ignore()
            return
        super().closeEvent(event)
