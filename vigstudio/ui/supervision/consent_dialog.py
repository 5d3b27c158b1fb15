"""Consent for one case: its records with dates, add scopes, withdraw, then offer to delete media."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from vigstudio.app import consent
from vigstudio.app.library import LibraryService
from vigstudio.domain.model import CaseOrigin, ConsentScope
from vigstudio.ui.supervision.common import SupervisionDialog, case_codes

SCOPE_LABELS = {ConsentScope.STORAGE: "Storage", ConsentScope.SUPERVISION: "Supervision",
                ConsentScope.TRAINING: "Training use", ConsentScope.KEEPSAKE: "Family keeps copies"}


class ConsentDialog(SupervisionDialog):
    def __init__(self, parent: QWidget | None, service: LibraryService, case_code: str | None = None):
        super().__init__(parent, service, "Consent", "consentDialog")
        self.case_combo = QComboBox()
        self.case_combo.addItems(case_codes(service, CaseOrigin.LOCAL))
        if case_code:
            self.case_combo.setCurrentText(case_code)
        self.case_combo.currentTextChanged.connect(lambda _t: self.reload())
        form = QFormLayout()
        form.addRow("Case", self.case_combo)
        self.layout_.addLayout(form)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Scope", "Given", "Withdrawn", "Recorded by"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.layout_.addWidget(self.table)
        self.scope_boxes = {scope: QCheckBox(label) for scope, label in SCOPE_LABELS.items()}
        row = QHBoxLayout()
        for box in self.scope_boxes.values():
            row.addWidget(box)
        self.layout_.addLayout(row)
        self.by_edit = QLineEdit()
        self.by_edit.setPlaceholderText("who recorded it")
        form2 = QFormLayout()
        form2.addRow("Recorded by", self.by_edit)
        self.layout_.addLayout(form2)
        self.layout_.addWidget(self.error)
        actions = QHBoxLayout()
        self.add_button = QPushButton("Record consent")
        self.add_button.clicked.connect(self.add)
        self.withdraw_button = QPushButton("Withdraw ticked")
        self.withdraw_button.clicked.connect(self.withdraw)
        self.delete_media_button = QPushButton("Delete this case's media…")
        self.delete_media_button.clicked.connect(self.confirm_delete_media)
        for button in (self.add_button, self.withdraw_button, self.delete_media_button):
            actions.addWidget(button)
        self.layout_.addLayout(actions)
        self.add_close_button()
        self.reload()

    @property
    def case_code(self) -> str:
        return self.case_combo.currentText()

    def ticked(self) -> list[ConsentScope]:
        return [scope for scope, box in self.scope_boxes.items() if box.isChecked()]

    def reload(self) -> None:
        records = consent.consents(self.service, self.case_code) if self.case_code else []
        self.table.setRowCount(len(records))
        for row, c in enumerate(records):
            values = [SCOPE_LABELS[c.scope], str(c.date), str(c.withdrawn_on or ""), c.recorded_by]
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value))
        withdrawn = any(not c.active for c in records)
        self.delete_media_button.setVisible(withdrawn)

    def add(self) -> None:
        if self.attempt(consent.add, self.service, self.case_code, self.ticked(), self.by_edit.text()) is not None:
            self.reload()

    def withdraw(self) -> None:
        for scope in self.ticked():
            if self.attempt(consent.withdraw, self.service, self.case_code, scope) is None:
                break
        self.reload()

    def confirm_delete_media(self) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Question, "Delete media",
                          f"Delete every recording of case {self.case_code}, with its clips and stills? "
                          "This cannot be undone.",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("deleteMediaBox")
        yes = QMessageBox.StandardButton.Yes
        box.buttonClicked.connect(lambda button: box.standardButton(button) == yes and self.delete_media())
        box.open()
        return box

    def delete_media(self) -> None:
        self.attempt(consent.delete_case_media, self.service, self.case_code)
        self.reload()
