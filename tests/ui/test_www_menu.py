"""The library window's WWW menu on a real library: a course beside VIG, sessions with attendance,
the course summary PDF made off the GUI thread."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QTimer
from PySide6.QtGui import QAction

from tests.ui.shell_support import library_with_recording, nodes_of, open_window
from vigstudio.app.cases import find_case, find_session
from vigstudio.app.www import Courses
from vigstudio.domain.model import Attendance, CancelledBy
from vigstudio.ui.library_model import NodeKind
from vigstudio.ui.www import AttendanceDialog, install_www_menu
from vigstudio.ui.www.course_actions import add_session, course_summary, delete_session, edit_attendance


def test_www_menu_adds_a_course_and_sessions(qtbot, tmp_path, passphrase):
    service = library_with_recording(tmp_path, passphrase)
    try:
        window = open_window(qtbot, service)
        actions = install_www_menu(window)
        assert all(a in window.library_actions for a in actions.values())
        assert window.findChild(QAction, "www_courseSummary") is actions["courseSummary"]
        case_key = ("case", find_case(service, "F-014").id)
        assert window.tree.select_key(case_key)
        actions["newCourse"].trigger()
        qtbot.waitUntil(lambda: len(nodes_of(window, NodeKind.COURSE)) == 1)
        [course] = nodes_of(window, NodeKind.COURSE)
        assert course.obj.planned_sessions == 15 and len(nodes_of(window, NodeKind.CYCLE)) == 1

        assert window.tree.select_key(("course", course.obj.id))
        dialog = AttendanceDialog(window)
        dialog.date.setDate(QDate(2026, 11, 2))
        dialog.attendance.setCurrentIndex(dialog.attendance.findData("cancelled-service"))
        dialog.reason.setText("room double-booked")
        QTimer.singleShot(0, dialog.accept)
        session = add_session(window, dialog)
        assert (session.date, session.attendance, session.cancelled_by, session.attendance_reason) == (
            dt.date(2026, 11, 2), Attendance.CANCELLED, CancelledBy.SERVICE, "room double-booked")
        qtbot.waitUntil(lambda: len(nodes_of(window, NodeKind.SESSION)) == 2)

        assert window.tree.select_key(("session", session.id))
        dialog = AttendanceDialog(window, find_session(service, session.id))
        assert dialog.attendance.currentData() == "cancelled-service" and dialog.reason.text() == "room double-booked"
        dialog.attendance.setCurrentIndex(dialog.attendance.findData("attended"))
        assert not dialog.reason.isEnabled() and dialog.roles["mother"].isEnabled()
        dialog.roles["father"].setChecked(True)
        QTimer.singleShot(0, dialog.accept)
        edited = edit_attendance(window, dialog)
        assert (edited.attendance, edited.attendees, edited.attendance_reason) == (Attendance.ATTENDED, ("father",), "")
        qtbot.waitUntil(lambda: Courses(service).progress(course.obj.id).attended == 1)

        out = tmp_path / "course.pdf"
        assert course_summary(window, out) is not None
        qtbot.waitUntil(out.exists, timeout=20_000)
        assert out.read_bytes().startswith(b"%PDF")

        qtbot.waitUntil(lambda: window.tree.select_key(("session", session.id)))
        assert delete_session(window) is not None
        qtbot.waitUntil(lambda: len(nodes_of(window, NodeKind.SESSION)) == 1)
        window.close()
    finally:
        service.close()
