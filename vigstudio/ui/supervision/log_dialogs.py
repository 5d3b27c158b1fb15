"""The audit log viewer (Verify, Export CSV) and the retention list (period, what is due, Delete)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from vigstudio.app import audit, retention
from vigstudio.app.library import LibraryService
from vigstudio.ui.supervision.common import SupervisionDialog

SHOWN_EVENTS = 2000


class AuditLogDialog(SupervisionDialog):
    def __init__(self, parent: QWidget | None, service: LibraryService):
        super().__init__(parent, service, "Audit log", "auditLogDialog")
        self.setMinimumSize(640, 420)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["When (UTC)", "Action", "Object"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.layout_.addWidget(self.table)
        self.status = QLabel()
        self.layout_.addWidget(self.status)
        self.layout_.addWidget(self.error)
        self.verify_button = self.button("Verify", self.verify)
        self.csv_button = self.button("Export CSV…", self.choose_csv)
        self.add_button_row(self.verify_button, self.csv_button)
        self.add_close_button()
        self.reload()

    def reload(self) -> None:
        events = audit.list_events(self.service, limit=SHOWN_EVENTS)
        self.table.setRowCount(len(events))
        for row, e in enumerate(reversed(events)):  # newest first
            for col, value in enumerate([e.at.strftime("%Y-%m-%d %H:%M:%S"), e.action, e.object]):
                self.table.setItem(row, col, QTableWidgetItem(value))

    def verify(self) -> None:
        report = self.attempt(audit.verify, self.service)
        if report is not None:
            self.status.setText(report.message()[0].upper() + report.message()[1:] + ".")
            self.status.setProperty("error", not report.ok)

    def choose_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export audit log", "audit.csv", "CSV (*.csv)")
        if path:
            self.export_csv(path)

    def export_csv(self, path: str) -> None:
        count = self.attempt(audit.export_csv, self.service, path)
        if count is not None:
            self.status.setText(f"{count} events written to {path}.")


class RetentionDialog(SupervisionDialog):
    def __init__(self, parent: QWidget | None, service: LibraryService):
        super().__init__(parent, service, "Retention", "retentionDialog")
        self.layout_.addWidget(self.note("A closed case is kept this long after it closed; then its retention "
                                         "review is due (keep, keep the written summary, or delete all) and "
                                         "its recordings are listed here. Nothing is deleted until you confirm."))
        form = QFormLayout()
        self.weeks_spin = QSpinBox()
        self.weeks_spin.setRange(0, retention.MAX_WEEKS)
        self.weeks_spin.setSuffix(" weeks")
        self.weeks_spin.setValue(retention.weeks(service))
        self.save_button = QPushButton("Save")
        self.save_button.clicked.connect(self.save)
        self.default_button = QPushButton(f"Use the default ({retention.DEFAULT_WEEKS} weeks)")
        self.default_button.clicked.connect(self.use_default)
        row = QHBoxLayout()
        row.addWidget(self.weeks_spin)
        row.addWidget(self.save_button)
        row.addWidget(self.default_button)
        form.addRow("Keep for", row)
        self.period_note = self.note("")
        form.addRow("", self.period_note)
        self.layout_.addLayout(form)
        why = self.note("Default: " + retention.DEFAULT_REASON)
        self.layout_.addWidget(why)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Recording", "Case", "Closed", "Due since"])
        self.table.verticalHeader().hide()
        self.layout_.addWidget(self.table)
        self.layout_.addWidget(self.error)
        self.delete_button = QPushButton("Delete all due…")
        self.delete_button.clicked.connect(self.confirm_delete)
        self.layout_.addWidget(self.delete_button)
        self.add_close_button()
        self.due: list[retention.DueRecording] = []
        self.reload()

    def reload(self) -> None:
        period = retention.period(self.service)
        self.weeks_spin.setValue(period.weeks)
        self.period_note.setText(f"Now: {period.words()}")
        self.default_button.setEnabled(not period.is_default)
        self.due = retention.due(self.service)
        self.table.setRowCount(len(self.due))
        for row, d in enumerate(self.due):
            for col, value in enumerate([str(d.recording_id), d.case_code, str(d.closed_on), str(d.due_on)]):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.delete_button.setEnabled(bool(self.due))

    def save(self) -> None:
        self.attempt(retention.set_weeks, self.service, self.weeks_spin.value())
        self.reload()

    def use_default(self) -> None:
        self.attempt(retention.set_weeks, self.service, None)
        self.reload()

    def confirm_delete(self) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Question, "Delete recordings",
                          f"Delete {len(self.due)} recordings for good (their clips and stills too)?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("purgeBox")
        yes = QMessageBox.StandardButton.Yes
        box.buttonClicked.connect(lambda button: box.standardButton(button) == yes and self.purge())
        box.open()
        return box

    def purge(self) -> None:
        self.attempt(retention.purge, self.service, [d.recording_id for d in self.due])
        self.reload()
