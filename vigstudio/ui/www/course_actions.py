"""The library window's WWW menu and its undo history. Every action is an app call
(`vigstudio.app.www`) made at once and pushed as one undo step on the library window's own stack
(Edit ▸ Undo, Ctrl+Z: adding, editing and deleting courses and their sessions); the library tree
refreshes from the change each call announces. The course summary PDF is made off the GUI thread."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog

from vigstudio.app.www import Courses
from vigstudio.app.www.summary import make_course_summary
from vigstudio.domain.errors import VigError
from vigstudio.domain.model import WWW_PLANNED_SESSIONS, Intervention, InterventionKind, Session
from vigstudio.ui.background import run_in_background, show_info
from vigstudio.ui.commands import UndoableEditor
from vigstudio.ui.library_model import Node, NodeKind
from vigstudio.ui.library_undo import library_undo_stack
from vigstudio.ui.www.course_view import CourseView
from vigstudio.ui.www.dialogs import AttendanceDialog, InterventionDialog
from vigstudio.ui.www.record_commands import UndoableRecords, intervention_calls, session_calls


def _session_words(session: Session) -> str:
    return f"WWW session of {session.date:%d %b %Y}"


def _intervention_words(intervention: Intervention) -> str:
    return "WWW course" if intervention.kind == InterventionKind.WWW else "VIG intervention"


class LibraryUndo:
    """Undoable WWW record edits on the library window's one undo stack (`ui.library_undo`)."""

    def __init__(self, main_window) -> None:
        self.stack = library_undo_stack(main_window)
        self.undoable = UndoableEditor(main_window.service, self.stack, main_window)
        self.undoable.failed.connect(lambda text: main_window.statusBar().showMessage(text, 8000))
        courses = Courses(main_window.service)
        self.courses = courses
        self.interventions = UndoableRecords(intervention_calls(courses), self.undoable, _intervention_words)
        self.sessions = UndoableRecords(session_calls(courses), self.undoable, _session_words)


def library_undo(main_window) -> LibraryUndo:
    if getattr(main_window, "www_undo", None) is None:
        main_window.www_undo = LibraryUndo(main_window)
    return main_window.www_undo


def _run(main_window, fn, *args, **kwargs):
    """An edit; a refusal is shown in the status bar (nothing was written)."""
    try:
        return fn(*args, **kwargs)
    except VigError as err:
        main_window.statusBar().showMessage(str(err), 8000)
        return None


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


def _intervention_of(main_window) -> Intervention | None:
    """The intervention of the selection: a WWW course, or the VIG intervention of a cycle or session."""
    node = main_window.current_node()
    course = _up_to(node, NodeKind.COURSE)
    if course is not None:
        return course.obj
    holder = _up_to(node, NodeKind.SESSION) or _up_to(node, NodeKind.CYCLE)
    if holder is None or holder.obj.intervention_id is None:
        return None
    return _run(main_window, Courses(main_window.service).intervention, holder.obj.intervention_id)


def new_course(main_window):
    case = _up_to(main_window.current_node(), NodeKind.CASE)
    if case is None:
        main_window.statusBar().showMessage("Select a case first.", 8000)
        return None
    undo = library_undo(main_window)
    intervention = _run(main_window, undo.interventions.add, undo.courses.add_intervention, case.obj.code,
                        InterventionKind.WWW, planned=WWW_PLANNED_SESSIONS, started_on=dt.date.today())
    if intervention is not None:
        main_window.statusBar().showMessage(f"Watch, Wait and Wonder course added to case {case.obj.code} "
                                            f"({intervention.planned_sessions} sessions planned).", 8000)
    return intervention


def edit_intervention(main_window, dialog: InterventionDialog | None = None):
    intervention = _intervention_of(main_window)
    if intervention is None:
        main_window.statusBar().showMessage("Select a WWW course, or a cycle or session of a VIG intervention.",
                                            8000)
        return None
    dialog = dialog or InterventionDialog(main_window, intervention)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return _run(main_window, library_undo(main_window).interventions.update, intervention.saved_id,
                **dialog.values())


def delete_course(main_window):
    course = _up_to(main_window.current_node(), NodeKind.COURSE)
    if course is None:
        main_window.statusBar().showMessage("Select a WWW course first.", 8000)
        return None
    return _run(main_window, library_undo(main_window).interventions.delete, course.obj.id)


def add_session(main_window, dialog: AttendanceDialog | None = None):
    course = _course_of(main_window)
    if course is None:
        main_window.statusBar().showMessage("Select a case with a WWW course (WWW ▸ New course) first.", 8000)
        return None
    dialog = dialog or AttendanceDialog(main_window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    values = dialog.values()
    undo = library_undo(main_window)
    return _run(main_window, undo.sessions.add, undo.courses.add_session, course.obj.id, values.pop("date"),
                **values)


def _course_session(main_window) -> Node | None:
    node = _up_to(main_window.current_node(), NodeKind.SESSION)
    if node is None or node.parent is None or node.parent.kind != NodeKind.COURSE:
        main_window.statusBar().showMessage("Select a session of a WWW course first.", 8000)
        return None
    return node


def edit_attendance(main_window, dialog: AttendanceDialog | None = None):
    node = _course_session(main_window)
    if node is None:
        return None
    dialog = dialog or AttendanceDialog(main_window, node.obj)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return _run(main_window, library_undo(main_window).sessions.update, node.obj.id, **dialog.values())


def delete_session(main_window):
    node = _course_session(main_window)
    if node is None:
        return None
    return _run(main_window, library_undo(main_window).sessions.delete, node.obj.id)


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
    library_undo(main_window)
    main_window.www_course_view = CourseView(main_window)
    menu = main_window.menuBar().addMenu("&WWW")
    actions = {"undo": main_window.undo_action, "redo": main_window.redo_action}
    for entry in (
            ("newCourse", "New Watch, Wait and Wonder course", "Add a WWW course (15 sessions planned) to the "
             "selected case, beside any VIG intervention", new_course),
            ("editIntervention", "Course details…", "Status, start and end, and planned sessions of the selected "
             "course (or VIG intervention)", edit_intervention),
            ("deleteCourse", "Delete empty course", "Delete the selected WWW course if it has no sessions",
             delete_course),
            None,
            ("addSession", "Add WWW session…", "Add a session to the selected case's WWW course", add_session),
            ("editAttendance", "Session attendance…", "Date, attendance and who came, for the selected WWW "
             "session", edit_attendance),
            ("deleteSession", "Delete empty WWW session", "Delete the selected WWW session if it holds nothing",
             delete_session),
            None,
            ("courseSummary", "Course summary (PDF)…", "An anonymous summary of the selected WWW course",
             course_summary)):
        if entry is None:
            menu.addSeparator()
            continue
        name, text, tip, slot = entry
        action = QAction(text, main_window)
        action.setObjectName(f"www_{name}")
        action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False, slot=slot: slot(main_window))
        menu.addAction(action)
        main_window.library_actions.append(action)  # disabled while the window is locked
        actions[name] = action
    return actions
