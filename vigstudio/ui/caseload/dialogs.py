"""Record a referral and move a case along its pathway: small forms over `app.pathway`."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QFormLayout, QLineEdit, QListWidget, QWidget

from vigstudio.app import pathway
from vigstudio.app.library import LibraryService
from vigstudio.domain.model import CaseOrigin
from vigstudio.domain.pathway import ALLOWED, EndReason, Stage
from vigstudio.ui.supervision.common import SupervisionDialog, case_codes, checkable_list, checked_data


def date_of(edit: QDateEdit) -> dt.date:
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


def date_edit(day: QDate | None = None) -> QDateEdit:
    edit = QDateEdit(day or QDate.currentDate())
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd MMM yyyy")
    return edit


class ReferralDialog(SupervisionDialog):
    def __init__(self, parent: QWidget | None, service: LibraryService, case_code: str | None = None):
        super().__init__(parent, service, "New referral", "referralDialog")
        cat = pathway.catalogue(service)
        self.case_combo = QComboBox()
        self.case_combo.addItems(case_codes(service, CaseOrigin.LOCAL))
        if case_code:
            self.case_combo.setCurrentText(case_code)
        self.received = date_edit()
        self.source = QComboBox()
        for option in cat.sources:
            self.source.addItem(option.label, option.code)
        self.role = QLineEdit()
        self.role.setPlaceholderText("e.g. health visitor (no names needed)")
        self.team = QLineEdit()
        self.reasons: QListWidget = checkable_list([(o.label, o.code) for o in cat.reasons])
        self.reasons.setMaximumHeight(150)
        self.notes = QLineEdit()
        self.notes.setPlaceholderText("concerns in a few words (kept encrypted)")
        self.stage = QComboBox()
        self.stage.addItem("not recorded", None)
        self.stage.addItem("antenatal: expected delivery on", "antenatal")
        self.stage.addItem("postnatal: baby born on", "postnatal")
        self.stage_date = date_edit()
        self.urgency = QComboBox()
        self.urgency.addItems(list(cat.urgencies))
        form = QFormLayout()
        form.addRow("Case", self.case_combo)
        form.addRow("Received", self.received)
        form.addRow("From", self.source)
        form.addRow("Referrer's role", self.role)
        form.addRow("Team", self.team)
        form.addRow("Reasons", self.reasons)
        form.addRow("Concerns", self.notes)
        form.addRow(self.stage, self.stage_date)
        form.addRow("Urgency", self.urgency)
        self.layout_.addLayout(form)
        self.layout_.addWidget(self.error)
        self.save_button = self.button("Record referral", self.save)
        self.save_button.setDefault(True)
        self.add_button_row(self.save_button)
        self.add_close_button()

    def save(self) -> None:
        stage = self.stage.currentData()
        day = date_of(self.stage_date)
        referral = self.attempt(
            pathway.add_referral, self.service, self.case_combo.currentText(), date_of(self.received),
            self.source.currentData(), reasons=checked_data(self.reasons), reason_text=self.notes.text(),
            referrer_role=self.role.text(), referrer_team=self.team.text(), perinatal=stage,
            due_date=day if stage == "antenatal" else None, birth_date=day if stage == "postnatal" else None,
            urgency=self.urgency.currentText())
        if referral is not None:
            self.done_message = f"Referral recorded for {self.case_combo.currentText()}"
            self.accept()


class PathwayDialog(SupervisionDialog):
    def __init__(self, parent: QWidget | None, service: LibraryService, case_code: str | None = None):
        super().__init__(parent, service, "Move along the pathway", "pathwayDialog")
        self.case_combo = QComboBox()
        self.case_combo.addItems(case_codes(service, CaseOrigin.LOCAL))
        if case_code:
            self.case_combo.setCurrentText(case_code)
        self.now = self.note("")
        self.target = QComboBox()
        self.on = date_edit()
        self.reason = QComboBox()
        self.reason.setEditable(True)
        form = QFormLayout()
        form.addRow("Case", self.case_combo)
        form.addRow("Now", self.now)
        form.addRow("Move to", self.target)
        form.addRow("On", self.on)
        form.addRow("Reason", self.reason)
        self.layout_.addLayout(form)
        self.layout_.addWidget(self.error)
        self.save_button = self.button("Record", self.save)
        self.save_button.setDefault(True)
        self.add_button_row(self.save_button)
        self.add_close_button()
        self.case_combo.currentTextChanged.connect(lambda _t: self.refresh())
        self.target.currentIndexChanged.connect(lambda _i: self._reasons())
        self.refresh()

    def refresh(self) -> None:
        code = self.case_combo.currentText()
        steps = self.attempt(pathway.pathway, self.service, code) if code else []
        current = pathway.current_stage(steps or [])
        self.now.setText("not on the pathway yet: record a referral first" if current is None else
                         f"{current.value.replace('_', ' ')} since {steps[-1].date:%d %b %Y}")
        self.target.clear()
        for stage in Stage:
            if current is not None and stage in ALLOWED[current]:
                self.target.addItem(stage.value.replace("_", " "), stage.value)
        self.save_button.setEnabled(self.target.count() > 0)
        self._reasons()

    def _reasons(self) -> None:
        self.reason.clear()
        if self.target.currentData() == Stage.ENDED.value:
            self.reason.addItems([r.value.replace("_", " ") for r in EndReason])

    def save(self) -> None:
        event = self.attempt(pathway.set_stage, self.service, self.case_combo.currentText(),
                             self.target.currentData(), on=date_of(self.on), reason=self.reason.currentText())
        if event is not None:
            self.done_message = f"{self.case_combo.currentText()}: {event.stage.value.replace('_', ' ')}"
            self.accept()
