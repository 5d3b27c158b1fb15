"""The service's outcome report from the GUI: which families, which months, where to write it.

Says plainly that the PDF (and CSV) leave the encrypted library before anything is written; made off
the GUI thread with progress and Cancel (nothing is left behind when cancelled).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QFileDialog, QFormLayout, QLineEdit, QWidget

from vigstudio.app.library import LibraryService
from vigstudio.app.outcome_bundles import sources
from vigstudio.app.outcome_report import GROUP_NAMES, GROUPS, make_outcome_report
from vigstudio.ui.supervision.common import SupervisionDialog


def _date(edit: QDateEdit) -> dt.date:
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


class OutcomeReportDialog(SupervisionDialog):
    def __init__(self, parent: QWidget | None, service: LibraryService):
        super().__init__(parent, service, "Outcome report", "outcomeReportDialog")
        self.kind_combo = QComboBox()
        for group in GROUPS:
            self.kind_combo.addItem(GROUP_NAMES[group], group)
        self.limit_period = QCheckBox("Only questionnaires between")
        self.from_edit = QDateEdit(QDate.currentDate().addYears(-1))
        self.to_edit = QDateEdit(QDate.currentDate())
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd MMM yyyy")  # "7 12 2026" reads as July as often as December
            edit.setEnabled(False)  # a period only when asked for: the dates looked in force when not
            self.limit_period.toggled.connect(edit.setEnabled)
        self.path_edit = QLineEdit(str(Path.home() / "outcome-report.pdf"))
        self.csv_box = QCheckBox("Also the figures as CSV beside it")
        form = QFormLayout()
        form.addRow("Families", self.kind_combo)
        form.addRow(self.limit_period, self.from_edit)
        form.addRow("and", self.to_edit)
        form.addRow("Save as", self.path_edit)
        form.addRow("", self.csv_box)
        self.layout_.addLayout(form)
        held = self.attempt(sources, service) or []
        self.sources_note = self.note(
            "It covers this library's families and the anonymous outcomes of "
            + (", ".join(f"{s.name} (bundle made {s.exported_at:%d %b %Y})" for s in held)
               + " (their questionnaires carry a month, not a day: a period selects them by month)" if held
               else "no other practitioner yet (Outcomes → Import outcomes bundle…)") + ".")
        self.sources_note.setObjectName("reportSources")
        self.layout_.addWidget(self.sources_note)
        self.layout_.addWidget(self.note(
            "The report is anonymous (no case codes, names or dates of birth; groups with fewer than five "
            "families are not broken out), but the file leaves the encrypted library: keep it safe."))
        self.layout_.addWidget(self.error)
        self.make_button = self.button("Make the report", self.make)
        self.make_button.setDefault(True)
        self.add_button_row(self.button("Choose…", self.choose), self.make_button)
        self.add_close_button()

    def choose(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the report", self.path_edit.text(), "PDF (*.pdf)")
        if path:
            self.path_edit.setText(path)

    def make(self) -> None:
        out = Path(self.path_edit.text().strip())
        csv_path = out.with_suffix(".csv") if self.csv_box.isChecked() else None
        kind = self.kind_combo.currentData()
        period = (_date(self.from_edit), _date(self.to_edit)) if self.limit_period.isChecked() else (None, None)

        def work(progress):
            return make_outcome_report(self.service, out, csv_path=csv_path, date_from=period[0],
                                       date_to=period[1], kind=kind, progress=progress)

        def done(files) -> None:
            self.done_message = f"Outcome report written to {files.pdf} (outside the encrypted library)"
            self.accept()

        self.in_background(work, done, "Making the outcome report")
