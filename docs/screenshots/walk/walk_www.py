"""A WWW course beside the pathway: New course, sessions with attendance (cancelled by the family, not
attended with a reason), a recording, observations coded by keyboard in the editor (lane, list,
click jumps, F2 edits frames), Wonder notes, the course view and the course summary's first page.

Run from the repository root under Xvfb at a clinic laptop's 1366×768 (see make_walk_screenshots.py).
It prints what a practitioner would notice (focus, defaults, messages) as it goes.
"""
# ruff: noqa
import datetime as dt
import io
import subprocess
import sys

from walk_common import PASSPHRASE, TMP, keep, pdf_pages, pump, shoot
from vigstudio.app.cases import add_case
from shots import sample_video

from PySide6.QtCore import QEventLoop, QTimer, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from vigstudio.app import pathway
from vigstudio.app.importing import import_recording
from vigstudio.app.library import LibraryService
from vigstudio.app.www import courses
from vigstudio.ui.app import install_features, make_application
from vigstudio.ui.editor import EditorWindow
from vigstudio.ui.main_window import MainWindow

def modal(opener, handler, delay=500):
    def run():
        d = QApplication.activeModalWidget(); print("  modal:", type(d).__name__, d.size() if d else None)
        handler(d)
    QTimer.singleShot(delay, run)
    return opener()


app = make_application()
service = LibraryService(); service.create(TMP / "Clinic", PASSPHRASE)
today = dt.date.today()
add_case(service, "F-101"); add_case(service, "F-140", referral="health_visitor")
r = pathway.add_referral(service, "F-140", today - dt.timedelta(days=120), "health-visitor", reasons=["low-mood"])
pathway.decide(service, r.id, "accepted", on=today - dt.timedelta(days=118))
pathway.set_stage(service, "F-140", "in-intervention", on=today - dt.timedelta(days=100))
w = MainWindow(service); install_features(w)
w.setGeometry(w.screen().availableGeometry()); w.show(); pump(800)
w.library_tabs.setCurrentWidget(w.splitter)
case = next(n for n in w.model.all_nodes() if n.kind.value == "case" and n.obj.code == "F-140")
w.tree.select_key(case.key); pump(300)
acts = {a.objectName(): a for a in w.findChildren(type(w.undo_action)) if a.objectName().startswith("www_")}
acts["www_newCourse"].trigger(); pump(400)
print("status:", w.statusBar().currentMessage())
# sessions
def fill(day, attendance, reason="", shot=None):
    def h(d):
        d.date.setDate(d.date.date().addDays((day - today).days))
        d.attendance.setCurrentIndex(d.attendance.findData(attendance))
        if reason: d.reason.setText(reason)
        if shot: shoot(shot)
        QTest.keyClick(d, Qt.Key.Key_Return)
    return h
from vigstudio.ui.www import course_actions as ca
days = [today - dt.timedelta(weeks=k) for k in (5, 4, 3, 2, 1)]
modal(lambda: ca.add_session(w), fill(days[0], "attended", shot="w01-attendance-dialog"))
modal(lambda: ca.add_session(w), fill(days[1], "cancelled-family", "baby unwell", shot="w02-attendance-cancelled"))
modal(lambda: ca.add_session(w), fill(days[2], "dna", "forgot, phoned after"))
modal(lambda: ca.add_session(w), fill(days[3], "attended"))
modal(lambda: ca.add_session(w), fill(days[4], "attended"))
modal(lambda: ca.add_session(w), fill(today + dt.timedelta(days=7), "planned"))
pump(500)
print("status:", w.statusBar().currentMessage())
# VIG intervention for the same family: how? (cycle add)
print("menus:", [a.text() for a in w.menuBar().actions()])
course = next(n for n in w.model.all_nodes() if n.kind.value == "course")
w.tree.select_key(course.key); pump(500)
shoot("w03-course-view-before-recording")
print("sessions api:", [m for m in dir(courses) if not m.startswith("_")])
ci = w.model.index_for_key(course.key)
print("course rows in model:", w.model.rowCount(ci), "label:", ci.data(), "expanded:", w.tree.isExpanded(ci))
vm = w.tree.model(); print("view model:", type(vm).__name__)
vi = w.tree.currentIndex(); print("view current:", vi.data(), "rows:", vm.rowCount(vi), "hasChildren:", vm.hasChildren(vi))
w.tree.expand(vi); pump(300); shoot("w04-expanded")
# a recording for the 30 Nov session (the family's own phone video imported)
sessions = [n for n in w.model.all_nodes() if n.kind.value == "session"]
target = next(n for n in sessions if n.obj.date == days[4])
video = io.BytesIO(); sample_video(video, 30); video.seek(0)
rec = import_recording(service, "F-140", video, session_id=target.obj.id, file_name="WWW_week5.mp4")
pump(600)
ed = EditorWindow(service, target.obj.id)
ed.setGeometry(ed.screen().availableGeometry()); ed.show(); pump(2000)
ed.observations_dock.raise_(); pump(300)
shoot("w05-editor-first-open")
panel = ed.observations_panel
print("focus in editor:", type(QApplication.focusWidget()).__name__)
# code by keyboard: seek to frame 40, pick I-LOOK, type text, Enter
ed.playback.seek(40); pump(500)
panel.code.setCurrentIndex(panel.code.findData("I-REACH"))
panel.text.setFocus(); QTest.keyClicks(panel.text, "reaches for the cup"); QTest.keyClick(panel.text, Qt.Key.Key_Return); pump(400)
ed.playback.seek(55); pump(400)
panel.code.setCurrentIndex(panel.code.findData("M-FOLLOW"))
QTest.keyClicks(panel.text, "passes it to him"); QTest.keyClick(panel.text, Qt.Key.Key_Return); pump(400)
ed.playback.seek(120); pump(400)
panel.code.setCurrentIndex(panel.code.findData("I-AWAY")); QTest.keyClick(panel.text, Qt.Key.Key_Return); pump(300)
ed.playback.seek(130); pump(300)
panel.code.setCurrentIndex(panel.code.findData("M-REDIRECT")); QTest.keyClicks(panel.text, "brings him back"); QTest.keyClick(panel.text, Qt.Key.Key_Return); pump(400)
print("observations:", [(o.frame, o.code, o.responds_to) for o in ed.data.observations])
print("status:", ed.statusBar().currentMessage())
shoot("w06-editor-coded")
# click the first in the list: jumps
lst = panel.list
item = lst.item(0); rect = lst.visualItemRect(item)
QTest.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()); pump(600)
print("after click frame:", ed.playback.current_frame)
# edit frames via F2 dialog
def edit_h(d):
    print("  obs dialog children:", [type(c).__name__ for c in d.findChildren(type(d.layout()))][:3])
    shoot("w07-observation-edit-dialog")
    QTest.keyClick(d, Qt.Key.Key_Escape)
modal(lambda: QTest.keyClick(lst, Qt.Key.Key_F2), edit_h)
pump(500)
# wonder
ed.wonder_panel.parentWidget()
wp = ed.wonder_panel
wp.text.setText("He wanted me to see the cup"); wp.add_button.click(); pump(300)
wp.kind.setCurrentIndex(wp.kind.findData("theme")); pump(100); wp.theme.setCurrentIndex(1); wp.add_button.click(); pump(300)
for dock in ed.findChildren(type(ed.observations_dock)):
    if "onder" in dock.windowTitle(): dock.raise_()
pump(400)
shoot("w08-editor-wonder")
QTest.keyClick(ed, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier); pump(300)
print("after undo notes:", len(ed.data.notes))
QTest.keyClick(ed, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier); pump(300)
print("after redo notes:", len(ed.data.notes))
ed.close(); pump(500)
w.tree.select_key(course.key); pump(600)
shoot("w09-course-view")
out = TMP / "course.pdf"
ca.course_summary(w, out); pump(3000)
print("pdf exists", out.exists())
pdf_pages(out, "w10-course-pdf", 2)
keep()
