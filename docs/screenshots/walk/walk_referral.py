"""A health visitor's referral for a new family: New referral (adding the case), the decision in the
case record (Ctrl+Z / Ctrl+Shift+Z), the pathway to in intervention, closing the case, the retention
review's confirmation, the service's own work (undo) and the activity report's first page.

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
from vigstudio.app import pathway, consent
from vigstudio.app.library import LibraryService
from vigstudio.ui.app import install_features, make_application
from vigstudio.ui.main_window import MainWindow

def info(w):
    print("  active:", type(QApplication.activeWindow()).__name__, "focus:", type(QApplication.focusWidget()).__name__,
          getattr(QApplication.focusWidget(), "objectName", lambda: "")())


app = make_application()
service = LibraryService()
service.create(TMP / "Clinic", PASSPHRASE)
today = dt.date.today()
for code in ("F-101", "F-102", "F-103"):
    add_case(service, code)
    pathway.add_referral(service, code, today - dt.timedelta(days=40), "gp", reasons=["anxiety"])
w = MainWindow(service); install_features(w)
w.setGeometry(w.screen().availableGeometry()); w.show(); pump(800)
shoot("01-caseload")
view = w.caseload
# new referral with nothing selected
view.table.clearSelection(); view.table.setCurrentIndex(view.table.model().index(-1, -1))
view.referral_button.click(); pump(600)
d = w.caseload_dialog
print("referral dialog case:", d.case_combo.currentText(), "size", d.size())
info(d)
shoot("02-new-referral-empty")

d.new_case_button.click(); pump(400)
nc = d.adding_case
QTest.keyClicks(nc.code_edit, "F-140"); shoot("03-new-case-from-referral")
QTest.keyClick(nc.code_edit, Qt.Key.Key_Return); pump(300)
print("case now:", d.case_combo.currentText())
d.role.setText("health visitor"); d.team.setText("North locality")
d.reasons.item(0).setCheckState(Qt.CheckState.Checked); d.reasons.item(4).setCheckState(Qt.CheckState.Checked)
d.notes.setText("low mood since birth, baby hard to settle")
d.stage.setCurrentIndex(2); d.stage_date.setDate(d.stage_date.date().addDays(-60))
shoot("04-new-referral-filled")
QTest.keyClick(d.notes, Qt.Key.Key_Return); pump(500)
print("status:", w.statusBar().currentMessage())
shoot("05-caseload-after-referral")
# decision via case record
from vigstudio.ui.caseload.model import CASE_ROLE
m = view.table.model()
for r in range(m.rowCount()):
    if m.index(r, 0).data(CASE_ROLE) == "F-140":
        view.table.selectRow(r)
view.record_button.click(); pump(600)
rd = w.caseload_dialog
print("record dialog size", rd.size()); info(rd)
rd.referral_table.selectRow(0); pump(200)
shoot("06-case-record")
rd.decision.setCurrentIndex(0); rd.decide_button.click(); pump(300)
print("decision err:", rd.error.isVisible() and rd.error.text())
shoot("07-case-record-decided")
QTest.keyClick(rd, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier); pump(300)
print("after ctrl+z referrals:", [rd.referral_table.item(i, 5).text() for i in range(rd.referral_table.rowCount())])
QTest.keyClick(rd, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier); pump(300)
print("after redo:", [rd.referral_table.item(i, 5).text() for i in range(rd.referral_table.rowCount())])
QTest.keyClick(rd, Qt.Key.Key_Escape); pump(300)
for stage in ("assessment", "waiting", "in intervention"):
    view.status_button.click(); pump(500)
    pd = w.caseload_dialog
    i = pd.target.findText(stage); print(stage, "options:", [pd.target.itemText(k) for k in range(pd.target.count())])
    pd.target.setCurrentIndex(i)
    if stage == "assessment": shoot("08-pathway-dialog")
    QTest.keyClick(pd.target, Qt.Key.Key_Return); pump(400)
    print("  ", w.statusBar().currentMessage())
shoot("09-caseload-in-intervention")
# ---- close the case
for r in range(m.rowCount()):
    if m.index(r, 0).data(CASE_ROLE) == "F-140": view.table.selectRow(r)
view.close_button.click(); pump(500)
cd = w.caseload_dialog
print("close dlg case:", cd.case_combo.currentText(), "size", cd.size(), "default buttons:", [b.text() for b in cd.findChildren(type(cd.close_button)) if b.isDefault()], "focus", type(QApplication.focusWidget()).__name__)
cd.offered.setText("12 WWW sessions and 3 VIG cycles"); cd.summary.setPlainText("Mother more confident reading his cues.")
shoot("10-close-case")
cd.close_button.click(); pump(500); print("close error:", cd.error.text() if __import__("shiboken6").isValid(cd) else "closed")
print("status:", w.statusBar().currentMessage())
view.show_closed.setChecked(True); pump(400)
for r in range(m.rowCount()):
    if m.index(r, 0).data(CASE_ROLE) == "F-140": view.table.selectRow(r)
view.record_button.click(); pump(600)
rd = w.caseload_dialog
print("retention:", rd.retention_state.text())
box = rd.confirm_review(__import__("vigstudio.domain.pathway", fromlist=["RetentionAction"]).RetentionAction.SUMMARY); pump(300)
print("confirm default:", box.defaultButton().text() if box.defaultButton() else None)
shoot("11-retention-confirm")
QTest.keyClick(box, Qt.Key.Key_Escape); pump(300)
QTest.keyClick(rd, Qt.Key.Key_Escape); pump(300)
# ---- service work
view.activities_button.click(); pump(600)
ad = w.caseload_dialog
print("activities size", ad.size(), "focus", type(QApplication.focusWidget()).__name__)
ad.title.setFocus(); QTest.keyClicks(ad.title, "Listening visits"); ad.role.setText("health visitor"); ad.team.setText("North locality"); ad.minutes.setValue(45)
QTest.keyClick(ad.title, Qt.Key.Key_Return); pump(400)
print("rows:", ad.table.rowCount(), "err:", ad.error.text() if ad.error.isVisible() else "")
ad.kind.setCurrentIndex(1); ad.title.setText("Perinatal mental health for midwives"); ad.attendees.setValue(14); ad.add_button.click(); pump(300)
shoot("12-service-work")
QTest.keyClick(ad, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier); pump(300)
print("after ctrl+z rows:", ad.table.rowCount())
QTest.keyClick(ad, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier); pump(300)
print("after redo rows:", ad.table.rowCount())
from vigstudio.ui.background import running_tasks
ad.make_report(str(TMP / "activity.pdf"))
t = 0
while (not (TMP / "activity.pdf").exists() or running_tasks()) and t < 60000: pump(300); t += 300
pump(500); print("report:", ad.report_note.text() if __import__("shiboken6").isValid(ad) else "", w.statusBar().currentMessage())
pdf_pages(TMP / "activity.pdf", "13-activity-report", 1)
keep()
