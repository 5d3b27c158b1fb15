"""My training record: each stage's progress against its requirements (bars), what is missing before
the transition meeting, the supervision log with a form to add one, and the reflective statement."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vigstudio.app import keys, training
from vigstudio.app.library import LibraryService
from vigstudio.domain.training import StageProgress
from vigstudio.ui.supervision.common import SupervisionDialog


def _bar(done: float, needed: float, unit: str) -> QProgressBar:
    bar = QProgressBar()
    bar.setRange(0, max(1, round(needed * 10)))
    bar.setValue(min(round(done * 10), bar.maximum()))
    bar.setFormat(f"{done:g} of {needed:g} {unit}")
    bar.setTextVisible(True)
    return bar


def stage_box(progress: StageProgress) -> QGroupBox:
    r = progress.requirement
    since = f" — since {progress.started_on:%d %b %Y}" if progress.started_on else ""
    box = QGroupBox(f"Stage {r.stage}{since}")
    box.setObjectName(f"stage{r.stage}")
    form = QFormLayout(box)
    form.addRow("VIG cycles", _bar(len(progress.cycles), r.cycles, "cycles"))
    form.addRow("Further clients" if r.further_clients else "Clients",
                _bar(len(progress.clients), r.clients, "clients"))
    form.addRow("Supervision", _bar(round(progress.hours, 1), r.supervision_hours, "hours"))
    missing = progress.missing()
    note = QLabel("Still needed: " + "; ".join(missing) if missing else
                  "Everything this stage asks for is done: ready for the transition meeting.")
    note.setWordWrap(True)
    note.setObjectName("missing")
    form.addRow(note)
    return box


class TrainingDialog(SupervisionDialog):
    def __init__(self, parent: QWidget | None, service: LibraryService):
        super().__init__(parent, service, "My training record", "trainingDialog")
        self.resize(760, 700)
        self.stages = QWidget()
        self.stages_layout = QVBoxLayout(self.stages)
        self.stages_layout.setContentsMargins(0, 0, 0, 0)
        self.layout_.addWidget(self.stages)
        self.enter = QSpinBox()
        self.enter.setRange(1, 3)
        self.enter_on = QDateEdit(QDate.currentDate())
        self.enter_on.setCalendarPopup(True)
        self.enter_on.setDisplayFormat("dd MMM yyyy")
        self.add_button_row(QLabel("Entered stage"), self.enter, QLabel("on"), self.enter_on,
                            self.button("Record", self.record_stage))
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Date", "Supervisor", "Minutes", "Goals agreed"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.layout_.addWidget(QLabel("Supervisions"))
        self.layout_.addWidget(self.table, 1)
        self.supervisor = QComboBox()
        self.minutes = QSpinBox()
        self.minutes.setRange(1, training.MAX_MINUTES)
        self.minutes.setValue(60)
        self.minutes.setSuffix(" min")
        self.held_on = QDateEdit(QDate.currentDate())
        self.held_on.setCalendarPopup(True)
        self.held_on.setDisplayFormat("dd MMM yyyy")
        self.goals = QLineEdit()
        self.goals.setPlaceholderText("goals agreed")
        form = QFormLayout()
        form.addRow("Supervisor", self.supervisor)
        form.addRow("Held on", self.held_on)
        form.addRow("Length", self.minutes)
        form.addRow("Goals", self.goals)
        self.layout_.addLayout(form)
        self.add_supervision_button = self.button("Log supervision", self.log_supervision)
        self.add_button_row(self.add_supervision_button)
        self.statement = QPlainTextEdit()
        self.statement.setPlaceholderText("Your reflective statement (kept in the encrypted library)")
        self.statement.setFixedHeight(90)
        self.layout_.addWidget(self.statement)
        self.add_button_row(self.button("Save statement", self.save_statement))
        self.layout_.addWidget(self.error)
        self.add_close_button()
        self.statement.setPlainText(training.statement(service))
        self.reload()

    def reload(self) -> None:
        while self.stages_layout.count():
            widget = self.stages_layout.takeAt(0).widget()
            if widget is not None:
                widget.hide()  # gone at once; deleted when the event loop next runs
                widget.setParent(None)
                widget.deleteLater()
        progress = training.progress(self.service)
        if not progress.stages:
            self.stages_layout.addWidget(self.note("No stage recorded yet: record the stage you are in below."))
        for stage in progress.stages:
            self.stages_layout.addWidget(stage_box(stage))
        logged = training.supervisions(self.service)
        self.table.setRowCount(len(logged))
        for row, s in enumerate(reversed(logged)):
            for col, value in enumerate((s.date.strftime("%d %b %Y"), s.supervisor, str(s.minutes), s.goals)):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.supervisor.clear()
        self.supervisor.addItems([c.display_name for c in keys.list_contacts(self.service)])
        self.add_supervision_button.setEnabled(self.supervisor.count() > 0)
        if self.supervisor.count() == 0:
            self.supervisor.setPlaceholderText("add your supervisor as a contact first (Sharing → Contacts)")

    def record_stage(self) -> None:
        d = self.enter_on.date()
        if self.attempt(training.enter_stage, self.service, self.enter.value(),
                        dt.date(d.year(), d.month(), d.day())) is not None:
            self.reload()

    def log_supervision(self) -> None:
        d = self.held_on.date()
        record = self.attempt(training.add_supervision, self.service, dt.date(d.year(), d.month(), d.day()),
                              self.supervisor.currentText(), self.minutes.value(), goals=self.goals.text())
        if record is not None:
            self.goals.clear()
            self.reload()

    def save_statement(self) -> None:
        self.attempt(training.set_statement, self.service, self.statement.toPlainText())
