"""The service's own work and a case's closing: small forms over `app.activities` and `app.pathway`.

- `ActivitiesDialog`: consultations, training delivered, liaison and resources, listed newest first,
  added, edited (select one: the form shows it, "Save changes") and deleted, each undoable (Undo and
  Redo here, on the library window's stack); the activity report for a period (PDF and CSV, leaving the library: said and
  audited) made off the GUI thread.
- `CloseCaseDialog`: closes a case with its written summary (why, what was offered, a note; each
  measure's last total is added by the app), which is what remains when the recordings go.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import shiboken6
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from vigstudio.app import activities, cases, pathway, pathway_records
from vigstudio.app.activity_report import make_activity_report
from vigstudio.app.library import LibraryService
from vigstudio.domain.errors import VigError
from vigstudio.domain.model import CaseOrigin
from vigstudio.domain.pathway import ALLOWED, ActivityKind, ClosingSummary, Stage
from vigstudio.ui.caseload.commands import CaseloadUndo, add_undo_keys
from vigstudio.ui.caseload.dialogs import date_edit, date_of, qdate
from vigstudio.ui.supervision.common import SupervisionDialog, case_codes, choose_case

KIND_LABELS = {ActivityKind.CONSULTATION: "Consultation", ActivityKind.TRAINING: "Training delivered",
               ActivityKind.LIAISON: "Liaison", ActivityKind.RESOURCE: "Resources handed out"}


class ActivitiesDialog(SupervisionDialog):
    def __init__(self, parent: QWidget | None, service: LibraryService, *, undo: CaseloadUndo | None = None):
        super().__init__(parent, service, "The service's own work", "activitiesDialog")
        self.undo = undo or CaseloadUndo(service, parent=self)
        self.resize(860, 640)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels(["Date", "Kind", "Title or topic", "Role / team", "People", "Minutes"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)  # the title takes what is left
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
        # A consultation may be about a family's case (the "the case code when it is about a case";
        # the CLI had --case, the form had no place for it). Set when the activity is added.
        self.about_case = QComboBox()
        self.about_case.addItem("— no case —", None)
        for code in case_codes(service, CaseOrigin.LOCAL):
            self.about_case.addItem(code, code)
        self.about_case.setToolTip("The family's case the consultation was about, if any (set when it is added)")
        form = QFormLayout()
        form.addRow("Kind", self.kind)
        form.addRow("Date", self.on)
        form.addRow("Title or topic", self.title)
        form.addRow("Role or audience", self.role)
        form.addRow("Team or service", self.team)
        self.attendees_label = QLabel("People attending")
        form.addRow(self.attendees_label, self.attendees)
        form.addRow("Time", self.minutes)
        form.addRow("Outcome", self.outcome)
        form.addRow("About a case", self.about_case)
        self.layout_.addLayout(form)
        self.kind.currentIndexChanged.connect(lambda _i: self.attendees_label.setText(
            "Copies handed out" if self.kind.currentData() == ActivityKind.RESOURCE.value else "People attending"))
        self.add_button = self.button("Add", self.add)
        self.add_button.setDefault(True)
        self.save_button = self.button("Save changes", self.save_selected)
        self.delete_button = self.button("Delete selected", self.delete_selected)
        stack = self.undo.stack
        self.undo_button = self.button("Undo", stack.undo)
        self.redo_button = self.button("Redo", stack.redo)
        add_undo_keys(self, stack)
        stack.indexChanged.connect(self._after_undo)
        self.report_from = date_edit(QDate.currentDate().addMonths(-3))
        self.report_to = date_edit(QDate.currentDate())
        self.add_button_row(self.add_button, self.save_button, self.delete_button, self.undo_button, self.redo_button)
        self.add_button_row(self.note("Activity report from"), self.report_from, self.note("to"), self.report_to,
                            self.button("Make report…", self.make_report))
        self.report_note = self.note("")
        self.layout_.addWidget(self.report_note)
        self.layout_.addWidget(self.error)
        self.add_close_button()
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.reload()

    def _after_undo(self, _index: int = 0) -> None:
        if not shiboken6.isValid(self.undo.stack) or not shiboken6.isValid(self.table):
            return  # the dialog or the stack is being destroyed
        self.reload()

    def selected_id(self) -> int | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        return self.table.item(min(rows), 0).data(Qt.ItemDataRole.UserRole) if len(rows) == 1 else None

    def _show_selected(self) -> None:
        """One activity selected: the form shows it, for "Save changes"."""
        chosen = self.selected_id()
        self.save_button.setEnabled(chosen is not None)
        a = next((a for a in self.shown if a.id == chosen), None)
        if a is None:
            return
        self.kind.setCurrentIndex(self.kind.findData(a.kind.value))
        self.on.setDate(qdate(a.date))
        self.title.setText(a.title)
        self.role.setText(a.role)
        self.team.setText(a.team)
        self.attendees.setValue(a.attendees or 0)
        self.minutes.setValue(a.minutes or 0)
        self.outcome.setText(a.outcome)
        code = next((c.code for c in cases.list_cases(self.service) if c.id == a.case_id), None) if a.case_id else None
        self.about_case.setCurrentIndex(max(0, self.about_case.findData(code)))

    def reload(self) -> None:
        found = list(reversed(activities.activities(self.service)))
        self.shown = found
        self.table.setRowCount(len(found))
        for row, a in enumerate(found):
            values = [a.date.strftime("%d %b %Y"), KIND_LABELS[a.kind], a.title, " · ".join(x for x in (a.role, a.team) if x),
                      "" if a.attendees is None else str(a.attendees), "" if a.minutes is None else str(a.minutes)]
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, a.id)
                self.table.setItem(row, col, item)
        self.save_button.setEnabled(self.selected_id() is not None)
        self.undo_button.setEnabled(self.undo.stack.canUndo())
        self.redo_button.setEnabled(self.undo.stack.canRedo())

    def _details(self) -> dict:
        return {"role": self.role.text(), "team": self.team.text(), "outcome": self.outcome.text(),
                "attendees": self.attendees.value() or None, "minutes": self.minutes.value() or None}

    def add(self) -> None:
        if self.attempt(self.undo.add_activity, self.kind.currentData(), date_of(self.on), self.title.text(),
                        case_code=self.about_case.currentData(), **self._details()) is not None:
            self.about_case.setCurrentIndex(0)
            for field in (self.title, self.role, self.team, self.outcome):
                field.clear()
            self.attendees.setValue(0)
            self.minutes.setValue(0)
            self.reload()

    def save_selected(self) -> None:
        """The form's values into the selected activity (its kind stays: a different kind is a new one)."""
        chosen = self.selected_id()
        if chosen is not None and self.attempt(self.undo.edit_activity, chosen, date=date_of(self.on),
                                               title=self.title.text().strip(), **self._details()) is not None:
            self.reload()

    def delete_selected(self) -> None:
        ids = [self.table.item(row, 0).data(Qt.ItemDataRole.UserRole)
               for row in sorted({i.row() for i in self.table.selectedIndexes()})]
        if len(ids) > 1:
            self.undo.stack.beginMacro(f"Delete {len(ids)} activities")
        try:
            for activity_id in ids:
                self.attempt(self.undo.delete_activity, activity_id)
        finally:
            if len(ids) > 1:
                self.undo.stack.endMacro()
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
    def __init__(self, parent: QWidget | None, service: LibraryService, case_code: str | None = None, *,
                 undo: CaseloadUndo | None = None):
        super().__init__(parent, service, "Close a case", "closeCaseDialog")
        self.undo = undo or CaseloadUndo(service, parent=self)
        self.case_combo = QComboBox()
        self.case_combo.addItems(case_codes(service, CaseOrigin.LOCAL))
        choose_case(self.case_combo, case_code)
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
                                         "period starts from the closing date. A case still in intervention is "
                                         "ended (for this reason) and closed in one step."))
        self.layout_.addWidget(self.error)
        self.close_button = self.button("Close the case", self.close_case)
        self.close_button.setDefault(True)
        # "Cancel", not "Close": beside "Close the case" a "Close" button read as closing the case.
        cancel = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        cancel.rejected.connect(self.reject)
        self.add_button_row(self.close_button)
        self.layout_.addWidget(cancel)

    def close_case(self) -> None:
        code = self.case_combo.currentText()
        if not code:
            self.show_error("Choose the family's case first")
            return
        summary = self.attempt(self.undo.pathway_edit, f"Close {code}", code, self._end_and_close, code,
                               reason=self.reason.currentText(), offered=self.offered.text(),
                               note=self.summary.toPlainText(), on=date_of(self.on))
        if summary is not None:
            self.done_message = f"{self.case_combo.currentText()} closed; its summary is kept"
            self.accept()

    def _end_and_close(self, code: str, *, reason: str, offered: str, note: str, on: dt.date) -> ClosingSummary:
        """Close the case; one in intervention (which may not close directly) is ended first, for the same
        reason and on the same day. If the closing is then refused, the ending is taken back."""
        current = pathway.current_stage(pathway.pathway(self.service, code))
        if current is None or Stage.CLOSED in ALLOWED[current] or Stage.ENDED not in ALLOWED[current]:
            return pathway.close_with_summary(self.service, code, reason=reason, offered=offered, note=note, on=on)
        before = pathway_records.record(self.service, code)
        pathway.set_stage(self.service, code, Stage.ENDED.value, on=on, reason=reason)
        try:
            return pathway.close_with_summary(self.service, code, reason=reason, offered=offered, note=note, on=on)
        except VigError:
            pathway_records.restore(self.service, before, expect=pathway_records.record(self.service, code))
            raise
