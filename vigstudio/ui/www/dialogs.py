"""The dialogs of the library window's WWW menu: a course session's date, attendance and who came; an
intervention's status, dates and planned sessions. They only collect values (keyword arguments of the
app calls); the menu's actions make the edits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vigstudio.app.www.courses import MAX_PLANNED
from vigstudio.domain.model import Attendance, CarerRole, Intervention, InterventionStatus, Session

ATTENDANCE_CHOICES = [("attended", "Attended"), ("planned", "Planned"), ("cancelled-family", "Cancelled by the family"),
                      ("cancelled-service", "Cancelled by the service"), ("dna", "Not attended")]
ROLE_LABELS = {CarerRole.MOTHER: "Mother", CarerRole.FATHER: "Father", CarerRole.OTHER_CARER: "Other carer"}


class AttendanceDialog(QDialog):
    """Date, attendance (with the reason) and who came, for a new or an existing WWW session."""

    def __init__(self, parent: QWidget | None, session: Session | None = None):
        super().__init__(parent)
        self.setObjectName("wwwAttendanceDialog")
        self.setWindowTitle("WWW session" if session is None else "WWW session attendance")
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd MMM yyyy")
        self.attendance = QComboBox()
        for key, label in ATTENDANCE_CHOICES:
            self.attendance.addItem(label, key)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Why cancelled or not attended (optional)")
        self.roles = {role: QCheckBox(label) for role, label in ROLE_LABELS.items()}
        roles_row = QHBoxLayout()
        for box in self.roles.values():
            roles_row.addWidget(box)
        form = QFormLayout()
        form.addRow("Date", self.date)
        form.addRow("Attendance", self.attendance)
        form.addRow("Reason", self.reason)
        form.addRow("Who came", roles_row)
        ok_cancel(self, form)
        self.attendance.currentIndexChanged.connect(self._enable)
        if session is None:
            self.date.setDate(QDate.currentDate())
            self.roles[CarerRole.MOTHER].setChecked(True)
        else:
            self.date.setDate(_qdate(session.date))
            key = session.attendance.value
            if session.attendance == Attendance.CANCELLED:
                key = f"cancelled-{session.cancelled_by.value if session.cancelled_by else 'family'}"
            self.attendance.setCurrentIndex(max(0, self.attendance.findData(key)))
            self.reason.setText(session.attendance_reason)
            for role, box in self.roles.items():
                box.setChecked(role.value in session.attendees)
        self._enable()

    def _enable(self) -> None:
        key = self.attendance.currentData()
        self.reason.setEnabled(key in ("cancelled-family", "cancelled-service", "dna"))
        for box in self.roles.values():
            box.setEnabled(key == "attended")

    def values(self) -> dict[str, Any]:
        """Keyword arguments for `Courses.add_session` / `update_session`."""
        key = self.attendance.currentData()
        attendance, cancelled_by = (("cancelled", key.split("-")[1]) if key.startswith("cancelled") else (key, None))
        return {"date": _date(self.date), "attendance": attendance, "cancelled_by": cancelled_by,
                "reason": self.reason.text() if self.reason.isEnabled() else "",
                "attendees": [r.value for r, box in self.roles.items() if box.isChecked()] if key == "attended" else []}


STATUS_LABELS = {InterventionStatus.ACTIVE: "Active", InterventionStatus.COMPLETED: "Completed",
                 InterventionStatus.ENDED_EARLY: "Ended early"}


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(edit: QDateEdit) -> dt.date:
    q = edit.date()
    return dt.date(q.year(), q.month(), q.day())


def ok_cancel(dialog: QDialog, form: QFormLayout) -> None:
    """The dialog's layout: its form, then OK and Cancel."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(buttons)


class OptionalDate(QWidget):
    """A date that may be left unset (an intervention not ended yet)."""

    def __init__(self, label: str, day: dt.date | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.given = QCheckBox(label)
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("dd MMM yyyy")
        self.edit.setDate(_qdate(day or dt.date.today()))
        self.given.setChecked(day is not None)
        self.given.toggled.connect(self.edit.setEnabled)
        self.edit.setEnabled(day is not None)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.given)
        row.addWidget(self.edit, 1)

    def value(self) -> dt.date | None:
        return _date(self.edit) if self.given.isChecked() else None


class InterventionDialog(QDialog):
    """Status, start and end, and planned sessions of an intervention (a WWW course or VIG)."""

    def __init__(self, parent: QWidget | None, intervention: Intervention):
        super().__init__(parent)
        self.setObjectName("interventionDialog")
        kind = "Watch, Wait and Wonder course" if intervention.kind.value == "www" else "VIG intervention"
        self.setWindowTitle(kind)
        self.status = QComboBox()
        for status, label in STATUS_LABELS.items():
            self.status.addItem(label, status.value)
        self.status.setCurrentIndex(max(0, self.status.findData(intervention.status.value)))
        self.planned = QSpinBox()
        self.planned.setRange(0, MAX_PLANNED)
        self.planned.setSpecialValueText("not planned")
        self.planned.setValue(intervention.planned_sessions or 0)
        self.planned.setAccessibleName("Planned sessions")
        self.started = OptionalDate("Started", intervention.started_on)
        self.ended = OptionalDate("Ended", intervention.ended_on)
        form = QFormLayout()
        form.addRow("Status", self.status)
        form.addRow("Planned sessions", self.planned)
        form.addRow("Start", self.started)
        form.addRow("End", self.ended)
        ok_cancel(self, form)

    def values(self) -> dict[str, Any]:
        """Keyword arguments for `Courses.update_intervention`."""
        return {"status": self.status.currentData(), "planned": self.planned.value() or None,
                "started_on": self.started.value(), "ended_on": self.ended.value()}
