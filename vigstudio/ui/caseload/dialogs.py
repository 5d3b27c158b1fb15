"""Record (or correct) a referral and move a case along its pathway: small forms over `app.pathway`,
each edit one undo step on the library window's stack (`CaseloadUndo`)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QWidget,
)

from vigstudio.app import cases, pathway, pathway_records
from vigstudio.app.library import LibraryService
from vigstudio.domain.model import CaseOrigin, ReferralSource
from vigstudio.domain.pathway import ALLOWED, EndReason, Referral, Stage
from vigstudio.ui.caseload.commands import CaseloadUndo
from vigstudio.ui.dialogs import NewCaseDialog
from vigstudio.ui.supervision.common import (
    SupervisionDialog,
    case_codes,
    checkable_list,
    checked_data,
    choose_case,
)


def date_of(edit: QDateEdit) -> dt.date:
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def date_edit(day: QDate | dt.date | None = None) -> QDateEdit:
    edit = QDateEdit(qdate(day) if isinstance(day, dt.date) else day or QDate.currentDate())
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd MMM yyyy")
    return edit


class ReferralDialog(SupervisionDialog):
    """A new referral, or (given `referral`) the correction of one."""

    def __init__(self, parent: QWidget | None, service: LibraryService, case_code: str | None = None, *,
                 undo: CaseloadUndo | None = None, referral: Referral | None = None):
        super().__init__(parent, service, "Correct a referral" if referral else "New referral", "referralDialog")
        self.undo = undo or CaseloadUndo(service, parent=self)
        self.referral = referral
        cat = pathway.catalogue(service)
        self.case_combo = QComboBox()
        self.case_combo.addItems(case_codes(service, CaseOrigin.LOCAL))
        # A new family's case is made here ("New case…").
        choose_case(self.case_combo, case_code)
        self.case_combo.setEnabled(referral is None)
        self.new_case_button = QPushButton("New case…")
        self.new_case_button.setToolTip("A family not in the library yet: add its case, then record the referral")
        self.new_case_button.clicked.connect(self.new_case)
        self.new_case_button.setVisible(referral is None)
        case_row = QHBoxLayout()
        case_row.addWidget(self.case_combo, 1)
        case_row.addWidget(self.new_case_button)
        self.received = date_edit()
        self.source = QComboBox()
        for option in cat.sources:
            self.source.addItem(option.label, option.code)
        self.role = QLineEdit()
        self.role.setPlaceholderText("e.g. health visitor (no names)")
        self.team = QLineEdit()
        self.reasons: QListWidget = checkable_list([(o.label, o.code) for o in cat.reasons])
        # Every reason visible at once, none cut at the right (the catalogue has about eight).
        self.reasons.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self.reasons.setMaximumHeight(260)
        self.notes = QLineEdit()
        self.notes.setPlaceholderText("concerns in a few words (kept encrypted)")
        self.stage = QComboBox()
        self.stage.addItem("not recorded", None)
        self.stage.addItem("antenatal: expected delivery on", "antenatal")
        self.stage.addItem("postnatal: baby born on", "postnatal")
        self.stage_date = date_edit()
        self.stage_date.setEnabled(False)  # a date only for antenatal (due) or postnatal (born)
        self.stage.currentIndexChanged.connect(lambda _i: self.stage_date.setEnabled(self.stage.currentData() is not None))
        stage_row = QHBoxLayout()
        stage_row.addWidget(self.stage, 1)
        stage_row.addWidget(self.stage_date)
        self.urgency = QComboBox()
        self.urgency.addItems(list(cat.urgencies))
        form = QFormLayout()
        form.addRow("Case", case_row)
        form.addRow("Received", self.received)
        form.addRow("From", self.source)
        form.addRow("Referrer's role", self.role)
        form.addRow("Team", self.team)
        form.addRow("Reasons", self.reasons)
        form.addRow("Concerns", self.notes)
        form.addRow("Perinatal stage", stage_row)
        form.addRow("Urgency", self.urgency)
        self.layout_.addLayout(form)
        self.layout_.addWidget(self.error)
        self.save_button = self.button("Save the correction" if referral else "Record referral", self.save)
        self.save_button.setDefault(True)
        self.add_button_row(self.save_button)
        self.add_close_button()
        if referral is not None:
            self._fill(referral)

    def _fill(self, r: Referral) -> None:
        self.received.setDate(qdate(r.received))
        self.source.setCurrentIndex(max(0, self.source.findData(r.source)))
        self.role.setText(r.referrer_role)
        self.team.setText(r.referrer_team)
        for i in range(self.reasons.count()):
            item = self.reasons.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in r.reasons
                               else Qt.CheckState.Unchecked)
        self.notes.setText(r.reason_text)
        self.stage.setCurrentIndex(max(0, self.stage.findData(r.perinatal.value if r.perinatal else None)))
        day = r.due_date or r.birth_date
        if day is not None:
            self.stage_date.setDate(qdate(day))
        self.urgency.setCurrentText(r.urgency)

    def new_case(self) -> None:
        """Add the new family's case (its code and referral source) and choose it here."""
        dialog = NewCaseDialog(self, lambda code, name, source: cases.add_case(self.service, code, name, source),
                               "The referral is for a family not in the library yet: add its case.")
        try:  # the case's referral source as chosen for this referral, where the two lists share it
            dialog.referral_combo.setCurrentIndex(max(0, dialog.referral_combo.findData(
                ReferralSource(self.source.currentData()))))
        except ValueError:
            pass
        self.adding_case = dialog  # kept for tests and so it is not collected

        def added() -> None:
            if dialog.case is not None:
                self.case_combo.addItem(dialog.case.code)
                self.case_combo.setCurrentText(dialog.case.code)
                self.received.setFocus()

        dialog.accepted.connect(added)
        dialog.open()

    def save(self) -> None:
        stage = self.stage.currentData()
        day = date_of(self.stage_date)
        code = self.case_combo.currentText()
        if not code:
            self.show_error("Choose the family's case first, or add it with New case…")
            return
        values = dict(reason_text=self.notes.text(), referrer_role=self.role.text(), referrer_team=self.team.text(),
                      perinatal=stage, due_date=day if stage == "antenatal" else None,
                      birth_date=day if stage == "postnatal" else None, urgency=self.urgency.currentText())
        if self.referral is None:
            done = self.attempt(self.undo.pathway_edit, f"New referral for {code}", code, pathway.add_referral,
                                self.service, code, date_of(self.received), self.source.currentData(),
                                reasons=checked_data(self.reasons), **values)
            message = f"Referral recorded for {code}"
        else:
            done = self.attempt(self.undo.pathway_edit, f"Correct referral {self.referral.id} of {code}", code,
                                pathway_records.edit_referral, self.service, self.referral.saved_id,
                                received=date_of(self.received), source=self.source.currentData(),
                                reasons=checked_data(self.reasons), **values)
            message = f"Referral {self.referral.id} of {code} corrected"
        if done is not None:
            self.done_message = message
            self.accept()


class PathwayDialog(SupervisionDialog):
    def __init__(self, parent: QWidget | None, service: LibraryService, case_code: str | None = None, *,
                 undo: CaseloadUndo | None = None):
        super().__init__(parent, service, "Move along the pathway", "pathwayDialog")
        self.undo = undo or CaseloadUndo(service, parent=self)
        self.case_combo = QComboBox()
        self.case_combo.addItems(case_codes(service, CaseOrigin.LOCAL))
        choose_case(self.case_combo, case_code)
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
        order = list(Stage)
        forward = [i for i in range(self.target.count())
                   if current is not None and order.index(Stage(self.target.itemData(i))) > order.index(current)]
        if forward:  # the next step on, not a step back, is what is usually recorded
            self.target.setCurrentIndex(forward[0])
        self.save_button.setEnabled(self.target.count() > 0)
        self._reasons()

    def _reasons(self) -> None:
        self.reason.clear()
        if self.target.currentData() == Stage.ENDED.value:
            self.reason.addItems([r.value.replace("_", " ") for r in EndReason])

    def save(self) -> None:
        code = self.case_combo.currentText()
        if not code:
            self.show_error("Choose the family's case first")
            return
        event = self.attempt(self.undo.pathway_edit, f"{code}: {self.target.currentText()}", code,
                             pathway.set_stage, self.service, code, self.target.currentData(), on=date_of(self.on),
                             reason=self.reason.currentText())
        if event is not None:
            self.done_message = f"{code}: {event.stage.value.replace('_', ' ')}"
            self.accept()
