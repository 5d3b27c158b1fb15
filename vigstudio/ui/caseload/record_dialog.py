"""A case's pathway record in one dialog: its referrals (decide, correct, delete), its dated steps
(correct the date or reason, delete the last one), its closing summary (edit, delete) and, once it
has closed, its retention review (keep for another period; keep the summary and delete the
recordings; delete it all). Every change is one undo step on the library window's stack (Undo /
Redo here too: the dialog is modal), except the review's deletions, which are asked for first and
cannot be undone (the recordings' keys are destroyed).
"""

from __future__ import annotations

import datetime as dt

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from vigstudio.app import pathway, pathway_records, retention
from vigstudio.app.library import LibraryService
from vigstudio.domain.model import CaseOrigin, CaseStatus
from vigstudio.domain.pathway import Decision, PathwayEvent, Referral, RetentionAction
from vigstudio.ui.caseload.commands import CaseloadUndo, add_undo_keys
from vigstudio.ui.caseload.dialogs import ReferralDialog, date_edit, date_of, qdate
from vigstudio.ui.supervision.common import SupervisionDialog, case_codes, choose_case


def _table(headers: list[str], stretch: int) -> QTableWidget:
    """A read-only table, its columns as wide as their contents but `stretch`, which takes the rest."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.setMinimumHeight(110)
    table.setMaximumHeight(160)
    return table


def _fill(table: QTableWidget, rows: list[tuple[int | None, list[str]]]) -> None:
    table.setRowCount(len(rows))
    for r, (key, values) in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setData(Qt.ItemDataRole.UserRole, key)
            table.setItem(r, c, item)


class CaseRecordDialog(SupervisionDialog):
    def __init__(self, parent: QWidget | None, service: LibraryService, case_code: str | None = None, *,
                 undo: CaseloadUndo | None = None):
        super().__init__(parent, service, "Case record", "caseRecordDialog")
        self.undo = undo or CaseloadUndo(service, parent=self)
        self.resize(900, 700)
        self.referrals: list[Referral] = []
        self.steps: list[PathwayEvent] = []
        self.case_combo = QComboBox()
        self.case_combo.addItems(case_codes(service, CaseOrigin.LOCAL))
        choose_case(self.case_combo, case_code)
        top = QFormLayout()
        top.addRow("Case", self.case_combo)
        self.layout_.addLayout(top)

        self.layout_.addWidget(QLabel("<b>Referrals</b>"))
        self.referral_table = _table(["Received", "From", "Reasons", "Stage", "Urgency", "Decision"], 2)
        self.layout_.addWidget(self.referral_table)
        self.decision = QComboBox()
        for d in Decision:
            self.decision.addItem(d.value, d.value)
        self.decided_on = date_edit()
        self.decision_reason = QLineEdit()
        self.decision_reason.setPlaceholderText("why (e.g. signposted to talking therapies)")
        self.decide_button = self.button("Record decision", self.decide)
        self.correct_button = self.button("Correct…", self.correct_referral)
        self.delete_referral_button = self.button("Delete referral", self.delete_referral)
        self.add_button_row(self.decision, self.decided_on, self.decision_reason, self.decide_button,
                            self.correct_button, self.delete_referral_button)  # one row: it fits 768 px
        self.layout_.itemAt(self.layout_.count() - 1).layout().setStretch(2, 1)

        self.layout_.addWidget(QLabel("<b>Pathway</b>"))
        self.step_table = _table(["Date", "Step", "Reason"], 2)
        self.layout_.addWidget(self.step_table)
        self.step_date = date_edit()
        self.step_reason = QLineEdit()
        self.step_reason.setPlaceholderText("reason (an ended step: completed, disengaged, moved away, transferred)")
        self.save_step_button = self.button("Save step", self.save_step)
        self.delete_step_button = self.button("Delete last step", self.delete_step)
        self.add_button_row(self.step_date, self.step_reason, self.save_step_button, self.delete_step_button)
        self.layout_.itemAt(self.layout_.count() - 1).layout().setStretch(1, 1)

        self.layout_.addWidget(QLabel("<b>Closing summary</b>"))
        self.summary_state = self.note("")
        self.summary_reason = QLineEdit()
        self.summary_offered = QLineEdit()
        self.summary_note = QPlainTextEdit()
        self.summary_note.setMaximumHeight(56)
        form = QFormLayout()
        form.addRow("", self.summary_state)
        form.addRow("Why it closed", self.summary_reason)
        form.addRow("What was offered", self.summary_offered)
        form.addRow("Summary", self.summary_note)
        self.layout_.addLayout(form)
        self.save_summary_button = self.button("Save summary", self.save_summary)
        self.delete_summary_button = self.button("Delete summary", self.delete_summary)
        self.add_button_row(self.save_summary_button, self.delete_summary_button)

        self.layout_.addWidget(QLabel("<b>Retention review</b>"))
        self.retention_state = self.note("")
        self.layout_.addWidget(self.retention_state)
        self.keep_button = self.button("Keep for another period", self.keep)
        self.summary_only_button = self.button("Keep the summary, delete the recordings…",
                                               lambda: self.confirm_review(RetentionAction.SUMMARY))
        self.delete_all_button = self.button("Delete all…", lambda: self.confirm_review(RetentionAction.DELETE_ALL))
        self.add_button_row(self.keep_button, self.summary_only_button, self.delete_all_button)
        self.layout_.addWidget(self.error)
        stack = self.undo.stack
        self.undo_button = self.button("Undo", stack.undo)
        self.redo_button = self.button("Redo", stack.redo)
        add_undo_keys(self, stack)
        closing = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)  # Undo, Redo and Close in one row
        closing.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ResetRole)
        closing.addButton(self.redo_button, QDialogButtonBox.ButtonRole.ResetRole)
        closing.rejected.connect(self.reject)
        self.layout_.addWidget(closing)
        stack.indexChanged.connect(self._stack_moved)
        self.case_combo.currentTextChanged.connect(lambda _t: self.reload())
        self.referral_table.itemSelectionChanged.connect(self._referral_chosen)
        self.step_table.itemSelectionChanged.connect(self._step_chosen)
        self.reload()

    def _stack_moved(self, _index: int) -> None:
        if shiboken6.isValid(self.undo.stack) and shiboken6.isValid(self.referral_table):
            self.reload()

    @property
    def code(self) -> str:
        return self.case_combo.currentText()

    def reload(self) -> None:
        self.undo_button.setEnabled(self.undo.stack.canUndo())
        self.redo_button.setEnabled(self.undo.stack.canRedo())
        if not self.code:  # no case left
            for table in (self.referral_table, self.step_table):
                table.setRowCount(0)
            return
        record = self.attempt(pathway_records.record, self.service, self.code)
        if record is None:
            return
        cat = pathway.catalogue(self.service)
        self.referrals, self.steps = list(record.referrals), list(record.steps)
        _fill(self.referral_table, [(r.id, [
            f"{r.received:%d %b %Y}", cat.label(r.source), ", ".join(cat.label(x) for x in r.reasons),
            f"{r.perinatal.value} {r.weeks()} weeks" if r.perinatal else "—", r.urgency,
            f"{r.decision.value} {r.decision_date:%d %b %Y}" if r.decision and r.decision_date else "undecided"])
            for r in self.referrals])
        _fill(self.step_table, [(s.id, [f"{s.date:%d %b %Y}", s.stage.value.replace("_", " "), s.reason])
                                for s in self.steps])
        summary = record.summary
        self.summary_state.setText("No summary: close the case with one from the caseload." if summary is None else
                                   f"Written when it closed on {summary.closed_on:%d %b %Y}.")
        self.summary_reason.setText(summary.reason if summary else "")
        self.summary_offered.setText(summary.offered if summary else "")
        self.summary_note.setPlainText(summary.note if summary else "")
        for widget in (self.save_summary_button, self.delete_summary_button, self.summary_reason,
                       self.summary_offered, self.summary_note):
            widget.setEnabled(summary is not None)
        self._retention(record)
        if self.referrals and not self.referral_table.selectedItems():
            self.referral_table.selectRow(len(self.referrals) - 1)
        if self.steps and not self.step_table.selectedItems():
            self.step_table.selectRow(len(self.steps) - 1)
        self._referral_chosen()
        self._step_chosen()

    def _retention(self, record: pathway_records.CaseRecord) -> None:
        closed = record.status == CaseStatus.CLOSED
        for button in (self.keep_button, self.summary_only_button, self.delete_all_button):
            button.setEnabled(closed)
        self.summary_only_button.setEnabled(closed and record.summary is not None)
        if not closed:
            self.retention_state.setText("Reviewed once the case has closed.")
            return
        since = record.reviewed_on or record.closed_on
        if since is None:
            self.retention_state.setText("Closed (no closing date recorded).")
            return
        period = retention.period(self.service)
        due = dt.date.fromisoformat(since) + dt.timedelta(weeks=period.weeks)
        what = "last reviewed" if record.reviewed_on else "closed"
        self.retention_state.setText(f"{what.capitalize()} on {dt.date.fromisoformat(since):%d %b %Y}; "
                                     f"the review is due on {due:%d %b %Y} (kept {period.words()}).")

    def keep(self) -> None:
        self._edit(f"{self.code}: keep for another period", pathway.review_retention, self.service, self.code,
                   RetentionAction.KEEP)

    def confirm_review(self, action: RetentionAction) -> QMessageBox:
        what = ("delete every recording of the case (its clips and stills too) and keep the written summary"
                if action == RetentionAction.SUMMARY else "delete the case and everything in it")
        box = QMessageBox(QMessageBox.Icon.Warning, "Retention review",
                          f"{self.code}: {what}? This cannot be undone.",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("retentionReviewBox")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)  # Enter must not delete for good
        yes = QMessageBox.StandardButton.Yes
        box.buttonClicked.connect(lambda button: box.standardButton(button) == yes and self.review(action))
        box.open()
        self.confirming = box
        return box

    def review(self, action: RetentionAction) -> None:
        code = self.code
        deleted = self.attempt(pathway.review_retention, self.service, code, action)
        if deleted is None:
            return
        self.done_message = f"{code}: {deleted} recordings deleted"
        if action == RetentionAction.DELETE_ALL:
            self.case_combo.removeItem(self.case_combo.currentIndex())  # the case is gone
        self.reload()
        self.retention_state.setText(self.done_message)

    def _chosen(self, table: QTableWidget) -> int | None:
        items = table.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def chosen_referral(self) -> Referral | None:
        key = self._chosen(self.referral_table)
        return next((r for r in self.referrals if r.id == key), None)

    def chosen_step(self) -> PathwayEvent | None:
        key = self._chosen(self.step_table)
        return next((s for s in self.steps if s.id == key), None)

    def _referral_chosen(self) -> None:
        r = self.chosen_referral()
        for button in (self.decide_button, self.correct_button, self.delete_referral_button):
            button.setEnabled(r is not None)
        if r is not None and r.decision is not None:
            self.decision.setCurrentIndex(self.decision.findData(r.decision.value))
            if r.decision_date:
                self.decided_on.setDate(qdate(r.decision_date))
            self.decision_reason.setText(r.decision_reason)

    def _step_chosen(self) -> None:
        s = self.chosen_step()
        self.save_step_button.setEnabled(s is not None)
        self.delete_step_button.setEnabled(bool(self.steps) and s is not None and s.id == self.steps[-1].id)
        if s is not None:
            self.step_date.setDate(qdate(s.date))
            self.step_reason.setText(s.reason.replace("_", " "))

    def _edit(self, text: str, call, *args, **kwargs) -> None:
        if self.attempt(self.undo.pathway_edit, text, self.code, call, *args, **kwargs) is not None:
            self.reload()

    def decide(self) -> None:
        r = self.chosen_referral()
        if r is not None:
            self._edit(f"{self.code}: referral {self.decision.currentText()}", pathway.decide, self.service,
                       r.saved_id, self.decision.currentData(), reason=self.decision_reason.text(),
                       on=date_of(self.decided_on))

    def correct_referral(self) -> ReferralDialog | None:
        r = self.chosen_referral()
        if r is None:
            return None
        dialog = ReferralDialog(self, self.service, self.code, undo=self.undo, referral=r)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self.reload)
        self.correcting = dialog  # kept for tests and so it is not collected
        dialog.open()
        return dialog

    def delete_referral(self) -> None:
        r = self.chosen_referral()
        if r is not None:
            self._edit(f"Delete referral {r.id} of {self.code}", pathway.delete_referral, self.service, r.saved_id)

    def save_step(self) -> None:
        s = self.chosen_step()
        if s is not None:
            self._edit(f"{self.code}: correct the {s.stage.value.replace('_', ' ')} step", pathway_records.edit_step,
                       self.service, s.saved_id, date=date_of(self.step_date), reason=self.step_reason.text())

    def delete_step(self) -> None:
        s = self.chosen_step()
        if s is not None:
            self._edit(f"{self.code}: delete the {s.stage.value.replace('_', ' ')} step",
                       pathway_records.delete_last_step, self.service, s.saved_id)

    def save_summary(self) -> None:
        self._edit(f"{self.code}: edit the closing summary", pathway_records.edit_summary, self.service, self.code,
                   reason=self.summary_reason.text(), offered=self.summary_offered.text(),
                   note=self.summary_note.toPlainText())

    def delete_summary(self) -> None:
        self._edit(f"{self.code}: delete the closing summary", pathway_records.delete_summary, self.service,
                   self.code)
