"""The library window's WWW menu on a real library: a course beside VIG, sessions with attendance,
the course summary PDF made off the GUI thread."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QTimer
from PySide6.QtGui import QAction

from tests.ui.shell_support import library_with_recording, nodes_of, open_window
from vigstudio.app.cases import find_case, find_session
from vigstudio.app.www import Courses
from vigstudio.domain.model import Attendance, CancelledBy, InterventionStatus
from vigstudio.ui.background import running_tasks
from vigstudio.ui.library_model import NodeKind
from vigstudio.ui.www import AttendanceDialog, InterventionDialog, install_www_menu
from vigstudio.ui.www.course_actions import (
    add_session,
    course_summary,
    delete_course,
    delete_session,
    edit_attendance,
    edit_intervention,
)


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
        qtbot.waitUntil(lambda: out.exists() and not running_tasks(), timeout=20_000)
        assert out.read_bytes().startswith(b"%PDF")

        qtbot.waitUntil(lambda: window.tree.select_key(("session", session.id)))
        assert delete_session(window) is not None
        qtbot.waitUntil(lambda: len(nodes_of(window, NodeKind.SESSION)) == 1)
        window.close()
    finally:
        service.close()


def test_course_and_attendance_edits_are_undone_and_redone(qtbot, tmp_path, passphrase):
    service = library_with_recording(tmp_path, passphrase)
    try:
        window = open_window(qtbot, service)
        actions = install_www_menu(window)
        courses = Courses(service)
        menus = [a.text().replace("&", "") for a in window.menuBar().actions()]
        assert menus[:2] == ["Library", "Edit"]
        undo, redo = actions["undo"], actions["redo"]
        assert undo.shortcut().toString() == "Ctrl+Z" and not undo.isEnabled()

        assert window.tree.select_key(("case", find_case(service, "F-014").id))
        actions["newCourse"].trigger()
        qtbot.waitUntil(lambda: len(nodes_of(window, NodeKind.COURSE)) == 1)
        [course] = nodes_of(window, NodeKind.COURSE)
        course_id = course.obj.id
        assert undo.text() == "Undo Add WWW course"

        # course details: status, planned sessions, start and end dates
        assert window.tree.select_key(("course", course_id))
        dialog = InterventionDialog(window, courses.intervention(course_id))
        assert dialog.planned.value() == 15 and dialog.started.given.isChecked() and not dialog.ended.given.isChecked()
        dialog.status.setCurrentIndex(dialog.status.findData("ended_early"))
        dialog.planned.setValue(10)
        dialog.ended.given.setChecked(True)
        dialog.ended.edit.setDate(QDate(2027, 3, 1))
        QTimer.singleShot(0, dialog.accept)
        edited = edit_intervention(window, dialog)
        assert (edited.status, edited.planned_sessions, edited.ended_on) == (
            InterventionStatus.ENDED_EARLY, 10, dt.date(2027, 3, 1))
        undo.trigger()
        back = courses.intervention(course_id)
        assert (back.status, back.planned_sessions, back.ended_on) == (InterventionStatus.ACTIVE, 15, None)
        redo.trigger()
        assert courses.intervention(course_id).planned_sessions == 10

        # a session: added, its attendance edited, deleted; each step undone and redone
        qtbot.waitUntil(lambda: window.tree.select_key(("course", course_id)))
        dialog = AttendanceDialog(window)
        dialog.date.setDate(QDate(2026, 11, 2))
        QTimer.singleShot(0, dialog.accept)
        session = add_session(window, dialog)
        qtbot.waitUntil(lambda: window.tree.select_key(("session", session.id)))
        dialog = AttendanceDialog(window, find_session(service, session.id))
        dialog.attendance.setCurrentIndex(dialog.attendance.findData("dna"))
        dialog.reason.setText("no answer")
        QTimer.singleShot(0, dialog.accept)
        assert edit_attendance(window, dialog).attendance == Attendance.DNA
        assert undo.text() == "Undo Edit WWW session of 02 Nov 2026"
        undo.trigger()
        assert find_session(service, session.id).attendance == Attendance.ATTENDED
        redo.trigger()
        assert find_session(service, session.id).attendance_reason == "no answer"
        qtbot.waitUntil(lambda: window.tree.select_key(("session", session.id)))
        assert delete_session(window) is not None
        qtbot.waitUntil(lambda: len(nodes_of(window, NodeKind.SESSION)) == 1)
        undo.trigger()  # the same session back, with its attendance
        qtbot.waitUntil(lambda: len(nodes_of(window, NodeKind.SESSION)) == 2)
        assert find_session(service, session.id).attendance == Attendance.DNA

        # a course with a session is not deleted (nothing pushed); an empty one is, undoably
        qtbot.waitUntil(lambda: window.tree.select_key(("course", course_id)))
        steps = window.www_undo.stack.count()
        assert delete_course(window) is None and "still has sessions" in window.statusBar().currentMessage()
        assert window.www_undo.stack.count() == steps
        undo.trigger()  # the attendance edit
        undo.trigger()  # the session's add: the course is empty again
        qtbot.waitUntil(lambda: len(nodes_of(window, NodeKind.SESSION)) == 1)
        qtbot.waitUntil(lambda: window.tree.select_key(("course", course_id)))
        assert delete_course(window) is not None
        qtbot.waitUntil(lambda: not nodes_of(window, NodeKind.COURSE))
        undo.trigger()
        qtbot.waitUntil(lambda: len(nodes_of(window, NodeKind.COURSE)) == 1)
        assert courses.intervention(course_id).planned_sessions == 10

        window.lock("Locked.")  # the history names records of a library that is locked away
        assert window.www_undo.stack.count() == 0
        window.close()
    finally:
        service.close()
