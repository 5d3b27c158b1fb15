"""The service's own work and a case's closing: small forms over `app.activities` and `app.pathway`.

- `ActivitiesDialog`: consultations, training delivered, liaison and resources, listed newest first,
  added and deleted; the activity report for a period (PDF and CSV, leaving the library: said and
  audited) made off the GUI thread.
- `CloseCaseDialog`: closes a case with its written summary (why, what was offered, a note; each
  measure's last total is added by the app), which is what remains when the recordings go.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from vigstudio.app import activities, pathway
from vigstudio.app.activity_report import make_activity_report
from vigstudio.app.library import LibraryService
from vigstudio.domain.model import CaseOrigin
from vigstudio.domain.pathway import ActivityKind
from vigstudio.ui.caseload.dialogs import date_edit, date_of
from vigstudio.ui.supervision.common import SupervisionDialog, case_codes

KIND_LABELS = {ActivityKind.CONSULTATION: "Consultation", ActivityKind.TRAINING: "Training delivered",
               ActivityKind.LIAISON: "Liaison", ActivityKind.RESOURCE: "Resources handed out"}


class ActivitiesDialog(SupervisionDialog):
    def __init__(self, parent: QWidget | None, service: LibraryService):
        super().__init__(parent, service, "The service's own work", "activitiesDialog")
        self.resize(780, 640)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(["Date", "Kind", "Title or topic", "Role / team", "People", "Minutes"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.layout_.addWidget(self.table, 1)
        self.kind = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind.value)
        self.on = date_edit(QDate.currentDate())
        self.title = QLineEdit()
        self.title.setPlaceholderText("e.g. listening visits; Perinatal mental health for midwives")
        self.role = QLineEdit()
        self.role.setPlaceholderText("the professional's role, or the audience")
        self.team = QLineEdit()
        self.attendees = QSpinBox()
        self.attendees.setRange(0, 10_000)
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 24 * 60)
        self.minutes.setSuffix(" min")
        self.outcome = QLineEdit()
        self.outcome.setPlaceholderText("advice, joint visit, referral made…")
        form = QFormLayout()
        form.addRow("Kind", self.kind)
        form.addRow("Date", self.on)
        form.addRow("Title or topic", self.title)
        form.addRow("Role or audience", self.role)
        form.addRow("Team or service", self.team)
        form.addRow("People attending", self.attendees)
        form.addRow("Time", self.minutes)
        form.addRow("Outcome", self.outcome)
        self.layout_.addLayout(form)
        self.add_button = self.button("Add", self.add)
        self.add_button.setDefault(True)
        self.delete_button = self.button("Delete selected", self.delete_selected)
        self.report_from = date_edit(QDate.currentDate().addMonths(-3))
        self.report_to = date_edit(QDate.currentDate())
        self.add_button_row(self.add_button, self.delete_button)
        self.add_button_row(self.note("Activity report from"), self.report_from, self.note("to"), self.report_to,
                            self.button("Make report…", self.make_report))
        self.report_note = self.note("")
        self.layout_.addWidget(self.report_note)
        self.layout_.addWidget(self.error)
        self.add_close_button()
        self.reload()

    def reload(self) -> None:
        found = list(reversed(activities.activities(self.service)))
        self.table.setRowCount(len(found))
        for row, a in enumerate(found):
            values = [a.date.strftime("%d %b %Y"), KIND_LABELS[a.kind], a.title, " · ".join(x for x in (a.role, a.team) if x),
                      "" if a.attendees is None else str(a.attendees), "" if a.minutes is None else str(a.minutes)]
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, a.id)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)

    def add(self) -> None:
        details = {"role": self.role.text(), "team": self.team.text(), "outcome": self.outcome.text(),
                   "attendees": self.attendees.value() or None, "minutes": self.minutes.value() or None}
        if self.attempt(activities.add_activity, self.service, self.kind.currentData(), date_of(self.on),
                        self.title.text(), **details) is not None:
            for field in (self.title, self.role, self.team, self.outcome):
                field.clear()
            self.attendees.setValue(0)
            self.minutes.setValue(0)
            self.reload()

    def delete_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}):
            self.attempt(activities.delete_activity, self.service,
                         self.table.item(row, 0).data(Qt.ItemDataRole.UserRole))
        self.reload()

    def make_report(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Save the activity report (it leaves the encrypted library)",
                                                  str(Path.home() / "activity-report.pdf"), "PDF (*.pdf)")
        if not path:
            return
        start, end = date_of(self.report_from), date_of(self.report_to)
        out = Path(path)

        def done(files) -> None:
            self.done_message = f"Activity report written to {files.pdf} (outside the encrypted library)"
            self.report_note.setText(self.done_message)

        self.in_background(lambda progress: make_activity_report(self.service, out, start, end,
                                                                 csv_path=out.with_suffix(".csv"), progress=progress),
                           done, "Making the activity report")


class CloseCaseDialog(SupervisionDialog):
    def __init__(self, parent: QWidget | None, service: LibraryService, case_code: str | None = None):
        super().__init__(parent, service, "Close a case", "closeCaseDialog")
        self.case_combo = QComboBox()
        self.case_combo.addItems(case_codes(service, CaseOrigin.LOCAL))
        if case_code:
            self.case_combo.setCurrentText(case_code)
        self.reason = QComboBox()
        self.reason.setEditable(True)
        self.reason.addItems(["completed", "disengaged", "moved away", "transferred", "declined", "signposted"])
        self.offered = QLineEdit()
        self.offered.setPlaceholderText("e.g. 3 VIG cycles and 12 WWW sessions")
        self.summary = QPlainTextEdit()
        self.summary.setPlaceholderText("The written summary kept in the record (kept when recordings are deleted)")
        self.on = date_edit(QDate.currentDate())
        form = QFormLayout()
        form.addRow("Case", self.case_combo)
        form.addRow("Why it closes", self.reason)
        form.addRow("What was offered", self.offered)
        form.addRow("Summary", self.summary)
        form.addRow("Closed on", self.on)
        self.layout_.addLayout(form)
        self.layout_.addWidget(self.note("Each questionnaire's last total is added to the summary. The retention "
                                         "period starts from the closing date."))
        self.layout_.addWidget(self.error)
        self.close_button = self.button("Close the case", self.close_case)
        self.add_button_row(self.close_button)
        self.add_close_button()

    def close_case(self) -> None:
        summary = self.attempt(pathway.close_with_summary, self.service, self.case_combo.currentText(),
                               reason=self.reason.currentText(), offered=self.offered.text(),
                               note=self.summary.toPlainText(), on=date_of(self.on))
        if summary is not None:
            self.done_message = f"{self.case_combo.currentText()} closed; its summary is kept"
            self.accept()
