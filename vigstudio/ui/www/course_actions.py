"""The library window's WWW menu. Every action is an app call (`vigstudio.app.www`); the library tree
refreshes from the change it announces. The course summary PDF is made off the GUI thread."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from vigstudio.app.www import Courses
from vigstudio.app.www.summary import make_course_summary
from vigstudio.domain.errors import VigError
from vigstudio.domain.model import WWW_PLANNED_SESSIONS, Attendance, CarerRole, InterventionKind, Session
from vigstudio.ui.background import run_in_background, show_info
from vigstudio.ui.library_model import Node, NodeKind

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
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.attendance.currentIndexChanged.connect(self._enable)
        if session is None:
            self.date.setDate(QDate.currentDate())
            self.roles[CarerRole.MOTHER].setChecked(True)
        else:
            self.date.setDate(QDate(session.date.year, session.date.month, session.date.day))
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

    def values(self) -> dict:
        """Keyword arguments for `Courses.add_session` / `update_session`."""
        key = self.attendance.currentData()
        attendance, cancelled_by = (("cancelled", key.split("-")[1]) if key.startswith("cancelled") else (key, None))
        q = self.date.date()
        return {"date": dt.date(q.year(), q.month(), q.day()), "attendance": attendance, "cancelled_by": cancelled_by,
                "reason": self.reason.text() if self.reason.isEnabled() else "",
                "attendees": [r.value for r, box in self.roles.items() if box.isChecked()] if key == "attended" else []}


def _up_to(node: Node | None, kind: NodeKind) -> Node | None:
    while node is not None and node.kind != kind:
        node = node.parent
    return node


def _course_of(main_window) -> Node | None:
    """The WWW course of the selection: the course itself, one of its sessions, or the case's only course."""
    node = main_window.current_node()
    course = _up_to(node, NodeKind.COURSE)
    if course is not None:
        return course
    case = _up_to(node, NodeKind.CASE)
    courses = [c for c in (case.children if case else []) if c.kind == NodeKind.COURSE]
    return courses[-1] if courses else None


def new_course(main_window):
    case = _up_to(main_window.current_node(), NodeKind.CASE)
    if case is None:
        main_window.statusBar().showMessage("Select a case first.", 8000)
        return None
    try:
        intervention = Courses(main_window.service).add_intervention(case.obj.code, InterventionKind.WWW,
                                                                     planned=WWW_PLANNED_SESSIONS,
                                                                     started_on=dt.date.today())
    except VigError as err:
        main_window.statusBar().showMessage(str(err), 8000)
        return None
    main_window.statusBar().showMessage(f"Watch, Wait and Wonder course added to case {case.obj.code} "
                                        f"({intervention.planned_sessions} sessions planned).", 8000)
    return intervention


def add_session(main_window, dialog: AttendanceDialog | None = None):
    course = _course_of(main_window)
    if course is None:
        main_window.statusBar().showMessage("Select a case with a WWW course (WWW ▸ New course) first.", 8000)
        return None
    dialog = dialog or AttendanceDialog(main_window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    values = dialog.values()
    try:
        return Courses(main_window.service).add_session(course.obj.id, values.pop("date"), **values)
    except VigError as err:
        main_window.statusBar().showMessage(str(err), 8000)
        return None


def edit_attendance(main_window, dialog: AttendanceDialog | None = None):
    node = _up_to(main_window.current_node(), NodeKind.SESSION)
    if node is None or node.parent is None or node.parent.kind != NodeKind.COURSE:
        main_window.statusBar().showMessage("Select a session of a WWW course first.", 8000)
        return None
    dialog = dialog or AttendanceDialog(main_window, node.obj)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    values = dialog.values()
    try:
        return Courses(main_window.service).update_session(node.obj.id, **values)[1]
    except VigError as err:
        main_window.statusBar().showMessage(str(err), 8000)
        return None


def delete_session(main_window):
    node = _up_to(main_window.current_node(), NodeKind.SESSION)
    if node is None or node.parent is None or node.parent.kind != NodeKind.COURSE:
        main_window.statusBar().showMessage("Select a session of a WWW course first.", 8000)
        return None
    try:
        return Courses(main_window.service).delete_session(node.obj.id)
    except VigError as err:
        main_window.statusBar().showMessage(str(err), 8000)
        return None


def course_summary(main_window, out_path: Path | None = None):
    course = _course_of(main_window)
    if course is None:
        main_window.statusBar().showMessage("Select a WWW course (or one of its sessions) first.", 8000)
        return None
    if out_path is None:
        chosen, _ = QFileDialog.getSaveFileName(main_window, "Course summary", "course-summary.pdf", "PDF (*.pdf)")
        if not chosen:
            return None
        out_path = Path(chosen)
    service, intervention_id = main_window.service, course.obj.id

    def done(path) -> None:
        show_info(main_window, "Course summary", f"The course summary was written to {path}. It names no one.")

    return run_in_background(main_window, lambda progress: make_course_summary(service, intervention_id, out_path),
                             done, progress_label="Making the course summary…", cancellable=False)


def install_www_menu(main_window) -> dict[str, QAction]:
    menu = main_window.menuBar().addMenu("&WWW")
    actions = {}
    for name, text, tip, slot in (
            ("newCourse", "New Watch, Wait and Wonder course", "Add a WWW course (15 sessions planned) to the "
             "selected case, beside any VIG intervention", new_course),
            ("addSession", "Add WWW session…", "Add a session to the selected case's WWW course", add_session),
            ("editAttendance", "Session attendance…", "Date, attendance and who came, for the selected WWW "
             "session", edit_attendance),
            ("deleteSession", "Delete empty WWW session", "Delete the selected WWW session if it holds nothing",
             delete_session),
            ("courseSummary", "Course summary (PDF)…", "An anonymous summary of the selected WWW course",
             course_summary)):
        action = QAction(text, main_window)
        action.setObjectName(f"www_{name}")
        action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False, slot=slot: slot(main_window))
        menu.addAction(action)
        main_window.library_actions.append(action)  # disabled while the window is locked
        actions[name] = action
    return actions
